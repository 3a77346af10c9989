"""The review queue: login required, everyone reads, viewers cannot decide (403)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from tests.cast import PASSWORD
from tests.linkage.conftest import FAST

from dhakira.identity.models import CandidatePair, LinkRun, PersonLink, Status

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def pair(cast, dossier) -> CandidatePair:  # type: ignore[no-untyped-def]
    # Views need a queued pair, not a model run: build it as a run would have stored it.
    run = LinkRun.objects.create(role="victim", settings_json=FAST.to_dict(), version=FAST.version,
                                 started_at=datetime(2025, 3, 1, tzinfo=UTC), started_by="rana")
    first, second = sorted(pk for pk, person in dossier.items() if person == 1)[:2]
    return CandidatePair.objects.create(run=run, left_id=first, right_id=second, match_weight=12.5,
                                        probability=0.9998,
                                        levels={"ism": [3, "ism keys agree"],
                                                "date": [3, "dates overlap"]})


def test_it_requires_login(pair) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("identity:queue"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_shows_both_records_and_the_models_reasons(pair) -> None:  # type: ignore[no-untyped-def]
    response = _client("victor").get(reverse("identity:pair", args=[pair.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert pair.left.uid in body and pair.right.uid in body
    assert "ism keys agree" in body and "ism agrees" in body  # model level, names explanation
    assert 'value="accepted"' not in body  # a viewer gets no buttons


def test_a_viewer_cannot_decide(pair) -> None:  # type: ignore[no-untyped-def]
    response = _client("victor").post(reverse("identity:decide", args=[pair.pk]),
                                      {"status": "accepted"})
    assert response.status_code == 403
    pair.refresh_from_db()
    assert pair.status == Status.PENDING


def test_a_documenter_accepts_and_then_splits(pair) -> None:  # type: ignore[no-untyped-def]
    client = _client("rana")
    assert 'value="accepted"' in client.get(reverse("identity:pair", args=[pair.pk])).content.decode()
    response = client.post(reverse("identity:decide", args=[pair.pk]),
                           {"status": "accepted", "reason": "same family"})
    assert response.status_code == 302
    link = PersonLink.objects.get()
    assert link.created_by == "rana"
    assert _client("victor").post(reverse("identity:split", args=[link.pk]),
                                  {"reason": "no"}).status_code == 403
    assert client.post(reverse("identity:split", args=[link.pk]),
                       {"reason": "twins"}).status_code == 302
    link.refresh_from_db()
    assert not link.active and link.end_reason == "twins"


def test_it_rejects_a_get_on_decide_and_a_bad_status(pair) -> None:  # type: ignore[no-untyped-def]
    client = _client("rana")
    assert client.get(reverse("identity:decide", args=[pair.pk])).status_code == 405
    assert client.post(reverse("identity:decide", args=[pair.pk]),
                       {"status": "pending"}).status_code == 400


def test_a_missing_pair_is_404(cast) -> None:  # type: ignore[no-untyped-def]
    assert _client("rana").get(reverse("identity:pair", args=[999])).status_code == 404


def test_the_queue_shows_only_the_latest_run(pair) -> None:  # type: ignore[no-untyped-def]
    newer = LinkRun.objects.create(role="victim", settings_json=FAST.to_dict(),
                                   version=FAST.version, started_by="rana",
                                   started_at=datetime(2025, 3, 2, tzinfo=UTC))
    body = _client("victor").get(reverse("identity:queue")).content.decode()
    assert reverse("identity:pair", args=[pair.pk]) not in body
    CandidatePair.objects.create(run=newer, left=pair.left, right=pair.right, match_weight=1,
                                 probability=0.6, levels={})
    body = _client("victor").get(reverse("identity:queue")).content.decode()
    assert pair.left.uid in body
