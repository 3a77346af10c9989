"""The command line's last English under ``DHAKIRA_LANG=ar``: the cores' errors (a wrong
passphrase, a directory that is not a vault, a weak passphrase), ``demo-data``'s summary,
``estimate --progress``, an empty ``disclosures``, the prompt with no terminal, and ``serve``
on a port another program holds.

Each test runs the real command in its own process, in Arabic (Arabic words, no English
sentence) and in English. The vault is a copy of the one ``dhakira init`` made
(``tests/clivault.py``).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from tests import clivault, warm
from tests.cli.test_reader_language import _arabic, _in

from dhakira.cli import _words

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault, its secrets, a wrong passphrase, weak ones, and a folder that is no vault."""
    base = tmp_path_factory.mktemp("core-lang")
    clivault.new_vault(base)
    (base / "wrong").write_text("not the passphrase of this vault\n")
    (base / "known").write_text("correct horse battery staple\n")
    (base / "short").write_text("short one\n")
    (base / "repeats").write_text("abababababababab\n")
    (base / "plain").mkdir()
    return base


def _both(*args: str) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    return _in("ar", *args), _in("en", *args)


@pytest.mark.parametrize(("case", "code", "arabic_words", "english"), [
    ("wrong", 2, "عبارة المرور خاطئة",
     "dhakira: wrong passphrase: no key slot of this vault opens with it"),
    ("plain", 4, "ليس خزنة ذاكرة", "dhakira: {plain} is not a Dhakira vault (no keyslots/ folder)"),
    ("missing", 4, "غير موجود؛ أنشئ الخزنة فيه",
     "dhakira: {missing} does not exist; create it with `dhakira init --vault {missing}`"),
])
def test_a_vault_that_does_not_open_is_said_in_the_readers_language(
        base: Path, case: str, code: int, arabic_words: str, english: str) -> None:
    """The vault core's errors were English whatever the reader's language."""
    vault = {"wrong": base / "v", "plain": base / "plain", "missing": base / "missing"}[case]
    secret = base / ("wrong" if case == "wrong" else "pass")
    arabic, in_english = _both("check", "--vault", str(vault), "--passphrase-file", str(secret))
    assert arabic.returncode == in_english.returncode == code, (arabic.stderr, in_english.stderr)
    assert arabic_words in arabic.stderr, arabic.stderr
    _arabic(arabic.stderr.replace(f"dhakira init --vault {vault}", ""))
    assert in_english.stderr.splitlines() == [
        english.format(plain=base / "plain", missing=base / "missing")]


@pytest.mark.parametrize(("secret", "arabic_words", "english"), [
    ("known", "عبارة المرور هذه مثال مشهور",
     "the passphrase is a well-known example; choose your own words"),
    ("short", "استعمل 12 حرفًا على الأقل",
     "the passphrase is too short: use at least 12 characters, for example four or five "
     "unrelated words"),
    ("repeats", "استعمل 6 أحرف مختلفة على الأقل",
     "the passphrase repeats itself: use at least 6 different characters, for example four or "
     "five unrelated words"),
])
def test_a_weak_passphrase_is_refused_in_the_readers_language(
        base: Path, secret: str, arabic_words: str, english: str) -> None:
    new = base / f"new-{secret}"
    args = ("init", "--vault", str(new), "--passphrase-file", str(base / secret), "--admin",
            "amal", "--admin-password-file", str(base / "web"))
    arabic, in_english = _both(*args)
    assert arabic.returncode == in_english.returncode == 64
    assert arabic_words in arabic.stderr, arabic.stderr
    _arabic(arabic.stderr)
    assert in_english.stderr == f"dhakira: {english}\n"
    assert not new.exists()  # refused before anything was written


def test_a_refused_recovery_share_is_said_in_the_readers_language(base: Path) -> None:
    (base / "share").write_text("academic acid acne acquire\n")
    arabic, in_english = _both("recovery", "open", "--vault", str(base / "v"), "--share-file",
                               str(base / "share"), "--check")
    assert arabic.returncode == in_english.returncode == 2
    assert "الحصة 1 ليست حصة استرداد صالحة" in arabic.stderr, arabic.stderr
    _arabic(arabic.stderr)
    assert in_english.stderr == ("dhakira: share 1 is not a valid recovery share (a word is "
                                 "missing, misspelt or out of order)\n")


def test_every_code_the_vault_raises_has_the_command_lines_words() -> None:
    """A new code raised in the vault's rooms without words here would be said in English."""
    src = Path(_words.__file__).resolve().parents[1]
    rooms = [*(src / "core" / "vault").glob("*.py"), *(src / "apps" / "vault").glob("*.py"),
             src / "cli" / "keys.py"]
    raised = {m for path in rooms
              for m in re.findall(r'\bcode="(\w+)"', path.read_text(encoding="utf-8"))}
    assert {"wrong_passphrase", "not_a_vault", "passphrase_well_known", "too_few_shares"} <= raised
    assert raised <= set(_words._ERRORS), raised - set(_words._ERRORS)


def test_an_empty_disclosure_log_says_so_in_the_readers_language(base: Path) -> None:
    """It printed nothing; a program reading the listing still reads nothing on stdout."""
    keys = ("--vault", str(base / "v"), "--passphrase-file", str(base / "pass"))
    for extra, arabic_words, english in [
            ((), "لم يُسجَّل أي إفصاح بعد", "No disclosure is logged yet."),
            (("--person", "P-000001"), "لا يوجد في سجل الإفصاح إفصاح يشمل P-000001",
             "No disclosure holding P-000001 is logged."),
            (("--withdrawn",), "لا أحد يجب إبلاغه",
             "Nobody to notify: no consent behind a disclosure was withdrawn.")]:
        arabic, in_english = _both("disclosures", *keys, *extra)
        assert arabic.returncode == in_english.returncode == 0, (arabic.stderr, in_english.stderr)
        assert arabic.stdout == in_english.stdout == ""
        assert arabic_words in arabic.stderr, arabic.stderr
        _arabic(arabic.stderr.replace("P-000001", ""))
        assert in_english.stderr == english + "\n"


def test_demo_data_sums_up_in_the_readers_language(base: Path, tmp_path: Path) -> None:
    runs = {}
    for lang in ("ar", "en"):
        vault = clivault.new_vault(tmp_path / lang)
        runs[lang] = _in(lang, "demo-data", "--vault", str(vault), "--passphrase-file",
                         str(base / "pass"), "--victims", "30", "--perpetrators", "10",
                         "--informants", "4", "--truth-out", str(tmp_path / f"truth-{lang}.json"))
        assert runs[lang].returncode == 0, runs[lang].stderr
    said = runs["ar"].stdout.strip()
    assert said.startswith("بُني ملف العرض التجريبي (البذرة 1): الضحايا الموثَّقون 30 من أصل"), said
    _arabic(said.replace(str(tmp_path / "truth-ar.json"), "").replace("MB", ""))
    assert re.fullmatch(r"Demo dossier built \(seed 1\): documented victims 30 of \d+ in the true "
                        r"population; perpetrators 10; informants 4 \(lists: \d\); reports \d+; "
                        r".* Ground truth written to .*truth-en\.json\.\n", runs["en"].stdout), \
        runs["en"].stdout


def test_estimate_progress_is_said_in_the_readers_language() -> None:
    table = Path(__file__).resolve().parents[1] / "data" / "mse" / "hiv_rome_1994.json"
    args = ("estimate", "--table", str(table), "--method", "lcmcr", "--budget", "1",
            "--progress")
    arabic, in_english = _both(*args)
    assert arabic.returncode == in_english.returncode == 0, (arabic.stderr, in_english.stderr)
    lines = arabic.stderr.splitlines()
    assert lines[-1] == "estimate: 100% انتهى", lines
    for line in lines:
        _arabic(line.removeprefix("estimate: "))
    assert in_english.stderr.splitlines()[-1] == "estimate: 100% done"
    assert any(line.endswith("burn-in") for line in in_english.stderr.splitlines())


def test_a_prompt_with_no_terminal_warns_in_the_readers_language(base: Path) -> None:
    """Python's getpass said "Warning: Password input may be echoed." (and a GetPassWarning)
    in English; the passphrase typed on standard input still opens the vault."""
    runs = {lang: warm.python(
        "-m", "dhakira.cli", "check", "--vault", str(base / "v"),
        input=clivault.PASS + "\n", timeout=300,
        start_new_session=True,  # no controlling terminal, as under a service or a pipe
        env={**clivault.clean_env(), "DHAKIRA_LANG": lang}) for lang in ("ar", "en")}
    for run in runs.values():
        assert run.returncode == 0, run.stderr
        assert "echoed" not in run.stderr and "GetPassWarning" not in run.stderr
    first = runs["ar"].stderr.splitlines()[0]
    assert first.startswith("تنبيه: لا توجد طرفية"), runs["ar"].stderr
    _arabic(runs["ar"].stderr)
    assert runs["en"].stderr.startswith(
        "Warning: there is no terminal to hide what is typed, so it may be shown.\nVault "
        "passphrase: "), runs["en"].stderr


def test_serve_on_a_port_another_program_holds_says_so_before_asking(base: Path) -> None:
    """It said "cannot use: Address already in use" (exit 8), after the passphrase."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        # no --passphrase-file, nothing on standard input and no terminal: a prompt would
        # fail, not wait
        arabic, in_english = (subprocess.run(
            [sys.executable, "-m", "dhakira.cli", "serve", "--vault", str(base / "v"), "--port",
             str(port)], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
            start_new_session=True, env={**clivault.clean_env(), "DHAKIRA_LANG": lang})
            for lang in ("ar", "en"))
    assert arabic.returncode == in_english.returncode == 1, (arabic.stderr, in_english.stderr)
    assert f"المنفذ {port} على 127.0.0.1 يستعمله برنامج آخر" in arabic.stderr, arabic.stderr
    _arabic(arabic.stderr.replace("make demo PORT=8001", ""))
    assert in_english.stderr == (
        f"dhakira: port {port} on 127.0.0.1 is in use by another program (another Dhakira "
        "server?); stop it, or choose another port with --port (the demo: make demo "
        "PORT=8001)\n")
