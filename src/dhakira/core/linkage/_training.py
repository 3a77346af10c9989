"""Training the Fellegi-Sunter model with stated priors, so that it works on any dossier.

EM alone fails on small dossiers: a level that no likely match reaches gets m = 0 (Splink
refuses it), a level no random pair reaches gets u "not observed", and a prior rule that
finds no pair gives a prior of 0 (log of 0). Here every probability has a prior:

* the prior (probability that two random mentions are one person) counts at least
  ``prior_min_pairs`` pairs under ``prior_rule`` and is at most ``prior_max``;
* u and m are mixed with the stated defaults (``data/default_levels.json``, or uniform for a
  level it does not list) with the weight of ``u_prior_pairs`` / ``m_prior_pairs`` pairs:
  ``(count + a * default) / (total + a)``, inside EM's maximisation step and after sampling u;
* a dossier of fewer than ``min_training_records`` mentions is not trained by EM at all: its
  m values are the stated defaults.

The trained model is returned as Splink settings (plain data): prediction runs from it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from splink.internals import expectation_maximisation as _em
from splink.internals.exceptions import EMTrainingException

from dhakira.core.linkage.settings import LinkageSettings

_log = logging.getLogger(__name__)
# Tried only when no configured EM rule blocks any pair (noms de guerre only).
FALLBACK_EM_RULE = "l.kunya = r.kunya"
_PROBABILITY = "_probability_two_random_records_match"
Level = tuple[str, int]  # (comparison output name, comparison vector value)
# No stated default is a certainty that a level cannot occur.
MIN_MEAN = 1e-4


@cache
def default_levels() -> dict[str, dict[str, dict[str, float]]]:
    """The stated default m and u of each level: comparison → level label → {"m", "u"}."""
    text = resources.files("dhakira.core.linkage").joinpath("data/default_levels.json").read_text(
        encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data["comparisons"]  # type: ignore[no-any-return]


def prior_means(comparisons: list[dict[str, Any]]) -> dict[Level, tuple[float, float]]:
    """(comparison, level) → the default (m, u): the stated table, else uniform.

    Levels the table does not list (other thresholds in the settings) share what the listed
    levels leave; every mean is at least MIN_MEAN; each comparison's m and u sum to 1.
    """
    table = default_levels()
    out: dict[Level, tuple[float, float]] = {}
    for comp in comparisons:
        name = comp["output_column_name"]
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        known = table.get(name, {})
        stated = [known.get(lv["label_for_charts"]) for lv in levels]
        unlisted = sum(1 for s in stated if s is None)
        means = []
        for kind in ("m", "u"):
            given = [s[kind] for s in stated if s is not None]
            rest = max(0.0, 1.0 - sum(given)) / unlisted if unlisted else 0.0
            values = [max(s[kind] if s is not None else rest, MIN_MEAN) for s in stated]
            total = sum(values)
            means.append([v / total if total > 0 else 1.0 / len(values) for v in values])
        for i, _ in enumerate(levels):
            out[(name, len(levels) - 1 - i)] = (means[0][i], means[1][i])
    return out


@dataclass(frozen=True)
class _Smoothing:
    means: Mapping[Level, tuple[float, float]]
    m_pairs: float


_SMOOTHING: contextvars.ContextVar[_Smoothing | None] = contextvars.ContextVar(
    "dhakira_linkage_smoothing", default=None)
_ORIGINAL_PROPORTIONS = _em.compute_proportions_for_new_parameters


def _smoothed_proportions(df_params: Any) -> list[dict[str, Any]]:
    """EM's maximisation step with the prior on m: (count + a * default) / (total + a).

    Splink's own step divides each level's expected count of matches by the total, so a
    level no likely match reaches gets m = 0, which it then refuses.
    """
    smoothing = _SMOOTHING.get()
    if smoothing is None:
        return _ORIGINAL_PROPORTIONS(df_params)  # type: ignore[no-any-return]
    frame = df_params.as_pandas_dataframe()
    counts = {(str(r.output_column_name), int(r.comparison_vector_value)): (
        float(r.m_count or 0.0), float(r.u_count or 0.0)) for r in frame.itertuples()}
    out = [{"comparison_vector_value": 0, "output_column_name": _PROBABILITY,
            "m_probability": m, "u_probability": u}
           for (name, _), (m, u) in counts.items() if name == _PROBABILITY]
    names = {name for name, value in counts if name != _PROBABILITY and value != -1}
    a = smoothing.m_pairs
    for name in sorted(names):
        levels = sorted(v for (n, v) in smoothing.means if n == name)
        m_total = sum(counts.get((name, v), (0.0, 0.0))[0] for v in levels)
        u_total = sum(counts.get((name, v), (0.0, 0.0))[1] for v in levels)
        for v in levels:
            m, u = counts.get((name, v), (0.0, 0.0))
            m0, u0 = smoothing.means[(name, v)]
            out.append({"comparison_vector_value": v, "output_column_name": name,
                        "m_probability": (m + a * m0) / (m_total + a),
                        "u_probability": (u + a * u0) / (u_total + a)})
    return out


@contextmanager
def smoothed_em(means: Mapping[Level, tuple[float, float]], m_pairs: float) -> Iterator[None]:
    """Within the block, Splink's EM puts the stated prior on m (this thread only)."""
    _em.compute_proportions_for_new_parameters = _smoothed_proportions
    token = _SMOOTHING.set(_Smoothing(means, m_pairs))
    try:
        yield
    finally:
        _SMOOTHING.reset(token)


def prior_probability(pairs_found: int, records: int, settings: LinkageSettings) -> float:
    """The probability that two random mentions are one person, from the prior rule's count.

    Examples:
        >>> prior_probability(0, 2, LinkageSettings())  # one pair, none found: at most 0.5
        0.5
        >>> f"{prior_probability(700, 10_000, LinkageSettings()):.4e}"  # 700 / 0.7 / 49,995,000
        '2.0002e-05'
    """
    total = records * (records - 1) / 2
    found = max(float(pairs_found), settings.prior_min_pairs)
    return min(found / settings.prior_recall / total, settings.prior_max)


def count_pairs(api: Any, table: str, rule: str) -> int:
    """The number of pairs of records of ``table`` that ``rule`` (l./r. SQL) admits."""
    sql = (f"select count(*) as n from {table} as l join {table} as r "
           f"on l.unique_id < r.unique_id and ({rule})")
    return int(api.query_sql(sql, "pandas")["n"].iloc[0])


def train(linker: Any, settings: LinkageSettings, records: int,
          means: Mapping[Level, tuple[float, float]]) -> dict[str, Any]:
    """Estimate u (random pairs) and, on a large enough dossier, m (EM); return the model.

    Args:
        linker: a Splink linker whose settings carry the prior.
        settings: the linkage settings.
        records: the number of mentions.
        means: the stated default (m, u) of each level (:func:`prior_means`).

    Returns:
        The model as Splink settings, every level of every comparison with an m and a u.
    """
    linker.training.estimate_u_using_random_sampling(
        max_pairs=settings.u_max_pairs, seed=settings.seed, min_count_per_level=None,
        num_chunks=1)
    if records >= settings.min_training_records:
        with smoothed_em(means, settings.m_prior_pairs):
            _expectation_maximisation(linker, settings)
    model: dict[str, Any] = linker.misc.save_model_to_json()
    sampled = min(settings.u_max_pairs, records * (records - 1) / 2)
    return with_priors(model, means, u_sampled=sampled, u_pairs=settings.u_prior_pairs)


def _expectation_maximisation(linker: Any, settings: LinkageSettings) -> None:
    trained = 0
    for rule in (*settings.em_blocking_rules, FALLBACK_EM_RULE):
        if trained and rule == FALLBACK_EM_RULE:
            break
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=settings.em_max_pairs)
            trained += 1
        except EMTrainingException:
            # A rule can block no pair at all (perpetrators rarely have a grandfather);
            # the other rules still train those comparisons.
            _log.info("EM rule %r blocked no pairs; skipped", rule)


def with_priors(model: dict[str, Any], means: Mapping[Level, tuple[float, float]], *,
                u_sampled: float, u_pairs: float) -> dict[str, Any]:
    """The model with u mixed with its default and every untrained m or u set to the default.

    u was counted on ``u_sampled`` random pairs: ``(u * n + a * u0) / (n + a)`` is the same
    pseudo-count as in EM's maximisation step. An m that EM never estimated (its comparison
    was used by every training rule, or the dossier was too small to train) is the default.
    """
    out = dict(model)
    comps = []
    for comp in model["comparisons"]:
        name = comp["output_column_name"]
        levels = [dict(lv) for lv in comp["comparison_levels"]]
        value = sum(1 for lv in levels if not lv.get("is_null_level")) - 1
        for lv in levels:
            if lv.get("is_null_level"):
                continue
            m0, u0 = means[(name, value)]
            # A level no sampled pair reached is left "not observed" by Splink: a count of 0.
            u = lv.get("u_probability")
            u = u if isinstance(u, float | int) and math.isfinite(u) else 0.0
            lv["u_probability"] = (u * u_sampled + u_pairs * u0) / (u_sampled + u_pairs)
            m = lv.get("m_probability")
            if not isinstance(m, float | int) or not m > 0.0:
                lv["m_probability"] = m0
            value -= 1
        comps.append(comp | {"comparison_levels": levels})
    out["comparisons"] = comps
    return out
