"""Issue 20, item 4: a messy Arabic spreadsheet into the dossier, all or nothing, once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.importing.sheets import (
    HEADERS,
    MAPPING,
    MESSY,
    messy_xlsx,
    write_csv,
    write_ods,
    write_xlsx,
)

from dhakira.apps.custody import store
from dhakira.apps.dossier.models import Act, Event, Information, NameVariant, Person, Place
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.importing.services import import_table
from dhakira.core.importing import TableError, load_mapping

pytestmark = pytest.mark.django_db


def _import(path: Path, cast: dict[str, Any], mapping: str = MAPPING, **kw: Any) -> Any:
    return import_table(path, load_mapping(mapping, "map.yaml"), actor=cast["rana"], **kw)


def test_a_messy_arabic_sheet_becomes_reports_with_custody_and_the_sheet_kept(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    out = _import(messy_xlsx(tmp_path / "ضحايا.xlsx"), cast)
    assert out.ok and (out.rows, out.new, out.already) == (6, 6, 0)
    assert Information.objects.count() == 6 and Act.objects.count() == 6
    # The sheet itself is evidence, in the sources compartment (it holds an ignored phone).
    sheet = EvidenceItem.objects.get()
    assert sheet.uid == out.sheet and sheet.original_name == "ضحايا.xlsx"
    assert sheet.compartment == "sources" and sheet.method == "spreadsheet import"
    # One custody entry per report, one for the sheet's intake and one for the run.
    entries = store.stored_about([*out.reports, out.sheet])
    assert sorted(e["subject"] for e in entries if e["action"] == "new_version") == sorted(out.reports)
    assert any(e["action"] == "other" and e["subject"] == out.sheet
               and e["detail"] == {"event": "import", "imported": 6, "already": 0} for e in entries)
    # Names in both scripts, the bidi mark kept (it is not a control), ages, sexes.
    ahmad = NameVariant.objects.get(text="أحمد خليل إبراهيم").person
    assert {n.text for n in ahmad.names.all()} == {"أحمد خليل إبراهيم", "Ahmad Khalil"}
    assert {n.script for n in ahmad.names.all()} == {"arab", "latn"}
    assert (ahmad.age, ahmad.sex) == (34, "male")
    assert NameVariant.objects.get(text="فاطمة علي").person.age == 27  # a formula's saved value
    # Dates typed every which way: a date cell, d/m/y, Arabic month and digits, Hijri.
    bounds = {e.title: (e.date_earliest, e.date_latest) for e in Event.objects.all()}
    by_victim = {a.victim.names.first().text: a for a in Act.objects.select_related("event")}
    assert by_victim["أحمد خليل إبراهيم"].date_earliest == date(2014, 10, 5)
    assert by_victim["فاطمة علي"].date_earliest == date(2015, 3, 15)
    assert (by_victim["Omar \u200fعمر حسن"].date_earliest,
            by_victim["Omar \u200fعمر حسن"].date_latest) == (date(2014, 6, 1), date(2014, 6, 30))
    maryam = by_victim["مريم يوسف"]
    assert maryam.date_calendar == "hijri" and maryam.date_earliest.year == 2015
    assert maryam.act_type == "forced_marriage"
    # The merged date cell gave both members of the family its date.
    assert by_victim["ليلى جاسم"].date_text == by_victim["سعيد جاسم"].date_text == "2015-01-02"
    assert Event.objects.count() == 6 and "القتل · الموصل · 2014-10-05" in bounds
    # One place per name, not one per row; the ignored phone number is nowhere in a report.
    assert Place.objects.filter(name_ar="الموصل").count() == 1
    assert not Information.objects.filter(text__contains="0770").exists()


def test_importing_the_same_sheet_again_adds_nothing_and_a_longer_one_only_its_new_rows(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    first = _import(messy_xlsx(tmp_path / "a.xlsx"), cast)
    again = _import(messy_xlsx(tmp_path / "a.xlsx"), cast)
    assert (again.new, again.already) == (0, 6)
    assert Information.objects.count() == 6 and Person.objects.count() == 6
    # The same rows in another format and order, plus one new row: only that row comes in.
    rows = [list(r) for r in MESSY]
    rows[0][4] = "2014-10-05"
    rows[4][4] = rows[5][4] = "2015-01-02"
    rows[2][2] = ""  # as in the XLSX, an empty age
    rows[1][2] = "27"
    extra = ["نور جاسم", "", 12, "أنثى", "2015-01-02", "الموصل", "killing", "NIN-03", "", ""]
    longer = write_csv(tmp_path / "a.csv", [*reversed(rows), extra])
    third = _import(longer, cast)
    assert (third.new, third.already) == (1, 6), (first.reports, third)
    assert Information.objects.count() == 7


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_same_sheet_imported_again_is_the_sheet_already_held(
        tmp_path: Path, cast: dict[str, Any], fmt: str) -> None:
    from dhakira.apps.custody.models import LedgerEntry
    from dhakira.apps.evidence.models import DerivedCopy

    sheet = (messy_xlsx(tmp_path / "a.xlsx") if fmt == "xlsx"
             else write_csv(tmp_path / "a.csv", MESSY))
    first = _import(sheet, cast)
    copies = DerivedCopy.objects.count()  # the CSV's text, once
    again = _import(sheet, cast, now=None)
    assert (again.new, again.already) == (0, 6)
    # The same bytes are the item already held: no second receipt, text copy or intake entry.
    assert again.sheet == first.sheet and EvidenceItem.objects.count() == 1
    assert DerivedCopy.objects.count() == copies
    assert LedgerEntry.objects.filter(action="intake").count() == 1
    # The second run is still recorded against the sheet.
    runs = LedgerEntry.objects.filter(action="other", subject=first.sheet,
                                      detail__event="import").order_by("pk")
    assert [e.detail["already"] for e in runs] == [0, 6]


def test_two_equal_rows_are_two_victims_and_stay_two_on_reimport(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    unknown = ["", "", None, "ذكر", "2014-08-03", "سنجار", "killing", "NIN-09", "", ""]
    sheet = write_csv(tmp_path / "u.csv", [unknown, unknown, unknown])
    assert _import(sheet, cast).new == 3
    assert _import(sheet, cast).already == 3
    assert Act.objects.count() == 3 and Person.objects.count() == 3


def test_a_refused_row_means_nothing_is_written_and_every_refusal_is_named(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    rows = [list(r) for r in MESSY]
    rows[1][6] = "قصف"  # not an act type
    rows[3][2] = "twenty"
    rows[4] = ["", "", None, "", None, "", "", "NIN-03", "", ""]  # nothing to record
    sheet = write_xlsx(tmp_path / "bad.xlsx", rows, formulas={"C2": "=B2*2"})
    seen: list[str] = []
    out = _import(sheet, cast, on_refusal=lambda r: seen.append(str(r)))
    assert not out.ok and out.refused == 4 and len(seen) == 4
    assert seen[0].startswith("bad.xlsx, row 2, column 'العمر': a formula saved without")
    assert seen[1].startswith("bad.xlsx, row 3, column 'نوع الانتهاك': 'قصف' is not a term")
    assert seen[2].startswith("bad.xlsx, row 5, column 'العمر': an age is a whole number")
    assert seen[3].startswith("bad.xlsx, row 6: no victim's name")
    assert not Information.objects.exists() and not EvidenceItem.objects.exists()
    assert not Person.objects.exists() and not Place.objects.exists()


def test_a_dry_run_counts_new_and_already_imported_rows_and_writes_nothing(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    sheet = messy_xlsx(tmp_path / "a.xlsx")
    dry = _import(sheet, cast, dry_run=True)
    assert dry.ok and (dry.new, dry.already) == (6, 0) and not dry.reports
    assert not Information.objects.exists() and not EvidenceItem.objects.exists()
    _import(sheet, cast)
    dry = _import(sheet, cast, dry_run=True)
    assert (dry.new, dry.already) == (0, 6)
    assert EvidenceItem.objects.count() == 1


def test_an_ods_with_a_merged_date_imports_like_the_xlsx(tmp_path: Path,
                                                         cast: dict[str, Any]) -> None:
    rows = [list(r) for r in MESSY]
    rows[0][4] = "2014-10-05"
    rows[4][4] = "2015-01-02"
    out = _import(write_ods(tmp_path / "a.ods", rows, cover=(4, 4, 2)), cast)
    assert out.new == 6
    leila = NameVariant.objects.get(text="ليلى جاسم").person
    assert leila.acts_suffered.get().date_earliest == date(2015, 1, 2)


def test_a_windows_1256_csv_reads_when_its_encoding_is_given(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    rows = [["علي حسين", "", 40, "ذكر", "2014-09-01", "الموصل", "القتل", "NIN-04", "", ""]]
    sheet = write_csv(tmp_path / "old.csv", rows, encoding="windows-1256")
    with pytest.raises(TableError, match=r"old.csv, row 1: the header is unreadable: bytes that "
                       r"are not utf-8 text"):
        _import(sheet, cast)
    out = _import(sheet, cast, mapping=MAPPING + "encoding: windows-1256\n")
    assert out.new == 1 and NameVariant.objects.filter(text="علي حسين").exists()


def test_calendar_hijri_reads_bare_numbers_as_hijri_dates(tmp_path: Path,
                                                          cast: dict[str, Any]) -> None:
    row = ["حسن علي", "", 30, "ذكر", "5/9/1436", "الموصل", "القتل", "NIN-05", "", ""]
    out = _import(write_csv(tmp_path / "h.csv", [row]), cast, mapping=MAPPING + "calendar: hijri\n")
    act = Act.objects.get()
    assert out.new == 1 and act.date_text == "5/9/1436" and act.date_calendar == "hijri"
    assert act.date_earliest.year == 2015  # 5 Ramadan 1436, not the year 1436 AD



def test_the_sheet_is_never_kept_outside_a_compartment(tmp_path: Path, cast: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="never in none"):
        _import(messy_xlsx(tmp_path / "a.xlsx"), cast, sheet_compartment="")
    assert not Information.objects.exists()


def test_gregorian_dates_in_a_hijri_sheet_are_refused_and_nothing_is_written(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    # In a row a sheet mapped calendar: hijri imported these with no date, silently: the
    # summary counted them as imported. Now each is a refusal naming file, row and column.
    rows = [["حسن علي", "", 30, "ذكر", "5/9/1436", "الموصل", "القتل", "NIN-05", "", ""],
            ["علي حسن", "", 31, "ذكر", "2014-08-03", "الموصل", "القتل", "NIN-05", "", ""],
            ["زينب علي", "", 32, "أنثى", "15/03/2015", "الموصل", "القتل", "NIN-05", "", ""],
            ["سارة علي", "", 33, "أنثى", "around 2015", "الموصل", "القتل", "NIN-05", "", ""],
            ["نادية علي", "", 34, "أنثى", "", "الموصل", "القتل", "NIN-05", "", ""]]
    seen: list[str] = []
    out = _import(write_csv(tmp_path / "h.csv", rows), cast,
                  mapping=MAPPING + "calendar: hijri\n", on_refusal=lambda r: seen.append(str(r)))
    assert not out.ok and out.refused == 3
    assert [s.split(":")[0] for s in seen] == [
        f"h.csv, row {n}, column 'التاريخ'" for n in (3, 4, 5)]
    assert all("looks like a Gregorian date" in s for s in seen)
    assert not Act.objects.exists() and not Information.objects.exists()


PROTECTED_MAPPING = MAPPING.replace("ignore: [هاتف المخبر]", "ignore: [هاتف المخبر]\n") \
    .replace("columns:\n", "columns:\n  محمي: compartment\n") \
    .replace("  received_at: \"2016-05-01\"\n", "  received_at: \"2016-05-01\"\n"
             "  compartment: protection\n") \
    + "  compartment: {نعم: protection, لا: \"\"}\n"


def test_a_mapping_protects_victims_names_by_default_and_a_row_may_say_no(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    """Issue: the mapping had no way to protect a victim; protected is the norm. The whole
    sheet in ``protection`` by default, a "محمي" column saying yes or no per row."""
    from django.test import Client
    from django.urls import reverse
    from tests.cast import PASSWORD

    from dhakira.apps.search import services as search

    said = ["نعم", "لا", "", "", "", ""]
    rows = [[*r, s] for r, s in zip(MESSY, said, strict=True)]
    sheet = write_csv(tmp_path / "protected.csv", rows, headers=[*HEADERS, "محمي"])
    out = _import(sheet, cast, PROTECTED_MAPPING, sheet_compartment="protection")
    assert out.ok and out.new == 6
    kept = {NameVariant.objects.get(text=name).information.compartment
            for name in ("أحمد خليل إبراهيم", "مريم يوسف", "ليلى جاسم")}
    assert kept == {"protection"}
    assert NameVariant.objects.get(text="فاطمة علي").information.compartment == ""

    def people(name: str) -> str:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        assert client.login(username=name, password=PASSWORD)
        return client.get(reverse("dossier:person_list")).content.decode()

    for uncleared in ("samir", "rana"):  # rana is cleared for sources and addresses only
        page = people(uncleared)
        assert "فاطمة علي" in page
        assert "أحمد خليل إبراهيم" not in page and "مريم يوسف" not in page, uncleared
    assert "أحمد خليل إبراهيم" in people("amal")  # cleared for protection
    # nor on the person's page, in the people API, or found by the name search
    ahmad = NameVariant.objects.get(text="أحمد خليل إبراهيم").person
    samir = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert samir.login(username="samir", password=PASSWORD)
    for url in (reverse("dossier:person_detail", args=[ahmad.pk]),
                reverse("dossier:api_person_detail", args=[ahmad.pk])):
        shown = samir.get(url).json() if "api" in url else samir.get(url).content.decode()
        assert "خليل" not in str(shown) and "Ahmad" not in str(shown), url
    for url in (reverse("dossier:person_list"), reverse("dossier:api_person_list")):
        found = samir.get(url, {"q": "خليل"}).content.decode()
        assert ahmad.uid not in found, url  # a protected name finds no one
        found = samir.get(url, {"q": "فاطمة"}).content.decode()
        assert NameVariant.objects.get(text="فاطمة علي").person.uid in found, url
    texts = [h.as_json() for h in search.search("شهادة", cleared=[])]
    assert texts == []  # the protected report's words are not found by the uncleared
    assert search.search("شهادة", cleared=["protection"])


def test_a_row_of_another_compartment_than_the_sheets_refuses_the_import(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    """The sheet is kept whole as evidence: protected rows in a sheet kept in `sources` let
    anyone cleared for sources read the protected victims' names in it (found by a field-team
    pass). Each such row is refused, naming the compartment to keep the sheet in; rows of no
    compartment are never refused for it."""
    said = ["نعم", "لا", "", "", "", ""]
    rows = [[*r, s] for r, s in zip(MESSY, said, strict=True)]
    sheet = write_csv(tmp_path / "protected.csv", rows, headers=[*HEADERS, "محمي"])
    out = _import(sheet, cast, PROTECTED_MAPPING)  # the sheet in `sources`, the default
    assert not out.ok and out.refused == 5 and Information.objects.count() == 0
    assert not EvidenceItem.objects.exists()
    assert [r.row for r in out.refusals] == [2, 4, 5, 6, 7]  # row 3 said no: no compartment
    assert all(r.column == "محمي" and "--sheet-compartment protection" in r.reason
               for r in out.refusals)
    from django.utils import translation

    from dhakira.apps.importing.texts import reason

    with translation.override("ar"):
        assert reason(out.refusals[0]).startswith("هذا الصف محفوظ في حجرة protection")


def test_a_protected_cell_that_is_no_compartment_refuses_the_row(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    rows = [[*MESSY[0], "ربما"]]
    sheet = write_csv(tmp_path / "p.csv", rows, headers=[*HEADERS, "محمي"])
    out = _import(sheet, cast, PROTECTED_MAPPING)
    assert not out.ok and Information.objects.count() == 0
    assert "is not a term of compartments" in str(out.refusals[0])


def test_the_compartments_vocabulary_is_the_dossiers_compartments() -> None:
    """The core cannot import the dossier's choices: its vocabulary repeats them, and must agree."""
    from dhakira.apps.dossier.models import Compartment
    from dhakira.core.vocabularies import load

    assert set(load("compartments").codes()) == set(Compartment.values)
