"""Named errors of the evidence locker."""

from __future__ import annotations

from dhakira.errors import DhakiraError

__all__ = ["EvidenceError", "ImmutableOriginal", "IntakeRejected", "UnknownUser", "unexpected"]


class EvidenceError(DhakiraError):
    """Base class of evidence errors."""


class IntakeRejected(EvidenceError):
    """One input could not be taken in; the message names the file and the reason."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class ImmutableOriginal(EvidenceError):
    """Someone tried to change the stored bytes of an original."""


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
