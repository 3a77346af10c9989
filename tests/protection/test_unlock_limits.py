"""Finding 08: the unlock form runs one Argon2 at a time, limits each client on its own,
refuses cross-site posts, and puts every refused try on the record after the next unlock."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.protection.conftest import SLOT_PASSPHRASE, World

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.vault import lockdown, unlocking
from dhakira.core.vault import keyslots, session

PASSPHRASE = SLOT_PASSPHRASE


@pytest.fixture
def argon2_runs(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the Argon2 runs and the most that ever ran at once (each held a little longer)."""
    real = keyslots._kek
    seen = {"runs": 0, "now": 0, "most": 0}
    guard = threading.Lock()

    def counting(*args: Any) -> bytes:
        with guard:
            seen["runs"] += 1
            seen["now"] += 1
            seen["most"] = max(seen["most"], seen["now"])
        try:
            time.sleep(0.05)  # widen the window in which a second run could overlap
            return real(*args)
        finally:
            with guard:
                seen["now"] -= 1

    monkeypatch.setattr(keyslots, "_kek", counting)
    return seen


def _post(passphrase: str, client: str = "127.0.0.1", **headers: str) -> Any:
    return Client(REMOTE_ADDR=client, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("unlock"), {"passphrase": passphrase}, **headers)


def test_finding_08_sixteen_concurrent_guesses_run_argon2_one_at_a_time(
        world: World, slot_vault: Path, argon2_runs: dict[str, int]) -> None:
    lockdown.lock_now(actor="nadia", via="web")
    start = threading.Barrier(16)
    bodies: list[str] = []

    def guess(n: int) -> None:
        start.wait()
        bodies.append(_post(f"wrong guess number {n}", client=f"10.0.0.{n}").content.decode())

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert argon2_runs["most"] == 1 and argon2_runs["runs"] >= 1
    refused = sum("Another unlock attempt is running" in b for b in bodies)
    wrong = sum("Wrong passphrase" in b for b in bodies)
    assert refused + wrong == 16 and wrong == argon2_runs["runs"]
    assert not session.is_unlocked()


def test_finding_08_concurrent_guesses_from_one_client_never_pass_the_limit() -> None:
    from dhakira.core.throttle import Throttle, Throttled

    throttle = Throttle(attempts=5, period=60)
    start, took = threading.Barrier(16), []

    def reserve() -> None:
        start.wait()
        try:
            throttle.reserve("client:10.0.0.9")
            took.append(1)
        except Throttled:
            pass

    threads = [threading.Thread(target=reserve) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(took) == 5


def test_finding_08_one_client_using_up_its_tries_does_not_lock_out_the_owner(
        world: World, slot_vault: Path, argon2_runs: dict[str, int]) -> None:
    lockdown.lock_now(actor="nadia", via="web")
    for n in range(8):
        _post(f"stranger guess {n}", client="192.0.2.7")
    assert argon2_runs["runs"] == unlocking.UNLOCK_THROTTLE.attempts  # the rest never ran
    limited = _post(PASSPHRASE, client="192.0.2.7")
    assert "Too many wrong passphrases" in limited.content.decode() and not session.is_unlocked()
    assert _post(PASSPHRASE, client="127.0.0.1").status_code == 302 and session.is_unlocked()


def test_finding_08_dhakira_lock_on_the_console_clears_the_limits(
        world: World, slot_vault: Path) -> None:
    lockdown.lock_now(actor="nadia", via="web")
    for _ in range(unlocking.UNLOCK_THROTTLE.attempts):
        unlocking.UNLOCK_THROTTLE.reserve("client:127.0.0.1")
    assert "Too many" in _post(PASSPHRASE).content.decode()
    lockdown.lock_now(actor="dhakira-lock", via="signal")  # what `dhakira lock`'s signal runs
    assert _post(PASSPHRASE).status_code == 302 and session.is_unlocked()


@pytest.mark.parametrize("headers", [
    {"HTTP_ORIGIN": "https://evil.example"},
    {"HTTP_SEC_FETCH_SITE": "cross-site"},
    {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://testserver"},
    {"HTTP_ORIGIN": "null"},
])
def test_finding_08_a_cross_site_unlock_post_is_refused_untried(
        world: World, slot_vault: Path, argon2_runs: dict[str, int],
        headers: dict[str, str]) -> None:
    lockdown.lock_now(actor="nadia", via="web")
    response = _post(PASSPHRASE, **headers)
    assert response.status_code == 403 and not session.is_unlocked()
    assert argon2_runs["runs"] == 0
    assert unlocking.pending()[-1].outcome == "cross_site"


def test_finding_08_a_same_origin_browser_post_unlocks(world: World, slot_vault: Path) -> None:
    lockdown.lock_now(actor="nadia", via="web")
    response = _post(PASSPHRASE, HTTP_ORIGIN="http://testserver",
                     HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and session.is_unlocked()


def test_finding_08_refused_tries_are_written_to_custody_after_the_next_unlock(
        world: World, slot_vault: Path) -> None:
    lockdown.lock_now(actor="nadia", via="web")
    _post("a wrong passphrase", client="198.51.100.4")
    _post(PASSPHRASE, client="198.51.100.5", HTTP_ORIGIN="https://evil.example")
    assert len(unlocking.pending()) == 2
    assert _post(PASSPHRASE).status_code == 302
    unlock = LedgerEntry.objects.get(action="unlock")
    refused = list(LedgerEntry.objects.filter(detail__step="unlock_refused").order_by("seq"))
    assert [(e.actor, e.detail["outcome"]) for e in refused] == [
        ("client:198.51.100.4", "wrong_passphrase"), ("client:198.51.100.5", "cross_site")]
    assert all(e.seq > unlock.seq for e in refused) and unlocking.pending() == []
    assert PASSPHRASE not in str([e.detail for e in refused])


def test_refused_tries_that_cannot_be_written_are_kept_for_the_next_unlock(
        world: World, slot_vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lockdown.lock_now(actor="nadia", via="web")
    _post("a wrong passphrase", client="198.51.100.4")

    def broken(planned: Any) -> None:
        raise RuntimeError("disk full")

    # Only the writing of the kept tries fails; the unlock's own entry is written as usual.
    monkeypatch.setattr(unlocking, "store", SimpleNamespace(Planned=unlocking.store.Planned,
                                                            record_many=broken))
    assert _post(PASSPHRASE).status_code == 302 and session.is_unlocked()
    assert [a.outcome for a in unlocking.pending()] == ["wrong_passphrase"]


def test_a_shared_throttle_counts_the_tries_of_forked_processes_together() -> None:
    """``dhakira serve --workers``: the limit holds for all the server's processes at once."""
    import os

    from dhakira.core.throttle import Throttle, Throttled

    throttle = Throttle(attempts=5, period=60)
    children = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:  # each child tries three times: nine tries, five may pass in all
            took = 0
            for _ in range(3):
                try:
                    throttle.reserve("user:amal")
                    took += 1
                except Throttled:
                    pass
            os._exit(took)
        children.append(pid)
    took = sum(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children)
    assert took == 5
    with pytest.raises(Throttled):
        throttle.reserve("user:amal")
    throttle.clear("user:amal")
    reservation = throttle.reserve("user:amal")
    throttle.release(reservation)  # a right password: the try is taken back
    assert all(throttle.reserve("user:amal") for _ in range(5))


def test_a_process_that_dies_holding_the_throttle_leaves_no_one_waiting() -> None:
    import os
    import signal as signals

    from dhakira.core.throttle import Throttle

    throttle = Throttle(attempts=5, period=60)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        with throttle._table.held():  # noqa: SLF001 - the lock itself is what is tested
            os.write(write_end, b"x")
            time.sleep(60)
        os._exit(0)
    assert os.read(read_end, 1) == b"x"
    os.kill(pid, signals.SIGKILL)
    os.waitpid(pid, 0)
    started = time.monotonic()
    throttle.reserve("user:amal")  # the kernel released the dead holder's lock
    assert time.monotonic() - started < 5


def test_long_or_many_keys_take_fixed_room_and_a_limit_holds_through_a_flood() -> None:
    """2,000 other long names, tried after the target's five: the target stays throttled,
    and the table's size does not depend on the names."""
    from dhakira.core.throttle import Throttle, Throttled

    now = [1000.0]
    throttle = Throttle(attempts=5, period=900, clock=lambda: now[0])
    size = throttle._table.size  # noqa: SLF001
    for _ in range(5):
        throttle.reserve("user:target")
    for n in range(2000):
        now[0] += 0.001
        throttle.reserve("user:" + "ـ" * 150 + str(n))
    with pytest.raises(Throttled):
        throttle.reserve("user:target")
    assert throttle._table.size == size  # noqa: SLF001
