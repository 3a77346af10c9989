"""Finding 08 against a real `dhakira serve`: sixteen parallel guesses run Argon2 one at a
time, within the client's limit, and `dhakira lock` on the console lets the owner back in."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from tests.protection._served import PASSPHRASE, Served, dhakira, read_pid, wait_for
from tests.protection.test_lock_signal import served  # noqa: F401  (a fixture)

pytestmark = pytest.mark.backend_independent


def _high_water_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc status")


def _post(url: str, passphrase: str, **headers: str) -> tuple[int, str]:
    body = urllib.parse.urlencode({"passphrase": passphrase}).encode()
    request = urllib.request.Request(url, data=body, headers={"Accept-Language": "en", **headers})
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_finding_08_parallel_guesses_at_a_real_server(served: Served) -> None:  # noqa: F811
    vault, base, env = served.vault, served.base, served.env
    assert dhakira("lock", "--vault", str(vault), env=env).returncode == 0
    wait_for(lambda: served.status("/login/")[0] == 423, "the lock")
    pid = read_pid(vault)
    before = _high_water_kib(pid)
    start, answers = threading.Barrier(16), []

    def guess(n: int) -> None:
        start.wait()
        answers.append(_post(base + "/unlock/", f"wrong guess number {n}"))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bodies = [body for _code, body in answers]
    tried = sum("Wrong passphrase" in b for b in bodies)
    assert len(answers) == 16 and 1 <= tried <= 5
    assert all("Wrong passphrase" in b or "Another unlock attempt" in b or "Too many" in b
               for b in bodies)
    # Each Argon2 run takes 64 MiB; sixteen at once took about a gibibyte.
    assert _high_water_kib(pid) - before < 256 * 1024
    assert _post(base + "/unlock/", PASSPHRASE, Origin="https://evil.example")[0] == 403
    for n in range(5):  # use up this address's tries, the owner's included
        _post(base + "/unlock/", f"another wrong guess {n}")
    assert "Too many" in _post(base + "/unlock/", PASSPHRASE)[1]
    assert dhakira("lock", "--vault", str(vault), env=env).returncode == 0  # console override
    wait_for(lambda: _post(base + "/unlock/", PASSPHRASE)[0] == 200, "the owner's unlock")
    assert served.status("/login/")[0] == 200
