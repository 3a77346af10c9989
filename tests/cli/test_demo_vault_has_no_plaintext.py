"""`dhakira demo-data` into a real vault: none of the dossier's names is in any of its files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher
from tests.cli.test_vault_commands import PASS, run

from dhakira.apps.vault.sqlcipher.base import apply_key
from dhakira.core.vault import keyslots


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("demo")
    (base / "pass").write_text(PASS + "\n")
    (base / "web").write_text("a web password for amal\n")
    vault = base / "v"
    assert run("init", "--vault", str(vault), "--passphrase-file", str(base / "pass"),
               "--admin-password-file", str(base / "web")).returncode == 0
    result = run("demo-data", "--vault", str(vault), "--passphrase-file", str(base / "pass"),
                 "--victims", "60", "--perpetrators", "20", "--informants", "8", "--seed", "3",
                 "--truth-out", str(base / "truth.json"))
    assert result.returncode == 0, result.stderr
    return vault, base / "truth.json"


def _dossier_strings(vault: Path) -> list[str]:
    conn = sqlcipher.connect(str(vault / "dossier.db"))
    apply_key(conn, keyslots.unlock(vault, PASS))
    names = [r[0] for r in conn.execute("SELECT text FROM dossier_namevariant")]
    secrets = [r[0] for r in conn.execute("SELECT value FROM dossier_protectedvalue")]
    codes = [r[0] for r in conn.execute("SELECT code_name FROM dossier_source")]
    conn.close()
    return [s for s in dict.fromkeys(names + secrets + codes) if len(s) >= 6]


def test_no_name_in_either_script_is_in_any_file_of_the_vault(demo: tuple[Path, Path]) -> None:
    vault, _ = demo
    needles = _dossier_strings(vault)
    assert len(needles) > 100
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in n) for n in needles)  # Arabic script
    assert any(n.isascii() for n in needles)  # Latin script
    files = [p for p in vault.rglob("*") if p.is_file()]
    assert any(p.name == "dossier.db" for p in files)
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle.encode("utf-8") not in data, f"a dossier string is readable in {path.name}"


def test_the_truth_file_stays_outside_the_vault(demo: tuple[Path, Path]) -> None:
    vault, truth = demo
    assert json.loads(truth.read_text())["documented"] == 60
    assert not truth.resolve().is_relative_to(vault.resolve())
    result = run("demo-data", "--vault", str(vault), "--passphrase-file", str(vault.parent / "pass"),
                 "--truth-out", str(vault / "truth.json"))
    assert result.returncode == 64 and "outside the vault" in result.stderr
