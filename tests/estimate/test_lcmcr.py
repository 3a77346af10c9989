"""The LCMCR sampler: few iterations, judged against wide but honest bounds."""

import numpy as np
import pytest

from dhakira.core.counting import (
    CaptureTable,
    EstimateError,
    estimate,
    estimate_stratified,
    fit_lcmcr,
)

# Fixed lengths (no rounds until convergence): these tests judge the sampler, not its length.
FAST = {"burn_in": 500, "iterations": 1500, "thin": 5, "chains": 2, "until_converged": False}
SMALL = {"burn_in": 100, "iterations": 400, "thin": 4, "chains": 2, "until_converged": False}


def _simulated(seed: int) -> CaptureTable:
    # Design sim5 of simulation_designs.json (N = 2000), where every list catches many people.
    rng = np.random.default_rng(seed)
    p1, p2 = [0.113, 0.113, 0.199, 0.832, 0.733], [0.86, 0.925, 0.859, 0.19, 0.193]
    rows = np.vstack([rng.random((1600, 5)) < p1, rng.random((400, 5)) < p2])
    names = ["A", "B", "C", "D", "E"]
    return CaptureTable.from_histories(
        [frozenset(n for n, hit in zip(names, r, strict=True) if hit) for r in rows if r.any()],
        names)


def test_it_is_reproducible_with_a_seed(hiv):
    first = fit_lcmcr(hiv, seed=3, **SMALL)
    second = fit_lcmcr(hiv, seed=3, **SMALL)
    assert np.array_equal(first.draws, second.draws)


def test_different_seeds_give_different_draws(hiv):
    assert not np.array_equal(fit_lcmcr(hiv, seed=3, **SMALL).draws,
                              fit_lcmcr(hiv, seed=4, **SMALL).draws)


def test_its_interval_covers_the_truth_on_a_known_design():
    fit = fit_lcmcr(_simulated(11), seed=11, **FAST)
    low, high = fit.interval
    assert low <= 2000 <= high
    assert fit.median == pytest.approx(2000, rel=0.05)


def test_it_agrees_with_the_log_linear_answer_on_hiv(hiv):
    # No LCMCR reference exists for HIV; the profile interval of the Rcapture model
    # (10,266 to 14,992) is the yardstick.
    fit = fit_lcmcr(hiv, seed=1, **FAST)
    assert 10266 <= fit.median <= 14992


def test_it_lands_in_the_r_reference_interval_on_the_sparse_uk_table(uk):
    # R LCMCR (K=10, a=b=0.25): median 22,935, 95% 16,897-33,909. Random starts used to
    # trap chains near 5,300 (docs/estimation.md); the one-class start and the collapsed
    # jumps in the number unseen fixed that. The bench runs ten long seeds.
    fit = fit_lcmcr(uk, seed=4, **FAST)
    assert 16897 <= fit.median <= 33909


def test_the_plain_gibbs_sampler_is_still_available_and_valid(hiv):
    fit = fit_lcmcr(hiv, seed=1, moves=0, **SMALL)
    assert fit.draws.min() >= hiv.observed


def test_it_never_estimates_fewer_than_observed(hiv):
    fit = fit_lcmcr(hiv, seed=2, **SMALL)
    assert fit.draws.min() >= hiv.observed


def test_it_flags_a_sampler_with_too_few_effective_draws(hiv):
    result = estimate(hiv, method="lcmcr", seed=1, burn_in=0, iterations=40, thin=1,
                      compare=False, until_converged=False)
    assert any(w.startswith("NOT_CONVERGED") and "run more iterations" in w
               for w in result.warnings)
    assert result.diagnostics["ess"] < 100
    assert result.diagnostics["budget_ran_out"] is False  # it ran its length; no budget cut it


def test_a_fixed_length_run_cut_short_by_the_budget_says_so(hiv):
    fit = fit_lcmcr(hiv, seed=1, burn_in=100, iterations=4000, thin=4, until_converged=False,
                    budget_seconds=0)
    assert fit.budget_ran_out and fit.burned == 0 and fit.sweeps < 4000


def test_one_chain_is_judged_by_its_halves(hiv):
    fit = fit_lcmcr(hiv, seed=1, **{**SMALL, "chains": 1})
    assert 0.9 < fit.rhat < 2 and not fit.converged


def test_it_rejects_impossible_settings(hiv):
    with pytest.raises(EstimateError):
        fit_lcmcr(hiv, seed=1, iterations=10, thin=5)
    with pytest.raises(EstimateError):
        fit_lcmcr(hiv, seed=1, moves=-1)


def test_a_four_list_reference_table_converges_at_the_default_settings(hiv):
    # Issue 14 item 6: the default answer used to be one the tool itself called unreliable.
    result = estimate(hiv, method="lcmcr", seed=1, compare=False)
    assert not any(w.startswith("NOT_CONVERGED") for w in result.warnings)
    assert result.diagnostics["converged"] is True
    assert result.diagnostics["rhat"] <= 1.01 and result.diagnostics["ess"] >= 400


def test_a_spent_time_budget_says_so(hiv):
    result = estimate(hiv, method="lcmcr", seed=1, compare=False, budget_seconds=0)
    [note] = [w for w in result.warnings if w.startswith("NOT_CONVERGED")]
    assert "time budget of 0 s ran out" in note
    assert f"split R-hat {result.diagnostics['rhat']:.3f}" in note
    assert f"effective sample size {result.diagnostics['ess']:.0f}" in note
    assert result.diagnostics["budget_ran_out"] is True
    assert result.diagnostics["burn_in_per_chain"] == 0  # no time even for burn-in
    assert result.draws is not None and len(result.draws) >= 8  # yet a first block of draws


def test_chains_are_extended_in_rounds_until_they_converge(hiv):
    fit = fit_lcmcr(hiv, seed=2, burn_in=200, iterations=400, thin=4, budget_seconds=None)
    assert fit.converged and fit.rounds > 1 and fit.sweeps > 400
    assert fit.rhat <= 1.01 and fit.ess >= 400
    assert fit.draws.shape == (2, fit.sweeps // 4)


def test_the_budget_is_kept_with_an_injected_clock(hiv):
    ticks = iter(range(10**6))  # one "second" per look at the clock
    fit = fit_lcmcr(hiv, seed=2, burn_in=200, iterations=400, thin=4, budget_seconds=10,
                    clock=lambda: float(next(ticks)))
    assert fit.budget_ran_out and not fit.converged
    assert fit.seconds <= 14  # stops at the first block after the budget is spent


def test_progress_rises_to_done_and_names_what_it_is_doing(hiv):
    seen: list[tuple[float, str]] = []
    estimate(hiv, method="lcmcr", seed=3, compare=False, burn_in=1000, iterations=2000, thin=4,
             until_converged=False, progress=lambda f, s: seen.append((f, s)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] > 0 and fractions[-1] == 1.0
    assert {"burn-in", "done"} <= {s for _, s in seen}
    assert any(s.startswith("sampling") for _, s in seen)


def test_stratified_progress_names_the_stratum(hiv):
    seen: list[tuple[float, str]] = []
    estimate_stratified({"north": hiv, "south": hiv}, method="independence", compare=False,
                        progress=lambda f, s: seen.append((f, s)))
    assert seen == [(0.5, "north (1 of 2): done"), (1.0, "south (2 of 2): done")]


@pytest.mark.parametrize("counts", [{"10": 3, "01": 2, "11": 1}, {"10": 6, "01": 5}])
def test_a_latent_class_model_refuses_two_lists_as_dga_does(counts):
    # Two lists do not identify latent classes: it printed 4 (3-13), and 11 (7-44) with no
    # overlap at all, where independence says unbounded. No number is the honest answer.
    table = CaptureTable.from_counts(["A", "B"], counts)
    with pytest.raises(EstimateError, match="at least 3 lists, not 2"):
        fit_lcmcr(table, seed=1, iterations=40, burn_in=0, thin=1)
    with pytest.raises(EstimateError, match="at least 3 lists, not 2"):
        estimate(table, method="lcmcr", seed=1)


def test_walk_burn_in_is_not_counted_as_the_whole_work(hiv):
    """The bar reached 95 % at the end of burn-in (the sampling, four times longer, was not
    in its sum) and sat there for the rest of the run."""
    seen: list[tuple[float, str]] = []
    estimate(hiv, method="lcmcr", seed=3, compare=False, burn_in=1000, iterations=4000, thin=4,
             until_converged=False, budget_seconds=None,
             progress=lambda f, s: seen.append((f, s)))
    burnt = [f for f, s in seen if s == "burn-in"][-1]
    assert 0.15 <= burnt <= 0.25, burnt  # 1000 of 5000 sweeps
    sampling = [f for f, s in seen if s.startswith("sampling")]
    assert len(set(sampling)) == len(sampling) >= 3  # every block moves the bar
    assert sampling[-1] < 1.0 and seen[-1] == (1.0, "done")


def test_walk_every_round_of_a_long_run_moves_the_bar(hiv, monkeypatch):
    """Extension rounds sat at 95 %: each round now fills its share of what was left."""
    from dhakira.core.counting import lcmcr

    sizes = iter([10.0, 20.0, 30.0, 1e9])  # converged at the fourth look: four rounds
    monkeypatch.setattr(lcmcr, "effective_size", lambda draws: next(sizes))
    monkeypatch.setattr(lcmcr, "split_rhat", lambda draws: 1.0)
    seen: list[tuple[float, str]] = []
    fit = fit_lcmcr(hiv, seed=3, burn_in=200, iterations=400, thin=4, budget_seconds=None,
                    progress=lambda f, s: seen.append((f, s)))
    assert fit.rounds == 4 and fit.converged
    by_round: dict[str, list[float]] = {}
    for f, s in seen:
        if s.startswith("sampling, round"):
            by_round.setdefault(s, []).append(f)
    assert len(by_round) >= 3
    for fractions in by_round.values():  # within each round, each block moves it on
        assert fractions[-1] > fractions[0] or len(fractions) == 1
    ends = [fractions[-1] for fractions in by_round.values()]
    assert ends == sorted(ends) and len(set(ends)) == len(ends) and ends[-1] < 1.0
