"""Fuzzy dates: the words as given, the calendar, an EDTF value and explicit bounds.

Witnesses say "late October 2014", "Ramadan 1436" or "صيف 2015"; captured documents are
dated in the Hijri calendar. :func:`parse_fuzzy_date` keeps the words verbatim and states
the Gregorian days they allow; text it cannot read keeps no bounds rather than a guess.
See docs/dates.md for the rules.

>>> d = parse_fuzzy_date("5 رمضان 1436")
>>> format_bounds(d)
'between 20 Jun 2015 and 24 Jun 2015'
"""

from dhakira.core.dates._format import format_bounds
from dhakira.core.dates._model import CALENDARS, PRECISIONS, QUALIFIERS, FuzzyDate
from dhakira.core.dates._parse import parse_fuzzy_date
from dhakira.core.dates._spans import HIJRI_TOLERANCE_DAYS
from dhakira.core.dates.errors import DatesError, EmptyDateText, InvalidFuzzyDate, UnknownCalendar

__all__ = [
    "CALENDARS",
    "HIJRI_TOLERANCE_DAYS",
    "PRECISIONS",
    "QUALIFIERS",
    "DatesError",
    "EmptyDateText",
    "FuzzyDate",
    "InvalidFuzzyDate",
    "UnknownCalendar",
    "format_bounds",
    "parse_fuzzy_date",
]
