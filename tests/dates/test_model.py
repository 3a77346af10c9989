"""FuzzyDate: construction checks, overlaps, contains, round-trip."""

from __future__ import annotations

import datetime as dt

import pytest

from dhakira.core.dates import FuzzyDate, InvalidFuzzyDate, UnknownCalendar, parse_fuzzy_date

D = dt.date


def test_it_rejects_earliest_after_latest():
    with pytest.raises(InvalidFuzzyDate, match="after latest"):
        FuzzyDate("x", "gregorian", None, D(2015, 1, 2), D(2015, 1, 1), "range")


def test_it_rejects_an_unknown_calendar():
    with pytest.raises(UnknownCalendar):
        FuzzyDate("x", "julian", None, None, None, "unknown")  # type: ignore[arg-type]


def test_it_rejects_bounds_on_an_unknown_date():
    with pytest.raises(InvalidFuzzyDate):
        FuzzyDate("x", "gregorian", None, D(2015, 1, 1), None, "unknown")


def test_it_rejects_a_known_precision_without_bounds():
    with pytest.raises(InvalidFuzzyDate):
        FuzzyDate("x", "gregorian", "2015", None, None, "year")


def test_it_is_frozen():
    parsed = parse_fuzzy_date("2014")
    with pytest.raises(AttributeError):
        parsed.text = "2015"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("late October 2014", "2014-10-2X", True),
        ("early October 2014", "2014-10-2X", False),
        ("October 2014", "2014-10-31", True),
        ("October 2014", "2014-11-01", False),
        ("before October 2014", "after 2013", True),
        ("before 2014", "after 2014", False),
        ("Ramadan 1436", "summer 2015", True),
        ("Ramadan 1436", "2015-06-15", False),  # two days before 1 Ramadan 1436 (18 Jun)
        ("Ramadan 1436", "2015-06-16", True),  # inside the two-day sighting tolerance
        ("no idea", "2014", False),
    ],
)
def test_overlaps_compares_bounds(first, second, expected):
    a, b = parse_fuzzy_date(first), parse_fuzzy_date(second)
    assert a.overlaps(b) is expected
    assert b.overlaps(a) is expected


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        ("late October 2014", D(2014, 10, 21), True),
        ("late October 2014", D(2014, 10, 20), False),
        ("late October 2014", D(2014, 11, 1), False),
        ("before 2015", D(1900, 1, 1), True),
        ("before 2015", D(2015, 1, 1), False),
        ("after 2014", D(2030, 1, 1), True),
        ("something", D(2014, 1, 1), False),
    ],
)
def test_contains_respects_inclusive_and_open_bounds(text, day, expected):
    assert parse_fuzzy_date(text).contains(day) is expected


@pytest.mark.parametrize("text", ["5 رمضان 1436", "before 2015", "2014-10~", "nothing"])
def test_it_round_trips_through_a_dict(text):
    parsed = parse_fuzzy_date(text)
    assert FuzzyDate.from_dict(parsed.to_dict()) == parsed


def test_from_dict_names_the_problem():
    with pytest.raises(InvalidFuzzyDate, match="Cannot rebuild"):
        FuzzyDate.from_dict({"text": "x"})
