"""Agreement with Rcapture / SparseMSE figures in tests/data/mse (to 0.5 %)."""

import math

import pytest
from tests.estimate.conftest import load

from dhakira.core.counting import (
    CaptureTable,
    ModelError,
    fit_loglinear,
    independence,
    search_models,
)

ALLEGHENY_ALL_PAIRS = [(a, b) for i, a in enumerate("ABCD") for b in "ABCD"[i + 1:]]
UK_SPARSEMSE = [("PF", "NCA"), ("LA", "NG"), ("NG", "GP"), ("LA", "PF"), ("PF", "GP"),
                ("GO", "GP"), ("NG", "GO")]
CASES = [
    ("hiv_rome_1994", [("c1", "c2")], 12318.5),
    ("hiv_rome_1994", [], 11125),
    ("allegheny_2003", [], 3738.5),
    ("allegheny_2003", ALLEGHENY_ALL_PAIRS, 7126),
    ("uk_modern_slavery_2013", [], 12214),
    ("uk_modern_slavery_2013", UK_SPARSEMSE, 11418),
]


@pytest.mark.parametrize(("name", "terms", "expected"), CASES)
def test_it_reproduces_the_reference_log_linear_estimates(name, terms, expected):
    fit = fit_loglinear(load(name), terms, interval=False)
    assert fit.estimate == pytest.approx(expected, rel=0.005)


def test_it_reproduces_rcapture_fit_statistics_for_hiv_c1_c2(hiv):
    fit = fit_loglinear(hiv, [("c1", "c2")])
    assert fit.deviance == pytest.approx(7.61, abs=0.01)
    assert fit.df == 9
    assert fit.aic == pytest.approx(86.65, abs=0.01)
    low, high = fit.interval
    assert low < fit.estimate < high
    assert low > 9000 and high < 16000


def test_it_reproduces_sparsemse_fit_statistics_for_the_uk():
    fit = fit_loglinear(load("uk_modern_slavery_2013"), UK_SPARSEMSE, interval=False)
    assert fit.deviance == pytest.approx(22.99, abs=0.01)
    assert fit.df == 49
    assert fit.aic == pytest.approx(162.7, abs=0.05)


def test_independence_on_two_lists_is_lincoln_petersen():
    # n1 = 60 + 20 = 80 on A, n2 = 40 + 20 = 60 on B, m = 20 on both: 80 * 60 / 20 = 240.
    table = CaptureTable.from_counts(["A", "B"], {"10": 60, "01": 40, "11": 20})
    assert independence(table, interval=False).estimate == pytest.approx(240.0, rel=1e-6)


def test_profile_interval_contains_the_estimate_and_is_asymmetric():
    table = CaptureTable.from_counts(["A", "B"], {"10": 60, "01": 40, "11": 20})
    low, high = independence(table).interval
    assert low < 240 < high
    assert high - 240 > 240 - low  # the likelihood is skewed towards large N


def test_it_rejects_the_non_identifiable_highest_order_term(hiv):
    with pytest.raises(ModelError, match="not identifiable"):
        fit_loglinear(hiv, [("c1", "c2", "c3", "c4")])


def test_it_rejects_unknown_lists(hiv):
    with pytest.raises(ModelError, match="unknown lists"):
        fit_loglinear(hiv, [("c1", "nope")])


def test_it_closes_three_way_terms_under_hierarchy(hiv):
    fit = fit_loglinear(hiv, [("c1", "c2", "c3")], interval=False)
    assert fit.model == "c1:c2+c1:c3+c2:c3+c1:c2:c3"


def test_it_warns_when_a_zero_cell_makes_the_estimate_infinite():
    table = CaptureTable.from_counts(["A", "B"], {"10": 3, "01": 2, "11": 0})
    fit = independence(table)
    assert math.isinf(fit.estimate)
    assert fit.interval == (5, math.inf)
    assert any(w.startswith("INFINITE_ESTIMATE") for w in fit.warnings)


def test_it_warns_about_an_interaction_nobody_is_on():
    # Nobody is on both A and B, so the A:B coefficient runs off to minus infinity.
    table = CaptureTable.from_counts(["A", "B", "C"], {"100": 5, "010": 7, "001": 9,
                                                       "101": 3, "011": 4})
    fit = fit_loglinear(table, [("A", "B")], interval=False)
    assert any(w.startswith("ZERO_MARGIN") for w in fit.warnings)


def test_model_search_selects_c1_c2_for_hiv_by_aic(hiv):
    search = search_models(hiv)
    assert search.best_aic.model == "c1:c2"
    assert search.best_bic.bic <= min(bic for _, _, bic, _ in search.candidates) + 1e-9
    assert search.best_bic.interval is not None


def test_model_search_recovers_the_sparsemse_model_for_the_uk_by_aic(uk):
    search = search_models(uk)
    assert set(search.best_aic.terms) == {tuple(t) for t in
                                          [("LA", "NG"), ("LA", "PF"), ("NG", "GO"),
                                           ("NG", "GP"), ("PF", "GP"), ("PF", "NCA"),
                                           ("GO", "GP")]}
