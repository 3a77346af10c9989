"""Finding 4 (issue 13): after a lock, the server's memory held the key and case text.

The red team locked a real server (`dhakira lock`; "Lock now") and scanned its memory: the
raw key twice, its hex 11 times, and decrypted case text. This replays that: a real
`dhakira serve`, a logged-in browser that reads a canary record, a lock, then a scan of
every readable mapping of the server process through ``/proc/PID/mem``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from tests.protection._served import (
    PASSPHRASE,
    Browser,
    Served,
    clean_env,
    dhakira,
    make_vault,
    serving,
    wait_for,
)

from dhakira.core.vault import keyslots

pytestmark = [pytest.mark.backend_independent, pytest.mark.skipif(os.geteuid() != 0 or not Path("/proc/self/mem").exists(),
                                reason="reading another process's memory needs root and /proc")]

CANARY = "Qzxcanary the witness counted eleven trucks at the Qzxmill gate"
CHUNK = 32 * 1024 * 1024
PAGE = 4096


def _encodings(text: str) -> list[bytes]:
    """How a string may sit in memory: UTF-8 bytes, or CPython's 1-, 2- or 4-byte str forms."""
    return [text.encode(), text.encode("utf-16-le"), text.encode("utf-32-le")]


def _found(pid: int, needles: dict[str, list[bytes]]) -> dict[str, int]:
    """How often each needle occurs in the readable memory of ``pid``."""
    counts = dict.fromkeys(needles, 0)
    overlap = max(len(n) for forms in needles.values() for n in forms)
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            if "r" not in fields[1] or fields[-1] in {"[vvar]", "[vsyscall]", "[vvar_vclock]"}:
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            tail = b""
            for offset in range(start, end, CHUNK):
                try:
                    mem.seek(offset)
                    data = tail + mem.read(min(CHUNK, end - offset))
                except OSError:
                    break
                for part in _not_zero(data, overlap):
                    for name, forms in needles.items():
                        counts[name] += sum(part.count(form) for form in forms)
                tail = data[-(overlap - 1):]  # a needle across two chunks is seen once
    return {name: n for name, n in counts.items() if n}


def _not_zero(data: bytes, overlap: int) -> Iterator[bytes]:
    """The parts of ``data`` outside its all-zero pages, each with ``overlap - 1`` bytes of
    the zeros around it: every needle in ``data`` (none is ``overlap`` zeros) is in exactly
    one part. Untouched memory reads as zeros, and ``bytes.count`` crawls over zeros for a
    needle that holds one (a UTF-16 or UTF-32 form): this makes the scan several times faster."""
    pages = len(data) // PAGE
    zero = ~np.frombuffer(data, dtype=np.uint64, count=pages * PAGE // 8).reshape(pages, PAGE // 8).any(axis=1)
    zero = np.append(zero, False)  # the last, partial page is read whole
    edges = np.flatnonzero(np.diff(np.concatenate(([True], zero, [True])).astype(np.int8)))
    for first, last in zip(edges[::2], edges[1::2], strict=True):  # runs of pages not all zero
        yield data[max(0, first * PAGE - overlap + 1):min(len(data), last * PAGE + overlap - 1)]


def _cmdline(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")


def _image(pid: int) -> int:
    """How many times the server re-executed itself (its hidden ``--image``)."""
    argv = _cmdline(pid)
    return int(argv[argv.index("--image") + 1]) if "--image" in argv else 0


@pytest.fixture
def canary_server(tmp_path: Path) -> Iterator[tuple[Served, bytes]]:
    env = clean_env()
    vault, secret = make_vault(tmp_path, env)
    statement = tmp_path / "statement.txt"
    statement.write_text(CANARY + "\n")
    ingest = dhakira("ingest", "--vault", str(vault), "--passphrase-file", str(secret),
                     "--collector", "amal", "--password-file", str(tmp_path / "pw"),
                     str(statement), env=env)
    assert ingest.returncode == 0, ingest.stderr
    key = keyslots.unlock(vault, PASSPHRASE)
    with serving(vault, secret, env) as served:
        yield served, key


def _read_canary(browser: Browser) -> None:
    browser.log_in()
    status, page = browser.request("/evidence/search/?q=Qzxcanary")
    assert status == 200 and "Qzxmill" in page


def _locked_memory(served: Served, needles: dict[str, list[bytes]], image: int) -> dict[str, int]:
    """Wait for the locked page and the re-executed image, then scan the server."""
    pid = served.process.pid
    # Not required here, so that a server that never re-executes fails on what it holds.
    wait_for(lambda: _image(pid) > image, "the re-executed server", seconds=30, required=False)
    wait_for(lambda: served.status("/login/")[0] == 423, "the locked page")
    return _found(pid, needles)


def test_finding_04_a_locked_server_holds_neither_the_key_nor_a_record_in_memory(
        canary_server: tuple[Served, bytes]) -> None:
    served, key = canary_server
    pid = served.process.pid
    needles = {"raw key": [key], "hex key": _encodings(key.hex()) + _encodings(key.hex().upper()),
               "canary record": _encodings("Qzxcanary the witness")}
    browser = Browser(served.base)
    _read_canary(browser)
    # The scan sees what an unlocked server holds: it can fail.
    before = _found(pid, needles)
    assert "raw key" in before and "canary record" in before, before
    # Even unlocked, SQLCipher was keyed without a hex string of the key (no PRAGMA key).
    assert "hex key" not in before, before

    result = dhakira("lock", "--vault", str(served.vault), env=served.env)
    assert result.returncode == 0, result.stderr
    after = _locked_memory(served, needles, image=0)
    assert after == {}, f"after `dhakira lock` the server's memory still holds: {after}"
    assert _image(pid) == 1 and "--locked" in _cmdline(pid) and served.process.poll() is None
    assert (served.vault / "serve.pid").read_text().split()[0] == str(pid)

    # Unlocked again from the browser (which still sends its dead session cookie): it must
    # log in again. Then it reads again, and uses "Lock now".
    code, _ = browser.request("/unlock/", {"passphrase": PASSPHRASE})
    assert code == 200 and served.status("/login/")[0] == 200
    assert browser.request("/evidence/search/?q=Qzxcanary")[0] == 200  # the login form
    assert "Qzxmill" not in browser.request("/evidence/search/?q=Qzxcanary")[1]
    _read_canary(browser)
    assert "canary record" in _found(pid, needles)
    status, _ = browser.post_form("/lock/", {}, form_page="/")
    assert status == 423
    after = _locked_memory(served, needles, image=1)
    assert after == {}, f"after Lock now the server's memory still holds: {after}"
    assert _image(pid) == 2 and served.process.poll() is None
