"""Gregorian and Hijri spans: the bound arithmetic shared by the parsers."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple

from hijridate import Gregorian, Hijri

# Umm al-Qura month starts can differ from local crescent sighting in Iraq and Syria by a
# day or two (legal-and-evidence.md section 7.1), so every Hijri span is widened by this many
# days on each side.
HIJRI_TOLERANCE_DAYS = 2
_TOLERANCE = dt.timedelta(days=HIJRI_TOLERANCE_DAYS)

# Northern-hemisphere meteorological seasons; winter runs into the next year.
SEASON_MONTHS: dict[str, tuple[int, int]] = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "winter": (12, 2),
}
EDTF_SEASONS: dict[int, str] = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
MONTH_PART_DAYS: dict[str, tuple[int, int]] = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}


class Span(NamedTuple):
    """Inclusive Gregorian bounds."""

    earliest: dt.date
    latest: dt.date


def month_length(year: int, month: int) -> int:
    """Days in a Gregorian month."""
    return calendar.monthrange(year, month)[1]


def gregorian_span(year: int, month: int | None = None, day: int | None = None) -> Span:
    """The Gregorian day, month or year as a span.

    Raises:
        ValueError: the date does not exist.
    """
    if month is None:
        return Span(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if day is None:
        return Span(dt.date(year, month, 1), dt.date(year, month, month_length(year, month)))
    day_ = dt.date(year, month, day)
    return Span(day_, day_)


def month_part_span(year: int, month: int, part: str) -> Span:
    """Days 1-10, 11-20 or 21-end of a Gregorian month."""
    first, last = MONTH_PART_DAYS[part]
    return Span(
        dt.date(year, month, first), dt.date(year, month, min(last, month_length(year, month)))
    )


def season_span(year: int, season: str) -> Span:
    """A season of ``year``; winter is December of ``year`` to the end of February after."""
    start, end = SEASON_MONTHS[season]
    end_year = year + 1 if end < start else year
    return Span(dt.date(year, start, 1), dt.date(end_year, end, month_length(end_year, end)))


def _to_gregorian(year: int, month: int, day: int) -> dt.date:
    try:
        g = Hijri(year, month, day).to_gregorian()
        return dt.date(g.year, g.month, g.day)
    except OverflowError as exc:  # hijridate covers 1343-1500 AH only
        raise ValueError(str(exc)) from exc


def hijri_month_length(year: int, month: int) -> int:
    """Days in a Hijri month (Umm al-Qura).

    Raises:
        ValueError: the month is outside hijridate's range (1343-1500 AH).
    """
    try:
        return Hijri(year, month, 1).month_length()
    except OverflowError as exc:
        raise ValueError(str(exc)) from exc


def hijri_span(
    year: int,
    month: int | None = None,
    day: int | None = None,
    *,
    days: tuple[int, int] | None = None,
) -> Span:
    """A Hijri year, month, day or run of days in a month, as widened Gregorian bounds.

    Args:
        year, month, day: the Hijri date; month and day may be omitted.
        days: instead of ``day``, the first and last day of a part of the month.

    Raises:
        ValueError: the date does not exist or is outside 1343-1500 AH.
    """
    if month is None:
        first = _to_gregorian(year, 1, 1)
        last = _to_gregorian(year, 12, hijri_month_length(year, 12))
    else:
        length = hijri_month_length(year, month)
        low, high = (day, day) if day is not None else (days or (1, length))
        if not 1 <= low <= length:
            raise ValueError(f"Day {low} does not exist in Hijri month {year}-{month:02d}.")
        first = _to_gregorian(year, month, low)
        last = _to_gregorian(year, month, min(high, length))
    return Span(first - _TOLERANCE, last + _TOLERANCE)


def hijri_years_for_month_in(gregorian_year: int, month: int) -> list[int]:
    """Hijri years whose ``month`` has a day in ``gregorian_year``.

    Raises:
        ValueError: the year is outside hijridate's range.
    """
    try:
        first = Gregorian(gregorian_year, 1, 1).to_hijri().year
    except OverflowError as exc:
        raise ValueError(str(exc)) from exc
    found = []
    for hijri_year in (first - 1, first, first + 1):
        try:
            start = _to_gregorian(hijri_year, month, 1)
            end = _to_gregorian(hijri_year, month, hijri_month_length(hijri_year, month))
        except ValueError:
            continue
        if start.year <= gregorian_year <= end.year:
            found.append(hijri_year)
    return found


def edtf_interval(span: Span) -> str:
    """The EDTF interval of two days."""
    return f"{span.earliest.isoformat()}/{span.latest.isoformat()}"
