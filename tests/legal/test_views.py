"""Views: login, read for everyone, writes for legal staff, analysts and administrators only."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from tests.cast import client_for

from dhakira.apps.law import services
from dhakira.apps.law.models import Charge, ElementAssessment
from dhakira.core.dates import parse_fuzzy_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def charge(cast, world):  # type: ignore[no-untyped-def]
    return services.create_charge(cast["layla"], crime_id="CAH-PERSECUTION", title="Persecution",
                                  places=[world.places["ninawa"]], date_from=date(2014, 6, 1),
                                  date_to=date(2017, 12, 31), ground_tags=["sexual_orientation"])


def _assess(client: Client, charge: Charge, uid: str, standard: str = "reasonable_grounds"):  # type: ignore[no-untyped-def]
    return client.post(reverse("legal:assess", args=[charge.pk]), {
        "item_uid": uid, "element_id": "CAH-PER-1", "stance": "supports",
        "standard_claimed": standard, "reviewed_at": "2024-05-01", "note": ""})


def test_it_requires_login(charge):  # type: ignore[no-untyped-def]
    response = Client().get(reverse("legal:matrix", args=[charge.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_viewer_reads_the_matrix_but_cannot_write(cast, world, charge):  # type: ignore[no-untyped-def]
    client = client_for("victor")
    assert client.get(reverse("legal:matrix", args=[charge.pk])).status_code == 200
    assert _assess(client, charge, world.reports["R1"].uid).status_code == 403
    assert client.get(reverse("legal:charge_create")).status_code == 403
    assert not ElementAssessment.objects.exists()


def test_a_legal_analyst_records_an_assessment_shown_in_the_matrix(cast, world, charge):  # type: ignore[no-untyped-def]
    client = client_for("layla")
    assert _assess(client, charge, world.reports["R1"].uid).status_code == 302
    page = client.get(reverse("legal:matrix", args=[charge.pk])).content.decode()
    assert world.reports["R1"].uid in page and "CAH-PER-4" in page


def test_it_refuses_beyond_reasonable_doubt_with_the_cores_message(cast, world, charge):  # type: ignore[no-untyped-def]
    response = _assess(client_for("samir"), charge, world.reports["R1"].uid, "beyond reasonable doubt")
    assert response.status_code == 400
    assert "66(3)" in response.content.decode()
    assert not ElementAssessment.objects.exists()


def test_an_analyst_defines_a_charge(cast, world):  # type: ignore[no-untyped-def]
    response = client_for("samir").post(reverse("legal:charge_create"), {
        "crime_id": "CAH-MURDER", "title": "Murder, Mosul", "places": [world.places["mosul"].pk],
        "perpetrators": [world.member.pk], "ground_tags": ["sexual_orientation"],
        "date_from": "June 2014", "date_to": "1438 AH"})
    assert response.status_code == 302
    charge = Charge.objects.get(title="Murder, Mosul")
    assert list(charge.perpetrators.all()) == [world.member]
    assert (charge.date_from, charge.date_to) == (date(2014, 6, 1), date(2017, 9, 22))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue17_3_the_demo_charge_is_named_in_the_readers_language(cast, world, lang):  # type: ignore[no-untyped-def]
    # The demo's charge was titled and described in English only, on Arabic pages too.
    charge = services.ensure_demo_charge(cast["layla"])
    client = client_for("victor")
    client.cookies["django_language"] = lang
    shown = services.DEMO_CHARGE_TITLE_AR if lang == "ar" else services.DEMO_CHARGE_TITLE
    hidden = services.DEMO_CHARGE_TITLE if lang == "ar" else services.DEMO_CHARGE_TITLE_AR
    group = services.DEMO_VICTIM_GROUP_AR if lang == "ar" else services.DEMO_VICTIM_GROUP
    for url in (reverse("legal:charge_list"), reverse("legal:matrix", args=[charge.pk]),
                reverse("legal:charge_items", args=[charge.pk]),
                reverse("legal:patterns", args=[charge.pk])):
        page = client.get(url).content.decode()
        assert shown in page and hidden not in page, url
    summary = client.get(reverse("legal:matrix", args=[charge.pk])).content.decode()
    assert group in summary


def test_issue17_3_a_charge_is_named_in_either_language_or_both(cast, world):  # type: ignore[no-untyped-def]
    client = client_for("samir")
    url = reverse("legal:charge_create")
    scope = {"crime_id": "CAH-MURDER", "places": [world.places["mosul"].pk]}
    refused = client.post(url, scope)
    assert refused.status_code == 400 and not Charge.objects.exists()
    assert "Give the charge a title" in refused.content.decode()
    assert client.post(url, {**scope, "title_ar": "قتل، الموصل",
                             "victim_group_ar": "رجال"}).status_code == 302
    charge = Charge.objects.get()
    assert (charge.title, charge.title_ar, charge.victim_group_ar) == ("", "قتل، الموصل", "رجال")
    english = client.get(reverse("legal:matrix", args=[charge.pk])).content.decode()
    assert "قتل، الموصل" in english  # the only title there is, in either language


def test_a_missing_charge_is_404(cast):  # type: ignore[no-untyped-def]
    assert client_for("victor").get(reverse("legal:matrix", args=[999])).status_code == 404


def test_the_pattern_page_draws_inline_svg_and_lists_policy_documents(cast, world, charge):  # type: ignore[no-untyped-def]
    client = client_for("layla")
    flag = client.post(reverse("legal:flag"), {"item_uid": world.reports["VIDEO"].uid,
                                               "charge": charge.pk})
    assert flag.status_code == 302
    page = client.get(reverse("legal:patterns", args=[charge.pk])).content.decode()
    assert page.count("<svg") >= 3 and "<script" not in page.split("<main", 1)[1].split("</main>")[0]
    assert world.reports["VIDEO"].uid in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_perpetrator_page_shows_command_and_modes(cast, world):  # type: ignore[no-untyped-def]
    page = client_for("victor").get(reverse("legal:person", args=[world.emir.pk])).content.decode()
    assert world.member.uid in page and "LIA-25-3-b" in page
    unit = client_for("victor").get(reverse("legal:unit", args=[world.units["hisba"].pk]))
    assert world.units["wilayah"].uid in unit.content.decode()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issue17_2_the_chain_of_command_names_units_in_the_readers_language(cast, world, lang):  # type: ignore[no-untyped-def]
    # The chain of command, the roles and a unit's own page printed name_en on Arabic pages.
    client = client_for("victor")
    client.cookies["django_language"] = lang
    hisba, wilayah = world.units["hisba"], world.units["wilayah"]
    shown, hidden = ((hisba.name_ar, hisba.name_en) if lang == "ar" else
                     (hisba.name_en, hisba.name_ar))
    page = client.get(reverse("legal:person", args=[world.emir.pk])).content.decode()
    below = page.split('id="below"', 1)[1].split("</ul>", 1)[0]
    assert world.member.uid in below and shown in below and hidden not in below
    member = client.get(reverse("legal:person", args=[world.member.pk])).content.decode()
    roles = member.split('id="roles"', 1)[1].split("</ul>", 1)[0]
    assert shown in roles and hidden not in roles
    unit = client.get(reverse("legal:unit", args=[hisba.pk])).content.decode()
    above = unit.split('id="above"', 1)[1].split("</ul>", 1)[0]
    assert (wilayah.name_ar if lang == "ar" else wilayah.name_en) in above
    assert (wilayah.name_en if lang == "ar" else wilayah.name_ar) not in above
    assert shown in unit.split("</h1>", 1)[0] and hidden not in unit.split("</h1>", 1)[0]


def test_the_perpetrator_page_pages_its_acts(cast, world, monkeypatch):  # type: ignore[no-untyped-def]
    from dhakira.apps.law import views

    monkeypatch.setattr(views, "ACTS_PER_PAGE", 1)
    client = client_for("victor")
    acts = [i.act.uid for i in world.member.involvements.order_by("act_id", "pk")]
    assert len(acts) >= 2
    first = client.get(reverse("legal:person", args=[world.member.pk])).content.decode()
    second = client.get(reverse("legal:person", args=[world.member.pk]) + "?page=2").content.decode()
    table = first.split('id="acts"', 1)[1].split("</table>", 1)[0]
    assert acts[0] in table and acts[1] not in table and 'rel="next"' in first
    assert acts[1] in second.split('id="acts"', 1)[1].split("</table>", 1)[0]
    assert f"Page 1 of {len(acts)}" in first


def test_finding_17_8_the_perpetrator_page_keeps_the_readers_header(cast, world):  # type: ignore[no-untyped-def]
    # The page's own record of the perpetrator once overwrote the reader's profile, so the
    # header lost the role, "New report", "Protection" and "Lock now".
    page = client_for("amal").get(reverse("legal:person", args=[world.emir.pk])).content.decode()
    header = page.split("</header>", 1)[0]
    assert 'id="lock-now"' in header and reverse("dossier:report_new") in header
    unit = client_for("amal").get(reverse("legal:unit", args=[world.units["hisba"].pk])).content
    assert b'id="lock-now"' in unit.split(b"</header>", 1)[0]


def test_finding_17_7_legal_pages_show_words_not_codes_in_arabic(cast, world, charge):  # type: ignore[no-untyped-def]
    import re

    from dhakira.apps.dossier.models import Act

    client = client_for("layla")
    client.cookies["django_language"] = "ar"
    _assess(client, charge, world.reports["R1"].uid, "credible_allegation")
    codes = {"directly_carried_out", "probable", "credible_allegation", "reasonable_grounds",
             "by_month", "by_act_type", "sexual_orientation", "information",
             *(a.act_type for a in Act.objects.all()), *(a.method for a in Act.objects.all() if a.method)}
    pages = [reverse("legal:person", args=[world.emir.pk]), reverse("legal:matrix", args=[charge.pk]),
             reverse("legal:patterns", args=[charge.pk])]
    for url in pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        main = re.sub(r"<form.*?</form>", "", main, flags=re.S)  # the assessment form's values
        text = re.sub(r"<[^>]+>", " ", main)
        assert not {c for c in codes if re.search(rf"\b{c}\b", text)}, url


def _auto(charge: Charge, user, uid: str, element: str, standard: str = "credible_allegation"):  # type: ignore[no-untyped-def]
    return services.record_assessment(user, charge, item_uid=uid, element_id=element,
                                      stance="supports", standard=standard,
                                      note=services.AUTO_NOTE)


def test_finding_17_8_a_charge_is_a_summary_per_element_with_the_note_said_once(cast, world, charge):  # type: ignore[no-untyped-def]
    # The matrix printed every assessment of every element and the automatic note with each:
    # 181,073 px and the same English sentence 932 times. Now: counts, the strongest few, the
    # note once, and the full list on its own paged page.
    for element in ("CAH-PER-1", "CAH-PER-2"):
        for key in ("K1", "K2"):
            _auto(charge, cast["layla"], world.acts[key].uid, element)
    services.record_assessment(cast["layla"], charge, item_uid=world.reports["EXCUL"].uid,
                               element_id="CAH-PER-1", stance="undermines",
                               standard="credible_allegation")
    client = client_for("victor")
    page = client.get(reverse("legal:matrix", args=[charge.pk])).content.decode()
    assert page.count("proposed automatically") == 1 and "4 supporting assessments" in page
    assert services.AUTO_NOTE not in page
    element = page.split('id="element-CAH-PER-1"', 1)[1].split("</section>", 1)[0]
    counts = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", element))
    # The noun takes the number's form (it said "1 undermining items"), in Arabic too.
    assert "2 supporting items" in counts and "1 undermining item " in counts
    assert "2 acts" in counts and "credible allegation 2" in counts
    arabic = client_for("victor", "ar").get(reverse("legal:matrix", args=[charge.pk])).content.decode()
    arabic = arabic.split('id="element-CAH-PER-1"', 1)[1].split("</section>", 1)[0]
    tiles = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", arabic.split('class="counts"')[1].split("</ul>")[0]))
    assert "2 عنصران داعمان" in tiles and "1 عنصر مُضعِف " in tiles and "2 فعلان" in tiles, tiles
    # K1 has three origins, K2 one: K1 is the stronger item and comes first.
    strongest = element.split('class="strongest"', 1)[1]
    assert strongest.index(world.acts["K1"].uid) < strongest.index(world.acts["K2"].uid)
    items = client.get(reverse("legal:charge_items", args=[charge.pk]),
                       {"element": "CAH-PER-1", "stance": "undermines"}).content.decode()
    assert world.reports["EXCUL"].uid in items and world.acts["K1"].uid not in items


def test_the_item_list_is_paged(cast, world, charge, monkeypatch):  # type: ignore[no-untyped-def]
    from dhakira.apps.law import views

    monkeypatch.setattr(views, "ITEMS_PER_PAGE", 2)
    for key in ("K1", "K2", "K3"):
        _auto(charge, cast["layla"], world.acts[key].uid, "CAH-PER-1")
    client = client_for("victor")
    url = reverse("legal:charge_items", args=[charge.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert (world.acts["K1"].uid in first, world.acts["K3"].uid in first) == (True, False)
    assert world.acts["K3"].uid in second and world.acts["K1"].uid not in second


def test_finding_17_8_large_counts_are_grouped_in_both_languages(cast, world, charge, monkeypatch):  # type: ignore[no-untyped-def]
    from dhakira.apps.law import summary

    real = summary.summarise

    def big(row, **kwargs):  # type: ignore[no-untyped-def]
        from dataclasses import replace
        return replace(real(row, **kwargs), acts=12345)

    monkeypatch.setattr("dhakira.apps.law.views.summarise_matrix",
                        lambda m, **kw: [big(r, **kw) for r in m.rows])
    client = client_for("victor")
    assert "12,345" in client.get(reverse("legal:matrix", args=[charge.pk])).content.decode()
    client.cookies["django_language"] = "ar"
    arabic = client.get(reverse("legal:matrix", args=[charge.pk]), HTTP_ACCEPT_LANGUAGE="ar")
    assert "12,345" in arabic.content.decode()


def test_finding_17_8_the_charge_form_takes_hijri_dates_and_ticked_places(cast, world):  # type: ignore[no-untyped-def]
    response = client_for("samir").post(reverse("legal:charge_create"), {
        "crime_id": "CAH-PERSECUTION", "title": "Hisba, 1436", "date_from": "1 رمضان 1436",
        "date_to": "summer 2015", "places": [world.places["ninawa"].pk, world.places["mosul"].pk],
        "units": [world.units["hisba"].pk]})
    assert response.status_code == 302
    charge = Charge.objects.get(title="Hisba, 1436")
    hijri = parse_fuzzy_date("1 رمضان 1436")  # 18 June 2015, give or take the moon's sighting
    assert (charge.date_from, charge.date_to) == (hijri.earliest, date(2015, 8, 31))
    assert hijri.earliest and date(2015, 6, 14) <= hijri.earliest <= date(2015, 6, 18)
    assert set(charge.places.all()) == {world.places["ninawa"], world.places["mosul"]}
    assert list(charge.units.all()) == [world.units["hisba"]]


def test_finding_17_8_the_charge_form_names_its_errors_and_writes_nothing(cast, world):  # type: ignore[no-untyped-def]
    from dhakira.apps.custody.models import LedgerEntry

    before = LedgerEntry.objects.count()
    response = client_for("samir").post(reverse("legal:charge_create"), {
        "crime_id": "CAH-PERSECUTION", "title": "Refused", "date_from": "the day after the storm",
        "perpetrators": [world.member.pk, 999999], "places": [world.places["ninawa"].pk]})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page and "could not be read" in page
    assert "search for them by name again" in page
    assert world.places["ninawa"].name_en in page  # the place list is still there
    assert f'value="{world.member.pk}" checked' in page  # the one valid choice is kept
    assert not Charge.objects.exists() and LedgerEntry.objects.count() == before


def test_finding_17_8_the_charge_form_offers_places_and_units_in_arabic(cast, world):  # type: ignore[no-untyped-def]
    client = client_for("samir")
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("legal:charge_create"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    form = page.split('id="charge-form"', 1)[1]
    assert world.places["mosul"].name_ar in form and world.units["hisba"].name_ar in form
    assert world.places["mosul"].name_en not in form and world.units["hisba"].name_en not in form
    assert 'type="checkbox"' in form and "<select multiple" not in form and " multiple" not in form


def test_finding_17_8_perpetrators_are_found_by_name_without_protected_fields(cast, world):  # type: ignore[no-untyped-def]
    from tests.legal.scenario import PERPETRATOR_NAME, VICTIM_ADDRESS

    url = reverse("legal:find_perpetrator")
    found = client_for("samir").post(url, {"name": "Abu Testperp"}).json()["results"]
    assert [r["id"] for r in found] == [world.member.uid]
    assert found[0]["names"] == [PERPETRATOR_NAME] and found[0]["pk"] == world.member.pk
    victim = client_for("samir").post(url, {"name": "Testvictim Alpha"}).content.decode()
    assert world.victims[0].uid in victim and VICTIM_ADDRESS not in victim
    assert client_for("victor").post(url, {"name": "Abu Testperp"}).status_code == 403
    assert client_for("samir").get(url, {"name": "Abu Testperp"}).status_code == 405


@pytest.mark.parametrize(("lang", "label"), [("ar", "أمير"), ("en", "Emir (commander)")])
def test_a_role_given_as_a_code_is_shown_by_its_label(cast, world, lang, label):  # type: ignore[no-untyped-def]
    """A membership's role that is a code of the unit_roles vocabulary (the demo's "emir") is
    shown by its label on the person's and the unit's page; a role typed in words as typed."""
    from dhakira.apps.dossier.models import UnitMembership

    UnitMembership.objects.create(person=world.emir, unit=world.units["hisba"], role="emir")
    client = client_for("victor", lang)
    for url in (reverse("legal:person", args=[world.emir.pk]),
                reverse("legal:unit", args=[world.units["hisba"].pk])):
        roles = re.search(r'<ul id="roles">(.*?)</ul>', client.get(url).content.decode(), re.S)
        assert roles is not None
        assert f"<bdi>{label}</bdi>" in roles.group(1), url
        assert "· <bdi>emir</bdi>" not in roles.group(1) and "· emir<" not in roles.group(1)
    member = client.get(reverse("legal:person", args=[world.member.pk])).content.decode()
    assert "<bdi>enforcer</bdi>" in member


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_acts_grade_is_the_same_in_the_summary_and_the_item_list(cast, world, charge, lang):  # type: ignore[no-untyped-def]
    """K1 is an act: no grade of its own; the summary ranked it by its best report (source b,
    credibility 2) and said "b · 2" while the item list said "—" twice for the same item. Both
    now say the one grade, B2, marked as the best report's."""
    _auto(charge, cast["layla"], world.acts["K1"].uid, "CAH-PER-1")
    client = client_for("victor", lang)
    summary = client.get(reverse("legal:matrix", args=[charge.pk])).content.decode()
    strongest = summary.split('class="strongest"', 1)[1].split("</ol>", 1)[0]
    assert world.acts["K1"].uid in strongest and '<span class="num">B2</span>' in strongest
    items = client.get(reverse("legal:charge_items", args=[charge.pk])).content.decode()
    row = items.split(world.acts["K1"].uid, 1)[1].split("</tr>", 1)[0]
    assert re.search(r'class="grading"><span class="num">B2</span> <small>\(.+\)</small>', row), row
    assert "—" not in row.split('class="grading"', 1)[1].split("</td>", 1)[0]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_person_pages_match_scores_are_percentages_like_the_review_queue(cast, world, lang):  # type: ignore[no-untyped-def]
    """The person page printed a name match score as "0.5"; the review queue says
    percentages. Both through the one helper, linkage.presentation.percent."""
    from django.utils import translation
    from tests.legal.scenario import _person

    from dhakira.apps.linkage.presentation import percent

    _person(world.victims[0].names.first().text)  # another record of the same name
    page = client_for("amal", lang).get(f"/people/{world.victims[0].pk}/").content.decode()
    similar = page.split('id="similar"', 1)[1].split("</section>", 1)[0]
    score = re.search(r'<span class="muted num">(.*?)</span>', similar)
    assert score is not None
    with translation.override(lang):
        assert score.group(1) in (percent(1.0), percent(0.999)), score.group(1)
    assert not re.fullmatch(r"[\d.]+", score.group(1))


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_mode_cited_by_many_acts_shows_their_count_and_the_first_ids(lang) -> None:  # type: ignore[no-untyped-def]
    # At a million reports one perpetrator's mode cell held 23,000 ids (half a second to
    # write, unreadable on any screen): the count, the first ids and "and N more".
    from django.utils import translation

    from dhakira.apps.law.templatetags.labels import some_uids

    ids = [f"A-{n:06d}" for n in range(1, 1236)]
    with translation.override(lang):
        cell = str(some_uids(ids))
        few = str(some_uids(ids[:3]))
    assert cell.count('class="uid"') == 12 and "A-000012" in cell and "A-000013" not in cell
    assert ("و1,223 غيرها" if lang == "ar" else "and 1,223 more") in cell
    assert few.count('class="uid"') == 3 and ("غيرها" not in few and "more" not in few)


def test_the_arabic_charge_pages_name_sexual_orientation_one_way(cast, world):  # type: ignore[no-untyped-def]
    """A new user's walk read «الميول الجنسية» (the demo charge's title, the victim group, a
    note) beside «التوجه الجنسي» (the ground tag, the automatic note) and «الميل الجنسي» (an
    element's text) on one charge: the catalogue's term, «التوجه الجنسي», is the one used."""
    from dhakira.core.vocabularies import load

    charge = services.ensure_demo_charge(cast["layla"])
    _auto(charge, cast["layla"], world.acts["K1"].uid, "CAH-PER-1")
    client = client_for("victor", "ar")
    for url in (reverse("legal:matrix", args=[charge.pk]),
                reverse("legal:charge_items", args=[charge.pk])):
        main = client.get(url).content.decode().split("<main", 1)[1].split("</main>", 1)[0]
        assert "التوجه الجنسي" in main, url
        assert not re.findall(r"\w*ميول\w*|\w*الميل الجنسي\w*|ميل جنسي", main), url
    said = load("grounds").get("attributed_sexual_orientation").label("ar")
    assert said.startswith("توجه جنسي منسوب"), said
