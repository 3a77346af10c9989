"""R-hat and ESS as Vehtari et al. (2021) define them (the ArviZ and Stan definitions)."""

import numpy as np
import pytest

from dhakira.core.counting._diagnostics import ESS_LIMIT, RHAT_LIMIT, effective_size, split_rhat


def _ar1(phi: float, draws: int, chains: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=(chains, draws))
    out = np.empty_like(noise)
    out[:, 0] = noise[:, 0] / np.sqrt(1 - phi**2)
    for t in range(1, draws):
        out[:, t] = phi * out[:, t - 1] + noise[:, t]
    return out


def test_the_limits_are_the_papers():
    assert (RHAT_LIMIT, ESS_LIMIT) == (1.01, 400)


def test_independent_draws_have_an_ess_near_their_number_and_rhat_near_one():
    draws = np.random.default_rng(0).normal(size=(4, 1000))
    assert effective_size(draws) == pytest.approx(4000, rel=0.1)
    assert split_rhat(draws) < 1.005


@pytest.mark.parametrize("phi", [0.5, 0.9])
def test_ess_of_an_ar1_chain_matches_its_autocorrelation_time(phi):
    # tau = (1 + phi) / (1 - phi) for an AR(1) series.
    draws = _ar1(phi, 5000, 4, seed=1)
    assert effective_size(draws) == pytest.approx(20000 * (1 - phi) / (1 + phi), rel=0.25)


def test_rhat_sees_a_chain_stuck_elsewhere():
    draws = np.random.default_rng(2).normal(size=(4, 1000))
    draws[0] += 0.5
    assert split_rhat(draws) > RHAT_LIMIT


def test_folded_rhat_sees_a_chain_that_only_differs_in_spread():
    # Same centre, twice the spread: the classic (bulk) R-hat barely moves; the tail one does.
    draws = np.random.default_rng(3).normal(size=(4, 1000))
    draws[0] *= 2
    assert split_rhat(draws) > 1.05


def test_rhat_sees_a_trend_within_each_chain():
    # Split R-hat: each chain drifts, so its halves disagree though the chains agree.
    draws = np.random.default_rng(4).normal(size=(2, 1000)) + np.linspace(0, 2, 1000)
    assert split_rhat(draws) > 1.1


def test_whole_number_draws_with_many_ties_are_ranked_fairly():
    draws = np.random.default_rng(5).poisson(3, size=(4, 1000))
    assert split_rhat(draws) < 1.01
    assert effective_size(draws) > 3000


def test_constant_draws_do_not_divide_by_zero():
    draws = np.full((2, 100), 7.0)
    assert split_rhat(draws) == 1.0
    assert effective_size(draws) == 200
