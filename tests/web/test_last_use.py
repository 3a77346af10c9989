"""The logins' last use, kept in shared memory for the idle logout (dhakira.core.lastuse)."""

from __future__ import annotations

import os

import pytest

from dhakira.core.lastuse import LastUse

pytestmark = pytest.mark.backend_independent


def test_a_login_is_known_until_idle_then_forgotten() -> None:
    seen = LastUse(slots=8)
    seen.begin("session-a", 100.0, 300)
    assert seen.use("session-a", 399.0, 300)  # used within the period: the clock restarts
    assert seen.use("session-a", 698.0, 300)
    assert not seen.use("session-a", 999.0, 300)  # idle longer than the period
    assert not seen.use("session-a", 1000.0, 300)  # forgotten, not paused
    assert not seen.use("never-began", 100.0, 300)  # unknown: fail safe


def test_a_full_table_forgets_the_least_recently_used_login_not_the_new_one() -> None:
    seen = LastUse(slots=4)
    for n in range(4):
        seen.begin(f"session-{n}", 100.0 + n, 300)
    seen.begin("newcomer", 110.0, 300)
    assert seen.use("newcomer", 111.0, 300)
    assert not seen.use("session-0", 111.0, 300)  # the stalest gave up its slot, and ends
    assert all(seen.use(f"session-{n}", 112.0, 300) for n in (1, 2, 3))


def test_the_uses_are_shared_with_forked_processes_and_keys_are_kept_hashed() -> None:
    seen = LastUse(slots=8)
    seen.begin("session-in-the-parent", 100.0, 300)
    pid = os.fork()
    if pid == 0:  # a worker: it knows the parent's login and records a use
        os._exit(0 if seen.use("session-in-the-parent", 350.0, 300) else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert seen.use("session-in-the-parent", 640.0, 300)  # the worker's use counted here
    with open(f"/proc/self/fd/{seen._table._fd}", "rb") as table:  # noqa: SLF001 - the bytes held
        assert b"session-in-the-parent" not in table.read()
