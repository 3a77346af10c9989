"""Multiple systems estimation: how many people no list recorded.

Pure Python (numpy, scipy); no Django. Start with :func:`estimate`.
"""

from dhakira.core.counting.api import across_matchings, estimate, estimate_stratified
from dhakira.core.counting.dga import DgaFit, fit_dga, negative_binomial_log_prior
from dhakira.core.counting.errors import EstimateError, ModelError, TableError
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

__all__ = [
    "CaptureTable",
    "DgaFit",
    "Estimate",
    "EstimateError",
    "LcmcrFit",
    "LoglinearFit",
    "ModelError",
    "ModelSearch",
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
