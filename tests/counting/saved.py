"""Saved estimate runs written by hand, shaped as the counting services save them.

``result["linkage"]`` and ``result["sensitivity"]`` are written the way the resolution work
records them; leaving them out gives a run saved before they existed.
"""

from __future__ import annotations

from typing import Any

from dhakira.apps.counting.models import EstimateRun

NOT_SETTLED = ("NOT_CONVERGED: the sampler has not settled (split R-hat 1.02, effective sample "
               "size 57); run more iterations or chains before relying on it")
WIDE = ("UNSTABLE_ESTIMATE: the 95% interval (2,400,000 to 9,400,000) is wider than the estimate "
        "(4,622,463); the number is very uncertain")


def total(observed: int, estimate: float | None, low: float | None, high: float | None,
          warnings: tuple[str, ...] = (), method: str = "lcmcr") -> dict[str, Any]:
    return {"method": method, "model": "sum of strata", "observed": observed,
            "estimate": estimate, "interval": [low, high], "warnings": list(warnings),
            "diagnostics": {}}


def saved_run(*, observed: int = 7758, estimate: float | None = 8200.0, low: float | None = 7900.0,
              high: float | None = 8700.0, warnings: tuple[str, ...] = (),
              linkage: dict[str, Any] | None = None,
              sensitivity: dict[str, Any] | None = None, lists_by: str = "network",
              lists: tuple[str, ...] = ("alpha", "beta", "gamma"),
              resolution: str = "linkage R-00001, active person links",
              with_matching: list[float | None] | None = None) -> EstimateRun:
    """One run with one stratum ("all"), whose warnings carry the stratum as the services do;
    ``with_matching``: the total's interval allowing for matching, as the services save it."""
    stratum = total(observed, estimate, low, high, warnings)
    matching = {} if with_matching is None else {"with_matching": {
        "interval": with_matching, "kind": "quantiles of the matchings' posterior draws pooled"}}
    result: dict[str, Any] = {
        "total": {**stratum, "warnings": [f"[all] {x}" for x in warnings], **matching},
        "strata": {"all": stratum}, "lists": list(lists)}
    if linkage is not None:
        result["linkage"] = linkage
    if sensitivity is not None:
        result["sensitivity"] = sensitivity
    return EstimateRun.objects.create(
        method="lcmcr", seed=1, lists={"by": lists_by, "include": [], "merge": {}},
        strata={"by": []}, resolution=resolution, victims=observed,
        tables={}, result=result)
