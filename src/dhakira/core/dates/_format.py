"""Human-readable bounds for the live preview beside a date field."""

from __future__ import annotations

import datetime as dt

from dhakira.core.dates._model import FuzzyDate
from dhakira.core.dates.errors import DatesError

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Iraqi (Levantine) month names: the ones witnesses in Ninawa use.
_AR_MONTHS = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
_AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_PHRASES = {
    "en": {
        "unknown": "date unknown",
        "day": "on {0}",
        "between": "between {0} and {1}",
        "until": "on or before {0}",
        "since": "on or after {0}",
    },
    "ar": {
        "unknown": "التاريخ غير معروف",
        "day": "في {0}",
        "between": "بين {0} و{1}",
        "until": "في {0} أو قبله",
        "since": "في {0} أو بعده",
    },
}


def _day(day: dt.date, lang: str, arabic_digits: bool) -> str:
    if lang == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    text = f"{day.day} {_AR_MONTHS[day.month - 1]} {day.year}"
    return text.translate(_AR_DIGITS) if arabic_digits else text


def format_bounds(fd: FuzzyDate, lang: str = "en", *, arabic_digits: bool = False) -> str:
    """Say in words which Gregorian days a fuzzy date allows.

    Args:
        fd: the date.
        lang: 'en' or 'ar' (Arabic uses the Iraqi month names).
        arabic_digits: write Arabic-Indic digits in Arabic output.

    Returns:
        A short phrase such as "between 21 Oct 2014 and 31 Oct 2014".

    Raises:
        DatesError: ``lang`` is not 'en' or 'ar'.

    >>> from dhakira.core.dates import parse_fuzzy_date
    >>> format_bounds(parse_fuzzy_date("late October 2014"))
    'between 21 Oct 2014 and 31 Oct 2014'
    >>> format_bounds(parse_fuzzy_date("أواخر تشرين الأول 2014"), "ar")
    'بين 21 تشرين الأول 2014 و31 تشرين الأول 2014'
    >>> format_bounds(parse_fuzzy_date("before 2015"))
    'on or before 31 Dec 2014'
    """
    if lang not in _PHRASES:
        raise DatesError(f"Unknown language {lang!r} for format_bounds; use 'en' or 'ar'.")
    phrases = _PHRASES[lang]
    first = _day(fd.earliest, lang, arabic_digits) if fd.earliest else None
    last = _day(fd.latest, lang, arabic_digits) if fd.latest else None
    if first and last:
        return (
            phrases["day"].format(first)
            if first == last
            else (phrases["between"].format(first, last))
        )
    if last:
        return phrases["until"].format(last)
    if first:
        return phrases["since"].format(first)
    return phrases["unknown"]
