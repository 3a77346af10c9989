"""The other cores' refusals under ``DHAKIRA_LANG=ar``: a bundle that is no bundle (sync), a
mapping and a sheet that do not fit (importing), an ESF document that is not one and an
unknown export format (exporting), a custody chain that does not verify (custody, through
``verify``), a truth file with no victims (linkage), an unknown charge (the legal brief).
Each was printed in the core's English whatever the reader's language.

Each test runs the real command in its own process, in Arabic (Arabic words, no English
sentence) and in English (the words as the core's own message has them). The vault is a copy
of the one ``dhakira init`` made (``tests/clivault.py``).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest
from tests import clivault, warm
from tests.cli.test_in_a_row import MAPPING, SHEET
from tests.cli.test_reader_language import _arabic, _in

from dhakira.cli import _words

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault with the two-report sheet imported, its secrets, and the bad inputs."""
    base = tmp_path_factory.mktemp("cores-lang")
    clivault.new_vault(base)
    (base / "sheet.csv").write_text(SHEET, encoding="utf-8")
    (base / "map.yaml").write_text(MAPPING, encoding="utf-8")
    done = _in("en", "import", *_keys(base), "--actor", "amal", "--password-file",
               str(base / "web"), "--mapping", str(base / "map.yaml"), str(base / "sheet.csv"))
    assert done.returncode == 0, done.stderr
    (base / "junk.bundle").write_bytes(b"not a sealed bundle at all\n")
    (base / "wrong-target.yaml").write_text(MAPPING.replace("columns:\n", "columns:\n  Extra: "
                                                            "nothing\n"), encoding="utf-8")
    (base / "wider.csv").write_text(SHEET.replace("ملاحظات\n", "ملاحظات,Extra\n", 1),
                                    encoding="utf-8")
    (base / "not-esf.json").write_text(json.dumps({"events": []}), encoding="utf-8")
    (base / "no-victims.json").write_text("{}", encoding="utf-8")
    return base


def _keys(base: Path) -> list[str]:
    return ["--vault", str(base / "v"), "--passphrase-file", str(base / "pass")]


def _both(*args: str) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    return _in("ar", *args), _in("en", *args)


def _refused_in_both(base: Path, args: list[str], code: int, arabic_words: str, english: str,
                     *latin: str) -> None:
    """``args`` refused with ``code`` in both languages: Arabic words (the ``latin`` names,
    paths and codes taken out, no English sentence left) and the English line."""
    arabic, in_english = _both(*args)
    assert arabic.returncode == in_english.returncode == code, (arabic.stderr, in_english.stderr)
    last = arabic.stderr.splitlines()[-1]
    assert arabic_words in last, arabic.stderr
    for word in latin:
        last = last.replace(word, "")
    _arabic(last)
    assert in_english.stderr.splitlines()[-1] == english.format(base=base), in_english.stderr


def test_a_bundle_that_is_no_bundle_is_refused_in_the_readers_language(base: Path) -> None:
    _refused_in_both(
        base, ["sync", "receive", *_keys(base), str(base / "junk.bundle"), "--ack-out",
               str(base / "junk.ack"), "--as", "amal", "--password-file", str(base / "web")],
        5, "رُفضت الحزمة (لا تُقرأ): لا تُفتح بمفتاح هذه الخزنة",
        "dhakira: bundle refused (unreadable): it does not open with this vault's key: it is "
        "truncated or altered, or sealed to another vault")
    assert not (base / "junk.ack").exists()


def test_a_mapping_to_no_target_is_refused_in_the_readers_language(base: Path) -> None:
    _refused_in_both(
        base, ["import", *_keys(base), "--actor", "amal", "--password-file", str(base / "web"),
               "--mapping", str(base / "wrong-target.yaml"), str(base / "sheet.csv")],
        1, "العمود 'Extra' مربوط بـ 'nothing'، وهو ليس حقلًا هدفًا؛ الحقول الهدف هي: source، "
        "received_at،",
        "dhakira: wrong-target.yaml: column 'Extra' is mapped to 'nothing', which is not a "
        "target; the targets are source, received_at, channel, event_title, date, place, text, "
        "victim_name, victim_name_other, victim_age, victim_sex, act_type, method, result, "
        "perpetrator_name, perpetrator_degree, media, compartment")


def test_a_sheet_with_a_column_the_mapping_does_not_know_is_refused_in_the_readers_language(
        base: Path) -> None:
    _refused_in_both(
        base, ["import", *_keys(base), "--actor", "amal", "--password-file", str(base / "web"),
               "--mapping", str(base / "map.yaml"), str(base / "wider.csv")],
        1, "في wider.csv عمود لا يربطه الربط ولا يتجاهله: 'Extra'",
        "dhakira: map.yaml: wider.csv has column 'Extra' that the mapping neither maps nor "
        "ignores (add it under columns: or ignore:)", "map.yaml", "wider.csv", "'Extra'")


def test_a_json_file_that_is_not_esf_is_refused_in_the_readers_language(base: Path) -> None:
    _refused_in_both(
        base, ["import", *_keys(base), "--actor", "amal", "--password-file", str(base / "web"),
               str(base / "not-esf.json")],
        65, "ليس مستند ESF",
        'dhakira: not-esf.json: not an ESF document (no "standard": "HURIDOCS Events Standard '
        'Formats")', "not-esf.json", '"standard": "HURIDOCS Events Standard Formats"')


def test_an_unknown_export_format_is_refused_in_the_readers_language(base: Path) -> None:
    _refused_in_both(
        base, ["export", *_keys(base), "--format", "pdf", "event:E-000001", "--recipient",
               "ICC-OTP", "--purpose", "share_icc", "--to", str(base / "out"), "--as", "amal"],
        64, "الصيغة 'pdf' غير معروفة؛ استعمل إحدى الصيغ: esf، uwazi",
        "dhakira: unknown format 'pdf'; use one of esf, uwazi")


def test_a_truth_file_with_no_victims_is_refused_in_the_readers_language(base: Path) -> None:
    _refused_in_both(
        base, ["link", *_keys(base), "--actor", "amal", "--password-file", str(base / "web"),
               "--evaluate", str(base / "no-victims.json")],
        1, "لا إشارات إلى ضحايا في ملف الحقيقة",
        "dhakira: the truth file has no victim mentions")
    # Read before any work: the refusal is the only thing said, no run was made first (it
    # printed "R-00001: 17 victim mentions resolved ..." and recorded the run).
    for said in _both("link", *_keys(base), "--actor", "amal", "--password-file",
                      str(base / "web"), "--evaluate", str(base / "no-victims.json")):
        assert said.stdout == "", said.stdout


def test_an_unknown_charge_is_refused_in_the_readers_language(base: Path) -> None:
    _refused_in_both(
        base, ["brief", *_keys(base), "--charge", "CH-0009", "--out", str(base / "b.pdf")],
        1, "لا توجد تهمة 'CH-0009'",
        "dhakira: no charge 'CH-0009'; list them with `dhakira brief --list-charges`",
        "CH-0009", "`dhakira brief --list-charges`")


_TAMPER = """\
import sys
from pathlib import Path
from dhakira.apps.vault import runtime
runtime.open_vault(Path(sys.argv[1]), sys.argv[2])
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("UPDATE ledger_ledgerentry SET actor = 'mallory' WHERE seq = 1")
"""


def test_a_custody_chain_that_does_not_verify_is_said_in_the_readers_language(
        tmp_path: Path) -> None:
    """``verify`` named the problem in the core's English ("ledger edited: seq 1: the content
    does not match its entry_hash")."""
    vault = clivault.new_vault(tmp_path)
    tamper = warm.python("-c", _TAMPER, str(vault), clivault.PASS, env=clivault.clean_env(),
                         timeout=300)
    assert tamper.returncode == 0, tamper.stderr
    keys = ("--vault", str(vault), "--passphrase-file", str(tmp_path / "pass"))
    arabic, in_english = _both("verify", *keys)
    assert arabic.returncode == in_english.returncode == 5, (arabic.stderr, in_english.stderr)
    first = arabic.stderr.splitlines()[0]
    assert first.startswith("مشكلة: سجل الحيازة (edited): القيد 1: المحتوى لا يطابق بصمة القيد"), \
        arabic.stderr
    _arabic(first)
    assert in_english.stderr.splitlines()[0] == (
        "problem: ledger edited: seq 1: the content does not match its entry_hash: it was "
        "edited")


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """The names of every class that derives from DhakiraError, read from the sources."""
    bases = {node.name: {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                         for b in node.bases}
             for tree in trees.values() for node in ast.walk(tree)
             if isinstance(node, ast.ClassDef)}
    found = {"DhakiraError"}
    while True:
        more = {name for name, of in bases.items() if of & found} - found
        if not more:
            return found
        found |= more


def _codes(value: ast.expr) -> set[str]:
    """The codes ``value`` may be: a string, or either side of ``a if test else b``."""
    if isinstance(value, ast.IfExp):
        return _codes(value.body) | _codes(value.orelse)
    if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
        return {value.value}
    return set()


def test_every_code_the_cores_raise_has_the_command_lines_words() -> None:
    """A new code raised (or a problem ``verify`` reports) without words here would be said in
    English. The estimator's refusals (counting) have theirs in ``apps/counting/texts``."""
    src = Path(_words.__file__).resolve().parents[1]
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in src.rglob("*.py")
             if "migrations" not in path.parts and "counting" not in path.parts}
    errors = _error_classes(trees)
    raised: set[str] = set()
    problems: set[str] = set()
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if name == "ChainProblem" and len(node.args) > 3:
                problems |= _codes(node.args[3])
            elif name == "IntegrityProblem" and code is not None:
                problems |= _codes(code)
            elif code is not None and (name in errors or (name == "__init__"
                                                          and path.name == "errors.py")):
                raised |= _codes(code)
    assert {"bundle_sealed_elsewhere", "sheet_columns_differ", "unknown_export_format",
            "truth_no_victims", "no_charge", "wrong_passphrase"} <= raised, raised
    assert {"chain_edited", "blob_altered"} <= problems, problems
    assert raised <= set(_words._ERRORS), raised - set(_words._ERRORS)
    assert problems <= set(_words._PROBLEMS), problems - set(_words._PROBLEMS)


def test_every_kind_of_refused_bundle_has_arabic_words() -> None:
    """The kind in "bundle refused (KIND)" is custody's stable word; an Arabic reader gets
    words for it (a new kind without them fails here)."""
    from django.utils import translation

    from dhakira.core.sync.errors import REFUSALS

    with translation.override("ar"):
        words = {kind: _words._refusal_kind(kind) for kind in REFUSALS}
    assert [kind for kind, word in words.items() if not re.search("[\u0600-\u06FF]", word)] == []
    with translation.override("en"):
        assert [_words._refusal_kind(kind) for kind in REFUSALS] == list(REFUSALS)
