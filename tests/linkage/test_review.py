"""The review flow: runs queue pairs, decisions are custody events, merges are reversible."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.conftest import on_postgresql
from tests.linkage.conftest import FAST

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import Person
from dhakira.apps.linkage import services
from dhakira.apps.linkage.models import CandidatePair, PersonLink, Status

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _actions() -> list[str]:
    return list(LedgerEntry.objects.order_by("seq").values_list("action", flat=True))


def test_a_run_queues_pairs_without_merging_anyone(dossier) -> None:  # type: ignore[no-untyped-def]
    outcome = services.run_linkage(actor="rana", settings=FAST, now=NOW)
    assert outcome.run.mentions == 30 and outcome.stored == outcome.run.candidates > 0
    assert CandidatePair.objects.filter(status=Status.PENDING).count() == outcome.stored
    assert not PersonLink.objects.exists()  # review, not silent merging
    assert _actions() == ["other"]
    top = CandidatePair.objects.first()
    assert top is not None and dossier[top.left_id] == dossier[top.right_id]
    assert top.levels["ism"][1] == "ism keys agree"


def test_accepting_links_the_two_and_records_custody(dossier) -> None:  # type: ignore[no-untyped-def]
    services.run_linkage(actor="rana", settings=FAST, now=NOW)
    pair = CandidatePair.objects.first()
    assert pair is not None
    plan = services.plan_decision(pair, Status.ACCEPTED)
    assert (plan.link_person, plan.link_canonical) == (pair.right_id, pair.left_id)
    services.decide(pair, actor="rana", status=Status.ACCEPTED, reason="same father, same day",
                    now=NOW)
    link = PersonLink.objects.get()
    assert (link.person_id, link.canonical_id, link.created_by, link.active) == (
        pair.right_id, pair.left_id, "rana", True)
    assert services.canonical_of(pair.right_id) == pair.left_id
    assert _actions()[-2:] == ["decision", "merge"]


def test_a_split_restores_both_and_deletes_nothing(dossier) -> None:  # type: ignore[no-untyped-def]
    services.run_linkage(actor="rana", settings=FAST, now=NOW)
    pair = CandidatePair.objects.first()
    assert pair is not None
    services.decide(pair, actor="rana", status=Status.ACCEPTED, now=NOW)
    people = Person.objects.count()
    services.split(PersonLink.objects.get(), actor="amal", reason="different mothers", now=NOW)
    link = PersonLink.objects.get()
    assert (link.active, link.ended_by, link.end_reason) == (False, "amal", "different mothers")
    assert services.canonical_of(pair.right_id) == pair.right_id
    assert Person.objects.count() == people
    assert _actions()[-1] == "split"
    with pytest.raises(ValueError, match="already split"):
        services.split(link, actor="amal", reason="again")


@pytest.mark.parametrize("second", [Status.REJECTED, Status.UNSURE])
def test_deciding_an_accepted_pair_again_undoes_its_merge(dossier, second) -> None:  # type: ignore[no-untyped-def]
    """Accept, split, accept again, then reject (two tabs, or a change of mind): the second
    acceptance's link ended too, so the links, the person page's answer and the one
    resolution agree (the link stayed active while the resolution had them apart)."""
    from dhakira.apps.linkage.resolution import resolve

    services.run_linkage(actor="rana", settings=FAST, now=NOW)
    pair = CandidatePair.objects.first()
    assert pair is not None
    services.decide(pair, actor="rana", status=Status.ACCEPTED, now=NOW)
    services.split(PersonLink.objects.get(), actor="amal", reason="different mothers", now=NOW)
    services.decide(pair, actor="rana", status=Status.ACCEPTED, now=NOW)
    assert services.canonical_of(pair.right_id) == pair.left_id
    services.decide(pair, actor="amal", status=second, reason="checked again", now=NOW)
    assert not PersonLink.objects.filter(active=True).exists()
    assert services.canonical_of(pair.right_id) == pair.right_id
    ended = PersonLink.objects.order_by("pk").last()
    assert ended is not None and (ended.ended_by, ended.end_reason) == ("amal", "checked again")
    assert _actions()[-2:] == ["decision", "split"]
    if second == Status.REJECTED:
        assert resolve(persons=[pair.left_id]).of(pair.right_id) != resolve(
            persons=[pair.left_id]).of(pair.left_id)


def test_a_rejected_pair_is_not_queued_or_linked_again(dossier) -> None:  # type: ignore[no-untyped-def]
    services.run_linkage(actor="rana", settings=FAST, now=NOW)
    pair = CandidatePair.objects.first()
    assert pair is not None
    services.decide(pair, actor="rana", status=Status.REJECTED, reason="checked", now=NOW)
    again = services.run_linkage(actor="rana", settings=FAST, now=NOW)
    key = (pair.left_id, pair.right_id)
    assert key not in {(p.left_id, p.right_id) for p in again.run.pairs.all()}
    assert key not in {(p.left, p.right) for p in again.result.pairs}


def test_an_accepted_pair_is_forced_in_the_next_run(dossier) -> None:  # type: ignore[no-untyped-def]
    services.run_linkage(actor="rana", settings=FAST, now=NOW)
    # A reviewer knows better than the model: two loners are one person.
    loners = sorted(pk for pk, truth in dossier.items() if truth >= 100)[:2]
    first = CandidatePair.objects.first()
    assert first is not None
    forced = CandidatePair.objects.create(run=first.run, left_id=loners[0], right_id=loners[1],
                                          match_weight=-5, probability=0.01, levels={})
    services.decide(forced, actor="rana", status=Status.ACCEPTED, now=NOW)
    again = services.run_linkage(actor="rana", settings=FAST, now=NOW)
    assert again.result.clusters[loners[0]] == again.result.clusters[loners[1]]


def test_decisions_need_an_actor_and_a_real_status(dossier) -> None:  # type: ignore[no-untyped-def]
    services.run_linkage(actor="rana", settings=FAST, now=NOW)
    pair = CandidatePair.objects.first()
    assert pair is not None
    with pytest.raises(ValueError, match="acting user"):
        services.decide(pair, actor="", status=Status.ACCEPTED)
    with pytest.raises(ValueError, match="not 'pending'"):
        services.plan_decision(pair, Status.PENDING)
    with pytest.raises(ValueError, match="acting user"):
        services.run_linkage(actor="")


def test_it_runs_on_the_configured_database() -> None:
    from django.db import connection

    expected = "postgresql" if on_postgresql() else "sqlite"
    assert connection.vendor == expected
