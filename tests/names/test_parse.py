"""parse_name: ism, nasab, nisba/laqab, kunya, honorifics, script."""

from __future__ import annotations

import dataclasses

import pytest

from dhakira.core.names import EmptyNameError, ParsedName, parse_name


def test_it_reads_the_iraqi_three_part_name_as_ism_father_grandfather() -> None:
    p = parse_name("محمد علي حسين")
    assert (p.ism, p.nasab, p.father, p.grandfather) == ("محمد", ("علي", "حسين"), "علي", "حسين")


def test_it_follows_explicit_nasab_markers() -> None:
    p = parse_name("Ahmed ibn Ali ibn Hussein al-Baghdadi")
    assert (p.ism, p.nasab, p.nisba) == ("Ahmed", ("Ali", "Hussein"), ("al-Baghdadi",))


def test_a_name_after_bin_is_nasab_even_with_the_article() -> None:
    assert parse_name("علي بن الحسين").nasab == ("الحسين",)


def test_it_reads_bint() -> None:
    assert parse_name("فاطمة بنت علي").nasab == ("علي",)


@pytest.mark.parametrize(
    ("text", "nisba"),
    [
        ("Khalid al-Jubouri", ("al-Jubouri",)),
        ("Khalid Al Jubouri", ("Al Jubouri",)),
        ("Khalid Aljubouri", ("Aljubouri",)),
        ("خالد الجبوري التكريتي", ("الجبوري", "التكريتي")),
    ],
)
def test_it_collects_nisba_and_laqab(text: str, nisba: tuple[str, ...]) -> None:
    assert parse_name(text).nisba == nisba


@pytest.mark.parametrize(
    ("text", "kunya", "gender"),
    [
        ("Abu Ali", "Abu Ali", "m"),
        ("أبو علي", "أبو علي", "m"),
        ("ابو علي", "ابو علي", "m"),
        ("Umm Ahmed", "Umm Ahmed", "f"),
        ("أم أحمد", "أم أحمد", "f"),
        ("Abu Abd al-Rahman al-Iraqi", "Abu Abd al-Rahman", "m"),
        ("Abu-Omar", "Abu Omar", "m"),
    ],
)
def test_it_reads_the_kunya(text: str, kunya: str, gender: str) -> None:
    p = parse_name(text)
    assert (p.kunya, p.kunya_gender, p.ism) == (kunya, gender, None)


def test_a_kunya_before_the_ism_is_kept_apart() -> None:
    p = parse_name("Abu Omar Mohammed Ali")
    assert (p.kunya, p.kunya_name, p.ism, p.nasab) == ("Abu Omar", "Omar", "Mohammed", ("Ali",))


@pytest.mark.parametrize(
    ("text", "titles", "ism"),
    [
        ("Sheikh Ahmed", ("Sheikh",), "Ahmed"),
        ("Dr. Ahmed", ("Dr",), "Ahmed"),
        ("Hajji Sayyid Ahmed", ("Hajji", "Sayyid"), "Ahmed"),
        ("Al-Hajj Ahmed", ("Al-Hajj",), "Ahmed"),
        ("الحاج الشيخ احمد", ("الحاج", "الشيخ"), "احمد"),
        ("السيد احمد", ("السيد",), "احمد"),
    ],
)
def test_it_removes_leading_honorifics(text: str, titles: tuple[str, ...], ism: str) -> None:
    p = parse_name(text)
    assert (p.honorifics, p.ism) == (titles, ism)


def test_a_title_that_is_the_only_word_is_kept_as_the_name() -> None:
    assert parse_name("Sayed").ism == "Sayed"


@pytest.mark.parametrize(
    ("text", "ism"),
    [
        ("عبد الرحمن محمد", "عبد الرحمن"),
        ("Abd al-Rahman Mohammed", "Abd al-Rahman"),
        ("Abd al Rahman Mohammed", "Abd al Rahman"),
        ("Abdul Rahman Mohammed", "Abdul Rahman"),
        ("Abdulrahman Mohammed", "Abdulrahman"),
        ("نور الدين محمد", "نور الدين"),
        ("Nur al Din Mohammed", "Nur al Din"),
        ("Salah ad-Din Mohammed", "Salah ad-Din"),
    ],
)
def test_it_keeps_compound_names_whole(text: str, ism: str) -> None:
    p = parse_name(text)
    assert (p.ism, p.nasab) == (ism, ("Mohammed",) if text.isascii() else ("محمد",))


@pytest.mark.parametrize(
    ("text", "script"),
    [("محمد", "arab"), ("Mohammed", "latn"), ("Mohammed علي", "mixed")],
)
def test_it_reports_the_script(text: str, script: str) -> None:
    assert parse_name(text).script == script


def test_it_strips_harakat_from_parts() -> None:
    assert parse_name("مُحَمَّد عَلِي").nasab == ("علي",)


def test_the_result_is_frozen() -> None:
    p = parse_name("Ali")
    assert isinstance(p, ParsedName)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.ism = "Omar"  # type: ignore[misc]


@pytest.mark.parametrize("text", ["", "   ", "-- ,,", "Sheikh"])
def test_it_rejects_text_without_a_name(text: str) -> None:
    if text == "Sheikh":
        assert parse_name(text).ism == "Sheikh"  # a lone title is kept: it may be a name
        return
    with pytest.raises(EmptyNameError):
        parse_name(text)


def test_given_names_that_look_like_the_article_keep_the_nasab() -> None:
    # إلياس (Ilyas) begins like "al-" but is a given name, not a family name.
    parsed = parse_name("إلياس خالد حسين")
    assert parsed.ism == "إلياس" and parsed.nasab == ("خالد", "حسين") and parsed.nisba == ()
