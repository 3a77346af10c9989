"""The held data key handed to another process of the same server, through a pipe.

``dhakira serve`` passes the key on in two places: to the image it re-executes after an unlock
in the browser (``--key-fd``), and to each worker it forks (``--workers``; a fork does not copy
the key page). A pipe holds it in kernel memory only; nothing reaches the disk, the command
line or the environment. The key is read straight into the receiver's key page.
"""

from __future__ import annotations

import os

from dhakira.core.vault import session

__all__ = ["KEY_BYTES", "drop_quietly", "inheritable", "receive", "send"]

KEY_BYTES = session.KEY_BYTES


def send(fd: int) -> None:
    """Write the held key into ``fd`` (a pipe's write end; 32 bytes never block).

    Raises:
        VaultLocked: no key is held (a lock came first); nothing is written.
    """
    with session.borrow() as key:
        os.write(fd, key)


def inheritable() -> int:
    """A pipe's read end, inheritable across ``execv``, holding the held key."""
    read_end, write_end = os.pipe()
    try:
        send(write_end)
    finally:
        os.close(write_end)
    os.set_inheritable(read_end, True)
    return read_end


def receive(fd: int) -> None:
    """Read the key :func:`send` wrote into ``fd`` (closed here) and hold it.

    Raises:
        SystemExit: the pipe held no key of the right size (the sender locked meanwhile).
    """
    key = bytearray(KEY_BYTES)
    with os.fdopen(fd, "rb", buffering=0) as stream:
        n = stream.readinto(key)
        extra = stream.read(1)
    if n != KEY_BYTES or extra:
        key[:] = bytes(KEY_BYTES)
        raise SystemExit("dhakira: no data key came with the restart")
    session.set_key(key, consume=True)


def drop_quietly() -> None:
    """Zero the held key without the lock's callbacks (a worker ended by its supervisor, which
    is locking or stopping already, about to exit)."""
    session.key_page().zero()
