"""A Metropolis move on the unseen people per latent class, with lambda and pi integrated out.

Why: in the plain Gibbs sampler the number unseen (n0) and the capture probabilities of the
class that holds them are drawn one given the other, so n0 can only creep. On sparse tables
(the UK 6-list table) chains then sit for 100,000 sweeps in one of several modes. Given the
observed people's classes, integrating out lambda (Beta) and the stick-breaking weights
leaves a smooth target for the unseen class counts m; proposing large jumps in m there and
then redrawing lambda and pi from their full conditionals is a valid blocked update (the
old lambda and pi are not used), and lets n0 jump between modes.

Target, up to a constant (N = n + sum m, n_k and h_jk the observed people and hits of class k):

    log (N-1)! - sum_k log m_k!
    + sum_{k<K} [log Gamma(1 + N_k) + log Gamma(alpha + R_k) - log Gamma(1 + alpha + N_k + R_k)]
    + sum_{j,k} [log Gamma(b + n_k - h_jk + m_k) - log Gamma(a + b + n_k + m_k)]

with N_k = n_k + m_k and R_k = sum_{h>k} N_h. The (N-1)! is N!/N: the 1/N prior on N.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln


def log_target(m: np.ndarray, n_k: np.ndarray, miss: np.ndarray, alpha: float,
               a_lambda: float, b_lambda: float) -> float:
    """Return the collapsed log target for unseen class counts ``m``.

    Args:
        m: unseen people per class.
        n_k: observed people per class.
        miss: observed people of each class missed by each list, shaped (lists, classes).
        alpha: the stick-breaking concentration.
        a_lambda, b_lambda: the Beta prior of the capture probabilities.
    """
    size = n_k + m
    tail = np.cumsum(size[::-1])[::-1]
    stick = (gammaln(1.0 + size[:-1]) + gammaln(alpha + tail[1:])
             - gammaln(1.0 + alpha + tail[:-1])).sum()
    lists = miss.shape[0]
    lam = (gammaln(b_lambda + miss + m).sum()
           - lists * gammaln(a_lambda + b_lambda + size).sum())
    return float(gammaln(float(tail[0])) - gammaln(m + 1.0).sum() + stick + lam)


def move_unseen(m: np.ndarray, n_k: np.ndarray, miss: np.ndarray, alpha: float,
                a_lambda: float, b_lambda: float, *, moves: int,
                rng: np.random.Generator) -> np.ndarray:
    """Run ``moves`` Metropolis proposals on the unseen class counts and return the new counts.

    Proposals add or remove up to ``s`` unseen people in one class, or shift up to ``s``
    from one class to another. ``s`` is drawn log-uniformly between 1 and ten times the
    observed count, independently of the state, so the proposal is symmetric.
    """
    m = m.astype(np.int64).copy()
    k = len(m)
    top = math.log10(10.0 * max(int(n_k.sum()), 1))
    current = log_target(m, n_k, miss, alpha, a_lambda, b_lambda)
    for _ in range(moves):
        step = int(rng.integers(1, int(10 ** rng.uniform(0.0, top)) + 1))
        proposal = m.copy()
        first = int(rng.integers(k))
        if rng.random() < 0.5:
            proposal[first] += step if rng.random() < 0.5 else -step
        else:
            other = int(rng.integers(k - 1))
            other += other >= first
            proposal[first] -= step
            proposal[other] += step
        if proposal.min() < 0:
            continue
        candidate = log_target(proposal, n_k, miss, alpha, a_lambda, b_lambda)
        if math.log(rng.random()) < candidate - current:
            m, current = proposal, candidate
    return m
