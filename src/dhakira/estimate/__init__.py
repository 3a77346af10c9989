"""Multiple systems estimation: how many people no list recorded.

Pure Python (numpy, scipy); no Django. Start with :func:`estimate`.
"""

from dhakira.estimate.api import estimate, estimate_stratified
from dhakira.estimate.dga import DgaFit, fit_dga, negative_binomial_log_prior
from dhakira.estimate.errors import EstimateError, ModelError, TableError
from dhakira.estimate.lcmcr import LcmcrFit, Priors, fit_lcmcr
from dhakira.estimate.loglinear import (
    LoglinearFit,
    ModelSearch,
    fit_loglinear,
    independence,
    search_models,
)
from dhakira.estimate.result import Estimate, StratifiedEstimate, result_json
from dhakira.estimate.table import CaptureTable

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
