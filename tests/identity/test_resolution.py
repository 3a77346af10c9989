"""The one resolution: a run's stored clusters, with reviewers' decisions applied on top.

Runs are written by hand here (no Splink), so every expected person is counted by hand in
the comments.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.identity.runs import T0, stored_run

from dhakira.apps.dossier.models import Act, Event, Person
from dhakira.apps.linkage import services
from dhakira.apps.linkage.models import CandidatePair, LinkRun, PersonLink, Status
from dhakira.apps.linkage.resolution import also_recorded_as, resolve

pytestmark = pytest.mark.django_db


def _victims(n: int) -> list[int]:
    event = Event.objects.create(title="synthetic event")
    out = []
    for _ in range(n):
        person = Person.objects.create(sex="male")
        Act.objects.create(event=event, victim=person, act_type="killing")
        out.append(person.pk)
    return out


def _run(clusters: dict[str, list[list[int]]], pairs: list[tuple[int, int, float]] = ()) -> LinkRun:  # type: ignore[assignment]
    """A stored run: level → clusters (lists of person ids), and its queued pairs."""
    run = stored_run(clusters["chosen"], **{k: v for k, v in clusters.items() if k != "chosen"})
    CandidatePair.objects.bulk_create([
        CandidatePair(run=run, left_id=a, right_id=b, match_weight=5.0, probability=prob)
        for a, b, prob in pairs])
    return run


def _decide(run: LinkRun, a: int, b: int, status: str, minutes: int = 0) -> None:
    pair, _ = CandidatePair.objects.get_or_create(
        run=run, left_id=min(a, b), right_id=max(a, b),
        defaults={"match_weight": 0.0, "probability": 0.6})
    services.decide(pair, actor="rana", status=status, now=T0 + timedelta(minutes=minutes))


def _people(res) -> set[frozenset[int]]:  # type: ignore[no-untyped-def]
    groups: dict[int, set[int]] = {}
    for p, r in res.mapping.items():
        groups.setdefault(r, set()).add(p)
    return {frozenset(g) for g in groups.values()}


def test_without_decisions_the_people_are_the_runs_clusters() -> None:
    a, b, c, d = _victims(4)
    run = _run({"chosen": [[a, b], [c], [d]]})
    res = resolve()
    assert _people(res) == {frozenset({a, b}), frozenset({c}), frozenset({d})}
    assert (res.run, res.run_id, res.threshold, res.decisions, res.stale) == (
        str(run), run.pk, 0.99, 0, False)


def test_an_accepted_pair_joins_two_clusters_even_when_decided_after_the_run() -> None:
    a, b, c, d = _victims(4)
    run = _run({"chosen": [[a, b], [c], [d]]})
    _decide(run, b, c, Status.ACCEPTED)
    res = resolve()
    assert _people(res) == {frozenset({a, b, c}), frozenset({d})}
    assert res.decisions == 1


def test_a_rejected_pair_splits_its_cluster_along_the_models_pairs() -> None:
    # One cluster a-b-c-d held together by a≈b (0.999), b≈c (0.995), c≈d (0.998).
    # Rejecting a≈d: rebuilt strongest first, a-b joins, c-d joins, b-c would join a with d.
    a, b, c, d = _victims(4)
    run = _run({"chosen": [[a, b, c, d]]}, [(a, b, 0.999), (b, c, 0.995), (c, d, 0.998)])
    _decide(run, a, d, Status.REJECTED)
    res = resolve()
    assert _people(res) == {frozenset({a, b}), frozenset({c, d})}
    assert res.of(a) != res.of(d)


def test_a_split_link_separates_and_a_link_made_outside_the_queue_joins() -> None:
    a, b, c = _victims(3)
    _run({"chosen": [[a, b], [c]]})
    manual = PersonLink.objects.create(person_id=c, canonical_id=a, created_by="rana",
                                       created_at=T0)
    assert _people(resolve()) == {frozenset({a, b, c})}
    services.split(manual, actor="amal", reason="different mothers", now=T0 + timedelta(hours=1))
    assert _people(resolve()) == {frozenset({a, b}), frozenset({c})}


def test_when_decisions_contradict_the_rejection_wins() -> None:
    a, b, c = _victims(3)
    run = _run({"chosen": [[a], [b], [c]]})
    _decide(run, a, c, Status.REJECTED, minutes=1)
    _decide(run, a, b, Status.ACCEPTED, minutes=2)
    _decide(run, b, c, Status.ACCEPTED, minutes=3)
    res = resolve()
    assert res.of(a) == res.of(b) != res.of(c)


def test_a_later_decision_on_the_same_pair_replaces_the_earlier() -> None:
    a, b = _victims(2)
    run = _run({"chosen": [[a, b]]}, [(a, b, 0.999)])
    _decide(run, a, b, Status.REJECTED, minutes=1)
    assert len(_people(resolve())) == 2
    _decide(run, a, b, Status.ACCEPTED, minutes=2)
    assert len(_people(resolve())) == 1


def test_resolving_a_few_people_agrees_with_resolving_everyone() -> None:
    a, b, c, d, e, f = _victims(6)
    run = _run({"chosen": [[a, b, c], [d], [e, f]]}, [(a, b, 0.999), (b, c, 0.995)])
    _decide(run, a, c, Status.REJECTED)
    _decide(run, c, d, Status.ACCEPTED)
    full = resolve()
    for p in (a, b, c, d, e, f):
        assert resolve(persons=[p]).members(p) == full.members(p)
    assert also_recorded_as(d) == sorted(full.members(d) - {d}) == [c]


def test_the_looser_and_stricter_levels_read_their_own_clusters() -> None:
    a, b, c = _victims(3)
    _run({"chosen": [[a, b], [c]], "looser": [[a, b, c]], "stricter": [[a], [b], [c]]})
    assert [len(_people(resolve(level=lv))) for lv in ("looser", "chosen", "stricter")] == [1, 2, 3]
    assert resolve(level="looser").threshold == pytest.approx(0.9083, abs=1e-4)
    assert resolve(level="stricter").threshold == pytest.approx(0.999, abs=1e-4)


def test_a_mention_newer_than_the_run_makes_it_stale_and_stands_alone() -> None:
    a, b = _victims(2)
    _run({"chosen": [[a, b]]})
    assert not resolve().stale
    (late,) = _victims(1)
    res = resolve()
    assert res.stale and res.of(late) == late and "older than the newest mention" in res.label
    assert resolve(persons=[late]).stale is None  # not checked for a few persons


def test_without_a_run_the_decisions_still_resolve() -> None:
    a, b = _victims(2)
    PersonLink.objects.create(person_id=b, canonical_id=a, created_by="rana", created_at=T0)
    res = resolve(persons=[b])
    assert res.run == "" and res.of(b) == res.of(a) == a


def test_it_refuses_an_unknown_role_or_level() -> None:
    with pytest.raises(ValueError, match="role"):
        resolve("witness")
    with pytest.raises(ValueError, match="level"):
        resolve(level="loosest")


def test_a_rejection_rebuilds_from_every_scored_pair_not_only_the_queued_ones() -> None:
    # The review queue holds only the pairs a decision can change (0.9-0.999, not joined
    # through others). A cluster a-b-c held by a≈c and b≈c at 0.9999 (never queued) and a≈b
    # at 0.95 (queued): rejecting a≈b must keep c with one of them, not scatter all three.
    import pandas as pd

    from dhakira.core.linkage.resolve import pack_edges

    a, b, c = _victims(3)
    run = _run({"chosen": [[a, b, c]]}, [(a, b, 0.95)])
    run.edges = pack_edges(pd.DataFrame({"unique_id_l": [a, a, b], "unique_id_r": [b, c, c],
                                         "match_probability": [0.95, 0.9999, 0.99995]}), 0.9)
    run.save(update_fields=["edges"])
    _decide(run, a, b, Status.REJECTED)
    assert _people(resolve()) == {frozenset({b, c}), frozenset({a})}


@pytest.mark.parametrize(("decisions", "said"), [
    (0, "0 review decisions"), (1, "1 review decision"), (2, "2 review decisions"),
    (1242, "1,242 review decisions")])
def test_the_label_counts_the_decisions_in_the_form_the_number_takes(decisions: int,
                                                                       said: str) -> None:
    from dhakira.apps.linkage.resolution import Resolution

    res = Resolution(role="victim", level="chosen", run="R-00007", run_id=7, threshold=0.99,
                     decisions=decisions, stale=False, mapping={})
    assert res.label == f"linkage R-00007 at p ≥ 0.99, {said}"
    assert "(s)" not in res.label
