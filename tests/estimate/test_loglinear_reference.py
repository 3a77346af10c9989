"""Rcapture and SparseMSE, reproduced on every reference table in tests/data/mse.

`rcapture_reference.json` holds what R 4.2.2 with Rcapture 1.4-4 and SparseMSE 2.0.1 gave on
these tables (made by bench/rcapture_reference.R): closedpMS.t's lowest-AIC and lowest-BIC
models among every hierarchical model (3-5 lists), the independence model, SparseMSE's
stepwise model (any number of lists), each with closedpCI.t's profile-likelihood interval.
Ours must pick the same model, and agree within 0.1 % on the estimate and the interval ends
(the brief allowed 0.5 % and 1 %; the fits agree to about 1e-6).
"""

from __future__ import annotations

import functools
import json
import math
import re

import pytest
from tests.estimate.conftest import DATA, load

from dhakira.core.counting import estimate, fit_loglinear, independence
from dhakira.core.counting._design import Index, hierarchical_models, parse_rcapture, to_index
from dhakira.core.counting.loglinear import (
    LoglinearFit,
    ModelSearch,
    search_models,
    stepwise_sparsemse,
)

pytestmark = pytest.mark.backend_independent

REFERENCE = json.loads((DATA / "rcapture_reference.json").read_text())
ROWS = REFERENCE["rows"]
ESTIMATE_TOLERANCE = 1e-3
INTERVAL_TOLERANCE = 1e-3
CLEAN = [row for row in ROWS if row.get("info_fit", 0) == 0]
FLAGGED = [row for row in ROWS if row.get("info_fit", 0) != 0]


@functools.cache
def _search(name: str) -> ModelSearch:
    return search_models(load(name))


def _ours(row: dict) -> LoglinearFit:
    table = load(row["table"])
    kind = row["reference"]
    if kind.endswith("lowest AIC"):
        return _search(row["table"]).best_aic
    if kind.endswith("lowest BIC"):
        return _search(row["table"]).best_bic
    if "independence" in kind:
        return independence(table)
    return stepwise_sparsemse(table)


def _sparsemse_terms(text: str) -> set[Index]:
    return {tuple(sorted(int(i) - 1 for i in re.findall(r"c(\d+)", t)))  # type: ignore[misc]
            for t in text.split("+") if t}


@pytest.mark.parametrize("row", FLAGGED, ids=lambda r: f"{r['table']}-{r['reference']}")
def test_a_model_r_picks_but_flags_as_unusable_is_refused_with_a_reason(row):
    # Western, lowest AIC: R's pick estimates 4.4e13 from 345 people, with its asymptotic bias
    # flagged; its maximum likelihood estimate does not exist. We fit it, say why, skip it.
    table = load(row["table"])
    theirs = fit_loglinear(table, parse_rcapture(row["model"], table), interval=False)
    assert not math.isfinite(theirs.estimate) or any(
        note.startswith(("INFINITE_ESTIMATE", "UNSTABLE_ESTIMATE")) for note in theirs.warnings)
    chosen = _ours(row)
    assert chosen.rcapture != row["model"] and math.isfinite(chosen.estimate)
    assert chosen.model in {c[0] for c in _search(row["table"]).candidates}
    assert theirs.model not in {c[0] for c in _search(row["table"]).candidates}


def test_every_reference_table_with_a_log_linear_answer_is_covered():
    tables = {p.stem for p in DATA.glob("*.json")} - {"simulation_designs", "rcapture_reference"}
    assert {row["table"] for row in ROWS} == tables
    for name in tables:
        kinds = {row["reference"] for row in ROWS if row["table"] == name}
        assert "SparseMSE stepwisefit, pthresh 0.02" in kinds
        if len(load(name).lists) <= 5:
            assert {"Rcapture closedpMS.t, lowest AIC", "Rcapture closedpMS.t, lowest BIC"} <= kinds
        else:
            assert not any("closedpMS" in kind for kind in kinds)


@pytest.mark.parametrize("row", CLEAN, ids=lambda r: f"{r['table']}-{r['reference']}")
def test_it_reproduces_the_reference(row):
    table = load(row["table"])
    if "without warnings" in row["reference"]:
        # R's pick among the fits it flagged nothing in: we fit the same model to the same
        # numbers, and rank it among ours (our pick may be a model R flagged only for
        # numerics, e.g. "fitted rates numerically 0" from a pair nobody is on).
        ours = fit_loglinear(table, parse_rcapture(row["model"], table))
        search = _search(row["table"])
        assert ours.model in {c[0] for c in search.candidates}
        crit = "aic" if "AIC" in row["reference"] else "bic"
        assert getattr(getattr(search, f"best_{crit}"), crit) <= getattr(ours, crit)
    else:
        ours = _ours(row)
    if row["reference"].startswith("SparseMSE"):
        assert set(to_index(table, ours.terms)) == _sparsemse_terms(row["model"])
    elif row["model"] != "independence":
        assert ours.rcapture == row["model"]
    assert ours.estimate == pytest.approx(row["estimate"], rel=ESTIMATE_TOLERANCE)
    assert ours.deviance == pytest.approx(row["deviance"], abs=1e-3)
    assert ours.df == row["df"]
    assert ours.aic == pytest.approx(row["aic"], abs=1e-3)
    if "bic" in row:
        assert ours.bic == pytest.approx(row["bic"], abs=1e-3)
    _, low, high = row["profile"]
    assert ours.interval is not None
    assert ours.interval[0] == pytest.approx(low, rel=INTERVAL_TOLERANCE)
    if isinstance(high, str):  # R stops looking at 3 N: ">226140.7"
        assert ours.interval[1] > float(high.lstrip(">"))
    else:
        assert ours.interval[1] == pytest.approx(high, rel=INTERVAL_TOLERANCE)


@pytest.mark.parametrize("k", [3, 4, 5])
def test_it_searches_exactly_rcaptures_set_of_hierarchical_models(k):
    counts = {row["models"] for row in ROWS if "models" in row and
              len(load(row["table"]).lists) == k}
    assert counts == {len(hierarchical_models(k))} == {{3: 8, 4: 113, 5: 6893}[k]}
    assert len(set(hierarchical_models(k))) == len(hierarchical_models(k))


def test_the_estimate_names_the_chosen_model_its_criterion_and_the_models_searched(hiv):
    result = estimate(hiv, method="loglinear", criterion="aic", compare=False)
    d = result.diagnostics
    assert result.model == "c1:c2" and d["rcapture_model"] == "[12,3,4]"
    assert d["terms"] == [["c1", "c2"]] and d["selection"] == "aic"
    # Refused: the 10 models closedpMS.t flags on this table (8 with a large asymptotic bias,
    # one whose MLE does not exist, one not identifiable).
    assert d["models_searched"] == 113 and d["models_refused"] == 10
    bic = estimate(hiv, method="loglinear", compare=False)
    assert bic.model == "independence" and bic.diagnostics["selection"] == "bic"
    assert bic.estimate == pytest.approx(11124.578, rel=1e-6)
