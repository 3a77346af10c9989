"""The rest of the command line in the reader's language (DHAKIRA_LANG): key slots, users,
recovery shares, backups, field-kit cards, certificates, second factors, lock, purge, external
reviewers and packages' refusals, and the prompts for secrets.

Each test runs the real commands in their own processes on a copy of the vault ``dhakira
init`` made (``tests/clivault.py``): in Arabic (Arabic words, no English sentence) and in
English (the words as they were).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests import clivault, warm
from tests.cli.test_reader_language import _arabic, _in, _keys

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]

AS_AMAL = ("--as", "amal", "--password-file")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A vault (``v``), its secrets, and a second passphrase and web password (``pass2``,
    ``web2``) for a second key slot and user."""
    clivault.new_vault(tmp_path)
    (tmp_path / "pass2").write_text("another quite long passphrase 7\n")
    (tmp_path / "web2").write_text("a web password for rana 9\n")
    return tmp_path


def _ok(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 0, run.stderr
    return run.stdout


def _refused(run: subprocess.CompletedProcess[str], code: int) -> str:
    """The one line of a refusal, without its ``dhakira: ``."""
    assert run.returncode == code, (run.returncode, run.stdout, run.stderr)
    assert run.stderr.startswith("dhakira: ") and run.stderr.count("\n") == 1, run.stderr
    return run.stderr.removeprefix("dhakira: ")


def test_key_slots_and_users_in_the_readers_language(base: Path) -> None:
    slot = ["--label", "rana", "--new-passphrase-file", str(base / "pass2")]
    said = _ok(_in("ar", "keyslot", "add", *_keys(base), *slot))
    assert said == "أُضيفت خانة المفاتيح 'rana'.\n"
    assert _ok(_in("en", "keyslot", "remove", *_keys(base), "--label", "rana")) == \
        "Removed key slot 'rana'.\n"
    web = str(base / "web")
    said = _ok(_in("ar", "user", "add", *_keys(base), "--username", "rana", "--role",
                   "documenter", *AS_AMAL, web, "--new-password-file", str(base / "web2")))
    assert "أُضيف المستخدم rana" in said
    _arabic(said)
    said = _ok(_in("ar", "user", "change", *_keys(base), "--username", "rana", "--clearance",
                   "sources", *AS_AMAL, web))
    assert said == "تغيّر في حساب rana: التصاريح.\n"
    assert _ok(_in("en", "user", "change", *_keys(base), "--username", "rana", "--clearance",
                   "sources", *AS_AMAL, web)) == "Changed rana: nothing differed.\n"
    both = _refused(_in("ar", "user", "change", *_keys(base), "--username", "rana",
                        "--clearance", "sources", "--no-clearances", *AS_AMAL, web), 64)
    _arabic(both.replace("--clearance", "").replace("--no-clearances", ""))


def test_recovery_shares_and_backups_in_the_readers_language(base: Path) -> None:
    files = [base / f"s{n}" for n in (1, 2, 3)]
    split = ["recovery", "split", *_keys(base), "--shares", "3", "--threshold", "2"]
    too_few = _refused(_in("ar", *split, "--share-file", str(files[0])), 64)
    assert "3 مرات" in too_few, too_few
    _arabic(too_few.replace("--share-file", ""))
    assert _refused(_in("en", *split, "--share-file", str(files[0])), 64) == \
        "give --share-file 3 times (once per share), or not at all\n"
    said = _ok(_in("ar", *split, *[a for f in files for a in ("--share-file", str(f))]))
    assert said.startswith("أُنشئت خانة الاسترداد ") and "عدد الحصص 3" in said, said
    _arabic(said)
    header = files[0].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# حصة الاسترداد 1 من 3 "), header  # a comment: not read back
    _arabic(header)
    said = _ok(_in("ar", "recovery", "open", "--vault", str(base / "v"), "--check",
                   "--share-file", str(files[0]), "--share-file", str(files[1])))
    assert said.startswith("الحصص تفتح خانة الاسترداد "), said
    said = _ok(_in("ar", "backup", *_keys(base), "--to", str(base / "bk")))
    assert said.startswith("كُتبت اللقطة ") and "عدد الملفات" in said, said
    _arabic(said.replace(str(base / "bk"), ""))
    restored = _ok(_in("en", "restore", "--from", str(base / "bk"), "--to", str(base / "v2"),
                       "--passphrase-file", str(base / "pass")))
    assert re.fullmatch(r"Restored snapshot \S+ to \S+; run `dhakira verify --vault \S+`\.\n",
                        restored), restored


def test_field_kit_cards_in_the_readers_language(base: Path) -> None:
    card = base / "office.card"
    said = _ok(_in("ar", "device", "export", *_keys(base), "--out", str(card)))
    assert said.startswith(f"كُتب {card}: معرّف المفتاح "), said
    _arabic(said.replace(str(card), ""))
    again = _refused(_in("ar", "device", "export", *_keys(base), "--out", str(card)), 73)
    assert again == f"{card} موجود من قبل؛ أعطِ ملفًا جديدًا\n"
    no_ack = ["sync", "receive", *_keys(base), str(card), *AS_AMAL, str(base / "web")]
    _arabic(_refused(_in("ar", *no_ack), 64).replace("--ack-out FILE", ""))
    assert _refused(_in("en", *no_ack), 64) == \
        "give --ack-out FILE: where to write the acknowledgement\n"


def test_certificates_and_second_factors_in_the_readers_language(base: Path) -> None:
    made = _ok(_in("ar", "tls", "make", *_keys(base), "--name", "dhakira.example"))
    assert made.splitlines()[0] == "أُنشئت شهادة لـdhakira.example."
    assert made.splitlines()[1].startswith("بصمة SHA-256:")
    assert _ok(_in("en", "tls", "show", "--vault", str(base / "v"))).startswith(
        "SHA-256 fingerprint: ")
    web = str(base / "web")
    said = _ok(_in("ar", "two-step", "require", *_keys(base), "--role", "analyst", *AS_AMAL, web))
    assert said == "صار الدخول بخطوتين مطلوبًا من الدور analyst.\n"
    assert _ok(_in("en", "two-step", "require", *_keys(base), "--role", "analyst", *AS_AMAL,
                   web)) == "Two-step login was already required for analyst; nothing changed.\n"
    said = _ok(_in("ar", "two-step", "reset", *_keys(base), "--username", "amal", *AS_AMAL, web))
    _arabic(said)


def test_lock_purge_and_reviewers_in_the_readers_language(base: Path) -> None:
    vault = str(base / "v")
    _arabic(_refused(_in("ar", "lock", "--vault", vault), 1).replace("serve.pid", ""))
    assert _refused(_in("en", "lock", "--vault", vault), 1) == \
        f"no server is running for {vault} (no serve.pid); nothing to lock\n"
    said = _ok(_in("ar", "purge-expired", *_keys(base), "--actor", "amal", "--password-file",
                   str(base / "web")))
    assert said.startswith("لم يُحذف أي تفصيل مؤقت من الحالات"), said
    _arabic(said)
    revoke = ["reviewer", "revoke", *_keys(base), "--username", "nobody", *AS_AMAL,
              str(base / "web")]
    assert _refused(_in("ar", *revoke), 1) == "لا يوجد مراجع خارجي باسم 'nobody'\n"
    assert _refused(_in("en", *revoke), 1) == "no external reviewer 'nobody'\n"


def test_packages_refusals_in_the_readers_language(base: Path) -> None:
    package = ["package", *_keys(base), "--recipient", "NOWHERE", "--purpose", "share_icc",
               "--policy", "full", "--out", str(base / "pkg"), *AS_AMAL, str(base / "web")]
    neither = _refused(_in("ar", *package), 64)
    _arabic(neither.replace("--select QUERY", "").replace("--charge ID", ""))
    unknown = _refused(_in("ar", *package, "--select", "place:Mosul"), 64)
    assert unknown.startswith("'NOWHERE' ليست في قائمة الجهات المتلقية"), unknown
    assert _refused(_in("en", *package, "--select", "place:Mosul"), 64).startswith(
        "'NOWHERE' is not in the recipient list (codes: ")
    bad_person = _refused(_in("ar", "disclosures", *_keys(base), "--person", "X12"), 64)
    assert bad_person == "'X12' ليس معرّف شخص؛ اكتب مثلًا P-000044\n"


@pytest.mark.parametrize(("lang", "prompt"), [("ar", "عبارة مرور تفتح الخزنة: "),
                                              ("en", "A passphrase that opens the vault: ")])
def test_the_passphrase_prompt_is_in_the_readers_language(base: Path, lang: str,
                                                          prompt: str) -> None:
    """Asked before the vault is open; typed on standard input (no terminal: a new session)."""
    run = warm.python("-m", "dhakira.cli", "keyslot", "list", "--vault", str(base / "v"),
                      input=clivault.PASS + "\n", env={**clivault.clean_env(), "DHAKIRA_LANG": lang},
                      timeout=300, start_new_session=True)
    assert run.returncode == 0, run.stderr
    assert prompt in run.stderr, run.stderr
    assert "\tamal\t" in run.stdout


@pytest.mark.parametrize(("lang", "line"), [
    ("ar", "ذاكرة تعمل على http://127.0.0.1:{port}/ (للإيقاف: Ctrl-C)"),
    ("en", "Dhakira is serving on http://127.0.0.1:{port}/ (Ctrl-C to stop)")])
def test_serve_says_where_it_serves_in_the_readers_language(base: Path, lang: str,
                                                            line: str) -> None:
    import socket
    import threading

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "dhakira.cli", "serve", *_keys(base), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**clivault.clean_env(), "DHAKIRA_LANG": lang})
    stop = threading.Timer(120, server.kill)  # a server that never says anything fails
    stop.start()
    try:
        assert server.stdout is not None
        said = server.stdout.readline()
    finally:
        stop.cancel()
        server.terminate()
        server.wait(timeout=30)
    assert said == line.format(port=port) + "\n", said
