"""The result of an estimate, and its JSON form."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Estimate", "StratifiedEstimate", "interval_json", "result_json"]


@dataclass(frozen=True)
class Estimate:
    """How many people there were, with a 95 % interval and warnings.

    Attributes:
        method: ``"independence"``, ``"loglinear"`` or ``"lcmcr"``.
        model: the model used, e.g. ``"c1:c2"`` or ``"LCMCR K*=10"``.
        observed: people on at least one list.
        estimate: the estimated total (``inf`` when no finite answer exists).
        interval: (low, high) at 95 % (profile likelihood, or posterior quantiles).
        warnings: coded warnings, ``"CODE: plain words"``.
        diagnostics: method-specific figures (fit statistics, R-hat, ESS, comparisons).
        draws: posterior draws of the total (LCMCR only; not part of ``to_dict``).
    """

    method: str
    model: str
    observed: int
    estimate: float
    interval: tuple[float, float]
    warnings: tuple[str, ...]
    diagnostics: Mapping[str, Any] = field(default_factory=dict, hash=False)
    draws: np.ndarray | None = field(default=None, compare=False, repr=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict; infinite numbers become None."""
        return {
            "method": self.method,
            "model": self.model,
            "observed": self.observed,
            "estimate": _number(self.estimate),
            "interval": interval_json(self.interval),
            "warnings": list(self.warnings),
            "diagnostics": _plain(self.diagnostics),
        }


@dataclass(frozen=True)
class StratifiedEstimate:
    """Per-stratum estimates and their total (the point estimate is the sum of the strata)."""

    total: Estimate
    strata: Mapping[str, Estimate] = field(hash=False)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict with ``total`` and ``strata``."""
        return {
            "total": self.total.to_dict(),
            "strata": {name: est.to_dict() for name, est in self.strata.items()},
        }


def result_json(result: Estimate | StratifiedEstimate) -> str:
    """Return the result as an indented JSON object (what ``dhakira estimate`` prints)."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)


def interval_json(interval: tuple[float, float]) -> list[float | None]:
    """An interval as saved and printed: ends to one decimal, an infinite end as None."""
    return [_number(interval[0]), _number(interval[1])]


def _number(value: float) -> float | None:
    if not math.isfinite(value):
        return None
    return round(float(value), 1)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float | np.floating):
        return round(float(value), 4) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value
