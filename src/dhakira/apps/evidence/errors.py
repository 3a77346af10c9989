"""Named errors of the evidence locker."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

from dhakira.errors import DhakiraError

if TYPE_CHECKING:
    from dhakira.apps.evidence.intake import IntakeReport

__all__ = ["DiskFull", "EvidenceError", "ImmutableOriginal", "IntakeRejected", "OcrUnavailable",
           "UnknownUser",
           "is_disk_full", "unexpected"]


class EvidenceError(DhakiraError):
    """Base class of evidence errors."""


class IntakeRejected(EvidenceError):
    """One input could not be taken in; the message names the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class DiskFull(EvidenceError):
    """The disk (or the database) filled up during intake; the batch under way was undone.

    ``report`` is what was taken in and kept before it filled; ``left_out`` names every file
    given that was not taken in (re-running the same command takes in just those).
    """

    def __init__(self, report: IntakeReport, left_out: tuple[str, ...]) -> None:
        # English, as the command line's words for its code say it (cli/_words.py).
        kept, left = len(report.items), len(left_out)
        if left_out:
            told = (f"{left} file was not (named above" if left == 1 else
                    f"{left} files were not (each named above")
            told += (" as 'not taken in'); nothing partial was kept. Free some space and run "
                     "the same command again: what was already taken in is skipped")
        else:
            told = ("all files were, but the text of some items could not be extracted yet. "
                    "Free some space and run dhakira process")
        super().__init__(f"the disk is full: {kept} item{' was' if kept == 1 else 's were'} "
                         f"taken in and kept; {told}",
                         code="disk_full_left_out" if left_out else "disk_full_texts",
                         params={"kept": len(report.items), "left": len(left_out)})
        self.report = report
        self.left_out = left_out


class ImmutableOriginal(EvidenceError):
    """Someone tried to change the stored bytes of an original."""


class OcrUnavailable(EvidenceError):
    """OCR was asked for, and Tesseract is not installed."""


class UnknownUser(EvidenceError):
    """A user named on the command line does not exist."""


def unexpected(exc: BaseException) -> str:
    """The reason given for an error no reader foresaw on a file: its type only (its message
    may quote the file's content)."""
    if isinstance(exc, RecursionError):
        return "it is nested too deeply to read; refused as a possible attack"
    if isinstance(exc, MemoryError):
        return "it needs more memory than is available to read"
    return f"it could not be read ({type(exc).__name__})"


_FULL = (errno.ENOSPC, errno.EDQUOT)
_DRIVERS = ("django.db", "sqlite3", "_sqlite3", "sqlcipher3", "pysqlcipher3", "psycopg")


def is_disk_full(exc: BaseException | None) -> bool:
    """True if ``exc`` (or what caused it) says the disk or the database is full.

    SQLite and SQLCipher say "database or disk is full"; PostgreSQL "No space left on
    device" (SQLSTATE 53100); the blob writer raises ``OSError(ENOSPC)``.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _FULL:
            return True
        if getattr(exc, "pgcode", None) == "53100" or getattr(exc, "sqlstate", None) == "53100":
            return True
        # Only a database driver's own message is read: a file name may say anything.
        if type(exc).__module__.startswith(_DRIVERS):
            text = str(exc).lower()
            if "disk is full" in text or "no space left on device" in text:
                return True
        exc = exc.__cause__ or exc.__context__
    return False
