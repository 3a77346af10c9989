"""On the synthetic dossier, the truth resolution gives exactly the generator's capture histories."""

from __future__ import annotations

from dhakira.apps.counting.histories import capture_histories
from dhakira.apps.demo.load import build_dossier
from dhakira.apps.demo.truth import read_truth


def test_the_dossiers_histories_under_the_true_resolution_are_the_true_ones(db, tmp_path):
    path = tmp_path / "truth.json"
    build_dossier(victims=150, perpetrators=40, informants=24, seed=3, truth_out=path)
    truth = read_truth(path)
    hist = capture_histories(truth.victim_mentions)
    table = hist.tables["all"]
    assert table.lists == tuple(sorted(truth.networks))
    order = [truth.networks.index(name) for name in table.lists]
    expected = {"".join(str(h[i]) for i in order): n for h, n in truth.capture_histories().items()}
    assert {p: c for p, c in table.counts.items() if c} == expected
    assert hist.victims == truth.documented and hist.unresolved == 0
