"""Log-linear (Poisson) models for capture tables, with profile intervals and model search."""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm

from dhakira.estimate import _warnings as w
from dhakira.estimate._design import (
    Term,
    design,
    model_name,
    normalise_terms,
    pattern_matrix,
    term_margin,
)
from dhakira.estimate._profile import profile_interval
from dhakira.estimate.errors import ModelError
from dhakira.estimate.table import CaptureTable

__all__ = ["LoglinearFit", "ModelSearch", "fit_loglinear", "independence", "search_models"]

_MAX_COEF = 20.0  # |coefficient| beyond this means the MLE is heading to infinity


@dataclass(frozen=True)
class LoglinearFit:
    """One fitted log-linear model.

    Attributes:
        terms: the interaction terms (after hierarchical closure).
        model: the model as text, e.g. ``"c1:c2"``.
        observed: people on at least one list.
        estimate: observed plus the fitted unobserved cell (``inf`` if unbounded).
        interval: profile-likelihood 95 % interval, or None if not computed.
        deviance, df, aic, bic: fit statistics on the observed cells.
        warnings: coded warnings about this fit.
    """

    terms: tuple[Term, ...]
    model: str
    observed: int
    estimate: float
    interval: tuple[float, float] | None
    deviance: float
    df: int
    aic: float
    bic: float
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ModelSearch:
    """The result of a hierarchical model search.

    Attributes:
        best_aic: the model with the lowest AIC.
        best_bic: the model with the lowest BIC.
        candidates: every model fitted, as (model, aic, bic, estimate), best BIC first.
    """

    best_aic: LoglinearFit
    best_bic: LoglinearFit
    candidates: tuple[tuple[str, float, float, float], ...]


def fit_loglinear(
    table: CaptureTable, terms: Iterable[Sequence[str]] = (), *, interval: bool = True
) -> LoglinearFit:
    """Fit a hierarchical log-linear model by Poisson regression on the observed cells.

    Args:
        table: the capture table.
        terms: interaction terms such as ``[("c1", "c2")]``; main effects are always in.
        interval: compute the profile-likelihood 95 % interval (slower).

    Returns:
        The fit; ``estimate`` is observed + exp(intercept).

    Raises:
        ModelError: for an unknown list, a repeated list, the k-way term, or a model with
            as many parameters as observed cells.
    """
    closed = normalise_terms(table, terms)
    x, y = pattern_matrix(table)
    mx = design(table, closed, x)
    if mx.shape[1] > len(y):
        raise ModelError(f"model {model_name(closed)} has more parameters than cells")
    notes = [
        w.warn(w.ZERO_MARGIN, f"nobody is on all of {':'.join(t)}, so that interaction is "
               "estimated at minus infinity")
        for t in closed if term_margin(table, t) == 0
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.GLM(y, mx, family=sm.families.Poisson()).fit()
    params = np.asarray(res.params)
    n0 = _unseen(params)
    if not math.isfinite(n0):
        notes.append(w.warn(w.INFINITE, "the model puts no bound on the unseen; a zero cell "
                            "drives the estimate to infinity"))
    bounds = None
    if interval:
        bounds = (table.observed, math.inf) if not math.isfinite(n0) else profile_interval(
            mx, y, params, n0)
    loglik = float(res.llf)
    p = mx.shape[1]
    return LoglinearFit(
        terms=closed, model=model_name(closed), observed=table.observed,
        estimate=table.observed + n0, interval=bounds, deviance=float(res.deviance),
        df=len(y) - p, aic=-2 * loglik + 2 * p, bic=-2 * loglik + p * math.log(table.observed),
        warnings=tuple(notes),
    )


def _unseen(params: np.ndarray) -> float:
    if np.any(np.abs(params) > _MAX_COEF) or not np.all(np.isfinite(params)):
        return math.inf
    return float(math.exp(params[0]))


def independence(table: CaptureTable, *, interval: bool = True) -> LoglinearFit:
    """Fit the main-effects (independent lists) model: the floor of the methods.

    With two lists this is the Lincoln-Petersen estimate n1 * n2 / m.

    Args:
        table: the capture table.
        interval: compute the profile-likelihood 95 % interval.

    Returns:
        The fit.
    """
    return fit_loglinear(table, (), interval=interval)


def search_models(table: CaptureTable, *, max_order: int = 2) -> ModelSearch:
    """Search hierarchical models and pick the best by AIC and by BIC.

    Up to four lists every set of two-way terms is tried; beyond that a forward stepwise
    search adds the term that most improves each criterion. With ``max_order=3``, three-way
    terms whose two-way parts are all in are then added greedily. Terms nobody is on, and
    models with unbounded estimates, are left out.

    Args:
        table: the capture table.
        max_order: 2 or 3.

    Returns:
        The best models by AIC and BIC (with intervals) and the candidates tried.
    """
    pairs: list[Term] = [t for t in itertools.combinations(table.lists, 2)
             if len(table.lists) > 2 and term_margin(table, t) > 0]
    fits: dict[tuple[Term, ...], LoglinearFit] = {}

    def fit(terms: tuple[Term, ...]) -> LoglinearFit | None:
        key = normalise_terms(table, terms)
        if key not in fits:
            try:
                fits[key] = fit_loglinear(table, key, interval=False)
            except ModelError:
                return None
        result = fits[key]
        return result if math.isfinite(result.estimate) else None

    best = {}
    for crit in ("aic", "bic"):
        start = _pairwise_best(fit, pairs, crit)
        if max_order >= 3:
            start = _greedy(fit, start, _triples(table, start), crit)
        best[crit] = start
    chosen = {c: fit_loglinear(table, best[c].terms) for c in best}
    ranked = sorted(fits.values(), key=lambda f: f.bic)
    return ModelSearch(
        best_aic=chosen["aic"], best_bic=chosen["bic"],
        candidates=tuple((f.model, f.aic, f.bic, f.estimate) for f in ranked),
    )


def _pairwise_best(fit: _Fitter, pairs: list[Term], crit: str) -> LoglinearFit:
    base = fit(())
    if base is None:
        raise ModelError("even the independence model has no finite estimate on this table")
    if len(pairs) <= 6:
        subsets = (s for r in range(1, len(pairs) + 1) for s in itertools.combinations(pairs, r))
        found = [f for f in map(fit, subsets) if f is not None]
        return min([base, *found], key=lambda f: getattr(f, crit))
    return _greedy(fit, base, lambda _current: pairs, crit)


def _triples(table: CaptureTable, start: LoglinearFit) -> _Candidates:
    def candidates(current: LoglinearFit) -> list[Term]:
        have = set(current.terms)
        return [t for t in itertools.combinations(table.lists, 3)
                if len(table.lists) > 3 and set(itertools.combinations(t, 2)) <= have]
    return candidates


def _greedy(
    fit: _Fitter, current: LoglinearFit, candidates: _Candidates, crit: str
) -> LoglinearFit:
    while True:
        options = [fit((*current.terms, t)) for t in candidates(current) if t not in current.terms]
        better = [f for f in options if f is not None and getattr(f, crit) < getattr(current, crit)]
        if not better:
            return current
        current = min(better, key=lambda f: getattr(f, crit))


_Fitter = Callable[[tuple[Term, ...]], "LoglinearFit | None"]
_Candidates = Callable[[LoglinearFit], list[Term]]
