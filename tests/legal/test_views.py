"""Views: login, read for everyone, writes for legal staff, analysts and administrators only."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from tests.cast import PASSWORD

from dhakira.legal import services
from dhakira.legal.models import Charge, ElementAssessment

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


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
    client = _client("victor")
    assert client.get(reverse("legal:matrix", args=[charge.pk])).status_code == 200
    assert _assess(client, charge, world.reports["R1"].uid).status_code == 403
    assert client.get(reverse("legal:charge_create")).status_code == 403
    assert not ElementAssessment.objects.exists()


def test_a_legal_analyst_records_an_assessment_shown_in_the_matrix(cast, world, charge):  # type: ignore[no-untyped-def]
    client = _client("layla")
    assert _assess(client, charge, world.reports["R1"].uid).status_code == 302
    page = client.get(reverse("legal:matrix", args=[charge.pk])).content.decode()
    assert world.reports["R1"].uid in page and "CAH-PER-4" in page


def test_it_refuses_beyond_reasonable_doubt_with_the_cores_message(cast, world, charge):  # type: ignore[no-untyped-def]
    response = _assess(_client("samir"), charge, world.reports["R1"].uid, "beyond reasonable doubt")
    assert response.status_code == 400
    assert "66(3)" in response.content.decode()
    assert not ElementAssessment.objects.exists()


def test_an_analyst_defines_a_charge(cast, world):  # type: ignore[no-untyped-def]
    response = _client("samir").post(reverse("legal:charge_create"), {
        "crime_id": "CAH-MURDER", "title": "Murder, Mosul", "places": [world.places["mosul"].pk],
        "perpetrators": world.member.uid, "ground_tags": ["sexual_orientation"]})
    assert response.status_code == 302
    charge = Charge.objects.get(title="Murder, Mosul")
    assert list(charge.perpetrators.all()) == [world.member]


def test_a_missing_charge_is_404(cast):  # type: ignore[no-untyped-def]
    assert _client("victor").get(reverse("legal:matrix", args=[999])).status_code == 404


def test_the_pattern_page_draws_inline_svg_and_lists_policy_documents(cast, world, charge):  # type: ignore[no-untyped-def]
    client = _client("layla")
    flag = client.post(reverse("legal:flag"), {"item_uid": world.reports["VIDEO"].uid,
                                               "charge": charge.pk})
    assert flag.status_code == 302
    page = client.get(reverse("legal:patterns", args=[charge.pk])).content.decode()
    assert page.count("<svg") >= 3 and "<script" not in page.split("<main", 1)[1].split("</main>")[0]
    assert world.reports["VIDEO"].uid in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_perpetrator_page_shows_command_and_modes(cast, world):  # type: ignore[no-untyped-def]
    page = _client("victor").get(reverse("legal:person", args=[world.emir.pk])).content.decode()
    assert world.member.uid in page and "LIA-25-3-b" in page
    unit = _client("victor").get(reverse("legal:unit", args=[world.units["hisba"].pk]))
    assert world.units["wilayah"].uid in unit.content.decode()


def test_finding_17_8_the_perpetrator_page_keeps_the_readers_header(cast, world):  # type: ignore[no-untyped-def]
    # The page's own record of the perpetrator once overwrote the reader's profile, so the
    # header lost the role, "New report", "Protection" and "Lock now".
    page = _client("amal").get(reverse("legal:person", args=[world.emir.pk])).content.decode()
    header = page.split("</header>", 1)[0]
    assert 'id="lock-now"' in header and reverse("dossier:report_new") in header
    unit = _client("amal").get(reverse("legal:unit", args=[world.units["hisba"].pk])).content
    assert b'id="lock-now"' in unit.split(b"</header>", 1)[0]


def test_finding_17_7_legal_pages_show_words_not_codes_in_arabic(cast, world, charge):  # type: ignore[no-untyped-def]
    import re

    from dhakira.dossier.models import Act

    client = _client("layla")
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
