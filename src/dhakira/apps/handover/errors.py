"""Named errors of the hand-over app."""

from __future__ import annotations

from collections.abc import Sequence

from dhakira.errors import DhakiraError


class HandoverError(DhakiraError):
    """A package cannot be made or logged as asked."""


class BadQuery(HandoverError):
    """A --select query cannot be parsed; the message names the term and the fix."""

    exit_code = 64


class BadRequest(HandoverError):
    """An option of a package or export that cannot be: a purpose that is no consent scope,
    an --out that exists already (a usage error, as an unknown recipient is)."""

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


# What a leak check found in a file, as its English words say it: "protected" (a protected
# name or value), "metadata" (image metadata, ``detail`` says which), "coordinates" (finer
# than the policy's precision, ``detail`` in degrees).
Leak = tuple[str, str, str]  # (path, kind, detail)

_LEAK_WORDS = {"protected": "a protected name or value", "metadata": "image metadata ({})",
               "coordinates": "coordinates finer than {}°"}


def leak_text(leak: Leak) -> str:
    """One leak in English: its file, then what it holds."""
    path, kind, detail = leak
    return f"{path}: {_LEAK_WORDS[kind].format(detail)}"


def leaks_found(leaks: Sequence[Leak], *, redacted_copy: bool) -> LeakFound:
    """The refusal of a package or export whose files still hold protected material: how
    many leaks (in the form the number takes) and the first; ``code`` and ``params`` let the
    command line say it again in the reader's language. ``redacted_copy``: the advice names
    a redacted copy (a package can carry one; an export cannot)."""
    n = len(leaks)
    advice = ("fix the record or add a redacted copy and try again" if redacted_copy
              else "fix the record and try again")
    path, kind, detail = leaks[0]
    return LeakFound(f"nothing was written: {n:,} {'leak' if n == 1 else 'leaks'} found, first "
                     f"{leak_text(leaks[0])}; {advice}", code="leaks_found",
                     params={"n": n, "path": path, "kind": kind, "detail": detail,
                             "redacted_copy": redacted_copy})
