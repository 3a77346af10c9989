"""Properties of the fuzzy-date parser on random and on date-shaped text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dhakira.core.dates import DatesError, FuzzyDate, parse_fuzzy_date

pytestmark = pytest.mark.backend_independent

_MONTHS = ["January", "June", "Oct", "رمضان", "شوال", "تموز", "حزيران", "Ramadan"]
_WORDS = ["before", "after", "until", "since", "around", "about", "between", "and", "early",
          "late", "mid", "summer", "winter", "قبل", "بعد", "حتى", "منذ", "بين", "و", "حوالي",
          "صيف", "AH", "هـ", "of", "-", "/", "–", "?", "~", "X", "XX"]
_NUMBERS = st.integers(0, 10_000).map(str) | st.sampled_from(["0001", "9999", "1436", "1343",
                                                               "1500", "31", "29", "2014-10"])
date_like = st.lists(st.sampled_from(_MONTHS + _WORDS) | _NUMBERS, min_size=1, max_size=6).map(
    " ".join)
days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
anything = st.text(min_size=1, max_size=40) | date_like


@given(anything)
@example("after 9999")  # the day after 31 December 9999: OverflowError, an HTTP 500
@example("before 0001")
@example("بعد 9999")
@example("after 9999-12-31")
@example("around after 9999")
def test_parsing_never_raises_an_undeclared_error(text):
    try:
        date = parse_fuzzy_date(text)
    except DatesError:
        return
    assert date.text == text
    if date.earliest and date.latest:
        assert date.earliest <= date.latest


@given(date_like, st.sampled_from(["gregorian", "hijri"]))
def test_earliest_is_never_after_latest(text, calendar):
    date = parse_fuzzy_date(text, default_calendar=calendar)
    if date.earliest is not None and date.latest is not None:
        assert date.earliest <= date.latest
    assert date.is_known == (date.edtf is not None)


@given(date_like | days.map(dt.date.isoformat))
def test_the_edtf_value_reads_back_to_the_same_bounds(text):
    date = parse_fuzzy_date(text)
    if date.edtf is None:
        return
    again = parse_fuzzy_date(date.edtf)
    assert (again.earliest, again.latest) == (date.earliest, date.latest), date.edtf


@given(days, st.sampled_from(["{}", "{:%Y-%m}", "{:%Y}"]))
@example(dt.date(9999, 12, 31), "{}")
@example(dt.date(1, 1, 1), "{}")
def test_before_x_and_after_x_never_overlap_x(day, pattern):
    anchor = parse_fuzzy_date(pattern.format(day))
    for word in ("before", "after"):
        side = parse_fuzzy_date(f"{word} {pattern.format(day)}")
        if side.is_known:
            assert not side.overlaps(anchor), (word, side, anchor)


@given(date_like)
def test_a_date_survives_its_dict(text):
    date = parse_fuzzy_date(text)
    assert FuzzyDate.from_dict(date.to_dict()) == date
