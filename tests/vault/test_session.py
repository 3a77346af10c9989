"""The data key in memory (finding 4 of issue 13): one locked page, borrowed, zeroed on lock."""

from __future__ import annotations

import ctypes
import os
import resource
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from dhakira.apps.vault.sqlcipher import keying
from dhakira.core.vault import _memory, session
from dhakira.core.vault.errors import VaultLocked


@pytest.fixture
def key() -> Iterator[bytes]:
    """A known key held for the test; the suite's key is put back afterwards."""
    previous = session.get_key()
    chosen = os.urandom(32)
    session.set_key(chosen)
    yield chosen
    session.set_key(previous)


def _mapping_of(address: int) -> list[str]:
    """The /proc/self/smaps lines of the mapping that holds ``address``."""
    lines, current, inside = Path("/proc/self/smaps").read_text().splitlines(), [], False
    for line in lines:
        head = line.split()[0]
        if "-" in head and all(c in "0123456789abcdef-" for c in head):
            start, end = (int(x, 16) for x in head.split("-"))
            if inside:
                return current
            inside, current = start <= address < end, []
        current.append(line)
    return current if inside else []


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="Linux only")
def test_the_key_page_is_locked_in_memory_and_left_out_of_core_dumps(key: bytes) -> None:
    page = session.key_page()
    assert page.locked, "mlock failed: the key page could be swapped"
    flags = next(line for line in _mapping_of(page.address) if line.startswith("VmFlags"))
    assert " lo" in flags and " dd" in flags  # VM_LOCKED, VM_DONTDUMP
    assert bytes(page.view[:32]) == key


def test_a_process_holding_a_key_cannot_dump_core(key: bytes) -> None:
    assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)
    pr_get_dumpable = 3
    assert ctypes.CDLL(None).prctl(pr_get_dumpable, 0, 0, 0, 0) == 0


def test_borrowing_lends_the_key_page_itself_not_a_copy(key: bytes) -> None:
    with session.borrow() as view:
        assert bytes(view) == key and view.readonly
        assert np.frombuffer(view, dtype=np.uint8).ctypes.data == session.key_page().address


def test_lock_zeroes_the_page_and_borrowing_then_fails(key: bytes) -> None:
    session.lock()
    assert bytes(session.key_page().view[:32]) == bytes(32)
    with pytest.raises(VaultLocked), session.borrow():
        pass


def test_a_consumed_key_is_wiped_where_it_came_from(key: bytes) -> None:
    fresh = bytes(os.urandom(32))
    copy = bytes(bytearray(fresh))
    session.set_key(fresh, consume=True)
    assert fresh == bytes(32)
    assert session.get_key() == copy


def test_the_generation_changes_with_every_unlock(key: bytes) -> None:
    before = session.generation()
    session.set_key(os.urandom(32))
    assert session.generation() == before + 1


def test_sqlcipher_is_keyed_through_sqlite3_key_not_a_pragma_string() -> None:
    assert keying.keyed_natively()


def test_wipe_bytes_leaves_tiny_shared_objects_alone() -> None:
    one = b"a"
    _memory.wipe_bytes(one)
    assert one == b"a"


def test_a_forked_child_starts_locked_instead_of_touching_the_unmapped_page(key: bytes) -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it sees, never return into pytest
        try:
            with session.borrow():
                os.write(write, b"unlocked")
        except VaultLocked:
            os.write(write, b"locked")
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.read(read, 64) == b"locked" and status == 0
    assert session.is_unlocked()  # the parent keeps its key
