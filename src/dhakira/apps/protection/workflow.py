"""The case workflow as data: statuses and the transitions allowed between them (pure).

Imports nothing from Django, so the table can be read, tested and documented on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dhakira.apps.protection.errors import InvalidTransition

__all__ = ["CLOSED", "OPEN_STATUSES", "STATUSES", "TRANSITIONS", "TransitionPlan", "allowed", "plan"]

# The main path, in order, then the three outcomes that can interrupt it at any point.
MAIN_PATH = ("request_received", "verified", "planning", "in_transit", "received", "relocated",
             "follow_up", "closed")
INTERRUPTIONS = ("lost_contact", "detained", "deceased")
STATUSES: tuple[str, ...] = MAIN_PATH + INTERRUPTIONS
CLOSED = "closed"
OPEN_STATUSES: tuple[str, ...] = tuple(s for s in STATUSES if s != CLOSED)

_ANY_TIME = ("lost_contact", "detained", "deceased")
TRANSITIONS: dict[str, frozenset[str]] = {
    "request_received": frozenset({"verified", "closed", *_ANY_TIME}),
    "verified": frozenset({"planning", "closed", *_ANY_TIME}),
    "planning": frozenset({"in_transit", "verified", "closed", *_ANY_TIME}),
    "in_transit": frozenset({"received", "planning", *_ANY_TIME}),
    "received": frozenset({"relocated", "follow_up", *_ANY_TIME}),
    "relocated": frozenset({"follow_up", "closed", *_ANY_TIME}),
    "follow_up": frozenset({"closed", *_ANY_TIME}),
    # Contact regained: the team re-checks before planning anything again.
    "lost_contact": frozenset({"verified", "follow_up", "closed", "detained", "deceased"}),
    # Released: planning starts again, or the person is followed up where they are.
    "detained": frozenset({"planning", "follow_up", "closed", "lost_contact", "deceased"}),
    "deceased": frozenset({"closed"}),
    # Re-opening needs the request verified again; the perishable clock stops.
    "closed": frozenset({"verified"}),
}


@dataclass(frozen=True)
class TransitionPlan:
    """What a status change will do, checked before anything is written."""

    case_code: str
    from_status: str
    to_status: str
    actor: str
    reason: str
    at: datetime
    closes: bool
    reopens: bool


def allowed(from_status: str) -> frozenset[str]:
    """The statuses a case in ``from_status`` may move to."""
    return TRANSITIONS.get(from_status, frozenset())


def plan(case_code: str, from_status: str, to_status: str, *, actor: str, reason: str,
         now: datetime) -> TransitionPlan:
    """Check a status change against the table and return its plan.

    Args:
        case_code: the case's code, e.g. ``PC-7F3A2``.
        from_status: the case's current status.
        to_status: the status asked for.
        actor: the user name of whoever asks; required.
        reason: why; required, stored with the change (never in the ledger).
        now: the time of the change.

    Returns:
        The plan, with ``closes``/``reopens`` set when the case's closing date changes.

    Raises:
        InvalidTransition: unknown status, a move the table forbids, or no actor or reason.
    """
    if to_status not in STATUSES:
        raise InvalidTransition(f"unknown status {to_status!r}; use one of {', '.join(STATUSES)}")
    if to_status not in allowed(from_status):
        permitted = ", ".join(sorted(allowed(from_status))) or "none"
        raise InvalidTransition(f"a case cannot move from {from_status} to {to_status}; "
                                f"allowed: {permitted}")
    if not actor:
        raise InvalidTransition("a status change needs the acting user")
    if not reason.strip():
        raise InvalidTransition("say why the status changes")
    return TransitionPlan(case_code=case_code, from_status=from_status, to_status=to_status,
                          actor=actor, reason=reason.strip(), at=now,
                          closes=to_status == CLOSED, reopens=from_status == CLOSED)
