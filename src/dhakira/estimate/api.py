"""One entry point for estimates, and stratified estimates that add up."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from dhakira.estimate import _warnings as w
from dhakira.estimate.dga import fit_dga
from dhakira.estimate.errors import EstimateError, ModelError
from dhakira.estimate.lcmcr import fit_lcmcr
from dhakira.estimate.loglinear import (
    LoglinearFit,
    fit_loglinear,
    search_diagnostics,
    search_models,
)
from dhakira.estimate.result import Estimate, StratifiedEstimate
from dhakira.estimate.table import CaptureTable

__all__ = ["estimate", "estimate_stratified"]

Method = Literal["independence", "loglinear", "lcmcr", "dga"]
RHAT_LIMIT = 1.1
ESS_LIMIT = 100


def estimate(
    table: CaptureTable,
    *,
    method: Method,
    seed: int | None = None,
    terms: list[tuple[str, ...]] | None = None,
    criterion: Literal["aic", "bic"] = "bic",
    compare: bool = True,
    **lcmcr_options: Any,
) -> Estimate:
    """Estimate the total number of people, seen and unseen.

    Args:
        table: the capture table.
        method: ``"independence"`` (main effects), ``"loglinear"`` (the given ``terms``, or
            the best model by ``criterion``), ``"lcmcr"`` (Bayesian latent classes) or
            ``"dga"`` (Bayesian averaging over decomposable graphical models, 3-5 lists).
        seed: random seed (LCMCR only).
        terms: interaction terms for ``"loglinear"``; None means search.
        criterion: ``"aic"`` or ``"bic"`` for the model search.
        compare: also fit the cheap log-linear methods and warn if they disagree widely.
        **lcmcr_options: passed to :func:`fit_lcmcr` (k_star, burn_in, iterations, thin,
            chains, moves), or for ``"dga"`` to :func:`fit_dga` (delta, missing, log_prior).

    Returns:
        The estimate with its interval, warnings and diagnostics.

    Raises:
        EstimateError: for an unknown method or impossible settings.
    """
    if method == "lcmcr":
        result = _lcmcr(table, seed, lcmcr_options)
    elif method == "dga":
        result = _dga(table, lcmcr_options)
    elif method in ("independence", "loglinear"):
        result = _loglinear(table, method, terms, criterion)
    else:
        raise EstimateError(
            f"unknown method {method!r}; use independence, loglinear, lcmcr or dga")
    notes = [*w.table_warnings(table), *result.warnings]
    notes += w.unstable_warning(result.estimate, result.interval)
    diagnostics = dict(result.diagnostics)
    if compare:
        others = _comparisons(table, result)
        diagnostics["comparison"] = others
        notes += w.disagreement_warnings(result.method, result.estimate, others)
    return Estimate(method=result.method, model=result.model, observed=result.observed,
                    estimate=result.estimate, interval=result.interval,
                    warnings=tuple(dict.fromkeys(notes)), diagnostics=diagnostics,
                    draws=result.draws)


def _loglinear(table: CaptureTable, method: str, terms: Any, criterion: str) -> Estimate:
    diagnostics: dict[str, Any] = {}
    if method == "independence":
        fit = fit_loglinear(table, ())
    elif terms is not None:
        fit = fit_loglinear(table, terms)
    else:
        search = search_models(table)
        fit = search.best_aic if criterion == "aic" else search.best_bic
        diagnostics.update(search_diagnostics(search, criterion))
    diagnostics.update(deviance=fit.deviance, df=fit.df, aic=fit.aic, bic=fit.bic,
                       interval_kind="profile likelihood (Rcapture closedpCI.t)")
    return Estimate(method=method, model=fit.model, observed=fit.observed,
                    estimate=fit.estimate, interval=fit.interval or (math.nan, math.nan),
                    warnings=fit.warnings, diagnostics=diagnostics)


def _lcmcr(table: CaptureTable, seed: int | None, options: dict[str, Any]) -> Estimate:
    fit = fit_lcmcr(table, seed=seed, **options)
    notes = []
    if not (fit.rhat <= RHAT_LIMIT) or fit.ess < ESS_LIMIT:
        notes.append(w.warn(
            w.NOT_CONVERGED,
            f"the sampler has not settled (split R-hat {fit.rhat:.2f}, effective sample size "
            f"{fit.ess:.0f}); run more iterations or chains before relying on it",
        ))
    diagnostics = {"rhat": fit.rhat, "ess": fit.ess, "draws": int(fit.draws.size),
                   "chains": int(fit.draws.shape[0]), "seed": seed,
                   "interval_kind": "central 95% posterior credible interval"}
    return Estimate(method="lcmcr", model=f"LCMCR K*={fit.k_star}", observed=table.observed,
                    estimate=fit.median, interval=fit.interval, warnings=tuple(notes),
                    diagnostics=diagnostics, draws=fit.draws.ravel())


def _dga(table: CaptureTable, options: dict[str, Any]) -> Estimate:
    fit = fit_dga(table, **options)
    order = np.argsort(fit.model_probabilities)[::-1][:3]
    diagnostics = {"mean": fit.mean, "mode": fit.mode, "graphs": len(fit.models),
                   "top_models": {fit.models[i]: float(fit.model_probabilities[i])
                                  for i in order},
                   "interval_kind": "central 95% posterior credible interval"}
    notes = []
    if fit.truncated:
        notes.append(w.warn(
            w.UNSTABLE, f"the posterior has not died away by N = {fit.totals[-1]:,.0f}; the "
            "upper end depends on where the grid stops (pass missing= to set it)"))
    return Estimate(method="dga", model=f"BMA over decomposable graphs; top {fit.top_model}",
                    observed=table.observed, estimate=fit.median, interval=fit.interval,
                    warnings=tuple(notes), diagnostics=diagnostics)


def _comparisons(table: CaptureTable, result: Estimate) -> dict[str, float]:
    others: dict[str, float] = {}
    if result.method != "independence":
        # Beyond the log-linear cell limit there is nothing to compare with (and no crash).
        with contextlib.suppress(ModelError):
            others["independence"] = fit_loglinear(table, (), interval=False).estimate
    if result.method != "loglinear" and len(table.lists) > 2:
        # No finite log-linear model: nothing to compare with (and no crash).
        with contextlib.suppress(ModelError):
            others["loglinear (best BIC)"] = _best_bic(table).estimate
    return others


def _best_bic(table: CaptureTable) -> LoglinearFit:
    return search_models(table).best_bic


def estimate_stratified(
    tables: Mapping[str, CaptureTable], *, method: Method, seed: int | None = None,
    **options: Any,
) -> StratifiedEstimate:
    """Estimate each stratum separately and add them up.

    The total's point estimate is the sum of the strata estimates. Its interval: for LCMCR,
    the quantiles of the summed posterior draws (strata are independent, so draw i of the
    total is the sum of draw i of each stratum); for log-linear methods, each side's
    distance from the estimate is combined in quadrature (a normal approximation to the
    asymmetric profile intervals); the plain sum of the ends, which is wider, is kept in
    ``diagnostics["conservative_interval"]``.

    Args:
        tables: one capture table per stratum name.
        method: as for :func:`estimate`.
        seed: seeds the strata (each stratum gets its own derived seed).
        **options: passed to :func:`estimate`.

    Returns:
        The per-stratum estimates and the total.

    Raises:
        EstimateError: if there are no strata or the strata have different lists.
    """
    if not tables:
        raise EstimateError("give at least one stratum")
    if len({t.lists for t in tables.values()}) > 1:
        raise EstimateError("every stratum must use the same lists in the same order")
    seeds = np.random.SeedSequence(seed).generate_state(len(tables))
    strata = {
        name: estimate(table, method=method, seed=int(s), **options)
        for (name, table), s in zip(tables.items(), seeds, strict=True)
    }
    return StratifiedEstimate(total=_total(strata, method), strata=strata)


def _total(strata: Mapping[str, Estimate], method: str) -> Estimate:
    parts = list(strata.values())
    point = sum(e.estimate for e in parts)
    sum_low, sum_high = sum(e.interval[0] for e in parts), sum(e.interval[1] for e in parts)
    diagnostics: dict[str, Any] = {"conservative_interval": [sum_low, sum_high]}
    draws = None
    if method == "lcmcr" and all(e.draws is not None for e in parts):
        size = min(len(e.draws) for e in parts if e.draws is not None)
        draws = np.sum([e.draws[:size] for e in parts if e.draws is not None], axis=0)
        low, high = (float(q) for q in np.quantile(draws, [0.025, 0.975]))
        diagnostics["interval_kind"] = "quantiles of summed posterior draws"
    else:
        low = point - math.sqrt(sum((e.estimate - e.interval[0]) ** 2 for e in parts))
        high = point + math.sqrt(sum((e.interval[1] - e.estimate) ** 2 for e in parts))
        diagnostics["interval_kind"] = "strata half-widths combined in quadrature"
    notes = [f"[{name}] {text}" for name, e in strata.items() for text in e.warnings]
    observed = sum(e.observed for e in parts)
    return Estimate(method=method, model="sum of strata", observed=observed, estimate=point,
                    interval=(max(low, observed), high), warnings=tuple(notes),
                    diagnostics=diagnostics, draws=draws)
