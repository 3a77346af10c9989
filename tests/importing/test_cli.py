"""`dhakira import` on a vault made by `init`, in its own process: dry run, import, again."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.clivault import new_vault, run, secrets
from tests.importing.sheets import MAPPING, MESSY, messy_xlsx, write_xlsx

pytestmark = pytest.mark.backend_independent


def _args(vault: Path, mapping: Path, sheet: Path, *more: str) -> list[str]:
    return ["import", "--vault", str(vault), "--passphrase-file", str(vault.parent / "pass"),
            "--actor", "amal", "--password-file", str(vault.parent / "web"),
            "--mapping", str(mapping), *more, str(sheet)]


def test_import_lists_every_refusal_then_imports_once_and_never_twice(tmp_path: Path) -> None:
    vault = new_vault(tmp_path)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING)
    rows = [list(r) for r in MESSY]
    rows[1][6], rows[3][3] = "قصف", "?"
    bad = write_xlsx(tmp_path / "bad.xlsx", rows)
    refused = run(*_args(vault, mapping, bad, "--dry-run"))
    assert refused.returncode == 1, refused.stderr
    assert refused.stderr.splitlines() == [
        "refused: bad.xlsx, row 3, column 'نوع الانتهاك': 'قصف' is not a term of act_types "
        "(give its code or label, or list it under values: act_type:)",
        "refused: bad.xlsx, row 5, column 'الجنس': '?' is not a term of sex (give its code or "
        "label, or list it under values: victim_sex:)",
        "dhakira: bad.xlsx: 2 of 6 rows refused; nothing was imported"]

    good = messy_xlsx(tmp_path / "good.xlsx")
    dry = run(*_args(vault, mapping, good, "--dry-run"))
    assert dry.returncode == 0, dry.stderr
    assert "6 rows read, none refused; 6 would be imported, 0 already imported" in dry.stdout
    done = run(*_args(vault, mapping, good))
    assert done.returncode == 0, done.stderr
    assert "good.xlsx: 6 reports imported, 0 already imported; the sheet is kept as EV-" \
        in done.stdout
    again = run(*_args(vault, mapping, good))
    assert "good.xlsx: 0 reports imported, 6 already imported" in again.stdout
    search = run("search", "--vault", str(vault), "--passphrase-file", str(vault.parent / "pass"),
                 "--user", "amal", "اصطناعية")
    assert search.returncode == 0 and '"I-' in search.stdout, search.stdout + search.stderr


def test_a_mapping_with_a_column_mapped_twice_fails_before_the_vault_is_opened(
        tmp_path: Path) -> None:
    mapping = tmp_path / "twice.yaml"
    mapping.write_text("columns:\n  الاسم: victim_name\n  الاسم: text\n")
    sheet = messy_xlsx(tmp_path / "s.xlsx")
    secrets(tmp_path)
    done = run(*_args(tmp_path / "no-vault", mapping, sheet))
    assert done.returncode == 1
    assert done.stderr.strip() == ("dhakira: twice.yaml: line 3: 'الاسم' is given twice (first "
                                   "on line 2); a column can be mapped only once")
