"""The unlocked data key, held in this process's memory only.

The key lives in one ``mlock``-ed page (see ``_memory``). Callers *borrow* it for the
moment they need it (``with borrow() as key:``, a read-only view of that page) rather than
taking a copy; ``lock()`` zeroes the page, so the running server opens nothing until
someone unlocks again. A process that holds a key cannot dump core.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dhakira.core.vault._memory import LockedPage, harden_process, wipe_bytes
from dhakira.core.vault.errors import VaultLocked

__all__ = ["borrow", "generation", "get_key", "is_unlocked", "key_page", "lock", "on_lock",
           "set_key"]

KEY_BYTES = 32
_lock = threading.RLock()
_page: LockedPage | None = None
_held = False
_generation = 0
_on_lock: list[Callable[[], None]] = []


def _forget_in_child() -> None:
    """A forked child does not get the key page (``MADV_DONTFORK``): it starts locked."""
    global _page, _held
    _page, _held = None, False


os.register_at_fork(after_in_child=_forget_in_child)


def key_page() -> LockedPage:
    """The process's key page (allocated, and the process hardened, on first use)."""
    global _page
    with _lock:
        if _page is None:
            harden_process()
            _page = LockedPage()
        return _page


def on_lock(callback: Callable[[], None]) -> None:
    """Call ``callback`` whenever the key is dropped (caches derived from the key)."""
    if callback not in _on_lock:
        _on_lock.append(callback)


def set_key(key: bytes | bytearray, *, consume: bool = False) -> None:
    """Hold ``key`` as this process's data key; with ``consume``, then zero ``key`` itself
    (for a key that nothing else refers to, such as one just unwrapped from a slot)."""
    global _held, _generation
    if len(key) != KEY_BYTES:
        raise ValueError("the data key is 32 bytes")
    page = key_page()
    with _lock:
        page.view[:KEY_BYTES] = key
        _held, _generation = True, _generation + 1
    if not consume:
        return
    if isinstance(key, bytearray):
        key[:] = bytes(len(key))
    else:
        wipe_bytes(key)


@contextmanager
def borrow() -> Iterator[memoryview]:
    """Lend the data key as a read-only view of the key page, or raise :class:`VaultLocked`.

    The view is valid only inside the ``with``; a lock waits until the borrower is done.
    """
    with _lock:
        if not _held:
            raise VaultLocked("the vault is locked: unlock it with your passphrase",
                              code="vault_locked")
        view = key_page().view[:KEY_BYTES].toreadonly()
        try:
            yield view
        finally:
            view.release()


def get_key() -> bytes:
    """A *copy* of the data key, or raise :class:`VaultLocked`.

    For APIs that insist on ``bytes`` and keep the key (the blob store). Prefer
    :func:`borrow`: a copy stays in the heap until the process re-executes.
    """
    with borrow() as key:
        return bytes(key)


def generation() -> int:
    """A number that changes with every unlock (for caches keyed by the unlocked key)."""
    return _generation


def is_unlocked() -> bool:
    """Whether a data key is held."""
    return _held


def lock() -> None:
    """Forget the data key: zero the key page, then tell the caches derived from it."""
    global _held
    with _lock:
        if _page is not None:
            _page.zero()
        _held = False
    for callback in _on_lock:
        callback()
