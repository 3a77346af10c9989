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

    The target is not recomputed whole for each proposal: the list terms of a class depend
    on that class's count only, so they are kept per class and only the one or two classes a
    proposal touches are evaluated again (with the stick-breaking terms and N).
    """
    k, lists = len(m), miss.shape[0]
    n = int(n_k.sum())
    top = math.log10(10.0 * max(n, 1))
    # Every random number the moves need, in one call (the proposals do not depend on m).
    u = rng.random((6, moves))
    spans = (10.0 ** (u[0] * top)).astype(np.int64)  # s log-uniform, then a step in 1..s
    steps = (1 + (u[1] * spans).astype(np.int64)).tolist()
    kinds, log_u = u[2].tolist(), np.log(u[3]).tolist()
    firsts, others = (u[4] * k).astype(np.int64).tolist(), (u[5] * (k - 1)).astype(np.int64).tolist()
    base = b_lambda + miss  # (lists, classes)
    ab_n = a_lambda + b_lambda + n_k
    # The list terms of each class at its current count; a move changes one or two classes,
    # whose terms are summed again in plain Python (a few dozen lgammas: cheaper than numpy
    # calls on arrays this small).
    per_class = (gammaln(base + m).sum(axis=0) - lists * gammaln(ab_n + m)
                 - gammaln(m + 1.0)).tolist()
    base_cols, ab = base.T.tolist(), ab_n.tolist()
    counts = [int(v) for v in m]

    def column(col: int, value: int) -> float:
        return (sum(math.lgamma(b + value) for b in base_cols[col])
                - lists * math.lgamma(ab[col] + value) - math.lgamma(value + 1.0))

    sizes = [int(s) for s in n_k + m]
    unseen = sum(counts)
    current = math.lgamma(n + unseen) + _stick(sizes, alpha)
    for t in range(moves):
        step, first = steps[t], firsts[t]
        if kinds[t] < 0.25:
            change = {first: step}
        elif kinds[t] < 0.5:
            change = {first: -step}
        else:
            other = others[t] + (others[t] >= first)
            change = {first: -step, other: step}
        if any(counts[col] + delta < 0 for col, delta in change.items()):
            continue
        new = {col: column(col, counts[col] + delta) for col, delta in change.items()}
        proposed = list(sizes)
        for col, delta in change.items():
            proposed[col] += delta
        total = unseen + sum(change.values())
        shared = math.lgamma(n + total) + _stick(proposed, alpha)
        gain = shared - current + sum(new[col] - per_class[col] for col in change)
        if log_u[t] < gain:
            for col, delta in change.items():
                counts[col] += delta
                per_class[col] = new[col]
            sizes, unseen, current = proposed, total, shared
    return np.array(counts, dtype=np.int64)


def _stick(sizes: list[int], alpha: float) -> float:
    """The stick-breaking part of the collapsed target for class sizes ``sizes``."""
    tail, out = sum(sizes), 0.0
    for size in sizes[:-1]:
        rest = tail - size
        out += math.lgamma(1.0 + size) + math.lgamma(alpha + rest) - math.lgamma(1.0 + alpha + tail)
        tail = rest
    return out
