"""One entry point for estimates, and stratified estimates that add up."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np

from dhakira.core.counting import _warnings as w
from dhakira.core.counting._design import MAX_LOGLINEAR_LISTS
from dhakira.core.counting._diagnostics import ESS_LIMIT, RHAT_LIMIT
from dhakira.core.counting.dga import fit_dga
from dhakira.core.counting.errors import EstimateError, ModelError, NoFiniteModel, TableError
from dhakira.core.counting.lcmcr import BUDGET_SECONDS, DONE, Progress, Status, fit_lcmcr
from dhakira.core.counting.loglinear import (
    LoglinearFit,
    fit_loglinear,
    search_diagnostics,
    search_models,
)
from dhakira.core.counting.result import Estimate, StratifiedEstimate
from dhakira.core.counting.table import DENSE_MAX_LISTS, CaptureTable

__all__ = ["Progress", "across_matchings", "estimate", "estimate_stratified"]

Method = Literal["independence", "loglinear", "lcmcr", "dga"]
# Past these the comparison fits would need every one of the 2^J - 1 cells (independence)
# or a model search over them (log-linear): they are skipped, with a note, not attempted.
COMPARE_MAX_LISTS = {"independence": DENSE_MAX_LISTS, "loglinear (best BIC)": 8}


def estimate(
    table: CaptureTable,
    *,
    method: Method,
    seed: int | None = None,
    terms: list[tuple[str, ...]] | None = None,
    criterion: Literal["aic", "bic"] = "bic",
    compare: bool = True,
    budget_seconds: float | None = BUDGET_SECONDS,
    progress: Progress | None = None,
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
        compare: also fit the cheap log-linear methods and warn if they disagree widely
            (skipped, with a note in ``diagnostics``, past ``COMPARE_MAX_LISTS``).
        budget_seconds: LCMCR runs until it converges or this much time has passed (None:
            no limit).
        progress: called with (fraction done, short status) while the estimate runs.
        **lcmcr_options: passed to :func:`fit_lcmcr` (k_star, burn_in, iterations, thin,
            chains, moves, until_converged), or for ``"dga"`` to :func:`fit_dga` (delta,
            missing, log_prior).

    Returns:
        The estimate with its interval, warnings and diagnostics.

    Raises:
        EstimateError: for an unknown method or impossible settings.
    """
    if method == "lcmcr":
        result = _lcmcr(table, seed, {**lcmcr_options, "budget_seconds": budget_seconds,
                                      "progress": progress})
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
        others, skipped = _comparisons(table, result)
        diagnostics["comparison"] = others
        if skipped:
            diagnostics["comparison_skipped"] = skipped
        notes += w.disagreement_warnings(result.method, result.estimate, others)
    if progress is not None:
        progress(1.0, DONE)
    return Estimate(method=result.method, model=result.model, observed=result.observed,
                    estimate=result.estimate, interval=result.interval,
                    warnings=tuple(dict.fromkeys(notes)), diagnostics=diagnostics,
                    draws=result.draws)


# The log-linear methods in the words of their refusals.
_LOGLINEAR_WORDS = {"independence": "the independence model", "loglinear": "a log-linear model"}


def _loglinear(table: CaptureTable, method: str, terms: Any, criterion: str) -> Estimate:
    k = len(table.lists)
    if k > MAX_LOGLINEAR_LISTS:  # said here, where the method is known, to name it
        raise ModelError(
            f"{_LOGLINEAR_WORDS[method]} is fitted to all 2^{k} - 1 list combinations, too "
            f"many for {k} lists; it works up to {MAX_LOGLINEAR_LISTS} lists. Use latent "
            "classes instead (method lcmcr)",
            code="too_many_lists",
            params={"method": method, "lists": k, "limit": MAX_LOGLINEAR_LISTS})
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
    if not fit.converged:
        why = (f"the time budget of {options['budget_seconds']:,.0f} s ran out; give it more "
               "time" if fit.budget_ran_out else "run more iterations or chains")
        notes.append(w.warn(
            w.NOT_CONVERGED,
            f"the sampler has not settled (split R-hat {fit.rhat:.3f}, effective sample size "
            f"{fit.ess:.0f}; reliable needs R-hat <= {RHAT_LIMIT} and at least {ESS_LIMIT}): "
            f"{why} before relying on it",
        ))
    diagnostics = {"rhat": fit.rhat, "ess": fit.ess, "draws": int(fit.draws.size),
                   "chains": int(fit.draws.shape[0]), "seed": seed,
                   "burn_in_per_chain": fit.burned, "sweeps_per_chain": fit.sweeps,
                   "rounds": fit.rounds,
                   "converged": fit.converged, "budget_ran_out": fit.budget_ran_out,
                   "seconds": fit.seconds,
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


def _comparisons(table: CaptureTable,
                 result: Estimate) -> tuple[dict[str, float], dict[str, str]]:
    """Fit the cheap log-linear methods to compare with; say which were skipped and why."""
    wanted = []
    if result.method != "independence":
        wanted.append("independence")
    if result.method != "loglinear" and len(table.lists) > 2:
        wanted.append("loglinear (best BIC)")
    others: dict[str, float] = {}
    skipped: dict[str, str] = {}
    k = len(table.lists)
    for name in wanted:
        if k > COMPARE_MAX_LISTS[name]:
            skipped[name] = (f"not fitted: it needs every one of the {table.cells:,} list "
                             f"combinations, and {k} lists are more than its limit of "
                             f"{COMPARE_MAX_LISTS[name]}")
            continue
        # No finite log-linear model: nothing to compare with (and no crash).
        with contextlib.suppress(ModelError, TableError):
            others[name] = (fit_loglinear(table, (), interval=False).estimate
                            if name == "independence" else _best_bic(table).estimate)
    return others, skipped


def _best_bic(table: CaptureTable) -> LoglinearFit:
    return search_models(table).best_bic


def estimate_stratified(
    tables: Mapping[str, CaptureTable], *, method: Method, seed: int | None = None,
    budget_seconds: float | None = BUDGET_SECONDS, progress: Progress | None = None,
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
        budget_seconds: the time budget for all strata together; each stratum gets an
            equal share of what is left when it starts.
        progress: called with (fraction done over all strata, status naming the stratum).
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
    start, strata = time.monotonic(), {}
    for i, ((name, table), s) in enumerate(zip(tables.items(), seeds, strict=True)):
        share = None if budget_seconds is None else max(
            budget_seconds - (time.monotonic() - start), 0.0) / (len(tables) - i)
        try:
            strata[name] = estimate(table, method=method, seed=int(s), budget_seconds=share,
                                    progress=_stratum_progress(progress, i, len(tables), name),
                                    **options)
        except NoFiniteModel:
            if len(tables) == 1:
                raise
            # One stratum no model can bound is unbounded, as the independence model says
            # it: the run keeps the other strata (it was refused whole).
            strata[name] = _unbounded(table, method)
    return StratifiedEstimate(total=_total(strata, method), strata=strata)


def _unbounded(table: CaptureTable, method: str) -> Estimate:
    """A stratum no model of ``method`` gives a finite estimate for: at least the people its
    lists saw, with no upper end."""
    observed = table.observed
    return Estimate(method=method, model="no finite model", observed=observed,
                    estimate=math.inf, interval=(float(observed), math.inf),
                    warnings=(w.coded(w.INFINITE, "unbounded"),))


def _stratum_progress(progress: Progress | None, index: int, count: int,
                      name: str) -> Progress | None:
    if progress is None:
        return None
    if count == 1:
        return progress

    def report(fraction: float, status: str) -> None:
        progress((index + fraction) / count,
                 Status(f"{name} ({index + 1} of {count}): {status}", "stratum", stratum=name,
                        index=index + 1, count=count, status=status))
    return report


def _total(strata: Mapping[str, Estimate], method: str) -> Estimate:
    parts = list(strata.values())
    point = sum(e.estimate for e in parts)
    sum_low, sum_high = sum(e.interval[0] for e in parts), sum(e.interval[1] for e in parts)
    diagnostics: dict[str, Any] = {"conservative_interval": [sum_low, sum_high]}
    draws = None
    if method == "lcmcr" and all(e.draws is not None for e in parts):
        draws = np.sum(_equal_draws([e.draws for e in parts if e.draws is not None]), axis=0)
        low, high = (float(q) for q in np.quantile(draws, [0.025, 0.975]))
        diagnostics["interval_kind"] = "quantiles of summed posterior draws"
    elif not math.isfinite(point):
        # A stratum without an upper bound leaves the total without one; quadrature would give
        # inf - inf = NaN for the lower end, read downstream as "unbounded" too, when the
        # strata's own lower ends still bound the total from below.
        low, high = (sum_low if math.isfinite(sum_low) else 0.0), math.inf
        diagnostics["interval_kind"] = "strata lower ends summed; no upper end"
    else:
        low = point - math.sqrt(sum((e.estimate - e.interval[0]) ** 2 for e in parts))
        high = point + math.sqrt(sum((e.interval[1] - e.estimate) ** 2 for e in parts))
        diagnostics["interval_kind"] = "strata half-widths combined in quadrature"
    notes = [f"[{name}] {text}" for name, e in strata.items() for text in e.warnings]
    observed = sum(e.observed for e in parts)
    return Estimate(method=method, model="sum of strata", observed=observed, estimate=point,
                    interval=(max(low, observed), high), warnings=tuple(notes),
                    diagnostics=diagnostics, draws=draws)


def across_matchings(chosen: Estimate, others: Sequence[Estimate]
                     ) -> tuple[tuple[float, float], str]:
    """A 95 % interval that allows for doubt over who is the same person.

    ``chosen`` is the estimate from the people the matching found at its chosen threshold;
    ``others`` the same estimate with people found at other thresholds (a looser and a
    stricter one). Each one's interval carries the sampling error of its own people only;
    who is the same person is uncertain too. With posterior draws for every one (LCMCR), the
    draws are pooled in equal numbers, each matching held equally likely, and the pool's
    2.5 % and 97.5 % points are taken; otherwise the lowest lower end and the highest upper
    end. Either way the interval is never narrower than ``chosen``'s own: allowing for doubt
    only widens it.

    Returns:
        The interval (low, high) and how it was made.
    """
    every = [chosen, *others]
    if all(e.draws is not None and len(e.draws) for e in every):
        pooled = np.concatenate(_equal_draws([e.draws for e in every if e.draws is not None]))
        low, high = (float(q) for q in np.quantile(pooled, [0.025, 0.975]))
        kind = "quantiles of the matchings' posterior draws pooled"
    else:
        low, high = min(e.interval[0] for e in every), max(e.interval[1] for e in every)
        kind = "from the lowest lower end to the highest upper end"
    return (min(low, chosen.interval[0]), max(high, chosen.interval[1])), kind


def _equal_draws(draws: list[np.ndarray]) -> list[np.ndarray]:
    """As many draws of each stratum as the shortest has, evenly spaced over all its chains.

    Strata that converge at different lengths keep different numbers of draws.
    """
    size = min(len(d) for d in draws)
    return [d[np.linspace(0, len(d) - 1, size).round().astype(int)] for d in draws]
