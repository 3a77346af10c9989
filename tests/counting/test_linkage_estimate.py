"""Counting the people the linkage found (issue 14, items 1 and 2), on a generated dossier.

The bug: with no reviewed pair, the estimate counted every mention as a different person
(4.6 million for the demo's 6,800). Now an estimate uses the latest run's clusters with the
reviewers' decisions on top, and says which run, how many decisions and how it moves with
a looser and a stricter clustering.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dhakira.apps.counting import services
from dhakira.apps.counting.histories import capture_histories
from dhakira.apps.demo.load import build_dossier
from dhakira.apps.dossier.models import Act, Event, Information, NameVariant, Person
from dhakira.apps.linkage import services as identity
from dhakira.apps.linkage.extract import named as named_persons
from dhakira.apps.linkage.models import CandidatePair, Status
from dhakira.apps.linkage.resolution import resolve

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def linked(tmp_path: Path) -> identity.RunOutcome:
    build_dossier(victims=300, perpetrators=100, informants=20, seed=3,
                  truth_out=tmp_path / "truth.json")
    return identity.run_linkage(actor="amal")


def _people_on_lists() -> int:
    return capture_histories(resolve().mapping).victims


def test_issue_14_item_1_the_estimate_counts_the_runs_people_not_its_mentions(linked) -> None:
    mentions = Act.objects.values("victim_id").distinct().count()
    named = named_persons()
    clusters = len({c for m, c in linked.result.clusters.items() if m in named})
    assert clusters < mentions  # the dossier's reports do repeat people
    run = services.run_with_current(method="independence", seed=1)
    # People are the run's clusters, of the mentions that name someone (the others are
    # set aside, docs/estimation.md).
    assert run.result["total"]["observed"] == run.victims == clusters
    assert run.result["set_aside"] == len(set(linked.result.clusters) - named) > 0
    assert run.unresolved == 0
    assert run.link_run_id == linked.run.pk and run.decisions == 0
    assert run.result["linkage"] == {"run": str(linked.run), "threshold": 0.99,
                                     "decisions": 0, "stale": False}


def test_the_same_estimate_at_a_looser_and_a_stricter_clustering_is_beside_it(linked) -> None:
    run = services.run_with_current(method="independence", seed=1)
    sens = run.result["sensitivity"]
    assert set(sens) == {"looser", "stricter"}
    assert sens["looser"]["threshold"] < 0.99 < sens["stricter"]["threshold"]
    for name, level in (("looser", "looser"), ("stricter", "stricter")):
        assert set(run.result["total"]) - {"with_matching"} <= set(sens[name])
        named = named_persons()
        assert sens[name]["observed"] == len({c for m, c in resolve(level=level).mapping.items()
                                              if m in named})
    # fewer joins, more people; more joins, fewer people
    assert sens["looser"]["observed"] <= run.victims <= sens["stricter"]["observed"]
    # Allowing for matching: without posterior draws (independence), from the lowest of the
    # three lower ends to the highest upper end.
    ends = [run.result["total"]["interval"], *(sens[name]["interval"] for name in sens)]
    assert run.result["total"]["with_matching"] == {
        "interval": [min(low for low, _ in ends), max(high for _, high in ends)],
        "kind": "from the lowest lower end to the highest upper end"}
    summary = services.summary_for_brief(run)
    assert summary is not None and summary["sensitivity"] == sens
    assert summary["interval_with_matching"] == run.result["total"]["with_matching"]["interval"]
    last = list(csv.reader(io.StringIO(services.csv_text(run))))[-1]
    assert [float(x) for x in last[-2:]] == pytest.approx(
        run.result["total"]["with_matching"]["interval"], abs=0.5)
    assert summary["linkage"]["run"] == str(linked.run)


def test_accepted_and_rejected_decisions_change_the_count_as_stated(linked) -> None:
    before = _people_on_lists()
    clusters = resolve().mapping
    # A queued pair between two people: accepting it makes them one.
    apart = next(p for p in CandidatePair.objects.filter(run=linked.run, status=Status.PENDING)
                 if clusters[p.left_id] != clusters[p.right_id])
    identity.decide(apart, actor="rana", status=Status.ACCEPTED)
    assert _people_on_lists() == before - 1
    # A pair inside one two-mention cluster: rejecting it makes them two.
    sizes: dict[int, list[int]] = {}
    for p, c in resolve().mapping.items():
        sizes.setdefault(c, []).append(p)
    a, b = next(sorted(g) for g in sizes.values() if len(g) == 2)
    pair, _ = CandidatePair.objects.get_or_create(
        run=linked.run, left_id=a, right_id=b,
        defaults={"match_weight": 0.0, "probability": 0.99})
    identity.decide(pair, actor="rana", status=Status.REJECTED)
    assert _people_on_lists() == before
    run = services.run_with_current(method="independence", seed=1)
    assert run.decisions == run.result["linkage"]["decisions"] == 2
    assert run.victims == before


def test_an_estimate_from_linkage_older_than_the_newest_report_says_so(linked) -> None:
    report = Information.objects.filter(source__network__gt="").first()
    assert report is not None
    late = Person.objects.create(sex="female")
    NameVariant.objects.create(person=late, text="Salma Yousef", script="latn")
    act = Act.objects.create(event=Event.objects.first(), victim=late, act_type="killing")
    report.acts.add(act)
    run = services.run_with_current(method="independence", seed=1)
    assert run.result["linkage"]["stale"] is True
    assert any(w.startswith(services.LINKAGE_STALE) for w in run.result["total"]["warnings"])
    assert run.unresolved == 1


@pytest.mark.parametrize(("victims", "lang", "said"), [
    (0, "en", "Only 0 victims are recorded: too few to link or to estimate from; add reports "
              "first."),
    (1, "en", "Only 1 victim is recorded: too few to link or to estimate from; add reports "
              "first."),
    (1, "ar", "add"),  # checked below: Arabic words, no English
    (2, "en", "No victim linkage run exists yet, so victims cannot be counted as people: run "
              "linkage first (dhakira link)."),
])
def test_too_few_victims_to_link_are_said_so_not_sent_to_linking(victims, lang, said) -> None:  # type: ignore[no-untyped-def]
    """On a vault of one report, `dhakira link` refuses (too few mentions) and `dhakira
    estimate` sent the user back to `dhakira link`: a loop. Fewer than two victims now say
    so; from two on, linking can run and the refusal says to run it."""
    from django.utils import translation

    from dhakira.apps.counting.errors import NoResolutionError

    event = Event.objects.create(title="synthetic")
    for _ in range(victims):
        Act.objects.create(event=event, victim=Person.objects.create(sex="male"),
                           act_type="killing")
    with translation.override(lang), pytest.raises(NoResolutionError) as refused:
        services.run_with_current(method="independence", seed=1)
    if lang == "ar":
        assert "dhakira link" not in str(refused.value)
        assert not any("a" <= ch <= "z" for ch in str(refused.value)), str(refused.value)
    else:
        assert str(refused.value) == said
