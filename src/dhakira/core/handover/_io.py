"""Streaming copy with hashing: package files are never read whole into memory."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

CHUNK = 1 << 20
# What a package file is read from (not :class:`dhakira.apps.dossier.models.Source`, an informant).
Readable = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]


@contextlib.contextmanager
def open_source(source: Readable) -> Iterator[IO[bytes]]:
    """Open bytes, a path or a binary file object for reading (file objects are not closed)."""
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(bytes(source))
    elif isinstance(source, str | os.PathLike):
        with open(source, "rb") as fh:
            yield fh
    else:
        yield source


def copy_hashing(source: Readable, dest: Path) -> tuple[str, int]:
    """Copy ``source`` to a new file ``dest`` in 1 MiB chunks; return (sha256 hex, size).

    Raises:
        FileExistsError: ``dest`` exists already (packages never overwrite).
    """
    digest, size = hashlib.sha256(), 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open_source(source) as src, open(dest, "xb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write_hashing(dest: Path, data: bytes) -> tuple[str, int]:
    """Write small ``data`` to a new file; return (sha256 hex, size)."""
    return copy_hashing(data, dest)


def hash_file(path: Path) -> tuple[str, int]:
    """Return (sha256 hex, size) of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
