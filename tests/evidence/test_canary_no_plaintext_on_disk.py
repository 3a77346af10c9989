"""Finding 3 (intake): no plaintext byte of evidence touches the disk outside the encrypted stores.

Real processes under ``strace``: ``dhakira ingest`` of a folder (a large text, a zip
archive, an e-mail with an attachment, a mailbox) and ``dhakira serve`` taking a web upload
larger than Django's 2.5 MB in-memory limit. Every byte either writes to any file, including
files deleted again or never named, is checked for a canary string; so are the files left
in the vault and in ``TMPDIR`` afterwards. The spool keeps nothing in memory here
(``DHAKIRA_SPOOL_MEMORY_MB=0``), so every member, attachment and upload spills, encrypted.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from tests import clivault, diskwatch
from tests.conftest import SUITE_ENV
from tests.evidence import files

from dhakira.apps.vault import lockdown

pytestmark = [pytest.mark.backend_independent, pytest.mark.skipif(diskwatch.available() is not None,
                                reason=str(diskwatch.available()))]

PASS, WEB = clivault.PASS, clivault.WEB  # every vault here is a copy of the one it made


@dataclass
class Setup:
    base: Path
    vault: Path
    tmp: Path
    env: dict[str, str]
    line: bytes  # one line of canary text; files repeat it
    needles: list[bytes]

    def dhakira(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "dhakira", *args, "--vault", str(self.vault),
                "--passphrase-file", str(self.base / "pass")]


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    canary = f"CANARY{secrets.token_hex(8)}"
    arabic = f"كناري{secrets.token_hex(4)}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV
           and k != "DJANGO_SETTINGS_MODULE"}
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    env.update(TMPDIR=str(tmp), DHAKIRA_SPOOL_MEMORY_MB="0")
    # Made by `init` once per process, unwatched (what is watched is the intake below).
    vault = clivault.new_vault(tmp_path, "vault")
    line = f"{canary} شهادة {arabic} testimony about the hisba office\n".encode()
    needles = [canary.encode(), canary.encode("utf-16-le"), arabic.encode()]
    return Setup(tmp_path, vault, tmp, env, line, needles)


def _mail(s: Setup) -> bytes:
    message = EmailMessage()
    message["From"] = "Informant <informant7@example.org>"
    message["To"] = "desk@example.org"
    message["Subject"] = "report"
    message["Message-ID"] = "<canary-1@example.org>"
    message.set_content((s.line * 3).decode())
    message.add_attachment(s.line * 4000, maintype="text", subtype="plain",
                           filename="testimony.txt")
    return bytes(message)


def _intake_folder(s: Setup) -> Path:
    folder = s.base / "in"
    files.write(folder, "large.txt", s.line * 6000)  # ~400 KB: read back for its text
    files.write(folder, "archive.zip", files.zip_bytes({
        "member.txt": s.line * 5000,
        "nested/report.docx": files.docx_bytes((s.line * 50).decode()),
        "mail.eml": _mail(s)}))
    files.write(folder, "tip.eml", _mail(s))
    files.write(folder, "box.mbox", files.mbox_bytes(_mail(s), _mail(s)))
    return folder


def _check(s: Setup, log: Path) -> diskwatch.Report:
    report = diskwatch.read(log, s.needles)
    assert not report.leaks, "\n".join(report.leaks[:20])
    left = diskwatch.files_holding([s.vault, s.tmp], s.needles)
    assert not left, left
    # The watch saw the encrypted stores being written and the spool spilling to disk:
    # it would have seen plaintext had there been any.
    assert any(p.startswith(str(s.vault / "blobs")) for p in report.written), report.written
    spills = [p for p in report.written if p.startswith(str(s.vault / "tmp"))]
    assert any(p.endswith("(deleted)") for p in spills), report.written
    return report


def test_finding_03_cli_ingest_writes_no_plaintext_anywhere(setup: Setup) -> None:
    s = setup
    folder = _intake_folder(s)
    log = s.base / "ingest.strace"
    result = subprocess.run(diskwatch.command(log, s.dhakira("ingest", "--collector", "amal",
                                                              "--password-file", str(s.base / "web"),
                                                              str(folder))),
                            env=s.env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    # 4 files; the zip's 3 members and its message's attachment; the e-mail's attachment;
    # the mailbox's 2 messages and their attachments.
    assert "took in 13 items" in result.stdout, result.stdout
    _check(s, log)
    # The canary went in: it is found by search (so it was read, extracted and indexed).
    found = subprocess.run(s.dhakira("search", s.needles[0].decode()), env=s.env,
                           capture_output=True, text=True, timeout=300, check=False)
    assert found.returncode == 0, found.stderr
    kinds = [json.loads(hit)["kind"] for hit in found.stdout.splitlines()]
    # 6 texts and the DOCX read back from the spool; 4 e-mails' text (records, not blobs).
    assert sorted(kinds) == ["evidence"] * 7 + ["information"] * 4, kinds


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(setup: Setup) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    log = setup.base / "serve.strace"
    server = subprocess.Popen(diskwatch.command(log, setup.dhakira("serve", "--port", str(port))),
                              env=setup.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/login/", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield base, log
    finally:
        # The server under strace: stop it (strace exits with it), else strace itself.
        pid = lockdown.read_pid(setup.vault) or server.pid
        os.kill(pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


def _token(opener: urllib.request.OpenerDirector, url: str) -> str:
    page = opener.open(url, timeout=30).read().decode()
    return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def _multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    out = io.BytesIO()
    for key, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                  f"{value}\r\n".encode())
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
              f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode())
    out.write(data + f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def test_finding_03_a_web_upload_over_django_memory_limit_writes_no_plaintext(
        setup: Setup, served: tuple[str, Path]) -> None:
    s, (base, log) = setup, served
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    token = _token(opener, base + "/login/")
    login = urllib.parse.urlencode({"username": "amal", "password": WEB,
                                    "csrfmiddlewaretoken": token}).encode()
    assert opener.open(base + "/login/", data=login, timeout=30).geturl() == base + "/"
    # ~3 MB: Django would have written it to TMPDIR in the clear. Binary (a NUL first), so
    # the time goes to intake rather than indexing 3 MB of text; the zip's texts are indexed.
    upload = b"\x00" + s.line * 45_000
    assert len(upload) > 2_621_440
    archive = files.zip_bytes({"member.txt": s.line * 5000, "mail.eml": _mail(s)})
    for name, data in [("statement.txt", upload), ("bundle.zip", archive)]:
        body, kind = _multipart({"csrfmiddlewaretoken": _token(opener, base + "/evidence/upload/"),
                                 "method": "uploaded in the canary test"}, name, data)
        request = urllib.request.Request(base + "/evidence/upload/", data=body, headers={
            "Content-Type": kind, "Accept": "application/json"})
        with opener.open(request, timeout=120) as response:
            answer = json.loads(response.read())
        assert answer["errors"] == [] and len(answer["items"]) == 1, answer
    _check(s, log)


def test_the_watch_sees_plaintext_in_a_deleted_and_an_unnamed_file(setup: Setup) -> None:
    # The watch can fail: plaintext written to files that are gone afterwards is caught.
    s = setup
    script = ("import os, sys, tempfile\n"
              "line = sys.argv[1].encode() * 20000\n"
              "with tempfile.TemporaryFile() as f: f.write(line)\n"
              "fd, name = tempfile.mkstemp(); os.write(fd, line); os.close(fd); os.unlink(name)\n")
    log = s.base / "probe.strace"
    subprocess.run(diskwatch.command(log, [sys.executable, "-c", script, s.line.decode()]),
                   env=s.env, check=True, timeout=120)
    report = diskwatch.read(log, s.needles)
    assert len(report.leaks) >= 2, report.leaks
    assert any("(deleted)" in leak for leak in report.leaks), report.leaks  # never named
    assert all(str(s.tmp) in leak for leak in report.leaks), report.leaks
    assert diskwatch.files_holding([s.tmp], s.needles) == []  # gone: only the trace saw them


def test_finding_17_05_looking_at_evidence_writes_no_plaintext(
        setup: Setup, served: tuple[str, Path]) -> None:
    # The viewer decrypts originals to draw them (Pillow and pdftoppm in a child), to show an
    # e-mail and to hand an original over: none of it may reach a file, even for a moment.
    s, (base, log) = setup, served
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    token = _token(opener, base + "/login/")
    login = urllib.parse.urlencode({"username": "amal", "password": WEB,
                                    "csrfmiddlewaretoken": token}).encode()
    assert opener.open(base + "/login/", data=login, timeout=30).geturl() == base + "/"
    canary = s.needles[0].decode()
    uids = {}
    for name, data in [("page.pdf", files.pdf_bytes(f"{canary} statement " * 20)),
                       ("tip.eml", _mail(s))]:
        body, kind = _multipart({"csrfmiddlewaretoken": _token(opener, base + "/evidence/upload/"),
                                 "method": "uploaded in the canary test"}, name, data)
        request = urllib.request.Request(base + "/evidence/upload/", data=body, headers={
            "Content-Type": kind, "Accept": "application/json"})
        with opener.open(request, timeout=120) as response:
            uids[name] = json.loads(response.read())["items"][0]
    with opener.open(f"{base}/evidence/{uids['page.pdf']}/page/1/", timeout=120) as response:
        assert response.read().startswith(b"\x89PNG")
    with opener.open(f"{base}/evidence/{uids['tip.eml']}/", timeout=120) as response:
        assert s.needles[0] in response.read()  # the body was shown
    for name, uid in uids.items():
        with opener.open(f"{base}/evidence/{uid}/original/", timeout=120) as response:
            original = response.read()
        assert s.needles[0] in original if name == "page.pdf" else b"canary-1@" in original
    _check(s, log)


def test_issue20_ocr_writes_no_page_image_to_disk(setup: Setup) -> None:
    """A scan and an image-only PDF are read by OCR (renderer and tesseract through pipes):
    no PNG or JPEG, original or drawn, is written to any file, deleted or not."""
    from dhakira.apps.evidence import ocr

    if not ocr.available():
        pytest.skip("tesseract is not installed (make system installs it)")
    s = setup
    folder = s.base / "scans"
    page = files.printed_page(["The checkpoint at the northern bridge"], arabic=False,
                              width=1240, height=1754, size=40)
    files.write(folder, "scan.png", page)
    files.write(folder, "scan.pdf", files.image_pdf([files.printed_page(
        ["Orders from the hisba office"], arabic=False, width=1240, height=1754, size=40)]))
    # The page's PNG header (with its size), and the JFIF header the renderer writes.
    needles = [page[:33], b"\xff\xd8\xff\xe0\x00\x10JFIF", b"\x89PNG\r\n\x1a\n"]
    log = s.base / "ocr.strace"
    result = subprocess.run(diskwatch.command(log, s.dhakira("ingest", "--collector", "amal",
                                                              "--password-file", str(s.base / "web"),
                                                              str(folder))),
                            env=s.env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stderr
    report = diskwatch.read(log, needles)
    assert not report.leaks, "\n".join(report.leaks[:20])
    assert not diskwatch.files_holding([s.vault, s.tmp], needles)
    assert any(p.startswith(str(s.vault / "blobs")) for p in report.written), report.written
    for word in ("checkpoint", "hisba"):
        found = subprocess.run(s.dhakira("search", word), env=s.env, capture_output=True,
                               text=True, timeout=300, check=False)
        assert found.returncode == 0 and len(found.stdout.splitlines()) == 1, (word, found)
