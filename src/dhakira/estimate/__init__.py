"""Multiple systems estimation: how many people no list recorded.

Pure Python (numpy, scipy, statsmodels); no Django. Start with :func:`estimate`.
"""

from dhakira.estimate.api import estimate, estimate_stratified
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
    "fit_lcmcr",
    "fit_loglinear",
    "independence",
    "result_json",
    "search_models",
]
