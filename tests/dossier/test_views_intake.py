"""The report intake page: access, validation messages, the draft, preview and suggestions."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from tests.cast import PASSWORD, client_for, make_cast
from tests.dossier import scenario
from tests.dossier.intake_data import post_data

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import Act, Information, Involvement, NameVariant, Person

pytestmark = pytest.mark.django_db
URL = "/reports/new/"


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(username="rana").exists():
            make_cast()
    yield
    with django_db_blocker.unblock():
        from django.contrib.auth import get_user_model

        cast_users = get_user_model().objects.filter(username__in=["amal", "rana", "samir", "victor",
                                                                   "oscar"])
        # Made outside any test's transaction, so their account entries are removed by hand too.
        LedgerEntry.objects.filter(subject__in=[f"user:{pk}" for pk in
                                                cast_users.values_list("pk", flat=True)]).delete()
        cast_users.delete()


def test_it_works(cast) -> None:  # type: ignore[no-untyped-def]
    response = client_for("rana").post(URL, post_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    info = Information.objects.get()
    assert response["Location"] == reverse("dossier:report_detail", args=[info.pk])
    assert Act.objects.count() == 2 and Involvement.objects.count() == 2
    assert info.persons.count() == 3
    assert LedgerEntry.objects.filter(action="new_version", subject=info.uid).exists()


def test_it_forbids_viewers(cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for("victor")
    assert client.get(URL).status_code == 403
    assert client.post(URL, post_data()).status_code == 403
    assert not Information.objects.exists()


def test_it_hides_the_page_from_outsiders(cast) -> None:  # type: ignore[no-untyped-def]

    get_user_model().objects.create_user("outsider", password=PASSWORD)
    assert client_for("outsider").get(URL).status_code == 404


def test_it_requires_login(cast) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(URL).status_code == 302


def test_it_names_the_field_and_the_fix_in_english(cast) -> None:  # type: ignore[no-untyped-def]
    response = client_for("rana").post(URL, post_data(**{"r-source_code": "", "v-0-age": "-3"}))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Source (code name)</a>: Enter the source&#x27;s code name" in body
    assert "The age cannot be negative." in body
    assert not Information.objects.exists() and not Person.objects.exists()


def test_it_names_the_field_and_the_fix_in_arabic(cast) -> None:  # type: ignore[no-untyped-def]
    response = client_for("rana", "ar").post(URL, post_data(**{"r-source_code": ""}))
    body = response.content.decode()
    with translation.override("ar"):
        label = str(translation.gettext("Source (code name)"))
    assert label != "Source (code name)"
    assert label in body and 'dir="rtl"' in body


@pytest.mark.parametrize("field", ["v-1-name", "v-0-other_name", "p-0-name"])
@pytest.mark.parametrize("text", ["\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652",
                                  "\u0640\u0640\u0640\u0640", "\u200d\u200c\u200f"],
                         ids=["harakat only", "tatweel only", "invisible marks"])
def test_a_name_with_no_letter_of_a_name_is_refused_in_both_languages(  # type: ignore[no-untyped-def]
        cast, field, text) -> None:
    """Such a person could never be found or matched (its key is empty); it was saved."""
    for lang in ("en", "ar"):
        response = client_for("rana", lang).post(URL, post_data(**{field: text}))
        assert response.status_code == 400
        with translation.override(lang):
            words = str(translation.gettext(
                "This holds no letter of a name (only marks, strokes or spaces): write the name, "
                "or “unknown” if it was not given."))
        assert words[:40] in response.content.decode()  # before the quotation marks, escaped
    assert not Information.objects.exists() and not Person.objects.exists()


def test_it_rejects_an_act_for_a_victim_not_listed(cast) -> None:  # type: ignore[no-untyped-def]
    response = client_for("rana").post(URL, post_data(**{"a-0-victim": "5"}))
    assert response.status_code == 400
    assert "There is no victim with this number" in response.content.decode()
    assert not Act.objects.exists()


def _three_victims_the_second_blank(**acts: str) -> dict[str, str]:
    return post_data(**{"v-TOTAL_FORMS": "3", "v-1-name": "", "v-1-sex": "",
                        "v-2-name": "سارة كاظم", "v-2-sex": "female", "v-2-age": "",
                        "a-TOTAL_FORMS": "2", "a-1-act_type": "torture", "a-1-method": "",
                        "a-1-result": "", "a-1-stated_reason": "", **acts})


def test_an_act_goes_to_the_victim_of_its_row_though_a_row_above_is_blank(cast) -> None:  # type: ignore[no-untyped-def]
    """Victims 1 and 3 named, row 2 left blank: an act for victim 3 was refused ("no victim
    with this number") and one for victim 2 was saved against victim 3 (the number counted
    named rows only; found by a field-team pass)."""
    refused = client_for("rana").post(URL, _three_victims_the_second_blank(**{"a-1-victim": "1"}))
    assert refused.status_code == 400
    assert "There is no victim with this number" in refused.content.decode()
    assert not Act.objects.exists()
    saved = client_for("rana").post(URL, _three_victims_the_second_blank(**{"a-1-victim": "2"}))
    assert saved.status_code == 302
    torture = Act.objects.get(act_type="torture")
    assert [v.text for v in torture.victim.names.all()] == ["سارة كاظم"]


def test_it_previews_the_bounds_of_a_fuzzy_date(cast) -> None:  # type: ignore[no-untyped-def]
    data = client_for("rana").get(reverse("dossier:date_preview"), {"text": "late October 2014"}).json()
    assert data == {"bounds": "between 21 Oct 2014 and 31 Oct 2014", "edtf": data["edtf"],
                    "earliest": "2014-10-21", "latest": "2014-10-31", "hint": ""}


@pytest.mark.parametrize(("text", "hinted"), [("1436/9/5", True), ("ربيع 1436", True),
                                              ("1436 AD", False), ("1436/9/5 هـ", False),
                                              ("5/9/2015", False)])
def test_the_preview_says_when_a_bare_year_of_the_hijri_range_is_read_as_gregorian(  # type: ignore[no-untyped-def]
        cast, text, hinted) -> None:
    """"1436/9/5" previewed as 5 September 1436 AD with no word (found by a field-team pass):
    numbers are read as Gregorian (docs/dates.md); the preview now says so for such a year."""
    data = client_for("rana", "ar").get(reverse("dossier:date_preview"), {"text": text}).json()
    assert bool(data["hint"]) == hinted, data
    if hinted:
        assert "التقويم الميلادي" in data["hint"] and "هـ" in data["hint"]


def test_it_keeps_a_draft_across_logins(cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for("rana")
    draft = {"r-event_title": "Arrest at the market", "v-0-name": "محمد"}
    response = client.post(reverse("dossier:draft_save"), json.dumps(draft),
                           content_type="application/json")
    assert response.status_code == 200
    client.logout()
    page = client_for("rana").get(URL).content.decode()
    assert "Arrest at the market" in page
    assert "Arrest at the market" not in client_for("amal").get(URL).content.decode()


def test_it_discards_the_draft_once_the_report_is_saved(cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for("rana")
    client.post(reverse("dossier:draft_save"), json.dumps({"r-event_title": "Zzz draft"}),
                content_type="application/json")
    client.post(URL, post_data())
    assert "Zzz draft" not in client.get(URL).content.decode()


def test_it_suggests_people_already_recorded_by_post_only(cast) -> None:  # type: ignore[no-untyped-def]
    s = scenario.build()
    client = client_for("rana")
    url = reverse("dossier:name_suggestions")
    assert client.get(url, {"name": "Mohammed Ali Hussein"}).status_code == 405
    results = client.post(url, {"name": "محمّد علي حسين"}).json()["results"]
    assert [r["id"] for r in results] == [s.victim.uid]
    assert NameVariant.objects.filter(person=s.victim).count() == 2


def test_it_takes_uploaded_files_into_the_evidence_locker(cast) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dhakira.apps.evidence.models import EvidenceItem

    upload = SimpleUploadedFile("statement.txt", "شهادة مكتوبة، اختبار".encode(), "text/plain")
    response = client_for("rana").post(URL, {**post_data(), "f-files": [upload], "f-graphic": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    item = EvidenceItem.objects.get()
    info = Information.objects.get()
    assert (item.information, item.graphic, item.collector) == (info, True, "rana")
    assert item.uid in LedgerEntry.objects.get(subject=info.uid).detail["files"]


@pytest.mark.parametrize(("lang", "shown"), [("ar", "مكتب الحسبة في الموصل"),
                                             ("en", "Hisba office, Mosul")])
def test_issue17_9_a_named_perpetrator_s_unit_is_shown_on_the_report(cast, lang, shown) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import Unit

    unit = Unit.objects.create(name_en="Hisba office, Mosul", name_ar="مكتب الحسبة في الموصل")
    response = client_for("rana").post(URL, post_data(**{"p-0-unit": str(unit.pk)}))
    assert response.status_code == 302, response.content[:2000]
    assert all(i.perpetrator_id for i in Involvement.objects.filter(unit=unit))  # named, in a unit
    page = client_for("rana", lang).get(response["Location"]).content.decode()
    acts = page[page.index('class="acts"'):]
    assert shown in acts and "أبو عمر الشامي" in acts


@pytest.mark.parametrize("text", ["after 9999", "before 0001", "بعد 9999"])
def test_finding_18_7_a_date_past_the_calendar_previews_as_unknown_not_a_500(
        cast, text) -> None:  # type: ignore[no-untyped-def]
    response = client_for("rana").get(reverse("dossier:date_preview"), {"text": text})
    assert response.status_code == 200
    assert response.json() == {"bounds": "date unknown", "edtf": None, "earliest": None,
                               "latest": None, "hint": ""}


def test_finding_18_7_a_report_dated_after_9999_keeps_the_words_and_no_bounds(
        cast) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import Event

    response = client_for("rana").post(URL, post_data(**{"r-date_text": "after 9999"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.date_text == "after 9999"
    assert (event.date_earliest, event.date_latest, event.date_edtf) == (None, None, "")


@pytest.mark.parametrize("prefix", ["v", "a", "p"])
@pytest.mark.parametrize("total", ["100000", "1001", "41"])
def test_walk_too_many_rows_asked_for_get_a_short_refusal_in_both_languages(  # type: ignore[no-untyped-def]
        cast, prefix, total) -> None:
    """A management form asking for more rows than a formset holds rendered every empty form
    (about a megabyte); it is refused with a short page, nothing saved."""
    limit = {"v": 20, "a": 20, "p": 10}[prefix]
    said = {}
    for lang in ("en", "ar"):
        response = client_for("rana", lang).post(URL, post_data(**{f"{prefix}-TOTAL_FORMS": total}))
        assert response.status_code == 400
        body = response.content.decode()
        assert len(body) < 30_000, len(body)
        with translation.override(lang):
            said[lang] = str(translation.gettext(
                "The form asked for more rows than it holds (at most %(max)s). Nothing was "
                "saved: open the report form again.")) % {"max": limit}
        assert said[lang] in body
    assert said["ar"] != said["en"]
    assert not Information.objects.exists()


@pytest.mark.parametrize("prefix", ["v", "a", "p"])
def test_walk_one_row_too_many_is_named_on_the_form(cast, prefix) -> None:  # type: ignore[no-untyped-def]
    """A row past a formset's limit (its button adds rows freely) was refused with no word."""
    limit = {"v": 20, "a": 20, "p": 10}[prefix]
    response = client_for("rana").post(URL, post_data(**{f"{prefix}-TOTAL_FORMS": str(limit + 1)}))
    assert response.status_code == 400
    assert f"Please submit at most {limit} forms." in response.content.decode()
    assert not Information.objects.exists()


def test_issue19_a_save_and_its_report_page_read_the_source_and_the_names_once(cast) -> None:  # type: ignore[no-untyped-def]
    """The form reads the source to check its code name, and the save uses that row; the
    report's page reads its people's names once, for its people and its acts alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dhakira.apps.dossier.models import Source

    Source.objects.create(code_name="NINAWA-07", reliability="b")
    client = client_for("rana")
    with CaptureQueriesContext(connection) as saving:
        response = client.post(URL, post_data(**{"r-new_source": ""}))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sum('FROM "dossier_source"' in q["sql"] for q in saving.captured_queries) == 1
    assert Information.objects.get().source.code_name == "NINAWA-07"
    with CaptureQueriesContext(connection) as reading:
        page = client.get(response["Location"]).content.decode()
    assert sum('FROM "dossier_namevariant"' in q["sql"] for q in reading.captured_queries) == 1
    acts = page[page.index('class="acts"'):]
    assert "Mohammed" in acts or "محمّد" in acts
    assert "أبو عمر الشامي" in acts  # the perpetrator, one of the report's people


def test_the_error_summary_names_the_row_of_a_victims_field(cast) -> None:  # type: ignore[no-untyped-def]
    """The summary said «الاسم» without saying which victim's name (found by a field-team
    pass): a row's field is named with its row."""
    data = post_data(**{"v-TOTAL_FORMS": "2", "v-1-name": "ـــ", "v-1-sex": ""})
    body = client_for("rana", "ar").post(URL, data).content.decode()
    summary = body.split('id="error-summary"')[1].split("</section>")[0]
    assert "الضحية 2: " in summary, summary
