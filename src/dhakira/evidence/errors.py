"""Named errors of the evidence locker."""

from __future__ import annotations

from dhakira.errors import DhakiraError

__all__ = ["EvidenceError", "ImmutableOriginal", "IntakeRejected", "UnknownUser"]


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
