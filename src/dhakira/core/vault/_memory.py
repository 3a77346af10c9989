"""Memory for the data key: one page kept out of swap and core dumps, and a process that
cannot dump core or be read by other users' debuggers.

Linux only in its protections; elsewhere the page is ordinary memory (``LockedPage.locked``
says which). Nothing here imports Django.
"""

from __future__ import annotations

import ctypes
import logging
import mmap
import resource
import sys

__all__ = ["LockedPage", "harden_process", "wipe_bytes"]

log = logging.getLogger("dhakira.core.vault")
_PR_SET_DUMPABLE = 4
_libc = ctypes.CDLL(None, use_errno=True)


class LockedPage:
    """One anonymous page, ``mlock``-ed (never swapped), not dumped and not inherited by
    child processes. It is allocated once and never freed: it is zeroed instead."""

    def __init__(self) -> None:
        self.size = mmap.PAGESIZE
        self._map = mmap.mmap(-1, self.size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.address = ctypes.addressof(ctypes.c_char.from_buffer(self._map))
        self.locked = _libc.mlock(ctypes.c_void_p(self.address), ctypes.c_size_t(self.size)) == 0
        if not self.locked:
            log.warning("the key page could not be locked in memory (mlock: errno %d); "
                        "it may reach swap", ctypes.get_errno())
        for advice in ("MADV_DONTDUMP", "MADV_DONTFORK"):
            if hasattr(mmap, advice):
                self._map.madvise(getattr(mmap, advice))
        self.view = memoryview(self._map)

    def zero(self, start: int = 0, length: int | None = None) -> None:
        """Overwrite ``length`` bytes from ``start`` (the whole page by default)."""
        length = self.size - start if length is None else length
        ctypes.memset(self.address + start, 0, length)


def harden_process() -> None:
    """No core dumps, and no ``/proc/PID/mem`` or ptrace for anyone but root (Linux)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        _libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)


_BYTES_HEADER = sys.getsizeof(b"") - 1  # CPython: the payload follows a fixed header


def wipe_bytes(data: bytes) -> None:
    """Overwrite an immutable ``bytes`` in place (CPython only).

    For a secret that an API returned as ``bytes`` and that nothing else refers to: once
    copied into the key page, the original is zeroed rather than left to the allocator.
    """
    if sys.implementation.name == "cpython" and type(data) is bytes and len(data) > 1:
        ctypes.memset(id(data) + _BYTES_HEADER, 0, len(data))
