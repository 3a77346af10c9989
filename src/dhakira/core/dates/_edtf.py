"""A strict reader for the EDTF level 0/1 subset Dhakira stores.

The ``edtf`` package pads approximate values by whole units (it widened "2014-10~" to
2013-09-01..2015-11-30) and fails on partly unspecified days ("2014-10-2X"), so bounds are
computed here: qualifiers (``?``, ``~``, ``%``) are recorded but never widen the bounds.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from dhakira.core.dates._spans import EDTF_SEASONS, month_length, season_span

_DATE = re.compile(
    r"(?P<year>\d{4}|\d{3}X|\d{2}XX)"
    r"(?:-(?P<month>\d{2}|\dX|XX)(?:-(?P<day>\d{2}|\dX|XX))?)?"
    r"(?P<qualifier>[?~%])?"
)
_QUALIFIERS = {"?": "uncertain", "~": "approximate", "%": "uncertain_approximate"}


class EdtfValue(NamedTuple):
    """Bounds read from an EDTF string; None is an open or unknown end."""

    earliest: dt.date | None
    latest: dt.date | None
    precision: str
    qualifier: str


def _digits_range(token: str, low: int, high: int) -> tuple[int, int]:
    """The smallest and largest values of a token whose X digits are unspecified."""
    first = max(int(token.replace("X", "0")), low)
    last = min(int(token.replace("X", "9")), high)
    if first > last:
        raise ValueError(f"{token!r} matches no value in {low}-{high}.")
    return first, last


def _precision(month: str | None, day: str | None, year: str) -> str:
    if "X" in year:
        return "range"
    if month is None:
        return "year"
    if day is None:
        return "month" if "X" not in month else ("year" if month == "XX" else "range")
    if "X" not in day and "X" not in month:
        return "day"
    if day == "XX":
        return "month" if "X" not in month else ("year" if month == "XX" else "range")
    return "range"


def _read_date(token: str) -> EdtfValue:
    match = _DATE.fullmatch(token)
    if not match:
        raise ValueError(f"{token!r} is not a supported EDTF date.")
    year, month, day = match["year"], match["month"], match["day"]
    qualifier = _QUALIFIERS.get(match["qualifier"] or "", "exact")
    y_lo, y_hi = _digits_range(year, 1, 9999)
    if month is not None and "X" not in month and int(month) in EDTF_SEASONS:
        if day is not None or "X" in year:
            raise ValueError(f"{token!r}: a season takes a whole year and no day.")
        span = season_span(y_lo, EDTF_SEASONS[int(month)])
        return EdtfValue(span.earliest, span.latest, "season", qualifier)
    m_lo, m_hi = _digits_range(month, 1, 12) if month else (1, 12)
    if day is None:
        d_lo, d_hi = 1, month_length(y_hi, m_hi)
    else:
        d_lo, d_hi = _digits_range(day, 1, 31)
        d_hi = min(d_hi, month_length(y_hi, m_hi))
    earliest = dt.date(y_lo, m_lo, d_lo)  # ValueError when the day cannot exist
    latest = dt.date(y_hi, m_hi, d_hi)
    if earliest > latest:
        raise ValueError(f"{token!r} matches no day.")
    return EdtfValue(earliest, latest, _precision(month, day, year), qualifier)


def _combine(first: str, second: str) -> str:
    flags = {q for q in (first, second) if q != "exact"}
    uncertain = bool(flags & {"uncertain", "uncertain_approximate"})
    approximate = bool(flags & {"approximate", "uncertain_approximate"})
    if uncertain and approximate:
        return "uncertain_approximate"
    return "uncertain" if uncertain else ("approximate" if approximate else "exact")


def read_edtf(text: str) -> EdtfValue | None:
    """Read an EDTF date or interval, or return None when ``text`` is not one.

    Args:
        text: a candidate string such as "2014-10~", "2014-10-2X" or "2015-06/2015-08".

    Returns:
        Inclusive bounds, a precision and a qualifier; None for anything else, including
        EDTF the reader does not support (levels 2 and beyond, sets, negative years).

    >>> read_edtf("2014-10-2X")[:2]
    (datetime.date(2014, 10, 20), datetime.date(2014, 10, 29))
    >>> read_edtf("2014-10~").earliest, read_edtf("2014-10~").qualifier
    (datetime.date(2014, 10, 1), 'approximate')
    >>> read_edtf("../2014-10-20")[:2]
    (None, datetime.date(2014, 10, 20))
    """
    token = text.strip()
    try:
        if "/" not in token:
            return _read_date(token)
        start, _, end = token.partition("/")
        if start in ("", "..") and end in ("", ".."):
            return None
        low = _read_date(start) if start not in ("", "..") else None
        high = _read_date(end) if end not in ("", "..") else None
    except ValueError:
        return None
    earliest = low.earliest if low else None
    latest = high.latest if high else None
    if earliest and latest and earliest > latest:
        return None
    qualifier = _combine(low.qualifier if low else "exact", high.qualifier if high else "exact")
    return EdtfValue(earliest, latest, "range", qualifier)
