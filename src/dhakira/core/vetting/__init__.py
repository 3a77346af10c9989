"""Vetting: the order in which a report's status may change, and what a set of statuses says.

Pure: no Django. A report starts *recorded*; a reviewer takes it *under review*; it may be
*corroborated* by independent material, *confirmed* with a victim or witness, and finally
*vetted*; at any point after recording it may be *disputed* or *withdrawn*. A disputed report
may go back under review; a withdrawn one stays withdrawn (a report withdrawn in error is
recorded again, so its history stays whole).

Example:
    >>> check_step("recorded", "under_review")
    >>> check_step("recorded", "vetted")
    Traceback (most recent call last):
    ...
    dhakira.core.vetting.errors.OutOfOrder: a report that is recorded cannot become vetted; from recorded it may become under review or withdrawn
    >>> combined(["vetted", "under_review", "withdrawn"])
    'vetted'
    >>> summary(["vetted", "recorded", "disputed", "corroborated"])["unconfirmed"]
    1
"""

from __future__ import annotations

from collections.abc import Iterable

from dhakira.core.vetting.errors import OutOfOrder, UnknownStatus, VettingError

__all__ = ["ALLOWED", "BUCKETS", "CONFIRMATION_OUTCOMES", "RECORDED", "STATUSES", "OutOfOrder",
           "UnknownStatus", "VettingError", "bucket_of", "check_step", "combined", "next_steps",
           "outranking", "summary"]

RECORDED = "recorded"
UNDER_REVIEW = "under_review"
CORROBORATED = "corroborated"
CONFIRMED = "confirmed"
VETTED = "vetted"
DISPUTED = "disputed"
WITHDRAWN = "withdrawn"

#: Every status, in the order of vetting (the two exits last).
STATUSES: tuple[str, ...] = (RECORDED, UNDER_REVIEW, CORROBORATED, CONFIRMED, VETTED,
                             DISPUTED, WITHDRAWN)

#: status -> the statuses it may change to.
ALLOWED: dict[str, frozenset[str]] = {
    RECORDED: frozenset({UNDER_REVIEW, WITHDRAWN}),
    UNDER_REVIEW: frozenset({CORROBORATED, CONFIRMED, DISPUTED, WITHDRAWN}),
    CORROBORATED: frozenset({CONFIRMED, VETTED, DISPUTED, WITHDRAWN}),
    CONFIRMED: frozenset({VETTED, DISPUTED, WITHDRAWN}),
    VETTED: frozenset({DISPUTED, WITHDRAWN}),
    DISPUTED: frozenset({UNDER_REVIEW, WITHDRAWN}),
    WITHDRAWN: frozenset(),
}

#: The outcomes of a confirmation call or meeting.
CONFIRMATION_OUTCOMES: tuple[str, ...] = ("confirmed", "partly", "contradicted", "unreachable")

#: The buckets of a charge's vetting summary, in the order shown.
BUCKETS: tuple[str, ...] = ("vetted", "confirmed", "corroborated", "unconfirmed", "disputed",
                            "withdrawn")

_PROGRESS = {RECORDED: 0, UNDER_REVIEW: 1, CORROBORATED: 2, CONFIRMED: 3, VETTED: 4}


def _known(status: str) -> str:
    if status not in ALLOWED:
        raise UnknownStatus(f"{status!r} is not a vetting status; use one of {', '.join(STATUSES)}")
    return status


def _words(status: str) -> str:
    return status.replace("_", " ")


def next_steps(current: str) -> tuple[str, ...]:
    """The statuses a report that is ``current`` may change to, in the order of vetting."""
    allowed = ALLOWED[_known(current)]
    return tuple(s for s in STATUSES if s in allowed)


def check_step(current: str, new: str) -> None:
    """Return if a report that is ``current`` may become ``new``.

    Raises:
        UnknownStatus: either is not a status.
        OutOfOrder: the order of vetting does not allow it (the message says what would).
    """
    _known(current)
    _known(new)
    if new in ALLOWED[current]:
        return
    steps = next_steps(current)
    options = " or ".join(_words(s) for s in steps) if steps else "nothing else (it is final)"
    raise OutOfOrder(f"a report that is {_words(current)} cannot become {_words(new)}; "
                     f"from {_words(current)} it may become {options}")


def combined(statuses: Iterable[str]) -> str:
    """The status of an item told by several reports (an act): the furthest along of those
    not withdrawn; disputed only when every such report is disputed; withdrawn when all are;
    recorded when there are none."""
    seen = [_known(s) for s in statuses]
    live = [s for s in seen if s != WITHDRAWN]
    if not seen:
        return RECORDED
    if not live:
        return WITHDRAWN
    progressing = [s for s in live if s != DISPUTED]
    if not progressing:
        return DISPUTED
    return max(progressing, key=_PROGRESS.__getitem__)


def outranking(status: str) -> frozenset[str]:
    """The statuses that, among an item's reports, keep the item from being ``status``.

    An item told by several reports is ``status`` (:func:`combined`) exactly when one of its
    reports is ``status`` and none is in ``outranking(status)``; an item told by none is
    recorded. This lets a database filter on an item's combined status with two look-ups
    ("told by one at ``status``", "told by none that outranks it") instead of reading every
    item's reports.

    Example:
        >>> sorted(outranking("corroborated"))
        ['confirmed', 'vetted']
        >>> sorted(outranking("withdrawn")) == sorted(set(STATUSES) - {"withdrawn"})
        True
    """
    _known(status)
    if status == WITHDRAWN:
        return frozenset(s for s in STATUSES if s != WITHDRAWN)
    if status == DISPUTED:
        return frozenset(_PROGRESS)
    return frozenset(s for s, rank in _PROGRESS.items() if rank > _PROGRESS[status])


def bucket_of(status: str) -> str:
    """The summary bucket of ``status``: recorded and under review count as unconfirmed."""
    return "unconfirmed" if _known(status) in (RECORDED, UNDER_REVIEW) else status


def summary(statuses: Iterable[str]) -> dict[str, int]:
    """How many of ``statuses`` fall in each of :data:`BUCKETS` (every bucket present)."""
    counts = dict.fromkeys(BUCKETS, 0)
    for s in statuses:
        counts[bucket_of(s)] += 1
    return counts
