"""Issue 17, findings 1 and 2: grades are chosen, never assumed; sources are picked, not
invented by a typo; and the facts the law needs are recorded on the form."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from tests.cast import client_for
from tests.dossier.intake_data import post_data
from tests.dossier.test_views_intake import URL, cast  # noqa: F401 - the fixture

from dhakira.apps.dossier.models import Act, Information, Place, Source
from dhakira.apps.law import services as legal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def _selected(body: str, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    first = re.search(r'<option value="([^"]*)"', select.group(1))
    return (chosen or first).group(1)  # type: ignore[union-attr]


def test_finding_17_1_reliability_and_credibility_start_unassessed() -> None:
    body = client_for("rana").get(URL).content.decode()
    assert _selected(body, "r-credibility") == ""
    assert _selected(body, "r-source_reliability") == ""


def test_finding_17_1_credibility_must_be_chosen() -> None:
    response = client_for("rana").post(URL, post_data(**{"r-credibility": ""}))
    assert response.status_code == 400
    assert "choose 6 if it cannot be judged" in response.content.decode()
    assert not Information.objects.exists()


def test_finding_17_1_a_code_name_in_other_capitals_is_the_existing_source() -> None:
    known = Source.objects.create(code_name="NINAWA-05", kind="informant", reliability="c")
    data = post_data(**{"r-source_code": "ninawa-05", "r-source_reliability": "a"})
    del data["r-new_source"]
    response = client_for("rana").post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Information.objects.get().source == known
    assert list(Source.objects.values_list("code_name", "reliability")) == [("NINAWA-05", "c")]


def test_finding_17_1_an_unknown_code_name_is_not_created_without_confirmation() -> None:
    Source.objects.create(code_name="NINAWA-05", kind="informant", reliability="c")
    data = post_data(**{"r-source_code": "NINAWA-50"})
    del data["r-new_source"]
    response = client_for("rana").post(URL, data)
    assert response.status_code == 400
    assert "No source has this code name" in response.content.decode()
    assert not Source.objects.filter(code_name="NINAWA-50").exists()
    assert not Information.objects.exists()


def test_finding_17_1_a_confirmed_new_source_needs_its_own_grade() -> None:
    response = client_for("rana").post(URL, post_data(**{"r-source_code": "NINAWA-51",
                                                       "r-source_reliability": ""}))
    assert response.status_code == 400
    assert "Grade the new source" in response.content.decode()
    response = client_for("rana").post(URL, post_data(**{"r-source_code": "NINAWA-51",
                                                       "r-source_reliability": "d"}))
    assert response.status_code == 302
    assert Source.objects.get(code_name="NINAWA-51").reliability == "d"


def test_finding_17_1_the_page_lists_code_names_and_grades_only() -> None:
    Source.objects.create(code_name="NINAWA-05", kind="informant", reliability="c")
    body = client_for("rana").get(URL).content.decode()
    assert '<option value="NINAWA-05" data-grade="C">' in body


def _roof_report() -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = dict(post_data(**{
        "r-event_title": "Thrown from a roof", "r-place_text": "Mosul", "r-date_text": "March 2015",
        "r-connection": "involved_witness", "r-material_type": "witness_testimony",
        "a-0-act_type": "killing", "a-0-method": "thrown_from_height", "a-0-result": "killed",
        "a-0-public_setting": "true", "a-0-announced": "true",
        "v-TOTAL_FORMS": "1", "v-0-name": "Synthetic Victim Name", "v-0-other_name": "",
        "v-0-age": "27", "v-0-sex": "male"}))
    data["a-0-grounds"] = ["attributed_sexual_orientation"]
    data["a-0-rights_deprived"] = ["life", "fair_trial"]
    return data


def test_finding_17_2_the_legal_facts_are_recorded_from_the_form() -> None:
    response = client_for("rana").post(URL, _roof_report())
    assert response.status_code == 302, response.content.decode()[:3000]
    info = Information.objects.get()
    assert (info.connection, info.material_type) == ("involved_witness", "witness_testimony")
    act = Act.objects.get()
    assert act.grounds == ["attributed_sexual_orientation"]
    assert act.rights_deprived == ["life", "fair_trial"]
    assert act.public_setting is True and act.announced is True


def test_finding_17_2_a_report_typed_on_the_form_is_proposed_for_persecution() -> None:
    ninawa, _ = Place.objects.get_or_create(name_en="Ninawa", name_ar="نينوى", kind="governorate")
    Place.objects.get_or_create(name_en="Mosul", name_ar="الموصل", kind="city", parent=ninawa)
    assert client_for("rana").post(URL, _roof_report()).status_code == 302
    act = Act.objects.get()
    assert "CAH-PERSECUTION" in legal.candidate_crimes_for(act)
    charge = legal.ensure_demo_charge(get_user_model().objects.get(username="amal"))
    assert act.place is not None and act.place.parent == ninawa
    assert act.uid in {uid for uid, _ in legal._auto_pairs(charge)}


@pytest.mark.parametrize(("lang", "names"), [("ar", ["ألف", "باء"]), ("en", ["Alpha", "Zulu"])])
def test_finding_17_7_units_are_listed_in_the_readers_language(lang, names) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import Unit

    Unit.objects.create(name_en="Alpha", name_ar="باء", kind="diwan")
    Unit.objects.create(name_en="Zulu", name_ar="ألف", kind="diwan")
    body = client_for("rana", lang).get(URL).content.decode()
    select = re.search(r'<select name="p-0-unit"[^>]*>(.*?)</select>', body, re.S)
    assert select
    assert re.findall(r'<option value="\d+">([^<]+)</option>', select.group(1)) == names
