"""The first-order bias of a log-linear model whose fit ran off is infinite, and said so by
the result alone: no NumPy warning reaches the command's error output."""

from __future__ import annotations

import warnings

import numpy as np

from dhakira.core.counting._poisson import asymptotic_bias


def test_a_model_with_an_infinite_mean_has_an_infinite_bias_and_no_warning() -> None:
    x = np.array([[[1.0, 0.0], [1.0, 1.0], [1.0, 0.5]], [[1.0, 0.0], [1.0, 1.0], [1.0, 0.5]]])
    mu = np.array([[np.inf, 1.0, 2.0], [3.0, 1.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bias = asymptotic_bias(x, mu, np.zeros((2, 2)))
    assert bias[0] == np.inf and np.isfinite(bias[1])
