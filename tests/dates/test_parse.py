"""Table-driven tests of parse_fuzzy_date: every case states its exact bounds."""

from __future__ import annotations

import datetime as dt

import pytest
from hijridate import Hijri

from dhakira.core.dates import EmptyDateText, UnknownCalendar, parse_fuzzy_date

D = dt.date
TWO_DAYS = dt.timedelta(days=2)


def hijri_bounds(year: int, month: int, first: int | None = None, last: int | None = None):
    """Umm al-Qura days via hijridate, widened by two days each side (local sighting)."""
    length = Hijri(year, month, 1).month_length()
    start = Hijri(year, month, first or 1).to_gregorian()
    end = Hijri(year, month, min(last or first or length, length)).to_gregorian()
    return D(start.year, start.month, start.day) - TWO_DAYS, D(
        end.year, end.month, end.day
    ) + TWO_DAYS


RAMADAN_1436 = hijri_bounds(1436, 9)

# (text, calendar, earliest, latest, precision)
CASES = [
    ("2014-10-21", "gregorian", D(2014, 10, 21), D(2014, 10, 21), "day"),
    ("21/10/2014", "gregorian", D(2014, 10, 21), D(2014, 10, 21), "day"),
    ("21.10.2014", "gregorian", D(2014, 10, 21), D(2014, 10, 21), "day"),
    ("٢١/١٠/٢٠١٤", "gregorian", D(2014, 10, 21), D(2014, 10, 21), "day"),
    ("21 October 2014", "gregorian", D(2014, 10, 21), D(2014, 10, 21), "day"),
    ("October 21, 2014", "gregorian", D(2014, 10, 21), D(2014, 10, 21), "day"),
    ("October 2014", "gregorian", D(2014, 10, 1), D(2014, 10, 31), "month"),
    ("Oct 2014", "gregorian", D(2014, 10, 1), D(2014, 10, 31), "month"),
    ("Sept. 2014", "gregorian", D(2014, 9, 1), D(2014, 9, 30), "month"),
    ("10/2014", "gregorian", D(2014, 10, 1), D(2014, 10, 31), "month"),
    ("February 2016", "gregorian", D(2016, 2, 1), D(2016, 2, 29), "month"),
    ("late October 2014", "gregorian", D(2014, 10, 21), D(2014, 10, 31), "range"),
    ("early October 2014", "gregorian", D(2014, 10, 1), D(2014, 10, 10), "range"),
    ("mid October 2014", "gregorian", D(2014, 10, 11), D(2014, 10, 20), "range"),
    ("mid-October 2014", "gregorian", D(2014, 10, 11), D(2014, 10, 20), "range"),
    ("late February 2015", "gregorian", D(2015, 2, 21), D(2015, 2, 28), "range"),
    ("summer 2015", "gregorian", D(2015, 6, 1), D(2015, 8, 31), "season"),
    ("in the summer of 2015", "gregorian", D(2015, 6, 1), D(2015, 8, 31), "season"),
    ("spring 2016", "gregorian", D(2016, 3, 1), D(2016, 5, 31), "season"),
    ("autumn 2014", "gregorian", D(2014, 9, 1), D(2014, 11, 30), "season"),
    ("winter 2015", "gregorian", D(2015, 12, 1), D(2016, 2, 29), "season"),
    ("winter 2014/15", "gregorian", D(2014, 12, 1), D(2015, 2, 28), "season"),
    ("2014", "gregorian", D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("2014-10~", "gregorian", D(2014, 10, 1), D(2014, 10, 31), "month"),
    ("2014-10", "gregorian", D(2014, 10, 1), D(2014, 10, 31), "month"),
    ("2014?", "gregorian", D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("2015-06/2015-08", "gregorian", D(2015, 6, 1), D(2015, 8, 31), "range"),
    ("2014-10-2X", "gregorian", D(2014, 10, 20), D(2014, 10, 29), "range"),
    ("2014-10-XX", "gregorian", D(2014, 10, 1), D(2014, 10, 31), "month"),
    ("201X", "gregorian", D(2010, 1, 1), D(2019, 12, 31), "range"),
    ("2015-22", "gregorian", D(2015, 6, 1), D(2015, 8, 31), "season"),
    ("between June and August 2015", "gregorian", D(2015, 6, 1), D(2015, 8, 31), "range"),
    ("between 5 and 10 October 2014", "gregorian", D(2014, 10, 5), D(2014, 10, 10), "range"),
    ("from 2014 to 2016", "gregorian", D(2014, 1, 1), D(2016, 12, 31), "range"),
    ("June–August 2015", "gregorian", D(2015, 6, 1), D(2015, 8, 31), "range"),
    ("before October 2014", "gregorian", None, D(2014, 9, 30), "range"),
    ("after 2014", "gregorian", D(2015, 1, 1), None, "range"),
    ("until June 2015", "gregorian", None, D(2015, 6, 30), "range"),
    ("since June 2014", "gregorian", D(2014, 6, 1), None, "range"),
    ("around October 2014", "gregorian", D(2014, 10, 1), D(2014, 10, 31), "month"),
    ("تشرين الأول 2014", "gregorian", D(2014, 10, 1), D(2014, 10, 31), "month"),
    ("أكتوبر 2014", "gregorian", D(2014, 10, 1), D(2014, 10, 31), "month"),
    ("حزيران ٢٠١٤", "gregorian", D(2014, 6, 1), D(2014, 6, 30), "month"),
    ("صيف 2015", "gregorian", D(2015, 6, 1), D(2015, 8, 31), "season"),
    ("في صيف عام 2015", "gregorian", D(2015, 6, 1), D(2015, 8, 31), "season"),
    ("أواخر تشرين الأول 2014", "gregorian", D(2014, 10, 21), D(2014, 10, 31), "range"),
    ("أوائل آب 2014", "gregorian", D(2014, 8, 1), D(2014, 8, 10), "range"),
    ("بين حزيران وآب 2015", "gregorian", D(2015, 6, 1), D(2015, 8, 31), "range"),
    ("من تموز 2014 إلى آب 2014", "gregorian", D(2014, 7, 1), D(2014, 8, 31), "range"),
    ("قبل 2015", "gregorian", None, D(2014, 12, 31), "range"),
    ("Ramadan 1436", "hijri", *RAMADAN_1436, "month"),
    ("رمضان 1436", "hijri", *RAMADAN_1436, "month"),
    ("Ramadhan 1436", "hijri", *RAMADAN_1436, "month"),
    ("Ramazan 1436", "hijri", *RAMADAN_1436, "month"),
    ("Ramadan 2015", "hijri", *RAMADAN_1436, "month"),
    ("5 رمضان 1436", "hijri", *hijri_bounds(1436, 9, 5), "day"),
    ("5 Ramadan 1436 AH", "hijri", *hijri_bounds(1436, 9, 5), "day"),
    ("أواخر رمضان 1436", "hijri", *hijri_bounds(1436, 9, 21, 30), "range"),
    ("Shawwal 1435 AH", "hijri", *hijri_bounds(1435, 10), "month"),
    ("1436 AH", "hijri", hijri_bounds(1436, 1)[0], hijri_bounds(1436, 12)[1], "year"),
    ("١٤٣٦ هـ", "hijri", hijri_bounds(1436, 1)[0], hijri_bounds(1436, 12)[1], "year"),
    ("Muharram 1436", "hijri", *hijri_bounds(1436, 1), "month"),
    ("Safar 1436", "hijri", *hijri_bounds(1436, 2), "month"),
    ("Rabi al-Awwal 1436", "hijri", *hijri_bounds(1436, 3), "month"),
    ("Rabi' al-Thani 1436", "hijri", *hijri_bounds(1436, 4), "month"),
    ("Jumada al-Ula 1436", "hijri", *hijri_bounds(1436, 5), "month"),
    ("Jumada al-Akhira 1436", "hijri", *hijri_bounds(1436, 6), "month"),
    ("Rajab 1436", "hijri", *hijri_bounds(1436, 7), "month"),
    ("Sha'ban 1436", "hijri", *hijri_bounds(1436, 8), "month"),
    ("Dhu al-Qa'da 1435", "hijri", *hijri_bounds(1435, 11), "month"),
    ("Dhu al-Hijjah 1435", "hijri", *hijri_bounds(1435, 12), "month"),
    ("Thul-Hijja 1435", "hijri", *hijri_bounds(1435, 12), "month"),
    ("ذو الحجة 1435", "hijri", *hijri_bounds(1435, 12), "month"),
    ("جمادى الآخرة 1436", "hijri", *hijri_bounds(1436, 6), "month"),
]


@pytest.mark.parametrize(("text", "calendar", "earliest", "latest", "precision"), CASES)
def test_it_parses_to_stated_bounds(text, calendar, earliest, latest, precision):
    parsed = parse_fuzzy_date(text)
    assert (parsed.calendar, parsed.earliest, parsed.latest, parsed.precision) == (
        calendar,
        earliest,
        latest,
        precision,
    )
    assert parsed.text == text


def test_the_table_has_at_least_forty_cases():
    assert len(CASES) >= 40


def test_ramadan_1436_matches_the_reference_umm_al_qura_dates_widened_by_two_days():
    # legal-and-evidence.md 7.1: Ramadan 1436 = 18 Jun - 16 Jul 2015 (Umm al-Qura).
    parsed = parse_fuzzy_date("Ramadan 1436")
    assert (parsed.earliest, parsed.latest) == (D(2015, 6, 16), D(2015, 7, 18))
    assert parsed.hijri == "1436-09"


@pytest.mark.parametrize(
    ("text", "edtf", "qualifier"),
    [
        ("late October 2014", "2014-10-21/2014-10-31", "exact"),
        ("October 2014", "2014-10", "exact"),
        ("2014-10~", "2014-10~", "approximate"),
        ("2014?", "2014?", "uncertain"),
        ("2014-10-21%", "2014-10-21%", "uncertain_approximate"),
        ("around October 2014", "2014-10~", "approximate"),
        ("summer 2015", "2015-06/2015-08", "exact"),
        ("before October 2014", "../2014-09-30", "exact"),
        ("after 2014", "2015-01-01/..", "exact"),
        ("Ramadan 1436", "2015-06-16/2015-07-18", "exact"),
    ],
)
def test_it_records_an_honest_edtf_value(text, edtf, qualifier):
    parsed = parse_fuzzy_date(text)
    assert (parsed.edtf, parsed.qualifier) == (edtf, qualifier)


def test_approximate_qualifier_does_not_widen_bounds_like_the_edtf_package():
    # The edtf package padded "2014-10~" to 2013-09-01..2015-11-30.
    parsed = parse_fuzzy_date("2014-10~")
    assert (parsed.earliest, parsed.latest) == (D(2014, 10, 1), D(2014, 10, 31))


@pytest.mark.parametrize(
    "text",
    [
        "the day the bridge fell",
        "31/02/2014",
        "30 Ramadan 1436",  # Ramadan 1436 has 29 days in Umm al-Qura
        "2014-13",
        "Ramadan",
        "between 2016 and 2014",
        "late summer 2015",
        "winter 2014/2016",
        "Safar 1501 AH",
        "October AH 2014",
    ],
)
def test_it_keeps_unparseable_text_verbatim_without_bounds(text):
    parsed = parse_fuzzy_date(text)
    assert parsed.text == text
    assert (parsed.edtf, parsed.earliest, parsed.latest) == (None, None, None)
    assert parsed.precision == "unknown"
    assert parsed.calendar == "gregorian"


def test_unknown_dates_take_the_default_calendar():
    assert parse_fuzzy_date("no idea", default_calendar="hijri").calendar == "hijri"


def test_default_hijri_calendar_reads_bare_numbers_as_hijri():
    parsed = parse_fuzzy_date("5/9/1436", default_calendar="hijri")
    assert (parsed.earliest, parsed.latest) == hijri_bounds(1436, 9, 5)
    assert parsed.calendar == "hijri"


def test_default_gregorian_calendar_reads_bare_numbers_literally():
    parsed = parse_fuzzy_date("1436")
    assert (parsed.calendar, parsed.earliest) == ("gregorian", D(1436, 1, 1))


def test_it_keeps_the_text_verbatim_including_spacing():
    text = "  أواخر  تشرين الأول ٢٠١٤ "
    assert parse_fuzzy_date(text).text == text


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_it_rejects_empty_text(text):
    with pytest.raises(EmptyDateText):
        parse_fuzzy_date(text)


def test_it_rejects_an_unknown_default_calendar():
    with pytest.raises(UnknownCalendar, match="julian"):
        parse_fuzzy_date("2014", default_calendar="julian")
