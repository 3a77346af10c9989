"""One key for event records that are one event written down twice.

Two documenters can open two event records for one execution (same place, same days, same
act). Victims attached to the two records then miss the "same event" level of the place
comparison, and a victim reported once on each record is split in two. Before linkage, event
records are grouped: records of the same place and act type whose dates lie within a few
days of each other get one key, which the place comparison then uses in place of the raw
record id. The raw id stays what the cannot-link constraint (one source, one event) reads.

An event record's place, act type and dates are read from the mentions attached to it (the
most frequent place and act, the dates all its reports allow), so the grouping needs no more
than the feature table and works the same for the vault and for the benches.

Examples:
    >>> import pandas as pd
    >>> f = pd.DataFrame({"event": [1, 1, 2, 3], "place": [5, 5, 5, 5],
    ...                   "act_type": ["killing"] * 3 + ["detention"],
    ...                   "date_lo": [100, 100, 101, 100], "date_hi": [100, 100, 101, 100]})
    >>> event_groups(f, window_days=3).tolist()
    [1, 1, 1, 3]
"""

from __future__ import annotations

import pandas as pd

__all__ = ["PRECISE_DAYS", "event_groups"]

PRECISE_DAYS = 120  # days: a report's range spans its acts, arrest to execution; a year is too loose


def event_groups(features: pd.DataFrame, window_days: int) -> pd.Series:
    """Return each row's event-group key (the smallest record id of its group), or null.

    An event record's dates are those every report attached to it allows (the intersection
    of their date ranges; the narrowest range when they disagree). Records with the same
    place and act type are grouped when those dates overlap or lie at most ``window_days``
    apart, chained in date order. A record without a place, an act type or dates narrower
    than :data:`PRECISE_DAYS` keeps its own id. ``window_days`` below 0 turns grouping off.
    """
    events = features["event"]
    if window_days < 0 or not bool(events.notna().any()):
        return events.copy()
    rows = features.loc[events.notna() & features["date_lo"].notna()
                        & features["date_hi"].notna(),
                        ["event", "place", "act_type", "date_lo", "date_hi"]]
    by = rows.groupby("event")
    lo, hi = by["date_lo"].max(), by["date_hi"].min()
    span = rows["date_hi"] - rows["date_lo"]
    narrow = rows.loc[span.groupby(rows["event"]).idxmin()].set_index("event")
    disagree = lo > hi  # reports of the record give dates that do not overlap
    lo[disagree], hi[disagree] = narrow["date_lo"][disagree], narrow["date_hi"][disagree]
    place, act = _modes(rows, "place"), _modes(rows, "act_type")
    known = pd.DataFrame({"lo": lo, "hi": hi, "place": place, "act": act}).dropna()
    known = known[(known["hi"] - known["lo"]) <= PRECISE_DAYS]
    key = {int(e): int(e) for e in events.dropna().unique()}
    for _, group in known.sort_values(["lo", "hi"]).groupby(["place", "act"], sort=False):
        first, reach = 0, float("-inf")
        for event, start, end in zip(group.index, group["lo"], group["hi"], strict=True):
            if start - reach > window_days:
                first = int(event)
            key[int(event)] = first
            reach = max(reach, end)
        # Keys are the smallest id of each chain, so they do not depend on the rows' order.
        _smallest_per_chain([int(e) for e in group.index], key)
    return events.map(lambda e: key[int(e)] if pd.notna(e) else e).astype(events.dtype)


def _smallest_per_chain(members: list[int], key: dict[int, int]) -> None:
    """Rename each chain's key to the smallest record id in it."""
    chains: dict[int, list[int]] = {}
    for e in members:
        chains.setdefault(key[e], []).append(e)
    for chain in chains.values():
        low = min(chain)
        for e in chain:
            key[e] = low


def _modes(rows: pd.DataFrame, column: str) -> pd.Series:
    """Each event record's most frequent ``column`` value; ties go to the smallest value, so
    the order of rows does not matter. (Counted in one grouping: a mode per group in Python
    was a sixth of linking 600 victims.)"""
    counts = rows.groupby(["event", column]).size().rename("n").reset_index()
    counts = counts.sort_values(["event", "n", column], ascending=[True, False, True])
    return counts.drop_duplicates("event").set_index("event")[column]
