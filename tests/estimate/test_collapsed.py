"""The collapsed move on the unseen counts targets the right distribution."""

import functools

import numpy as np
import pytest

from dhakira.core.counting._collapsed import log_target, move_unseen

N_K = np.array([30, 10])
MISS = np.array([[10, 2], [12, 3]])  # observed people of each class each list missed
HITS = N_K - MISS
ALPHA, A, B = 1.0, 1.0, 1.0


@functools.cache
def _exact_mean_total() -> float:
    grid = np.arange(0, 220)
    logp = np.array([[log_target(np.array([i, j]), N_K, MISS, ALPHA, A, B) for j in grid]
                     for i in grid])
    p = np.exp(logp - logp.max())
    p /= p.sum()
    assert p[-1, :].sum() + p[:, -1].sum() < 1e-8  # the grid holds all the mass
    return float(N_K.sum() + (p * (grid[:, None] + grid[None, :])).sum())


def _gibbs_mean_total(sweeps: int, seed: int) -> float:
    # The plain blocked Gibbs sampler with the observed classes held fixed: its draws of m
    # have the collapsed target as their marginal, so the means must agree.
    rng = np.random.default_rng(seed)
    m, n, total = np.zeros(2, dtype=np.int64), int(N_K.sum()), 0.0
    for i in range(sweeps):
        lam = rng.beta(A + HITS, B + MISS + m)
        v = rng.beta(1 + N_K[0] + m[0], ALPHA + N_K[1] + m[1])
        miss_k = np.array([v, 1 - v]) * np.prod(1 - lam, axis=0)
        n0 = rng.negative_binomial(n, 1 - miss_k.sum())
        m = rng.multinomial(n0, miss_k / miss_k.sum())
        if i >= 500:
            total += n + n0
    return total / (sweeps - 500)


def test_the_collapsed_target_is_the_marginal_of_the_gibbs_sampler():
    assert _gibbs_mean_total(10_000, seed=5) == pytest.approx(_exact_mean_total(), rel=0.015)


def test_the_metropolis_moves_sample_the_collapsed_target():
    rng = np.random.default_rng(2)
    m, totals = np.zeros(2, dtype=np.int64), []
    for i in range(10_000):
        m = move_unseen(m, N_K, MISS, ALPHA, A, B, moves=3, rng=rng)
        if i >= 500:
            totals.append(N_K.sum() + m.sum())
    assert np.mean(totals) == pytest.approx(_exact_mean_total(), rel=0.015)


def test_it_never_proposes_a_negative_count():
    rng = np.random.default_rng(1)
    m = np.zeros(2, dtype=np.int64)
    for _ in range(200):
        m = move_unseen(m, N_K, MISS, ALPHA, A, B, moves=5, rng=rng)
        assert m.min() >= 0
