"""Properties of the log-linear model search that must hold on any table (Hypothesis)."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests import warm

from dhakira.core.counting import CaptureTable, ModelError, fit_loglinear, search_models
from dhakira.core.counting._design import (
    MAX_LOGLINEAR_LISTS,
    hierarchical_models,
    is_hierarchical,
    to_index,
)
from dhakira.core.counting.errors import EstimateError
from dhakira.core.counting.table import all_patterns

pytestmark = pytest.mark.backend_independent


@st.composite
def tables(draw: st.DrawFn) -> CaptureTable:
    k = draw(st.integers(3, 4))
    big = draw(st.integers(0, 400))
    counts = {p: draw(st.integers(0, 40)) for p in all_patterns(k)}
    counts["1" + "0" * (k - 1)] += big  # some tables dominated by one list's singletons
    try:
        table = CaptureTable.from_counts([f"L{i}" for i in range(k)], counts)
    except EstimateError:
        assume(False)
        raise
    # Tables a user can hand in: every list caught someone and no list caught everybody seen
    # (CaptureTable.from_json refuses the others). A draw of {"1000": 389}, three lists that
    # caught nobody, gave an estimate of 2e125 whose profile interval started above it.
    assume(all(0 < caught < table.observed for caught in table.margins().values()))
    return table


def _search(table: CaptureTable):  # type: ignore[no-untyped-def]
    try:
        return search_models(table)
    except ModelError:  # no model has a finite estimate: a refusal, not an answer
        assume(False)
        raise


settings_ = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


@given(tables())
@settings_
def test_the_search_only_returns_hierarchical_models_with_finite_estimates_above_observed(
        table: CaptureTable) -> None:
    search = _search(table)
    k = len(table.lists)
    for fit in (search.best_aic, search.best_bic):
        terms = to_index(table, fit.terms)
        assert is_hierarchical(terms)
        assert all(2 <= len(t) < k for t in terms)
        assert math.isfinite(fit.estimate) and fit.estimate >= table.observed
        assert fit.interval is not None and fit.interval[0] >= table.observed - 1e-6
        assert fit.interval[0] <= fit.estimate + 1e-6 * fit.estimate
    assert search.best_bic.bic == min(bic for _, _, bic, _ in search.candidates)
    assert search.best_aic.aic == min(aic for _, aic, _, _ in search.candidates)


@given(tables(), st.randoms(use_true_random=False))
@settings_
def test_permuting_the_lists_gives_the_same_estimate(table: CaptureTable, rnd) -> None:  # type: ignore[no-untyped-def]
    k = len(table.lists)
    order = list(range(k))
    rnd.shuffle(order)
    permuted = CaptureTable.from_counts(
        [table.lists[i] for i in order],
        {"".join(p[i] for i in order): c for p, c in table.counts.items()})
    first, second = _search(table), _search(permuted)
    for crit in ("aic", "bic"):
        a, b = getattr(first, f"best_{crit}"), getattr(second, f"best_{crit}")
        assert getattr(a, crit) == pytest.approx(getattr(b, crit), rel=1e-9, abs=1e-9)
        # Models tied on the criterion may differ in estimate; the answer must be one of them.
        col = 1 if crit == "aic" else 2
        tied = [c[3] for c in first.candidates
                if abs(c[col] - getattr(a, crit)) <= 1e-7 * max(1.0, abs(getattr(a, crit)))]
        assert any(b.estimate == pytest.approx(e, rel=1e-5) for e in tied)
        assert {frozenset(t) for t in a.terms} == {frozenset(t) for t in b.terms} or len(tied) > 1


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_every_enumerated_model_is_hierarchical_and_below_the_k_way_term(k):
    models = hierarchical_models(k)
    assert all(is_hierarchical(m) for m in models)
    assert all(len(t) < k for m in models for t in m)
    # and none is missing: every hierarchical set of terms of 2..k-1 lists is there (k <= 4)
    if k <= 4:
        terms = [t for size in range(2, k) for t in itertools.combinations(range(k), size)]
        every = {frozenset(s) for r in range(len(terms) + 1)
                 for s in itertools.combinations(terms, r) if is_hierarchical(s)}
        assert {frozenset(m) for m in models} == every


def test_beyond_the_cell_limit_log_linear_is_refused_in_one_plain_sentence():
    k = MAX_LOGLINEAR_LISTS + 1
    rng = np.random.default_rng(3)
    counts = {"".join(map(str, rng.integers(0, 2, k))): 1 for _ in range(200)}
    counts.pop("0" * k, None)
    counts["1" * k] = 1
    table = CaptureTable.from_counts([f"L{i}" for i in range(k)], counts)
    for call in (lambda: fit_loglinear(table), lambda: search_models(table)):
        with pytest.raises(ModelError, match="lcmcr") as err:
            call()
        assert "\n" not in str(err.value)


def test_many_lists_are_searched_stepwise_not_enumerated():
    # 9 lists: 511 cells; an exhaustive search would be astronomically large.
    rng = np.random.default_rng(7)
    p = np.array([0.3, 0.25, 0.2, 0.2, 0.15, 0.1, 0.1, 0.3, 0.2])
    rows = rng.random((3000, 9)) < p
    rows[:, 1] |= rows[:, 0] & (rng.random(3000) < 0.5)  # lists 0 and 1 share sources
    rows = rows[rows.any(axis=1)]
    names = [f"L{j}" for j in range(9)]
    table = CaptureTable.from_histories(
        (frozenset(n for n, hit in zip(names, r, strict=True) if hit) for r in rows), names)
    search = search_models(table)
    assert search.searched < 2 * 36 * 10 and "stepwise" in search.strategy
    assert ("L0", "L1") in search.best_bic.terms
    assert 3000 * 0.8 < search.best_bic.estimate < 3000 * 1.25


def test_the_command_refuses_log_linear_beyond_the_cell_limit_in_one_line(tmp_path):
    k = MAX_LOGLINEAR_LISTS + 1
    cells = [{"pattern": "".join("1" if j in (i, (i + 1) % k) else "0" for j in range(k)),
              "count": 3} for i in range(k)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"lists": [f"L{i}" for i in range(k)], "cells": cells}))
    done = warm.python("-m", "dhakira", "estimate", "--table", str(path), "--method", "loglinear",
                       timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "lcmcr" in done.stderr.lower()  # names LCMCR
