"""Readers for dates written in words or numbers (one expression, no ranges)."""

from __future__ import annotations

import re
from typing import NamedTuple

from dhakira.core.dates import _spans
from dhakira.core.dates._spans import Span
from dhakira.core.dates._tables import MONTH_PARTS, SEASONS, gregorian_month, hijri_month


class Reading(NamedTuple):
    """What one expression says: bounds plus how to describe them."""

    span: Span
    calendar: str
    edtf: str
    precision: str
    hijri: str | None = None


_PART = "|".join(sorted((re.escape(k) for k in MONTH_PARTS), key=len, reverse=True))
_SUFFIX = r"(?:st|nd|rd|th)?"
_WORDS = re.compile(
    rf"(?:(?P<part>{_PART})\s*)?"
    rf"(?:(?P<day>\d{{1,2}}){_SUFFIX}\s+(?:of\s+|من\s+)?)?"
    r"(?:شهر\s+)?(?P<name>[^\d]+?)\.?,?\s+"
    rf"(?:(?P<day2>\d{{1,2}}){_SUFFIX},?\s+)?"
    r"(?P<year>\d{3,4})(?:\s*[/\-–]\s*(?P<year2>\d{2,4}))?"
)
_DMY = re.compile(r"(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{3,4})")
_YMD = re.compile(r"(?P<year>\d{4})[/.\-](?P<month>\d{1,2})(?:[/.\-](?P<day>\d{1,2}))?")
_MY = re.compile(r"(?P<month>\d{1,2})[/.\-](?P<year>\d{3,4})")
_Y = re.compile(r"(?P<year>\d{3,4})")


def read_numeric(text: str, calendar: str) -> Reading | None:
    """Read "21/10/2014" (day first), "1436/9/5", "10/2014" or "2014" in ``calendar``.

    Raises:
        ValueError: the numbers name no real day.
    """
    for pattern in (_DMY, _YMD, _MY, _Y):
        match = pattern.fullmatch(text)
        if match:
            parts = match.groupdict()
            month = int(parts["month"]) if parts.get("month") else None
            day = int(parts["day"]) if parts.get("day") else None
            return _reading(calendar, int(parts["year"]), month, day)
    return None


def _reading(calendar: str, year: int, month: int | None, day: int | None) -> Reading:
    precision = "year" if month is None else ("month" if day is None else "day")
    if calendar == "hijri":
        span = _spans.hijri_span(year, month, day)
        return Reading(
            span, "hijri", _spans.edtf_interval(span), precision, _hijri_text(year, month, day)
        )
    span = _spans.gregorian_span(year, month, day)
    edtf = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    return Reading(span, "gregorian", edtf, precision)


def _hijri_text(year: int, month: int | None, day: int | None = None) -> str:
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def read_words(text: str, era: str | None) -> Reading | None:
    """Read "[early|mid|late] [day] <month or season> [day] <year>" in English or Arabic.

    Args:
        text: normalised text (see ``_tables.normalise``).
        era: 'hijri' or 'gregorian' when the text carried an era marker, else None.

    Raises:
        ValueError: the words name no real day.
    """
    match = _WORDS.fullmatch(text)
    if not match:
        return None
    name, year = match["name"].strip(), int(match["year"])
    if match["day"] and match["day2"]:
        return None
    day = int(match["day"] or match["day2"] or 0) or None
    part = MONTH_PARTS[match["part"]] if match["part"] else None
    if name in SEASONS:
        return _season(SEASONS[name], year, match["year2"], part=part, day=day, era=era)
    if match["year2"]:
        return None
    number = hijri_month(name)
    if number is not None:
        if era == "hijri" or (era is None and year <= 1500):
            return _hijri_month(year, number, day, part)
        return _hijri_month_in_gregorian_year(year, number, day, part)
    number = gregorian_month(name)
    if number is None or era == "hijri":
        return None
    if part is None:
        return _reading("gregorian", year, number, day)
    if day is not None:
        return None
    span = _spans.month_part_span(year, number, part)
    return Reading(span, "gregorian", _spans.edtf_interval(span), "range")


def _season(
    season: str,
    year: int,
    year2: str | None,
    *,
    part: str | None,
    day: int | None,
    era: str | None,
) -> Reading | None:
    if part or day or era == "hijri":
        return None
    if year2 is not None:
        # "winter 2014/15" names both years; any other season with two years is unclear.
        following = int(year2) if len(year2) == 4 else (year // 100) * 100 + int(year2)
        if season != "winter" or following != year + 1:
            return None
    span = _spans.season_span(year, season)
    edtf = f"{span.earliest:%Y-%m}/{span.latest:%Y-%m}"
    return Reading(span, "gregorian", edtf, "season")


def _hijri_month(year: int, month: int, day: int | None, part: str | None) -> Reading | None:
    if part is not None and day is not None:
        return None
    if part is not None:
        span = _spans.hijri_span(year, month, days=_spans.MONTH_PART_DAYS[part])
        precision = "range"
    else:
        span = _spans.hijri_span(year, month, day)
        precision = "day" if day else "month"
    return Reading(
        span, "hijri", _spans.edtf_interval(span), precision, _hijri_text(year, month, day)
    )


def _hijri_month_in_gregorian_year(
    year: int, month: int, day: int | None, part: str | None
) -> Reading | None:
    """Read "Ramadan 2015": the one Hijri month of that name with a day in that Gregorian year."""
    candidates = _spans.hijri_years_for_month_in(year, month)
    if len(candidates) != 1:
        return None  # two Ramadans fall in some Gregorian years; do not choose
    return _hijri_month(candidates[0], month, day, part)
