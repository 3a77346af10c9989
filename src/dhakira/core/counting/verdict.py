"""Is an estimate usable? The guards a reader needs before quoting a number.

An estimate is *not usable* when any of these holds, each a :class:`Reason` with the figures
needed to say it in any language:

* ``NOT_CONVERGED``: the sampler itself says it has not settled (a ``NOT_CONVERGED`` warning);
* ``UNBOUNDED``: there is no finite estimate or no finite upper end of the interval;
* ``WIDE_INTERVAL``: the 95 % interval is wider than the estimate itself;
* ``MANY_TIMES_OBSERVED``: the estimate is more than :data:`MAX_FACTOR` times the number of
  people the lists saw. The lists would then have seen fewer than one in five; the number
  is mostly the model's extrapolation, and it is what failed linkage looks like (the same
  people not matched across lists leave few overlaps, and few overlaps mean many unseen).
  Published estimates from several lists (Peru's truth commission, Kosovo 1999) came to two
  or three times the documented count, not five;
* ``LINKAGE_STALE``: reports were added after the linkage run the estimate used.

Pure: takes an :class:`~dhakira.core.counting.result.Estimate` or its ``to_dict()`` form (a saved
run's ``result["total"]``), never imports Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dhakira.core.counting import _warnings as w
from dhakira.core.counting._warnings import CodedWarning

if TYPE_CHECKING:  # at run time an Estimate is told from a saved one by not being a Mapping,
    # so that judging a saved estimate (the CLI's, the pages') does not import numpy
    from dhakira.core.counting.result import Estimate

__all__ = ["MAX_FACTOR", "REASONS", "CodedWarning", "Reason", "Verdict", "judge", "parse_warning"]


def parse_warning(text: str) -> CodedWarning:
    """A saved warning's code, stratum and figures (see :func:`_warnings.parse`)."""
    return w.parse(text)

MAX_FACTOR = 5.0  # an estimate above this many times the observed count is not usable
NOT_CONVERGED = "NOT_CONVERGED"
UNBOUNDED = "UNBOUNDED"
WIDE_INTERVAL = "WIDE_INTERVAL"
MANY_TIMES_OBSERVED = "MANY_TIMES_OBSERVED"
LINKAGE_STALE = "LINKAGE_STALE"
REASONS = (NOT_CONVERGED, UNBOUNDED, WIDE_INTERVAL, MANY_TIMES_OBSERVED, LINKAGE_STALE)


@dataclass(frozen=True)
class Reason:
    """Why an estimate is not usable: a code, its figures and the English words."""

    code: str
    text: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Verdict:
    """Usable, or not usable with the reasons (in the order of :data:`REASONS`)."""

    reasons: tuple[Reason, ...] = ()

    @property
    def usable(self) -> bool:
        """True when no guard fired."""
        return not self.reasons

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly form."""
        return {"usable": self.usable,
                "reasons": [{"code": r.code, "text": r.text, "params": dict(r.params)}
                            for r in self.reasons]}


def judge(estimate: Estimate | Mapping[str, Any], *, linkage: Mapping[str, Any] | None = None,
          max_factor: float = MAX_FACTOR) -> Verdict:
    """Decide whether ``estimate`` may be quoted, and if not, why.

    Args:
        estimate: the estimate, or its ``to_dict()`` form (``None`` stands for infinity).
        linkage: the run's ``result["linkage"]`` (``run``, ``stale``), if known.
        max_factor: the largest multiple of the observed count that is still usable.
    """
    point, low, high, observed, warnings = _figures(estimate)
    reasons: list[Reason | None] = [_not_converged(warnings)]
    if not math.isfinite(point) or not math.isfinite(high):
        reasons.append(Reason(UNBOUNDED, "the estimate or the upper end of its 95% interval "
                                         "is unbounded"))
    elif point > 0 and high - low > point:
        reasons.append(Reason(
            WIDE_INTERVAL, f"the 95% interval ({low:,.0f} to {high:,.0f}) is wider than the "
            f"estimate itself ({point:,.0f})", {"low": low, "high": high, "estimate": point}))
    if observed > 0 and math.isfinite(point) and point > max_factor * observed:
        factor = point / observed
        reasons.append(Reason(
            MANY_TIMES_OBSERVED, f"the estimate is {factor:,.{1 if factor < 10 else 0}f} "
            f"times the {observed:,} people "
            f"the lists saw (more than {max_factor:g} times is not credible: the lists would have "
            "seen fewer than one in five, and failed linkage looks like this)",
            {"factor": factor, "observed": observed, "estimate": point, "limit": max_factor}))
    stale = any(w.parse(text).code == LINKAGE_STALE for text in warnings)
    if stale or (linkage and linkage.get("stale")):
        run = str((linkage or {}).get("run") or "")
        reasons.append(Reason(LINKAGE_STALE, f"reports were added after linkage run {run}; "
                                             "run linkage again" if run else
                              "reports were added after the linkage run; run linkage again",
                              {"run": run}))
    return Verdict(tuple(r for r in reasons if r is not None))


def _figures(estimate: Estimate | Mapping[str, Any]
             ) -> tuple[float, float, float, int, list[str]]:
    if not isinstance(estimate, Mapping):  # an Estimate
        low, high = estimate.interval
        return (estimate.estimate, _num(low, default=0.0), _num(high), estimate.observed,
                list(estimate.warnings))
    low, high = (list(estimate.get("interval") or [None, None]) + [None, None])[:2]
    return (_num(estimate.get("estimate")), _num(low, default=0.0), _num(high),
            int(estimate.get("observed") or 0), list(estimate.get("warnings") or []))


def _num(value: Any, *, default: float = math.inf) -> float:
    if value is None:
        return default
    value = float(value)
    return default if math.isnan(value) else value


def _not_converged(warnings: list[str]) -> Reason | None:
    found = [w.parse(text) for text in warnings]
    found = [x for x in found if x.code == w.NOT_CONVERGED]
    if not found:
        return None
    worst = found[0].params
    return Reason(NOT_CONVERGED, str(found[0]).split(": ", 1)[-1],
                  {k: v for k, v in worst.items() if k in ("rhat", "ess", "stratum")})
