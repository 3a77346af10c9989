"""Warnings are still "CODE: text" strings, and carry (or give back) their figures."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tests.estimate.conftest import load

from dhakira.core.counting import CaptureTable, api, estimate, estimate_stratified
from dhakira.core.counting import _warnings as w


def test_a_warning_is_its_old_string_with_code_and_figures():
    [note] = w.unstable_warning(100.0, (50.0, 400.0))
    assert note == ("UNSTABLE_ESTIMATE: the 95% interval (50 to 400) is wider than the estimate "
                    "(100); the number is very uncertain")
    assert note.code == w.UNSTABLE
    assert note.params == {"variant": "wide", "low": 50.0, "high": 400.0, "estimate": 100.0}
    assert json.loads(json.dumps([note])) == [str(note)]


def test_the_old_call_still_works_and_takes_figures():
    note = w.warn(w.NOT_CONVERGED, "plain words", rhat=1.2)
    assert note == "NOT_CONVERGED: plain words"
    assert (note.code, note.params) == (w.NOT_CONVERGED, {"rhat": 1.2})


@pytest.mark.parametrize(("code", "variant"), [
    (code, variant) for code, texts in w.TEMPLATES.items() for variant in texts])
def test_every_template_round_trips_through_its_saved_string(code, variant):
    figures = {"k": 2, "zeros": 5, "cells": 7, "small": 6, "limit": 5, "low": 1234.0,
               "high": 98765.0, "estimate": 4321.0, "n": 50000.0, "method": "lcmcr",
               "other": "loglinear (best BIC)", "value": 9000.0, "ratio": 2.08, "rhat": 1.02,
               "ess": 57.0, "term": "A:B", "rhat_limit": 1.01, "ess_limit": 400.0,
               "budget": 600.0}
    names = {f for f in figures if "{" + f in w.TEMPLATES[code][variant]}
    note = w.coded(code, variant, **{f: figures[f] for f in names})
    back = w.parse("[2015] " + note)
    assert back == "[2015] " + note
    assert back.code == code
    assert back.params == {"stratum": "2015", "variant": variant,
                           **{f: figures[f] for f in names}}


def test_a_text_it_does_not_know_keeps_its_code_and_stratum():
    back = w.parse("[north] NEW_CODE_FROM_ELSEWHERE: something new")
    assert (back.code, back.params) == ("NEW_CODE_FROM_ELSEWHERE", {"stratum": "north"})
    assert w.parse("no code here").code == ""


class UnsettledFit:
    """What fit_lcmcr returns for a sampler that has not settled (figures chosen here)."""

    rhat, ess, k_star, median, interval = 1.4137, 12.0, 10, 2000.0, (1900.0, 2600.0)
    converged, budget_ran_out, sweeps, burned, rounds, seconds = False, False, 40, 10, 1, 0.1
    draws = np.full((2, 20), 2000.0)


def test_the_lcmcr_wrapper_s_unsettled_words_give_back_their_figures(monkeypatch):
    monkeypatch.setattr(api, "fit_lcmcr", lambda table, **options: UnsettledFit())
    hiv = load("hiv_rome_1994")
    result = estimate(hiv, method="lcmcr", seed=1, compare=False, budget_seconds=60.0)
    [sampler] = [w.parse(n) for n in result.warnings if n.startswith(w.NOT_CONVERGED)]
    assert sampler.params["rhat"] == pytest.approx(1.414, abs=0.006)
    assert sampler.params["ess"] == 12.0


def test_loglinear_s_words_give_back_their_figures():
    empty = CaptureTable.from_counts(["A", "B", "C"], {
        "100": 30, "010": 20, "001": 25, "110": 4, "101": 3, "011": 0, "111": 0})
    fit = estimate(empty, method="loglinear", terms=[("B", "C")], compare=False)
    parsed = {w.parse(n).code: w.parse(n).params for n in fit.warnings}
    assert parsed[w.ZERO_MARGIN]["term"] == "B:C"


def test_a_stratified_total_names_the_stratum_of_each_warning():
    table = CaptureTable.from_counts(["A", "B"], {"10": 3, "01": 2, "11": 1})
    result = estimate_stratified({"2015": table}, method="independence")
    parsed = [w.parse(n) for n in result.total.warnings]
    assert {p.params["stratum"] for p in parsed} == {"2015"}
    assert w.FEW_LISTS in {p.code for p in parsed}
    assert next(p for p in parsed if p.code == w.FEW_LISTS).params["k"] == 2
