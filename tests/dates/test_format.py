"""format_bounds: the live preview beside a date field."""

from __future__ import annotations

import pytest

from dhakira.core.dates import DatesError, format_bounds, parse_fuzzy_date


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("late October 2014", "en", "between 21 Oct 2014 and 31 Oct 2014"),
        ("late October 2014", "ar", "بين 21 تشرين الأول 2014 و31 تشرين الأول 2014"),
        ("2014-10-21", "en", "on 21 Oct 2014"),
        ("2014-10-21", "ar", "في 21 تشرين الأول 2014"),
        ("before 2015", "en", "on or before 31 Dec 2014"),
        ("after 2014", "en", "on or after 1 Jan 2015"),
        ("after 2014", "ar", "في 1 كانون الثاني 2015 أو بعده"),
        ("Ramadan 1436", "en", "between 16 Jun 2015 and 18 Jul 2015"),
        ("no idea at all", "en", "date unknown"),
        ("no idea at all", "ar", "التاريخ غير معروف"),
    ],
)
def test_it_describes_the_bounds(text, lang, expected):
    assert format_bounds(parse_fuzzy_date(text), lang) == expected


def test_it_can_write_arabic_indic_digits():
    text = format_bounds(parse_fuzzy_date("2014-10-21"), "ar", arabic_digits=True)
    assert text == "في ٢١ تشرين الأول ٢٠١٤"


def test_it_rejects_an_unknown_language():
    with pytest.raises(DatesError, match="'fr'"):
        format_bounds(parse_fuzzy_date("2014"), "fr")
