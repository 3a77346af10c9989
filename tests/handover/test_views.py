"""The disclosure log pages."""

from __future__ import annotations

import pytest
from tests.cast import client_for
from tests.handover import dossier
from tests.handover.conftest import consent, listed

from dhakira.apps.handover import build as hb
from dhakira.apps.handover import select
from dhakira.apps.handover.models import Disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture
def disclosure(vault, cast, tmp_path):  # type: ignore[no-untyped-def]
    d = dossier.build(with_evidence=False)
    consent(d.base.victim, "granted", by=cast["amal"])
    req = hb.Request(selection=select.select("place:Mosul"), recipient=listed("UN team"),
                     purpose="share_icc", policy="full", out_dir=tmp_path / "pkg")
    return hb.build(req, user=cast["rana"]).disclosure, d


def test_the_log_lists_disclosures_for_legal_and_administrators(disclosure) -> None:  # type: ignore[no-untyped-def]
    d, _ = disclosure
    for name in ("amal", "layla"):
        page = client_for(name).get("/disclosures/")
        assert page.status_code == 200 and d.package_id in page.content.decode()


def test_other_members_get_403(disclosure) -> None:  # type: ignore[no-untyped-def]
    assert client_for("samir").get("/disclosures/").status_code == 403
    assert client_for("victor").get(f"/disclosures/{disclosure[0].pk}/").status_code == 403


def test_an_acknowledgement_is_recorded_once(disclosure) -> None:  # type: ignore[no-untyped-def]
    d, _ = disclosure
    client = client_for("layla")
    form = {"by": "Registry officer", "at": "2026-01-05 10:00", "method": "signed receipt"}
    assert client.get(f"/disclosures/{d.pk}/acknowledge/").status_code == 405
    response = client.post(f"/disclosures/{d.pk}/acknowledge/", form)
    assert response.status_code == 302
    d = Disclosure.objects.get()
    assert (d.acknowledged_by, d.acknowledgement_method) == ("Registry officer", "signed receipt")
    assert d.acknowledgement_recorded_by.username == "layla"
    again = client.post(f"/disclosures/{d.pk}/acknowledge/", form)
    assert again.status_code == 400 and "already acknowledged" in again.content.decode()


def test_who_holds_a_persons_material_after_withdrawal(disclosure, cast) -> None:  # type: ignore[no-untyped-def]
    d, world = disclosure
    consent(world.base.victim, "withdrawn", by=cast["amal"])
    page = client_for("amal").get(f"/disclosures/person/{world.base.victim.pk}/").content.decode()
    assert "UN team" in page and d.package_id in page and "notify" in page.lower()


def test_a_disclosure_record_is_never_edited(disclosure) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    d, _ = disclosure
    d.recipient = "someone else"
    with pytest.raises(ValidationError):
        d.save()


def test_an_arabic_reader_sees_the_recipients_arabic_name(disclosure, cast) -> None:  # type: ignore[no-untyped-def]
    """The log, a disclosure and the holders page name the recipient from the managed list in
    the reader's language, not by the English name the package went out under."""
    d, world = disclosure
    d.sent_to.name_ar = "فريق الأمم المتحدة"
    d.sent_to.save()
    consent(world.base.victim, "withdrawn", by=cast["amal"])
    client = client_for("amal", "ar")
    for url in ("/disclosures/", f"/disclosures/{d.pk}/",
                f"/disclosures/person/{world.base.victim.pk}/"):
        page = client.get(url).content.decode()
        assert "<bdi>فريق الأمم المتحدة</bdi>" in page, url
        assert "UN team" not in page, url
    english = client_for("amal").get("/disclosures/").content.decode()
    assert "<bdi>UN team</bdi>" in english
