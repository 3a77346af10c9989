"""Model averaging over decomposable graphs against dga's Madigan & York figures."""

import numpy as np
import pytest
from tests.estimate.conftest import load

from dhakira.core.counting import (
    CaptureTable,
    EstimateError,
    estimate,
    fit_dga,
    negative_binomial_log_prior,
)
from dhakira.core.counting._graphs import decomposable_graphs


def _relative_loss_estimate(weights: np.ndarray, totals: np.ndarray) -> float:
    # dga's Bayes estimate under relative squared loss: E[1/N] / E[1/N^2].
    return float((weights / totals).sum() / (weights / totals**2).sum())


@pytest.mark.parametrize(("p", "count"), [(3, 8), (4, 61), (5, 822)])
def test_it_enumerates_every_decomposable_graph(p, count):
    assert len(decomposable_graphs(p)) == count


def test_a_four_cycle_is_not_decomposable_but_a_triangulated_one_is():
    cliques = {frozenset(g.cliques) for g in decomposable_graphs(4)}
    cycle_edges = [frozenset(e) for e in ((0, 1), (1, 2), (2, 3), (0, 3))]
    assert frozenset(cycle_edges) not in cliques
    chorded = frozenset({frozenset({0, 1, 2}), frozenset({0, 2, 3})})
    assert chorded in cliques
    graph = next(g for g in decomposable_graphs(4) if frozenset(g.cliques) == chorded)
    assert graph.separators == (frozenset({0, 2}),)


def test_it_reproduces_dga_on_the_madigan_york_five_list_table():
    # dga's figures, from tests/data/mse/madigan_york_5list.json: mean 618, median 616.
    fit = fit_dga(load("madigan_york_5list"), delta=0.5, missing=range(1, 301))
    assert round(fit.mean) == 618
    assert fit.median == 616
    assert fit.interval == (588, 655)


def test_it_reproduces_madigan_and_york_on_the_three_list_table():
    fit = fit_dga(load("madigan_york_3list"), delta=1, missing=range(1, 301),
                  log_prior=negative_binomial_log_prior(13.14, 55.17))
    top = fit.weights[int(fit.model_probabilities.argmax())]
    assert round(float(top.sum()), 2) == 0.37
    assert round(_relative_loss_estimate(top, fit.totals)) == 731
    assert fit.totals[top.argmax()] == 729
    assert round(_relative_loss_estimate(fit.posterior, fit.totals)) == 731
    assert fit.mode == 728


def test_independent_lists_put_most_weight_near_the_truth():
    rng = np.random.default_rng(3)
    rows = rng.random((4000, 4)) < 0.3
    rows = rows[rows.any(axis=1)]
    names = ["A", "B", "C", "D"]
    table = CaptureTable.from_histories(
        (frozenset(n for n, hit in zip(names, r, strict=True) if hit) for r in rows), names)
    result = estimate(table, method="dga")
    assert result.method == "dga"
    assert result.interval[0] <= 4000 <= result.interval[1]
    assert result.diagnostics["graphs"] == 61


def test_it_rejects_two_lists_and_six_lists():
    with pytest.raises(EstimateError, match="3 to 5 lists"):
        fit_dga(CaptureTable.from_counts(["A", "B"], {"10": 5, "01": 4, "11": 2}))
    with pytest.raises(EstimateError, match="3 to 5 lists"):
        fit_dga(load("uk_modern_slavery_2013"))


def test_it_rejects_a_non_positive_delta_and_an_empty_grid():
    table = load("madigan_york_3list")
    with pytest.raises(EstimateError, match="delta"):
        fit_dga(table, delta=0)
    with pytest.raises(EstimateError, match="missing"):
        fit_dga(table, missing=[])


def test_it_flags_a_grid_that_stops_before_the_posterior_dies_away():
    table = load("madigan_york_3list")
    assert fit_dga(table, missing=range(0, 5)).truncated
    assert not fit_dga(table, missing=range(0, 10_000)).truncated
