"""``parse_fuzzy_date``: words as given in, explicit bounds out; never a guess."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from dhakira.core.dates._edtf import read_edtf
from dhakira.core.dates._model import CALENDARS, FuzzyDate
from dhakira.core.dates._tables import APPROXIMATE, FILLER, GREGORIAN_ERA, HIJRI_ERA, normalise
from dhakira.core.dates._words import read_numeric, read_words
from dhakira.core.dates.errors import EmptyDateText, UnknownCalendar

_ONE_DAY = dt.timedelta(days=1)
_EDTF_CHARS = re.compile(r"[0-9x\-/.?~%]+")
_PLAIN_ISO = re.compile(r"\d{4}(?:-\d{2}){0,2}")
_RANGES = (
    re.compile(r"(?:between|from)\s+(.+?)\s+(?:and|to|until|till|through)\s+(.+)"),
    re.compile(r"(?:ما\s+)?بين\s+(.+?)\s+و\s*(.+)"),
    re.compile(r"(?:من|ما بين)\s+(.+?)\s+(?:الي|حتي|لغايه|ولغايه|و)\s+(.+)"),
)
_DASH_RANGES = (re.compile(r"(.+?)\s*[–—]\s*(.+)"), re.compile(r"(.+?)\s+-\s+(.+)"))
_OPEN = (
    (re.compile(r"(?:before|prior to|earlier than|قبل)\s+(.+)"), "before"),
    (re.compile(r"(?:after|later than|بعد)\s+(.+)"), "after"),
    (re.compile(r"(?:until|till|by|no later than|not after|حتي|لغايه)\s+(.+)"), "until"),
    (re.compile(r"(?:since|from|no earlier than|not before|منذ|ابتداء من)\s+(.+)"), "since"),
)
_YEAR_WORDS = re.compile(r"(?:\s+of|\s*عام|\s*سنه|\s*العام|\s*year)\s+(?=\d)")


class _Found(NamedTuple):
    earliest: dt.date | None
    latest: dt.date | None
    calendar: str
    edtf: str
    precision: str
    qualifier: str = "exact"
    hijri: str | None = None


def parse_fuzzy_date(text: str, *, default_calendar: str = "gregorian") -> FuzzyDate:
    """Read a date as a witness or document gave it into explicit Gregorian bounds.

    Args:
        text: the words as given, in English or Arabic, Gregorian or Hijri, or EDTF.
        default_calendar: 'gregorian' or 'hijri': how to read bare numbers ("1436",
            "5/9/1436"); month names and era markers ("AH", "هـ") override it.

    Returns:
        A :class:`FuzzyDate` keeping ``text`` verbatim. Text that cannot be read gets
        precision 'unknown' and no bounds: it is never guessed. So does a date that leaves
        no day this calendar can hold ("after 9999", "before 0001").

    Raises:
        EmptyDateText: ``text`` is empty or whitespace.
        UnknownCalendar: ``default_calendar`` is not 'gregorian' or 'hijri'.

    >>> d = parse_fuzzy_date("late October 2014")
    >>> d.earliest, d.latest, d.edtf, d.precision
    (datetime.date(2014, 10, 21), datetime.date(2014, 10, 31), '2014-10-21/2014-10-31', 'range')
    >>> d = parse_fuzzy_date("Ramadan 1436")
    >>> d.calendar, d.earliest, d.latest, d.hijri
    ('hijri', datetime.date(2015, 6, 16), datetime.date(2015, 7, 18), '1436-09')
    >>> parse_fuzzy_date("the day the bridge fell").precision
    'unknown'
    """
    if not text or not text.strip():
        raise EmptyDateText()
    if default_calendar not in CALENDARS:
        raise UnknownCalendar(default_calendar)
    found = _read(normalise(text).strip(" .,;:"), default_calendar)
    if found is None:
        return FuzzyDate(text, default_calendar, None, None, None, "unknown")  # type: ignore[arg-type]
    return FuzzyDate(
        text=text,
        calendar=found.calendar,  # type: ignore[arg-type]
        edtf=found.edtf,
        earliest=found.earliest,
        latest=found.latest,
        precision=found.precision,  # type: ignore[arg-type]
        qualifier=found.qualifier,  # type: ignore[arg-type]
        hijri=found.hijri,
    )


def _read(text: str, default: str) -> _Found | None:
    """Try the readers from the most to the least specific."""
    approximate = APPROXIMATE.match(text)
    if approximate:
        return _approximate(_read(text[approximate.end() :], default))
    for pattern in _RANGES:
        match = pattern.fullmatch(text)
        if match and (found := _range(match[1], match[2], default)):
            return found
    for pattern, kind in _OPEN:
        match = pattern.fullmatch(text)
        if match:
            return _open(kind, _single(match[1], default))
    found = _single(text, default)
    for pattern in _DASH_RANGES:
        match = pattern.fullmatch(text) if found is None else None
        if match:
            found = _range(match[1], match[2], default)
    return found


def _single(text: str, default: str) -> _Found | None:
    """One date expression: EDTF, numbers, or words."""
    text = FILLER.sub("", text)
    text = _YEAR_WORDS.sub(" ", text).strip()
    if _EDTF_CHARS.fullmatch(text) and not (default == "hijri" and _PLAIN_ISO.fullmatch(text)):
        value = read_edtf(text.upper())
        if value is not None:
            return _Found(
                value.earliest,
                value.latest,
                "gregorian",
                text.upper(),
                value.precision,
                value.qualifier,
            )
    era = None
    for name, pattern in (("hijri", HIJRI_ERA), ("gregorian", GREGORIAN_ERA)):
        match = pattern.search(text)
        if match and match.start() > 0 and text[match.start() - 1 : match.start()].isdigit():
            era, text = name, text[: match.start()].strip()
            break
    try:
        reading = read_numeric(text, era or default) or read_words(text, era)
    except ValueError:  # the words name a day that does not exist (31 June, 30 Ramadan 1436)
        return None
    if reading is None:
        return None
    span = reading.span
    return _Found(
        span.earliest,
        span.latest,
        reading.calendar,
        reading.edtf,
        reading.precision,
        hijri=reading.hijri,
    )


def _range(left: str, right: str, default: str) -> _Found | None:
    """'between X and Y': X's earliest to Y's latest; X may borrow Y's year ("June and August 2015")."""
    last = _single(right, default)
    if last is None or last.latest is None:
        return None
    first = _single(left, default)
    tail = right.split()
    for size in range(1, len(tail)):
        if first is not None:
            break
        first = _single(f"{left} {' '.join(tail[-size:])}", default)
    if first is None or first.earliest is None or first.earliest > last.latest:
        return None
    simple = "/" not in first.edtf and "/" not in last.edtf and first.calendar == last.calendar
    edtf = (
        f"{first.edtf}/{last.edtf}"
        if simple and first.calendar == "gregorian"
        else (f"{first.earliest.isoformat()}/{last.latest.isoformat()}")
    )
    hijri = f"{first.hijri}/{last.hijri}" if first.hijri and last.hijri else None
    return _Found(
        first.earliest,
        last.latest,
        first.calendar,
        edtf,
        "range",
        _qualifier(first.qualifier, last.qualifier),
        hijri,
    )


def _open(kind: str, anchor: _Found | None) -> _Found | None:
    """'before X' ends the day before X starts; 'until X' ends when X ends; and so on."""
    if anchor is None or anchor.earliest is None or anchor.latest is None:
        return None
    try:
        return _open_bounds(kind, anchor)
    except OverflowError:  # before 1 January 1, after 31 December 9999: no such day
        return None


def _open_bounds(kind: str, anchor: _Found) -> _Found:
    assert anchor.earliest is not None and anchor.latest is not None
    if kind in ("before", "until"):
        latest = anchor.earliest - _ONE_DAY if kind == "before" else anchor.latest
        return anchor._replace(
            earliest=None, latest=latest, edtf=f"../{latest.isoformat()}", precision="range"
        )
    earliest = anchor.latest + _ONE_DAY if kind == "after" else anchor.earliest
    return anchor._replace(
        earliest=earliest, latest=None, edtf=f"{earliest.isoformat()}/..", precision="range"
    )


def _approximate(found: _Found | None) -> _Found | None:
    """'around X' keeps X's bounds and marks it approximate (EDTF '~'): no invented window."""
    if found is None:
        return None
    sides = [s if s in ("", "..") or s[-1] in "?~%" else f"{s}~" for s in found.edtf.split("/")]
    return found._replace(
        edtf="/".join(sides), qualifier=_qualifier(found.qualifier, "approximate")
    )


def _qualifier(first: str, second: str) -> str:
    uncertain = any(q in ("uncertain", "uncertain_approximate") for q in (first, second))
    approximate = any(q in ("approximate", "uncertain_approximate") for q in (first, second))
    if uncertain and approximate:
        return "uncertain_approximate"
    return "uncertain" if uncertain else ("approximate" if approximate else "exact")
