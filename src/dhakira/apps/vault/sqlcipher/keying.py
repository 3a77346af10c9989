"""Keying a SQLCipher connection without a Python string of the key.

``PRAGMA key = "x'…'"`` would build the hex key as a ``str`` per connection, and
sqlcipher3 keeps executed SQL in its statement cache. Instead the ``x'…'`` form is written
into the locked key page, handed to ``sqlite3_key`` (exported by sqlcipher3's extension)
through ctypes, and zeroed. ``sqlite3_key`` needs the connection's ``sqlite3 *``, which is
the first field after the object header of sqlcipher3's ``Connection`` (as in CPython's
``sqlite3``); the layout is checked once per process against a probe connection. If the
check fails, the ``PRAGMA`` is run through ``executescript`` (no statement cache) and the
string is overwritten afterwards.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
import tempfile
import threading
from typing import Any

import sqlcipher3._sqlite3 as _extension  # type: ignore[import-untyped]
from sqlcipher3 import dbapi2 as Database

from dhakira.core.vault import session

__all__ = ["key_connection", "keyed_natively"]

_HEX = b"0123456789abcdef"
_SCRATCH = 64  # offset in the key page of the x'…' text (the key itself is at 0)
_scratch_lock = threading.Lock()
_lib = ctypes.CDLL(_extension.__file__)
_lib.sqlite3_key.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
_lib.sqlite3_key.restype = ctypes.c_int
_lib.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
_lib.sqlite3_db_filename.restype = ctypes.c_char_p
_HANDLE_OFFSET = object.__basicsize__  # PyObject_HEAD, then `sqlite3 *db`


def _handle(conn: Any) -> int:
    return int(ctypes.c_void_p.from_address(id(conn) + _HANDLE_OFFSET).value or 0)


@functools.cache
def keyed_natively() -> bool:
    """Whether connections are keyed through ``sqlite3_key`` (the layout check passed)."""
    if sys.implementation.name != "cpython":
        return False
    with tempfile.TemporaryDirectory(prefix="dhakira-probe-") as tmp:
        path = os.path.realpath(os.path.join(tmp, "probe.db"))
        probe = Database.connect(path)
        try:
            handle = _handle(probe)
            name = _lib.sqlite3_db_filename(handle, b"main") if handle else None
            return name is not None and os.path.realpath(name.decode()) == path
        finally:
            probe.close()


def key_connection(conn: Any, key: bytes | None = None) -> None:
    """Give ``conn`` the data key (or ``key``, for tools that open another vault's database),
    before anything reads the database."""
    if key is not None:
        _key(conn, memoryview(key))
        return
    with session.borrow() as held:
        _key(conn, held)


def _key(conn: Any, key: memoryview) -> None:
    if not keyed_natively():
        _key_with_pragma(conn, key)
        return
    page = session.key_page()
    with _scratch_lock:
        text = page.view[_SCRATCH:_SCRATCH + 67]
        try:
            text[0:2], text[66:67] = b"x'", b"'"
            for i, byte in enumerate(key):
                text[2 + 2 * i] = _HEX[byte >> 4]
                text[3 + 2 * i] = _HEX[byte & 15]
            rc = _lib.sqlite3_key(_handle(conn), page.address + _SCRATCH, 67)
        finally:
            page.zero(_SCRATCH, 67)
            text.release()
    if rc != 0:
        raise Database.DatabaseError(f"sqlite3_key failed ({rc})")


def _key_with_pragma(conn: Any, key: memoryview) -> None:
    statement = f"PRAGMA key = \"x'{key.hex()}'\";"
    try:
        conn.executescript(statement)
    finally:
        # CPython keeps an ASCII str's characters right after its fixed header.
        if sys.implementation.name == "cpython" and statement.isascii():
            offset = sys.getsizeof("") - 1
            ctypes.memset(id(statement) + offset, ord(" "), len(statement))
