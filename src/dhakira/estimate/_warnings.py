"""Warning codes and the checks that raise them. Each warning is ``"CODE: plain words"``."""

from __future__ import annotations

import math
from collections.abc import Mapping

from dhakira.estimate.table import CaptureTable

SPARSE_TABLE = "SPARSE_TABLE"
FEW_LISTS = "FEW_LISTS"
METHODS_DISAGREE = "METHODS_DISAGREE"
UNSTABLE = "UNSTABLE_ESTIMATE"
INFINITE = "INFINITE_ESTIMATE"
ZERO_MARGIN = "ZERO_MARGIN"
NOT_CONVERGED = "NOT_CONVERGED"

CODES = (SPARSE_TABLE, FEW_LISTS, METHODS_DISAGREE, UNSTABLE, INFINITE, ZERO_MARGIN, NOT_CONVERGED)

DISAGREE_RATIO = 1.5
UNSTABLE_WIDTH = 1.0  # interval width relative to the estimate
SMALL_COUNT = 5


def warn(code: str, text: str) -> str:
    """Format one warning."""
    return f"{code}: {text}"


def table_warnings(table: CaptureTable) -> list[str]:
    """Warn about too few lists and about sparse tables."""
    out: list[str] = []
    k = len(table.lists)
    if k < 3:
        out.append(warn(
            FEW_LISTS,
            f"only {k} lists: the estimate rests on the untestable assumption that the lists "
            "are independent; three or more lists let models check and allow for dependence",
        ))
    cells, zeros = table.cells, table.zero_cells  # counted, never listed: 2^J - 1 cells
    small = zeros + sum(1 for c in table.counts.values() if c < SMALL_COUNT)
    if zeros > cells / 2 or small > cells / 2:
        out.append(warn(
            SPARSE_TABLE,
            f"{zeros:,} of {cells:,} list combinations are empty and {small:,} hold fewer than "
            f"{SMALL_COUNT} people; estimates from so thin a table are fragile",
        ))
    return out


def unstable_warning(estimate: float, interval: tuple[float, float]) -> list[str]:
    """Warn when the interval is wider than the estimate itself (or unbounded)."""
    low, high = interval
    if not math.isfinite(estimate) or not math.isfinite(high):
        return [warn(UNSTABLE, "the interval has no finite upper end; do not rely on it")]
    if estimate > 0 and (high - low) / estimate > UNSTABLE_WIDTH:
        return [warn(
            UNSTABLE,
            f"the 95% interval ({low:,.0f} to {high:,.0f}) is wider than the estimate "
            f"({estimate:,.0f}); the number is very uncertain",
        )]
    return []


def disagreement_warnings(method: str, estimate: float, others: Mapping[str, float]) -> list[str]:
    """Warn when another method's estimate differs by more than a factor of 1.5."""
    out: list[str] = []
    for name, value in others.items():
        if not (math.isfinite(value) and math.isfinite(estimate)) or min(value, estimate) <= 0:
            continue
        ratio = max(value, estimate) / min(value, estimate)
        if ratio > DISAGREE_RATIO:
            out.append(warn(
                METHODS_DISAGREE,
                f"{method} gives {estimate:,.0f} but {name} gives {value:,.0f} "
                f"(ratio {ratio:.2f}); the answer depends on modelling choices",
            ))
    return out
