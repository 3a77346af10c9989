"""Durable, atomic writes of the vault's small key files (key slots, the signing key).

Each file is written under a unique temporary name in its own folder, fsynced, then put in
place by one atomic step, and the folder is fsynced so that the step survives a power cut.
Two processes never share a temporary file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["fsync_dir", "shred", "write_file"]


def fsync_dir(path: Path) -> None:
    """Make a rename, link or unlink in ``path`` durable.

    Some platforms cannot open folders, and some file systems (FAT, exFAT on USB sticks)
    cannot sync one: then the step is as durable as that file system allows.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_file(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` (mode 0600) atomically and durably.

    Args:
        path: the final name.
        data: the whole content.
        exclusive: refuse to replace an existing file: the content is hard-linked into
            place, which fails if ``path`` exists, so of two racing writers exactly one wins.

    Raises:
        FileExistsError: ``exclusive`` and ``path`` already exists (nothing was changed).
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if exclusive:
            os.link(tmp, path)
        else:
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(path.parent)


def shred(path: Path) -> None:
    """Overwrite ``path`` with zeros, fsync, then unlink it.

    This removes the content from the file system's view; flash storage and journalling file
    systems may still keep the old blocks elsewhere (see docs/security.md, "Key slots").
    """
    try:
        size = path.stat().st_size
        with open(path, "r+b") as out:
            out.write(b"\0" * size)
            out.flush()
            os.fsync(out.fileno())
    except FileNotFoundError:
        return
    path.unlink(missing_ok=True)
    fsync_dir(path.parent)
