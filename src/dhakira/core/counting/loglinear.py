"""Log-linear (Poisson) models for capture tables: fits, model search, profile intervals.

Done as the reference packages do it. Up to five lists, :func:`search_models` fits every
hierarchical model (Rcapture's ``closedpMS.t``: 8, 113 and 6,893 models for 3, 4 and 5 lists)
and picks the lowest AIC and the lowest BIC, with Rcapture's definitions (Poisson
log-likelihood of all 2^k - 1 observable cells, zeros included; BIC's penalty uses the number
of people observed). From six lists on it searches forward over two-way terms, as SparseMSE
does. A term nobody is on is fitted at minus infinity (its cells drop out). A model can be
fitted but is never chosen when it is not identifiable, when its number unseen is not
determined (the maximum likelihood estimate does not exist, by Fienberg & Rinaldo's linear
programme as in SparseMSE's ``checkident``, and the cells that stay positive do not fix the
unseen cell), or when its asymptotic bias is over a tenth of the estimate (Rcapture's flag).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize, sparse, stats

from dhakira.core.counting import _warnings as w
from dhakira.core.counting._design import (
    Index,
    Term,
    cell_matrix,
    hierarchical_models,
    model_name,
    normalise_terms,
    rcapture_name,
    sort_terms,
    to_index,
    to_names,
)
from dhakira.core.counting._poisson import asymptotic_bias, fit_poisson
from dhakira.core.counting._profile import profile_interval
from dhakira.core.counting.errors import NoFiniteModel
from dhakira.core.counting.table import CaptureTable

__all__ = ["EXHAUSTIVE_LISTS", "LoglinearFit", "ModelSearch", "fit_loglinear", "independence",
           "search_diagnostics", "search_models", "stepwise_sparsemse"]

EXHAUSTIVE_LISTS = 5  # 6,893 models; six lists have millions
_BOUNDARY = 1e-5  # a fitted mean this small on an empty cell may mean the MLE does not exist
_LP_CELLS = 20_000  # cells per linear programme (many small models, or a few big ones)
_BATCH_VALUES = 2_000_000  # floats per stacked design; keeps 12-list steps near 100 MB
OK, INFINITE, UNIDENTIFIABLE, BIASED = "ok", "infinite", "not identifiable", "biased"
_MAX_BIAS = 0.1  # Rcapture warns when the asymptotic bias is over a tenth of N


@dataclass(frozen=True)
class LoglinearFit:
    """One fitted log-linear model.

    Attributes:
        terms: the interaction terms (after hierarchical closure).
        model: the model as text, e.g. ``"c1:c2"``.
        observed: people on at least one list.
        estimate: observed plus the fitted unobserved cell (``inf`` if unbounded).
        interval: profile-likelihood 95 % interval, or None if not computed.
        deviance, df, aic, bic: fit statistics on all observable cells (as Rcapture).
        warnings: coded warnings about this fit.
        rcapture: the model in Rcapture's notation, e.g. ``"[12,3,4]"``.
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
    rcapture: str = ""


@dataclass(frozen=True)
class ModelSearch:
    """The result of a model search.

    Attributes:
        best_aic: the usable model with the lowest AIC (with its interval).
        best_bic: the usable model with the lowest BIC (with its interval).
        candidates: every usable model fitted, as (model, aic, bic, estimate), best BIC first.
        searched: how many models were fitted.
        refused: how many were refused: no finite and determined estimate, not identifiable,
            or an asymptotic bias over a tenth of the estimate (Rcapture's warning).
        strategy: how the models were chosen, in words.
    """

    best_aic: LoglinearFit
    best_bic: LoglinearFit
    candidates: tuple[tuple[str, float, float, float], ...]
    searched: int = 0
    refused: int = 0
    strategy: str = ""


class _Cells:
    """All observable cells of a table, with cached interaction columns."""

    def __init__(self, table: CaptureTable) -> None:
        self.table = table
        self.x, self.y = cell_matrix(table)
        self.k = len(table.lists)
        self.n = table.observed
        self._columns: dict[Index, np.ndarray] = {}

    def column(self, term: Index) -> np.ndarray:
        if term not in self._columns:
            self._columns[term] = np.prod(self.x[:, list(term)], axis=1)
        return self._columns[term]

    def margin(self, term: Index) -> float:
        return float(self.y @ self.column(term))

    def matrix(self, terms: Sequence[Index]) -> np.ndarray:
        return np.column_stack([np.ones(len(self.y)), self.x, *(self.column(t) for t in terms)])


@dataclass(frozen=True)
class _Fitted:
    terms: tuple[Index, ...]
    coef: np.ndarray
    mu: np.ndarray
    keep: np.ndarray
    empty: tuple[Index, ...]  # terms nobody is on: fitted at minus infinity
    deviance: float
    loglik: float
    status: str
    n: int

    @property
    def usable(self) -> bool:
        """Fit for choosing: a finite, identifiable estimate whose bias is small."""
        return self.status == OK

    @property
    def params(self) -> int:
        return len(self.coef)

    @property
    def unseen(self) -> float:
        if self.status in (INFINITE, UNIDENTIFIABLE):
            return math.inf
        with np.errstate(over="ignore"):
            return float(np.exp(self.coef[0]))

    def criterion(self, name: str) -> float:
        penalty = 2.0 if name == "aic" else math.log(self.n)
        return -2.0 * self.loglik + penalty * self.params


def _fit_models(cells: _Cells, models: Sequence[tuple[Index, ...]],
                start: np.ndarray | None = None) -> list[_Fitted]:
    """Fit many models, stacked by size, and judge each one usable or not.

    ``start`` (C,) are starting means for every model (default R's y + 0.1).
    """
    fitted: list[_Fitted | None] = [None] * len(models)
    doubtful: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    by_size: dict[int, list[int]] = {}
    for i, terms in enumerate(models):
        by_size.setdefault(len(terms), []).append(i)
    c = len(cells.y)
    for size, members in by_size.items():
        p = 1 + cells.k + size
        step = max(1, _BATCH_VALUES // (c * p))
        for begin in range(0, len(members), step):
            chunk = members[begin:begin + step]
            x = np.stack([cells.matrix(models[i]) for i in chunk])
            keep = np.ones((len(chunk), c), bool)
            pinned = np.zeros((len(chunk), p), bool)
            empties = []
            for row, i in enumerate(chunk):
                empty = tuple(t for t in models[i] if cells.margin(t) == 0)
                empties.append(empty)
                for t in empty:
                    keep[row] &= cells.column(t) == 0
                    pinned[row, 1 + cells.k + models[i].index(t)] = True
            fits = fit_poisson(x, cells.y, keep, pinned,
                               None if start is None else np.broadcast_to(start, keep.shape))
            bias = asymptotic_bias(x, fits.mu, fits.coef, pinned)
            for row, i in enumerate(chunk):
                xr, yr = x[row][keep[row]][:, ~pinned[row]], cells.y[keep[row]]
                status = OK
                if not np.isfinite([fits.deviance[row], fits.loglik[row]]).all():
                    status = INFINITE
                elif empties[row] and np.linalg.matrix_rank(xr) < xr.shape[1]:
                    status = UNIDENTIFIABLE
                else:
                    vanishing = (yr == 0) & (fits.mu[row][keep[row]] < _BOUNDARY)
                    if not fits.converged[row]:  # nothing to read a limit from
                        doubtful[i] = (xr, yr, np.zeros_like(vanishing))
                    elif vanishing.any():
                        doubtful[i] = (xr, yr, vanishing)
                if status == OK and abs(bias[row]) > _MAX_BIAS * (
                        cells.n + np.exp(min(fits.coef[row, 0], 700.0))):
                    status = BIASED
                fitted[i] = _Fitted(models[i], fits.coef[row], fits.mu[row], keep[row],
                                    empties[row], float(fits.deviance[row]),
                                    float(fits.loglik[row]), status, cells.n)
    if doubtful:
        order = list(doubtful)
        found = _mle_exists([doubtful[i][:2] for i in order])
        for i, exists in zip(order, found, strict=True):
            xr, _, vanishing = doubtful[i]
            if not exists and not (vanishing.any() and _unseen_determined(xr[~vanishing])):
                fitted[i] = dataclasses.replace(fitted[i], status=INFINITE)  # type: ignore[type-var]
    return [f for f in fitted if f is not None]


def _unseen_determined(face: np.ndarray) -> bool:
    """When the MLE does not exist, some empty cells are fitted at zero in the limit; the
    number unseen is still finite and unique iff the unseen cell's design row (the intercept
    alone) is a combination of the rows of the cells that stay positive."""
    unseen = np.zeros((1, face.shape[1]))
    unseen[0, 0] = 1.0
    return bool(np.linalg.matrix_rank(np.vstack([face, unseen])) == np.linalg.matrix_rank(face))


def _mle_exists(problems: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[bool]:
    """SparseMSE's ``checkident`` linear programme (Fienberg & Rinaldo 2012), for many models.

    The MLE exists iff some strictly positive table has the model's margins X'y: maximise s
    subject to X'v = X'y, v >= s, and see whether s > 0. The models' programmes are
    independent, so they are solved as one block-diagonal programme (one solver call).
    """
    out: list[bool] = []
    chunks: list[list[tuple[np.ndarray, np.ndarray]]] = [[]]
    for problem in problems:  # about _LP_CELLS cells per programme
        if chunks[-1] and sum(x.shape[0] for x, _ in chunks[-1]) + len(problem[0]) > _LP_CELLS:
            chunks.append([])
        chunks[-1].append(problem)
    for chunk in chunks:
        eq_rows, eq_cols, eq_vals, ub_rows, ub_cols, ub_vals, rhs, slack = ([] for _ in range(8))
        col = eq_row = ub_row = 0
        for x, y in chunk:
            cells, params = x.shape
            r, c = np.nonzero(x.T)
            eq_rows.append(eq_row + r)
            eq_cols.append(col + c)
            eq_vals.append(x.T[r, c])
            rhs.append(x.T @ y)
            # -v_i + s <= 0 for every cell i
            ub_rows += [ub_row + np.arange(cells), ub_row + np.arange(cells)]
            ub_cols += [col + np.arange(cells), np.full(cells, col + cells)]
            ub_vals += [-np.ones(cells), np.ones(cells)]
            slack.append(col + cells)
            col, eq_row, ub_row = col + cells + 1, eq_row + params, ub_row + cells
        cost = np.zeros(col)
        cost[slack] = -1.0
        upper = np.full(col, np.inf)
        upper[slack] = 1.0
        a_eq = sparse.csr_matrix((np.concatenate(eq_vals), (np.concatenate(eq_rows),
                                  np.concatenate(eq_cols))), shape=(eq_row, col))
        a_ub = sparse.csr_matrix((np.concatenate(ub_vals), (np.concatenate(ub_rows),
                                  np.concatenate(ub_cols))), shape=(ub_row, col))
        res = optimize.linprog(cost, A_ub=a_ub, b_ub=np.zeros(ub_row), A_eq=a_eq,
                               b_eq=np.concatenate(rhs),
                               bounds=np.column_stack([np.zeros(col), upper]), method="highs")
        if res.status != 0:  # cannot happen (v = y, s = 0 is feasible); refuse to guess
            out += [False] * len(chunk)
        else:
            out += [bool(res.x[o] > 1e-6) for o in slack]
    return out


def _result(cells: _Cells, fitted: _Fitted, interval: bool) -> LoglinearFit:
    table = cells.table
    names = to_names(table, fitted.terms)
    notes = [w.warn(w.ZERO_MARGIN, f"nobody is on all of {':'.join(t)}, so that interaction "
                    "is estimated at minus infinity") for t in to_names(table, fitted.empty)]
    n0 = fitted.unseen
    if fitted.status == UNIDENTIFIABLE:
        notes.append(w.warn(w.INFINITE, "the model cannot be estimated from this table (its "
                            "terms cannot be told apart); the number unseen is undetermined"))
    elif not math.isfinite(n0):
        notes.append(w.warn(w.INFINITE, "the model puts no bound on the unseen; a zero cell "
                            "drives the estimate to infinity"))
    elif fitted.status == BIASED:
        notes.append(w.warn(w.UNSTABLE, "the estimate's asymptotic bias is over a tenth of "
                            "it: too few people on the cells this model leans on"))
    bounds = None
    if interval:
        if math.isfinite(n0):
            pinned = np.zeros(fitted.params, bool)
            for t in fitted.empty:
                pinned[1 + cells.k + fitted.terms.index(t)] = True
            x = cells.matrix(fitted.terms)[fitted.keep][:, ~pinned]
            bounds = profile_interval(x, cells.y[fitted.keep], n0)
        else:
            bounds = (float(table.observed), math.inf)
    return LoglinearFit(
        terms=names, model=model_name(names), observed=table.observed,
        estimate=table.observed + n0, interval=bounds, deviance=fitted.deviance,
        df=len(cells.y) - fitted.params, aic=fitted.criterion("aic"),
        bic=fitted.criterion("bic"), warnings=tuple(notes),
        rcapture=rcapture_name(fitted.terms, cells.k),
    )


def fit_loglinear(
    table: CaptureTable, terms: Iterable[Sequence[str]] = (), *, interval: bool = True
) -> LoglinearFit:
    """Fit a hierarchical log-linear model by Poisson regression on all observable cells.

    Args:
        table: the capture table.
        terms: interaction terms such as ``[("c1", "c2")]``; main effects are always in.
        interval: compute the profile-likelihood 95 % interval (slower).

    Returns:
        The fit; ``estimate`` is observed + exp(intercept), ``inf`` when unbounded.

    Raises:
        ModelError: for an unknown list, a repeated list, the k-way term, or too many lists.
    """
    closed = to_index(table, normalise_terms(table, terms))
    cells = _Cells(table)
    return _result(cells, _fit_models(cells, [closed])[0], interval)


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


def search_models(table: CaptureTable, *, max_order: int | None = None) -> ModelSearch:
    """Pick the best log-linear model by AIC and by BIC.

    Up to five lists every hierarchical model is fitted (interactions up to ``max_order``,
    default k - 1), as Rcapture's ``closedpMS.t``. From six lists a forward stepwise search
    over two-way terms adds, for each criterion, the term that lowers it most until none does.
    Models without a finite, identifiable estimate are fitted but never chosen.

    Args:
        table: the capture table.
        max_order: the highest interaction order searched (up to five lists).

    Returns:
        The best models by AIC and BIC (with intervals) and what was searched.

    Raises:
        ModelError: if no model has a finite estimate, or the table has too many lists.
    """
    cells = _Cells(table)
    fits: list[_Fitted] = []
    best: dict[str, _Fitted] = {}
    if cells.k <= EXHAUSTIVE_LISTS:
        fits = _fit_models(cells, hierarchical_models(cells.k, max_order))
        best = {c: _best(fits, c) for c in ("aic", "bic")}
        strategy = f"all {len(fits):,} hierarchical models (Rcapture closedpMS.t)"
    else:
        seen: dict[tuple[Index, ...], _Fitted] = {}
        for crit in ("aic", "bic"):
            tried, best[crit] = _forward(cells, crit, seen)
            fits += tried
        strategy = "forward stepwise over two-way terms, one path per criterion"
    usable = [f for f in fits if f.usable]
    unique = {f.terms: f for f in usable}
    ranked = sorted(unique.values(), key=lambda f: f.criterion("bic"))
    return ModelSearch(
        best_aic=_result(cells, best["aic"], True), best_bic=_result(cells, best["bic"], True),
        candidates=tuple((model_name(to_names(table, f.terms)), f.criterion("aic"),
                          f.criterion("bic"), table.observed + f.unseen) for f in ranked),
        searched=len({f.terms for f in fits}), refused=len({f.terms for f in fits} - unique.keys()),
        strategy=strategy,
    )


def _best(fits: Sequence[_Fitted], crit: str) -> _Fitted:
    usable = [f for f in fits if f.usable]
    if not usable:
        raise NoFiniteModel("no log-linear model has a finite estimate on this table: zero cells "
                         "leave the number unseen unbounded in every model")
    return min(usable, key=lambda f: f.criterion(crit))


def _forward(cells: _Cells, crit: str,
             seen: dict[tuple[Index, ...], _Fitted]) -> tuple[list[_Fitted], _Fitted]:
    # Only pairs someone is on: an empty overlap's term is minus infinity, and adding many
    # of them chases zeros rather than dependence (Chan, Silverman & Vincent 2019).
    pairs = [(i, j) for i in range(cells.k) for j in range(i + 1, cells.k)
             if cells.margin((i, j)) > 0]
    if () not in seen:
        seen[()] = _fit_models(cells, [()])[0]
    current = seen[()]
    tried = [current]
    if current.status in (INFINITE, UNIDENTIFIABLE):
        raise NoFiniteModel("even the independence model has no finite estimate on this table")
    while True:
        options = [sort_terms((*current.terms, p)) for p in pairs if p not in current.terms]
        new = [m for m in options if m not in seen]
        # Each candidate is one term away from the current fit: start from it (same MLE).
        for fitted in _fit_models(cells, new, current.mu) if new else []:
            seen[fitted.terms] = fitted
        fits = [seen[m] for m in options]
        tried += fits
        better = [f for f in fits if f.usable and (not current.usable or
                                                   f.criterion(crit) < current.criterion(crit))]
        if not better:
            if not current.usable:
                raise NoFiniteModel("no log-linear model has a usable estimate on this table")
            return tried, current
        current = min(better, key=lambda f: f.criterion(crit))


def stepwise_sparsemse(table: CaptureTable, *, pthresh: float = 0.02,
                       interval: bool = True) -> LoglinearFit:
    """SparseMSE's ``stepwisefit``: add two-way terms while the data call for them.

    From the independence model, each step computes for every two-way term not yet in the
    model how surprising its observed overlap is under the current fit (the smaller Poisson
    tail probability of the overlap count) and adds the most surprising one, if that
    probability is under ``pthresh`` and the model stays identifiable with a finite estimate.

    Args:
        table: the capture table.
        pthresh: the threshold (SparseMSE's default 0.02).
        interval: compute the profile-likelihood 95 % interval.

    Returns:
        The chosen model's fit.
    """
    cells = _Cells(table)
    pairs = [(i, j) for i in range(cells.k) for j in range(i + 1, cells.k)]
    current = _fit_models(cells, [()])[0]
    while True:
        scored = []
        for order, pair in enumerate(pairs):
            if pair in current.terms:
                continue
            expected = float(current.mu @ cells.column(pair))
            seen = cells.margin(pair)
            tail = min(stats.poisson.cdf(seen, expected), stats.poisson.sf(seen - 1, expected))
            if tail < pthresh:
                scored.append((tail, order, pair))
        for _tail, _order, pair in sorted(scored):
            fit = _fit_models(cells, [sort_terms((*current.terms, pair))])[0]
            if fit.status in (OK, BIASED):  # SparseMSE checks existence only
                current = fit
                break
        else:
            return _result(cells, current, interval)


def search_diagnostics(search: ModelSearch, criterion: str) -> dict[str, Any]:
    """What a search did, for an estimate's ``diagnostics``."""
    chosen = search.best_aic if criterion == "aic" else search.best_bic
    return {"selection": criterion, "models_searched": search.searched,
            "models_refused": search.refused, "search": search.strategy,
            "terms": [list(t) for t in chosen.terms], "rcapture_model": chosen.rcapture,
            "best_aic_model": search.best_aic.model, "best_bic_model": search.best_bic.model}

