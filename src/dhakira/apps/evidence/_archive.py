"""Zip archives, opened defensively: bombs, path tricks and links are refused up front."""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from dhakira.apps.evidence.extract import Unreadable


@dataclass(frozen=True)
class ZipLimits:
    """How much an archive may unpack to. A member, or the archive as a whole, compressed
    more than ``max_ratio`` times (and larger than ``ratio_floor``) is treated as a bomb:
    many small members each under the floor add up like one large one."""

    max_members: int = 10_000
    max_total: int = 8 * 1024**3
    max_ratio: int = 200
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = ZipLimits()
# The parts of a DOCX (XLSX, ODT are kept whole, never unpacked): python-docx holds them all
# in memory, so less room than for an archive whose members are streamed one by one.
DOCUMENT_LIMITS = ZipLimits(max_total=512 * 1024**2)


def _bad_name(name: str) -> str | None:
    if not name:  # zipfile's is_dir() reads name[-1]: a crafted entry with none crashed it
        return "no name"
    if "\x00" in name or "\\" in name:
        return "a back-slash or NUL in its name"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "a path that climbs out of the archive (..)"
    return None


def members(archive: zipfile.ZipFile, limits: ZipLimits = DEFAULT_LIMITS) -> list[zipfile.ZipInfo]:
    """The file members of an archive, after checking every entry before any is read.

    The sizes checked are those the entries declare; :mod:`zipfile` never unpacks more
    than an entry declares (a longer stream fails its check), so they bound what is written.

    Raises:
        Unreadable: too many members, a zip bomb, a traversal or absolute name, a
            symbolic link, or an encrypted member.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise Unreadable(f"the archive has more than {limits.max_members} entries")
    total = packed = 0
    files = []
    for info in infos:
        problem = _bad_name(info.filename)
        if problem:
            raise Unreadable(f"entry {info.filename!r} has {problem}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise Unreadable(f"entry {info.filename!r} is a symbolic link")
        if info.flag_bits & 0x1:
            raise Unreadable(f"entry {info.filename!r} is encrypted")
        if info.is_dir():
            continue
        total += info.file_size
        packed += info.compress_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise Unreadable(f"zip bomb: entry {info.filename!r} expands {int(ratio)} times")
        files.append(info)
    if total > limits.max_total:
        raise Unreadable(f"zip bomb: the archive would unpack to {total} bytes, over the "
                         f"limit of {limits.max_total}")
    ratio = total / max(packed, 1)
    if total > limits.ratio_floor and ratio > limits.max_ratio:
        raise Unreadable(f"zip bomb: its {len(files)} entries expand {int(ratio)} times, to "
                         f"{total} bytes")
    return files


def copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: BinaryIO) -> None:
    """Unpack one member into ``out``, never writing more than its declared size.

    Raises:
        Unreadable: the member is larger than its header says, or is corrupt.
    """
    written = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1024 * 1024):
                written += len(chunk)
                if written > info.file_size:
                    raise Unreadable(f"zip bomb: entry {info.filename!r} is larger than it says")
                out.write(chunk)
    except Unreadable:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
        raise Unreadable(f"entry {info.filename!r} is corrupt ({exc})") from None
    except Exception as exc:  # zipfile's other failures on crafted headers (struct, zlib)
        raise Unreadable(f"entry {info.filename!r} is corrupt ({type(exc).__name__})") from None


def open_zip(stream: BinaryIO) -> zipfile.ZipFile:
    """Open an archive for reading.

    Raises:
        Unreadable: the file is not a readable zip archive.
    """
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unreadable(f"corrupt zip archive ({exc})") from None
    except Exception as exc:  # zipfile's other failures on crafted headers
        raise Unreadable(f"corrupt zip archive ({type(exc).__name__})") from None
