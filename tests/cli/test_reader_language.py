"""The command line in the reader's language (DHAKIRA_LANG): what a new user's walk of a fresh
clone still read in English under ``DHAKIRA_LANG=ar``.

Each test runs the real command in its own process, once in Arabic (Arabic words, no English
sentence) and once in English (the words as they were). The vault is a copy of the one
``dhakira init`` made (``tests/clivault.py``), with the two-report sheet of the commands in a
row imported into it (synthetic names).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from tests import clivault, warm
from tests.cli.test_in_a_row import MAPPING, SHEET

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]

# Three English words in a row: a sentence, or a piece of one (a command's name and one
# argument, "dhakira estimate", is two).
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")
ARABIC = re.compile(r"[\u0600-\u06FF]{2,}")


def _in(lang: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``dhakira ARGS`` with DHAKIRA_LANG=lang."""
    return warm.python("-m", "dhakira.cli", *args,
                       env={**clivault.clean_env(), "DHAKIRA_LANG": lang}, timeout=300)


def _arabic(text: str) -> str:
    """``text``, checked to be Arabic words with no English sentence among them."""
    assert ARABIC.search(text), text
    assert not ENGLISH.search(text), ENGLISH.search(text)
    return text


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault, its secrets, and the sheet and mapping to import."""
    base = tmp_path_factory.mktemp("lang")
    clivault.new_vault(base)
    (base / "sheet.csv").write_text(SHEET, encoding="utf-8")
    (base / "map.yaml").write_text(MAPPING, encoding="utf-8")
    return base


def _keys(base: Path) -> list[str]:
    return ["--vault", str(base / "v"), "--passphrase-file", str(base / "pass")]


def _import(base: Path, lang: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return _in(lang, "import", *_keys(base), "--actor", "amal", "--password-file",
               str(base / "web"), "--mapping", str(base / "map.yaml"), *extra,
               str(base / "sheet.csv"))


@pytest.fixture(scope="module")
def imported(base: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """The sheet checked in English, imported in Arabic, imported again in English; then
    linked in Arabic and in English."""
    done = {"dry-en": _import(base, "en", "--dry-run"), "ar": _import(base, "ar"),
            "again-en": _import(base, "en")}
    link = ["link", *_keys(base), "--actor", "amal", "--password-file", str(base / "web")]
    done["link-ar"], done["link-en"] = _in("ar", *link), _in("en", *link)
    for name, run in done.items():
        assert run.returncode == 0, (name, run.stderr)
    return done


def test_import_says_what_it_imported_in_the_readers_language(
        imported: dict[str, subprocess.CompletedProcess[str]]) -> None:
    said = imported["ar"].stdout.strip()
    assert said.startswith("sheet.csv: ") and "استُورد بلاغان (2)" in said, said
    _arabic(said.removeprefix("sheet.csv: "))
    assert imported["dry-en"].stdout == (
        "sheet.csv: 2 rows read, none refused; 2 would be imported, 0 already imported (dry "
        "run: nothing written)\n")
    assert re.fullmatch(r"sheet\.csv: 0 reports imported, 2 already imported; the sheet "
                        r"is kept as EV-\d+\n", imported["again-en"].stdout), \
        imported["again-en"].stdout


def test_link_says_what_it_resolved_in_the_readers_language(
        imported: dict[str, subprocess.CompletedProcess[str]]) -> None:
    said = imported["link-ar"].stdout.strip()
    assert re.fullmatch(r"R-\d+: .*", said) and "تعود إشارتان لضحايا إلى شخص واحد" in said, said
    assert "p ≥ 0.99" in said and "زوج واحد (1)" in said
    _arabic(said)
    assert re.fullmatch(r"R-\d+: 2 victim mentions resolved to 1 person at p >= 0\.99; 1 "
                        r"pair queued for review\n", imported["link-en"].stdout), \
        imported["link-en"].stdout


def test_estimate_warnings_carry_their_code_and_the_readers_words(
        base: Path, imported: dict[str, subprocess.CompletedProcess[str]]) -> None:
    """Two lists (the two sources): the estimate warns; each warning keeps its code and English
    words in ``warnings`` (for programs), and ``warning_texts`` says it in the reader's
    language, for the total and each stratum."""
    runs = {lang: _in(lang, "estimate", *_keys(base), "--method", "independence", "--lists",
                      "organisation") for lang in ("ar", "en")}
    for run in runs.values():
        assert run.returncode == 0, run.stderr
    arabic, english = (json.loads(runs[lang].stdout) for lang in ("ar", "en"))
    assert arabic["warnings"] == english["warnings"]  # the machine's words do not move
    codes = [w.split(":")[0].split("] ")[-1] for w in arabic["warnings"]]
    assert "FEW_LISTS" in codes
    for result in (arabic, english):
        for part in (result, *result["strata"].values()):
            assert [t["code"] for t in part["warning_texts"]] == [
                w.split(":")[0].split("] ")[-1] for w in part["warnings"]]
    for said in arabic["warning_texts"]:
        _arabic(said["text"])
    few = [t["text"] for t in english["warning_texts"] if t["code"] == "FEW_LISTS"]
    assert few and few[0].startswith("Only 2 lists: the estimate rests on the untestable")


def test_estimate_from_a_two_list_table_is_refused_in_the_readers_language(tmp_path: Path) -> None:
    """docs/estimation.md promises the reader's language; the core's refusal was English."""
    table = tmp_path / "two.json"
    table.write_text(json.dumps({"lists": ["A", "B"], "cells": [
        {"pattern": "10", "count": 30}, {"pattern": "01", "count": 20},
        {"pattern": "11", "count": 5}]}))
    for method in ("lcmcr", "dga"):
        arabic = _in("ar", "estimate", "--table", str(table), "--method", method)
        assert arabic.returncode == 1 and not arabic.stdout
        assert "يحتاج إلى ثلاث قوائم على الأقل" in arabic.stderr, arabic.stderr
        _arabic(arabic.stderr.removeprefix("dhakira: ").replace("(LCMCR)", ""))
    english = _in("en", "estimate", "--table", str(table), "--method", "lcmcr")
    assert english.returncode == 1
    assert english.stderr.startswith(
        "dhakira: Estimating with latent-class model (LCMCR) needs at least three lists, and "
        "there are only 2"), english.stderr


def test_forty_lists_are_refused_by_the_method_asked_for(tmp_path: Path) -> None:
    """The independence method refused 40 lists saying "log-linear models need…"; now it
    names itself, in the reader's language."""
    lists = [f"L{i}" for i in range(40)]
    cells = [{"pattern": "".join("1" if j in (i, i + 1) else "0" for j in range(40)),
              "count": 3} for i in range(39)]
    table = tmp_path / "forty.json"
    table.write_text(json.dumps({"lists": lists, "cells": cells}))
    arabic = _in("ar", "estimate", "--table", str(table), "--method", "independence")
    assert arabic.returncode == 1 and not arabic.stdout
    assert "التقدير بـقوائم مستقلة يعمل مع قوائم لا يزيد عددها على 12، وعدد القوائم هنا 40" in arabic.stderr, \
        arabic.stderr
    _arabic(arabic.stderr.removeprefix("dhakira: ").replace("(LCMCR)", ""))
    english = _in("en", "estimate", "--table", str(table), "--method", "independence")
    assert english.returncode == 1
    assert english.stderr == (
        "dhakira: Estimating with independent lists works with at most 12 lists, and there are "
        "40. Use the latent-class model (LCMCR), or define the lists so that there are fewer.\n")
    assert "log-linear models need" not in english.stderr


def test_process_ocr_missing_says_what_it_read_in_the_readers_language(
        base: Path, imported: dict[str, subprocess.CompletedProcess[str]]) -> None:
    """Nothing waits for OCR in this vault (no photo, no scan): both lines say so."""
    arabic = _in("ar", "process", *_keys(base), "--ocr-missing")
    english = _in("en", "process", *_keys(base), "--ocr-missing")
    assert arabic.returncode == english.returncode == 0, (arabic.stderr, english.stderr)
    lines = arabic.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("عولج 0 عنصر"), lines
    assert lines[1].startswith("التعرف الضوئي على النصوص: لا شيء للقراءة"), lines
    _arabic(arabic.stdout.replace("PDF", ""))
    assert english.stdout == ("processed 0 items, 0 failed\nOCR: nothing to read (every "
                              "photo, scan and PDF has been read by OCR)\n")


@pytest.mark.parametrize(("args", "arabic_words", "english"), [
    (["estimate", "--colour", "red"], "لا يوجد خيار اسمه '--colour'",
     "Error: No such option '--colour'."),
    (["estimate", "--seed", "seven"], "قيمة غير صالحة لـ'--seed': 'seven' ليست عددًا صالحًا",
     "Error: Invalid value for '--seed': 'seven' is not a valid integer."),
    (["estimate", "--method", "guess"], "قيمة غير صالحة لـ'--method': 'guess' ليست واحدة من",
     "Error: Invalid value for '--method': 'guess' is not one of 'independence', 'loglinear', "
     "'lcmcr', 'dga'."),
    (["estimate", "--seed"], "الخيار '--seed' يحتاج إلى قيمة",
     "Error: Option '--seed' requires an argument."),
    (["import", "--vault", "nowhere", "--actor", "amal"], "ينقص الوسيط 'TABLE'",
     "Error: Missing argument 'TABLE'."),
    (["link", "--vault", "nowhere"], "ينقص الخيار '--actor'", "Error: Missing option '--actor'."),
    (["estimte"], "لا يوجد أمر اسمه 'estimte'. هل تقصد 'estimate'؟",
     "Error: No such command 'estimte'. Did you mean 'estimate'?"),
])
def test_bad_options_are_refused_in_the_readers_language(
        args: list[str], arabic_words: str, english: str) -> None:
    """click's own errors, for every subcommand: an unknown option or command, a bad value, a
    missing value, option or argument."""
    arabic, in_english = _in("ar", *args), _in("en", *args)
    assert arabic.returncode == in_english.returncode == 64  # a usage error, not 2 (a wrong passphrase)
    assert arabic_words in arabic.stderr, arabic.stderr
    assert "خطأ: " in arabic.stderr
    _arabic(arabic.stderr)
    assert english in in_english.stderr.splitlines(), in_english.stderr
    # the usage line, when click gives one, is labelled in the same language
    assert arabic.stderr.startswith("الاستعمال: dhakira") == in_english.stderr.startswith(
        "Usage: dhakira")


BAD_SHEET = "name,age,date,place,act,source,notes\nAmal Test,many,2015-01-01,Mosul,killing,S-1,x\n"
BAD_MAPPING = """\
columns: {name: victim_name, age: victim_age, date: date, place: place, act: act_type,
          source: source, notes: text}
defaults: {channel: document, received_at: "2016-05-01"}
"""


def test_a_refused_row_is_named_in_the_readers_language(base: Path) -> None:
    """The row, its column and why (the wizard's words for the reason), then the summary; the
    cell itself is not quoted in either language."""
    (base / "bad.csv").write_text(BAD_SHEET, encoding="utf-8")
    (base / "bad.yaml").write_text(BAD_MAPPING, encoding="utf-8")
    runs = {lang: _in(lang, "import", *_keys(base), "--actor", "amal", "--password-file",
                      str(base / "web"), "--mapping", str(base / "bad.yaml"), str(base / "bad.csv"))
            for lang in ("ar", "en")}
    arabic, english = runs["ar"].stderr.splitlines(), runs["en"].stderr.splitlines()
    assert runs["ar"].returncode == runs["en"].returncode == 1
    assert arabic[0].startswith("مرفوض: bad.csv، الصف 2، العمود 'age': "), arabic
    assert arabic[1].startswith("dhakira: bad.csv: رُفض 1 من"), arabic
    _arabic(arabic[0].replace("bad.csv", ""))
    _arabic(arabic[1].removeprefix("dhakira: bad.csv: "))
    assert english == ["refused: bad.csv, row 2, column 'age': an age is a whole number of "
                       "years, 0 to 130",
                       "dhakira: bad.csv: 1 of 1 row refused; nothing was imported"]
    assert "many" not in runs["ar"].stderr + runs["en"].stderr


def test_check_and_verify_say_ok_in_the_readers_language(
        base: Path, imported: dict[str, subprocess.CompletedProcess[str]]) -> None:
    for command in ("check", "verify"):
        arabic, english = _in("ar", command, *_keys(base)), _in("en", command, *_keys(base))
        assert arabic.returncode == english.returncode == 0, (arabic.stderr, english.stderr)
        assert arabic.stdout.startswith("سليم: "), arabic.stdout
        _arabic(arabic.stdout)
        assert english.stdout.startswith("ok: ")
    assert english.stdout.startswith("ok: ") and " ledger entries, " in english.stdout
