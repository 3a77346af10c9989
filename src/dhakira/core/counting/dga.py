"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997; dga).

Each decomposable graph on the lists is a log-linear model whose cliques are its highest
interactions. Under a hyper-Dirichlet prior (``delta`` prior people in every cell of the full
table, so ``delta * 2^(p - |C|)`` in every cell of a clique's marginal table), the marginal
likelihood of the completed table factorises over cliques and separators and is exact: no
sampler. For every number unseen n0 on a grid and every graph we compute

    log p(table, n0 | graph) = sum over cliques C of f(C) - sum over separators S of f(S)
                               + log multinomial coefficient + log prior(N),

where f(C) is the Dirichlet-multinomial log marginal likelihood of the table's margin on C
(its all-zero cell holding n0), and normalise over both. This is what the R package dga's
``bma.cr`` computes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from dhakira.core.counting._graphs import DecomposableGraph, decomposable_graphs
from dhakira.core.counting.errors import EstimateError
from dhakira.core.counting.table import CaptureTable

__all__ = ["DgaFit", "fit_dga", "negative_binomial_log_prior"]

LogPrior = Callable[[np.ndarray], np.ndarray]
MAX_LISTS = 5  # 822 graphs at five lists; 18,154 at six, and the grid work grows with them
GRID_POINTS = 2000  # the automatic grid's size: steps widen for large tables
TAIL = 1e-6  # posterior at the grid's end, relative to its peak, that counts as died away


@dataclass(frozen=True)
class DgaFit:
    """Posterior of N averaged over decomposable graphs.

    Attributes:
        totals: the grid of totals N = observed + n0 the posterior is computed on.
        weights: posterior probability of (graph, N), shaped (graphs, len(totals)).
        models: a label per graph, e.g. ``"[A,B][C]"``.
        posterior: posterior probability of each total, summed over graphs.
        model_probabilities: posterior probability of each graph.
        median: posterior median of N.
        mean: posterior mean of N.
        mode: the most probable N.
        interval: central 95 % credible interval.
        top_model: the most probable graph's label.
        truncated: the posterior had not died away at the end of the grid, so the upper
            figures depend on where the grid stops (a heavy, perhaps improper, tail).
    """

    totals: np.ndarray
    weights: np.ndarray
    models: tuple[str, ...]
    posterior: np.ndarray
    model_probabilities: np.ndarray
    median: float
    mean: float
    mode: float
    interval: tuple[float, float]
    top_model: str
    truncated: bool


def negative_binomial_log_prior(a: float, b: float) -> LogPrior:
    """Madigan & York's negative-binomial-type prior on N, as a log-prior function.

    Args:
        a: shape.
        b: scale (prior mean a * b).

    Returns:
        A function from an array of totals N to their log prior.
    """
    def log_prior(n: np.ndarray) -> np.ndarray:
        return (n * np.log(b) - (n + a) * np.log1p(b) + gammaln(n + a) - gammaln(n + 1)
                - gammaln(a))
    return log_prior


def fit_dga(
    table: CaptureTable,
    *,
    delta: float | None = None,
    missing: Sequence[int] | None = None,
    log_prior: LogPrior | None = None,
) -> DgaFit:
    """Average the posterior of N over every decomposable graphical model of the lists.

    Args:
        table: a capture table with 3 to 5 lists.
        delta: prior count in each cell of the full table; None gives 2^-p (one prior person
            in all; Madigan & York used 1 and 0.5).
        missing: the numbers unseen to consider; None picks about 2,000 evenly spaced
            values from 0 to M, with M doubled (up to 50 times the observed) until the
            posterior at M is negligible.
        log_prior: log prior of N as a function of an array of totals; None is 1/N (dga's
            default).

    Returns:
        The averaged posterior and its summaries.

    Raises:
        EstimateError: for fewer than 3 or more than 5 lists, or a bad delta or grid.
    """
    p = len(table.lists)
    if not 3 <= p <= MAX_LISTS:
        code, params = (("too_few_lists", {"method": "dga", "lists": p}) if p < 3 else
                        ("too_many_lists", {"method": "dga", "lists": p, "limit": MAX_LISTS}))
        raise EstimateError(f"model averaging needs 3 to {MAX_LISTS} lists, not {p}",
                            code=code, params=params)
    alpha = 2.0 ** -p if delta is None else float(delta)
    if alpha <= 0:
        raise EstimateError("delta must be positive")
    prior = log_prior or (lambda n: -np.log(n))
    if missing is not None:
        grid = np.asarray(missing, dtype=float)
        if grid.ndim != 1 or grid.size == 0 or grid.min() < 0:
            raise EstimateError("missing must be a non-empty list of counts >= 0")
        return _fit(table, alpha, grid, prior)
    top = 2 * table.observed + 100
    while True:  # widen until the posterior has died away at the end of the grid
        step = max(1, -(-top // GRID_POINTS))
        fit = _fit(table, alpha, np.arange(0, top + 1, step, dtype=float), prior)
        if not fit.truncated or top > 50 * table.observed:
            return fit
        top *= 2


def _fit(table: CaptureTable, delta: float, grid: np.ndarray, prior: LogPrior) -> DgaFit:
    p = len(table.lists)
    full = _array(table)
    graphs = decomposable_graphs(p)
    margins = {s: _log_margin(full, s, delta, grid) for s in _subsets(graphs)}
    log_w = np.array([
        sum(margins[c] for c in g.cliques) - sum((margins[s] for s in g.separators), 0.0)
        for g in graphs
    ])
    totals = grid + table.observed
    cells = np.array(list(table.counts.values()), dtype=float)  # empty cells add log 0! = 0
    log_w += (gammaln(totals + 1) - gammaln(grid + 1) - gammaln(cells + 1).sum()
              + prior(totals))
    weights = np.exp(log_w - log_w.max())
    weights /= weights.sum()
    return _summarise(totals, weights, tuple(_label(g, table.lists) for g in graphs))


def _array(table: CaptureTable) -> np.ndarray:
    """The table as a 2 x 2 x ... array indexed by list membership; cell 0 left at zero.

    Every cell, built here only: fit_dga has checked there are at most MAX_LISTS lists.
    """
    full = np.zeros((2,) * len(table.lists))
    for pattern, count in table.counts.items():
        full[tuple(int(bit) for bit in pattern)] = count
    return full


def _subsets(graphs: tuple[DecomposableGraph, ...]) -> set[frozenset[int]]:
    return {s for g in graphs for s in (*g.cliques, *g.separators)}


def _log_margin(full: np.ndarray, keep: frozenset[int], delta: float,
                grid: np.ndarray) -> np.ndarray:
    """Dirichlet-multinomial log marginal likelihood of one margin, for each n0 on the grid."""
    p = full.ndim
    margin = full.sum(axis=tuple(i for i in range(p) if i not in keep)).ravel()
    alpha = delta * 2.0 ** (p - len(keep))  # the hyper-Dirichlet's margin is Dirichlet too
    total_alpha = delta * 2.0 ** p
    seen = gammaln(margin[1:] + alpha).sum() - (margin.size - 1) * gammaln(alpha)
    unseen = gammaln(margin[0] + grid + alpha) - gammaln(alpha)
    n = margin.sum() + grid
    return seen + unseen + gammaln(total_alpha) - gammaln(n + total_alpha)


def _label(graph: DecomposableGraph, lists: tuple[str, ...]) -> str:
    cliques = sorted(sorted(c) for c in graph.cliques)
    return "".join("[" + ",".join(lists[i] for i in c) + "]" for c in cliques)


def _summarise(totals: np.ndarray, weights: np.ndarray, models: tuple[str, ...]) -> DgaFit:
    posterior = weights.sum(axis=0)
    by_model = weights.sum(axis=1)
    cdf = np.cumsum(posterior)
    low, median, high = (float(totals[np.searchsorted(cdf, q)]) for q in (0.025, 0.5, 0.975))
    return DgaFit(totals=totals, weights=weights, models=models, posterior=posterior,
                  model_probabilities=by_model, median=median,
                  mean=float(posterior @ totals), mode=float(totals[posterior.argmax()]),
                  interval=(low, high), top_model=models[int(by_model.argmax())],
                  truncated=bool(posterior[-1] > TAIL * posterior.max()))
