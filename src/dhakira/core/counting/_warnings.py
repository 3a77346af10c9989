"""Warning codes and the checks that raise them. Each warning is ``"CODE: plain words"``.

A warning is a :class:`CodedWarning`: still that string (for JSON and the command line), and
also its ``code`` and ``params``, the figures another language needs to say the same thing.
Saved results hold the strings only; :func:`parse` recovers code, stratum and figures from
them (for the texts of :data:`TEMPLATES`), so old runs can be rendered in Arabic too.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from typing import Any

from dhakira.core.counting.table import CaptureTable

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

# The English text of each warning, by code and variant, with its figures as named fields.
# unstable_warning and disagreement_warnings write theirs from these (coded()); the others
# (table_warnings, loglinear, the LCMCR and DGA fits) write their own words, listed here
# exactly so that parse() finds their figures. A text not listed here still keeps its code.
TEMPLATES: dict[str, dict[str, str]] = {
    FEW_LISTS: {"few": (
        "only {k} lists: the estimate rests on the untestable assumption that the lists "
        "are independent; three or more lists let models check and allow for dependence")},
    SPARSE_TABLE: {"sparse": (
        "{zeros:,} of {cells:,} list combinations are empty and {small:,} hold fewer than "
        "{limit} people; estimates from so thin a table are fragile")},
    UNSTABLE: {
        "unbounded": "the interval has no finite upper end; do not rely on it",
        "wide": ("the 95% interval ({low:,.0f} to {high:,.0f}) is wider than the estimate "
                 "({estimate:,.0f}); the number is very uncertain"),
        "truncated": ("the posterior has not died away by N = {n:,.0f}; the upper end depends "
                      "on where the grid stops (pass missing= to set it)"),
    },
    METHODS_DISAGREE: {"disagree": (
        "{method} gives {estimate:,.0f} but {other} gives {value:,.0f} (ratio {ratio:.2f}); "
        "the answer depends on modelling choices")},
    NOT_CONVERGED: {
        "sampler": ("the sampler has not settled (split R-hat {rhat:.2f}, effective sample size "
                    "{ess:.0f}); run more iterations or chains before relying on it"),
        # The words of chains run until they converge or a time budget runs out.
        "target": ("the sampler has not settled (split R-hat {rhat:.3f}, effective sample size "
                   "{ess:.0f}; reliable needs R-hat <= {rhat_limit} and at least {ess_limit}): "
                   "run more iterations or chains before relying on it"),
        "budget": ("the sampler has not settled (split R-hat {rhat:.3f}, effective sample size "
                   "{ess:.0f}; reliable needs R-hat <= {rhat_limit} and at least {ess_limit}): "
                   "the time budget of {budget:,.0f} s ran out; give it more time before "
                   "relying on it"),
    },
    ZERO_MARGIN: {"margin": (
        "nobody is on all of {term}, so that interaction is estimated at minus infinity")},
    INFINITE: {"unbounded": (
        "the model puts no bound on the unseen; a zero cell drives the estimate to infinity")},
}
_TEXT_FIELDS = {"method", "other", "term"}  # figures that are words, not numbers
_STRATUM = re.compile(r"^\[(?P<stratum>[^\]]*)\] ")
_CODE = re.compile(r"^(?P<code>[A-Z][A-Z0-9_]+): (?P<text>.*)$", re.S)


class CodedWarning(str):
    """A warning: the string ``"CODE: text"``, with ``code`` and ``params`` attached.

    ``params`` holds the figures of the text (numbers as numbers), ``variant`` (which text
    of the code) and, for a stratified total, ``stratum``.
    """

    code: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, text: str, params: Mapping[str, Any] | None = None
                ) -> CodedWarning:
        prefix = f"[{params['stratum']}] " if params and "stratum" in params else ""
        obj = super().__new__(cls, f"{prefix}{code}: {text}" if code else prefix + text)
        obj.code = code
        obj.params = dict(params or {})
        return obj


def warn(code: str, text: str, **params: Any) -> CodedWarning:
    """Format one warning; ``params`` are the figures needed to say it in another language."""
    return CodedWarning(code, text, params)


def coded(code: str, variant: str, **params: Any) -> CodedWarning:
    """Write the warning ``code`` in the words of ``TEMPLATES[code][variant]``."""
    return warn(code, TEMPLATES[code][variant].format(**params), variant=variant, **params)


def parse(text: str) -> CodedWarning:
    """Read a saved warning back: its code, its stratum (``"[2015] CODE: ..."``) and figures.

    Figures are recovered when the text is one of :data:`TEMPLATES`; otherwise ``params``
    holds the stratum only. A text with no code gets the code ``""``.
    """
    if isinstance(text, CodedWarning) and text.code and text.params:
        return text
    params: dict[str, Any] = {}
    rest = str(text)
    if m := _STRATUM.match(rest):
        params["stratum"], rest = m["stratum"], rest[m.end():]
    m = _CODE.match(rest)
    if m is None:
        return CodedWarning("", rest, params)
    code, body = m["code"], m["text"]
    for variant, template in TEMPLATES.get(code, {}).items():
        if found := _pattern(template).fullmatch(body):
            params["variant"] = variant
            params.update({k: _value(k, v) for k, v in found.groupdict().items()})
            break
    return CodedWarning(code, body, params)


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts), re.S)


def _value(name: str, raw: str) -> Any:
    if name in _TEXT_FIELDS:
        return raw
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return raw


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
        return [coded(UNSTABLE, "unbounded")]
    if estimate > 0 and (high - low) / estimate > UNSTABLE_WIDTH:
        return [coded(UNSTABLE, "wide", low=low, high=high, estimate=estimate)]
    return []


def disagreement_warnings(method: str, estimate: float, others: Mapping[str, float]) -> list[str]:
    """Warn when another method's estimate differs by more than a factor of 1.5."""
    out: list[str] = []
    for name, value in others.items():
        if not (math.isfinite(value) and math.isfinite(estimate)) or min(value, estimate) <= 0:
            continue
        ratio = max(value, estimate) / min(value, estimate)
        if ratio > DISAGREE_RATIO:
            out.append(coded(METHODS_DISAGREE, "disagree", method=method, estimate=estimate,
                             other=name, value=value, ratio=ratio))
    return out
