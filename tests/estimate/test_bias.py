"""The first-order bias of a log-linear model whose fit ran off is infinite, and said so by
the result alone: no NumPy warning reaches the command's error output."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
from tests import warm

from dhakira.core.counting._poisson import asymptotic_bias


def test_a_model_with_an_infinite_mean_has_an_infinite_bias_and_no_warning() -> None:
    x = np.array([[[1.0, 0.0], [1.0, 1.0], [1.0, 0.5]], [[1.0, 0.0], [1.0, 1.0], [1.0, 0.5]]])
    mu = np.array([[np.inf, 1.0, 2.0], [3.0, 1.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bias = asymptotic_bias(x, mu, np.zeros((2, 2)))
    assert bias[0] == np.inf and np.isfinite(bias[1])


def test_the_table_that_showed_the_warning_estimates_with_nothing_on_the_error_output(
        tmp_path: Path) -> None:
    # Found by tests/estimate/test_table_fuzz.py (Hypothesis seed 15): `dhakira estimate`
    # printed NumPy's "invalid value encountered in matmul" above its answer.
    table = tmp_path / "table.json"
    table.write_text(json.dumps({"lists": ["L0", "L1", "L2", "L3"], "cells": [
        {"pattern": "0101", "count": 21}, {"pattern": "1010", "count": 18},
        {"pattern": "1011", "count": 25}, {"pattern": "1110", "count": 20}]}))
    done = warm.python("-m", "dhakira", "estimate", "--table", str(table),
                       "--method", "independence")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["observed"] == 84
