"""The person page names the other mentions of the same person, by the one resolution."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.cast import make_cast
from tests.dossier import scenario
from tests.identity.runs import stored_run

from dhakira.apps.dossier.models import Act, Person
from dhakira.apps.linkage.models import CandidatePair
from dhakira.apps.linkage.services import decide

pytestmark = pytest.mark.django_db


def _page(pk: int) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(get_user_model().objects.get(username="victor"))
    response = client.get(f"/people/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_says_also_recorded_as_and_a_rejection_takes_it_back(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_cast()
    s = scenario.build()
    dup = Person.objects.create(sex="male")
    Act.objects.create(event=s.event, victim=dup, act_type="killing")
    assert "Also recorded as" not in _page(s.victim.pk)
    run = stored_run([[s.victim.pk, dup.pk]])
    body = _page(s.victim.pk)
    assert "Also recorded as" in body and f'href="/people/{dup.pk}/">{dup.uid}<' in body
    assert s.victim.uid in _page(dup.pk).split("Also recorded as")[1]
    pair = CandidatePair.objects.create(run=run, left=s.victim, right=dup, match_weight=9.0,
                                        probability=0.995)
    decide(pair, actor="rana", status="rejected")
    assert "Also recorded as" not in _page(s.victim.pk)
