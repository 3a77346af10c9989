"""On the synthetic dossier, the truth resolution gives exactly the generator's capture histories,
less the mentions that name no one (set aside)."""

from __future__ import annotations

from collections import defaultdict

from dhakira.apps.counting.histories import capture_histories
from dhakira.apps.demo.load import build_dossier
from dhakira.apps.demo.truth import read_truth
from dhakira.apps.dossier.models import Information, NameVariant


def test_the_dossiers_histories_under_the_true_resolution_are_the_true_ones(db, tmp_path):
    path = tmp_path / "truth.json"
    build_dossier(victims=150, perpetrators=40, informants=24, seed=3, truth_out=path)
    truth = read_truth(path)
    hist = capture_histories(truth.victim_mentions)
    table = hist.tables["all"]
    assert table.lists == tuple(sorted(truth.networks))
    # The oracle, from the rows themselves: a mention counts when one of its full names is
    # a name (not a kunya, an alias or «مجهول»); each victim's lists are those of its
    # counted mentions.
    victim_of = {int(k[2:]): v for k, v in truth.victim_mentions.items()}
    full = NameVariant.objects.exclude(kind__in=[NameVariant.Kind.KUNYA, NameVariant.Kind.ALIAS])
    words = {"مجهول", "unknown"}
    named = {p for p, text in full.values_list("person_id", "text") if text.strip() not in words}
    lists: dict[int, set[str]] = defaultdict(set)
    unnamed = set()
    for network, person in Information.acts.through.objects.values_list(
            "information__source__network", "act__victim_id"):
        if person in named:
            lists[victim_of[person]].add(network)
        else:
            unnamed.add(person)
    expected: dict[str, int] = defaultdict(int)
    for seen in lists.values():
        expected["".join("1" if name in seen else "0" for name in table.lists)] += 1
    assert {p: c for p, c in table.counts.items() if c} == expected
    assert hist.set_aside == len(unnamed) > 0  # the generator writes kunya-only reports
    assert hist.unresolved == 0
    # Every documented victim is counted, but those whose every mention names no one.
    only_unnamed = {victim_of[p] for p in unnamed} - set(lists)
    assert hist.victims + len(only_unnamed) == truth.documented
