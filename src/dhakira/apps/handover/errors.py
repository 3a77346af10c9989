"""Named errors of the hand-over app."""

from __future__ import annotations

from dhakira.errors import DhakiraError


class HandoverError(DhakiraError):
    """A package cannot be made or logged as asked."""


class BadQuery(HandoverError):
    """A --select query cannot be parsed; the message names the term and the fix."""

    exit_code = 64


class NothingToSend(HandoverError):
    """The selection is empty, or every item in it is blocked.

    ``plan`` is what was planned (``build.Plan``), so that a caller can say why again in its
    reader's language (``build.nothing_to_send``).
    """

    def __init__(self, message: str, plan: object = None) -> None:
        super().__init__(message)
        self.plan = plan


class NotAuthorised(HandoverError):
    """The acting or approving user may not do this (wrong password, role, or same person)."""


class LeakFound(HandoverError):
    """The finished package still held protected material; it has been deleted."""

    exit_code = 5
