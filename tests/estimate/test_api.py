import json
import math

import numpy as np
import pytest
from tests.estimate.conftest import load

from dhakira.core.counting import (
    CaptureTable,
    Estimate,
    EstimateError,
    across_matchings,
    estimate,
    estimate_stratified,
    result_json,
)


def codes(result):
    return {w.split(":")[0] for w in result.warnings}


def test_it_returns_the_rcapture_figure_with_a_profile_interval(hiv):
    result = estimate(hiv, method="loglinear", terms=[("c1", "c2")])
    assert result.model == "c1:c2"
    assert result.estimate == pytest.approx(12318.5, rel=0.005)
    assert result.interval[0] < result.estimate < result.interval[1]


def test_to_dict_has_the_fields_the_cli_prints(hiv):
    data = json.loads(result_json(estimate(hiv, method="independence")))
    assert {"method", "model", "observed", "estimate", "interval", "warnings"} <= data.keys()
    assert data["observed"] == 1896
    assert len(data["interval"]) == 2


def test_warnings_fire_on_a_sparse_two_list_table():
    table = CaptureTable.from_counts(["A", "B"], {"10": 3, "01": 2, "11": 0})
    result = estimate(table, method="independence")
    assert {"FEW_LISTS", "SPARSE_TABLE", "INFINITE_ESTIMATE", "UNSTABLE_ESTIMATE"} <= codes(result)
    assert result.to_dict()["estimate"] is None  # JSON has no infinity


def test_no_sparse_or_few_lists_warning_on_a_full_four_list_table(hiv):
    result = estimate(hiv, method="loglinear", terms=[("c1", "c2")])
    assert not {"FEW_LISTS", "SPARSE_TABLE"} & codes(result)


def test_it_warns_when_methods_disagree_widely():
    # Allegheny: independence 3,739 against about 6,300 for the best log-linear model.
    result = estimate(load("allegheny_2003"), method="independence")
    assert "METHODS_DISAGREE" in codes(result)


def test_it_rejects_an_unknown_method(hiv):
    with pytest.raises(EstimateError, match="unknown method"):
        estimate(hiv, method="magic")  # type: ignore[arg-type]


def test_stratified_log_linear_estimates_add_up(hiv):
    other = CaptureTable.from_counts(hiv.lists, {p: 2 * c for p, c in hiv.counts.items()})
    result = estimate_stratified({"north": hiv, "south": other}, method="independence",
                                 compare=False)
    parts = [e.estimate for e in result.strata.values()]
    assert result.total.estimate == pytest.approx(sum(parts))
    assert result.total.observed == hiv.observed * 3
    low, high = result.total.interval
    cons_low, cons_high = result.total.diagnostics["conservative_interval"]
    assert cons_low <= low < result.total.estimate < high <= cons_high


def test_stratified_lcmcr_sums_posterior_draws(hiv):
    result = estimate_stratified({"a": hiv, "b": hiv}, method="lcmcr", seed=5, compare=False,
                                 burn_in=200, iterations=600, thin=3, until_converged=False)
    a, b = result.strata["a"], result.strata["b"]
    size = min(len(a.draws), len(b.draws))  # strata may converge at different lengths
    pick = [np.linspace(0, len(d) - 1, size).round().astype(int) for d in (a.draws, b.draws)]
    assert np.array_equal(result.total.draws, a.draws[pick[0]] + b.draws[pick[1]])
    assert result.total.estimate == pytest.approx(a.estimate + b.estimate)
    assert not np.array_equal(a.draws, b.draws)  # strata get their own seeds


def _total(low: float, high: float, draws: np.ndarray | None = None) -> Estimate:
    return Estimate(method="lcmcr", model="sum of strata", observed=100,
                    estimate=(low + high) / 2, interval=(low, high), warnings=(), draws=draws)


def test_issue14_across_matchings_pools_the_draws_in_equal_numbers():
    """Each matching weighs the same, however many draws its chains kept."""
    chosen, looser = np.arange(1000.0, 2000.0), np.arange(0.0, 1000.0)
    stricter = np.repeat(np.arange(2000.0, 3000.0), 3)  # three times as many draws
    (low, high), kind = across_matchings(_total(1025, 1975, chosen),
                                         [_total(25, 975, looser), _total(2025, 2975, stricter)])
    assert kind == "quantiles of the matchings' posterior draws pooled"
    # the pooled draws run evenly from 0 to 3,000: its 2.5 % and 97.5 % points
    assert (low, high) == pytest.approx((75.0, 2925.0), abs=2.0)


def test_issue14_allowing_for_matching_never_narrows_the_chosen_interval():
    """Matchings that agree more closely than the chosen one's own spread: the pool would be
    narrower on one side; the chosen interval is kept there."""
    draws = np.arange(1000.0, 2000.0)
    (low, high), _ = across_matchings(_total(1000, 2000, draws),
                                      [_total(1400, 1600, np.full(1000, 1500.0))] * 2)
    assert (low, high) == (1000, 2000)


def test_issue14_across_matchings_without_draws_spans_the_intervals():
    assert across_matchings(_total(110, 150), [_total(100, 130), _total(120, math.inf)]) == (
        (100, math.inf), "from the lowest lower end to the highest upper end")
    # one fit without draws: the span, not a pool of some of them
    assert across_matchings(_total(110, 150, np.arange(110.0, 150.0)), [_total(100, 130)])[0] \
        == (100, 150)


def test_stratified_rejects_strata_with_different_lists(hiv):
    other = CaptureTable.from_counts(["A", "B"], {"10": 1, "01": 1, "11": 1})
    with pytest.raises(EstimateError, match="same lists"):
        estimate_stratified({"a": hiv, "b": other}, method="independence")


def test_infinite_stratum_makes_the_total_infinite(hiv):
    sparse = CaptureTable.from_counts(["A", "B"], {"10": 3, "01": 2})
    result = estimate_stratified({"x": sparse, "y": sparse}, method="independence")
    assert math.isinf(result.total.estimate)
    assert any(w.startswith("[x] INFINITE_ESTIMATE") for w in result.total.warnings)


def test_an_unbounded_total_keeps_its_lower_end():
    """One stratum whose estimate has no upper bound: the total's interval still starts at
    what the strata bound from below (once NaN, shown as "95% interval ∞ to ∞" in the brief
    of a two-report dossier)."""
    one = CaptureTable.from_counts(["A", "B"], {"11": 1})
    result = estimate_stratified({"all": one}, method="independence", compare=False)
    stratum = result.strata["all"]
    assert math.isinf(result.total.estimate)
    low, high = result.total.interval
    assert math.isinf(high)
    assert low == stratum.interval[0] >= result.total.observed == 1
    assert json.loads(result_json(result))["total"]["interval"][0] == low


def test_one_stratum_no_log_linear_model_bounds_is_kept_unbounded_not_the_whole_run() -> None:
    """A half-year with nobody on two lists made the whole stratified log-linear run fail
    with an English error, where independence gives that stratum no upper end and keeps the
    others (found by an analyst pass); a single such table is still refused, with a code."""
    from dhakira.core.counting import CaptureTable, NoFiniteModel, estimate, estimate_stratified

    apart = CaptureTable(lists=("a", "b", "c"), counts={"100": 5, "010": 5, "001": 5},
                         observed=15)
    good = CaptureTable(lists=("a", "b", "c"), counts={
        "100": 30, "010": 25, "001": 20, "110": 10, "101": 8, "011": 6, "111": 3}, observed=102)
    with pytest.raises(NoFiniteModel) as refused:
        estimate(apart, method="loglinear")
    assert refused.value.code == "no_finite_model"
    both = estimate_stratified({"2015-H1": good, "2015-H2": apart}, method="loglinear", seed=1)
    assert math.isfinite(both.strata["2015-H1"].estimate)
    assert both.strata["2015-H2"].estimate == math.inf
    assert both.strata["2015-H2"].interval == (15.0, math.inf)
    assert both.total.estimate == math.inf and both.total.interval[0] >= 102 + 15
    assert any(w.startswith("[2015-H2] INFINITE") for w in both.total.warnings)
