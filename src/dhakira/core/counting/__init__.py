"""Multiple systems estimation: how many people no list recorded.

Pure Python (numpy, scipy); no Django. Start with :func:`estimate`.

The names below are loaded on first use (PEP 562), so that importing a light part of the
package (``verdict``, ``errors``, ``table``) does not import SciPy: ``dhakira verify``
formats its counts with the counting page's helpers and paid about 1 s of CPU for SciPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dhakira.core.counting.api import across_matchings, estimate, estimate_stratified
    from dhakira.core.counting.dga import DgaFit, fit_dga, negative_binomial_log_prior
    from dhakira.core.counting.errors import EstimateError, ModelError, NoFiniteModel, TableError
    from dhakira.core.counting.lcmcr import LcmcrFit, Priors, fit_lcmcr
    from dhakira.core.counting.loglinear import (
        LoglinearFit,
        ModelSearch,
        fit_loglinear,
        independence,
        search_models,
    )
    from dhakira.core.counting.result import Estimate, StratifiedEstimate, result_json
    from dhakira.core.counting.table import CaptureTable

_WHERE = {
    "CaptureTable": "table",
    "DgaFit": "dga",
    "Estimate": "result",
    "EstimateError": "errors",
    "LcmcrFit": "lcmcr",
    "LoglinearFit": "loglinear",
    "ModelError": "errors",
    "ModelSearch": "loglinear",
    "NoFiniteModel": "errors",
    "Priors": "lcmcr",
    "StratifiedEstimate": "result",
    "TableError": "errors",
    "across_matchings": "api",
    "estimate": "api",
    "estimate_stratified": "api",
    "fit_dga": "dga",
    "fit_lcmcr": "lcmcr",
    "fit_loglinear": "loglinear",
    "independence": "loglinear",
    "negative_binomial_log_prior": "dga",
    "result_json": "result",
    "search_models": "loglinear",
}

__all__ = [
    "CaptureTable",
    "DgaFit",
    "Estimate",
    "EstimateError",
    "LcmcrFit",
    "LoglinearFit",
    "ModelError",
    "ModelSearch",
    "NoFiniteModel",
    "Priors",
    "StratifiedEstimate",
    "TableError",
    "across_matchings",
    "estimate",
    "estimate_stratified",
    "fit_dga",
    "fit_lcmcr",
    "fit_loglinear",
    "independence",
    "negative_binomial_log_prior",
    "result_json",
    "search_models",
]


def __getattr__(name: str) -> Any:
    """Import the submodule that defines ``name`` on first use, and keep the name here."""
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value
