"""The unlocked data key, held in this process's memory only.

The SQLCipher engine asks for the key on every new connection; ``lock()`` drops it, so
the running server opens nothing until someone unlocks again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from dhakira.vault.errors import VaultLocked

__all__ = ["get_key", "is_unlocked", "lock", "on_lock", "set_key"]

_lock = threading.Lock()
_key: bytearray | None = None
_on_lock: list[Callable[[], None]] = []


def on_lock(callback: Callable[[], None]) -> None:
    """Call ``callback`` whenever the key is dropped (caches derived from the key)."""
    if callback not in _on_lock:
        _on_lock.append(callback)


def set_key(key: bytes) -> None:
    """Hold ``key`` as this process's data key."""
    global _key
    if len(key) != 32:
        raise ValueError("the data key is 32 bytes")
    with _lock:
        _key = bytearray(key)


def get_key() -> bytes:
    """Return the data key, or raise :class:`VaultLocked`."""
    with _lock:
        if _key is None:
            raise VaultLocked("the vault is locked: unlock it with your passphrase")
        return bytes(_key)


def is_unlocked() -> bool:
    """Whether a data key is held."""
    return _key is not None


def lock() -> None:
    """Forget the data key (overwriting the buffer first)."""
    global _key
    with _lock:
        if _key is not None:
            for i in range(len(_key)):
                _key[i] = 0
        _key = None
    for callback in _on_lock:
        callback()
