"""Counting the unreported: capture histories from the dossier, estimates, and their outputs.

The heavy lifting is :mod:`dhakira.core.counting` (pure); this module gathers the dossier's
capture histories (:mod:`dhakira.apps.counting.histories`), runs and saves estimates, and turns a
saved run into rows for the page, the CSV download and the legal brief.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Set
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import translation

from dhakira.apps.counting import texts
from dhakira.apps.counting.definitions import ListDefinition, StrataDefinition
from dhakira.apps.counting.errors import DefinitionError, NoResolutionError, ResolutionError
from dhakira.apps.counting.histories import CaptureHistories, capture_histories
from dhakira.apps.counting.models import EstimateRun
from dhakira.apps.linkage.extract import named as named_persons
from dhakira.core.counting import Estimate, across_matchings, estimate_stratified
from dhakira.core.counting.result import interval_json

if TYPE_CHECKING:
    from dhakira.apps.linkage.resolution import Resolution

__all__ = ["LINKAGE_STALE", "NO_LINKAGE", "SENSITIVITY", "TOO_FEW_LISTS", "capture_histories", "csv_text",
           "from_linkage", "has_linkage", "latest_dossier_run", "latest_run", "read_resolution",
           "run_estimate", "run_with_current", "stratum_rows", "summary_for_brief"]

NO_LINKAGE = texts.NO_LINKAGE
TOO_FEW_LISTS = texts.TOO_FEW_LISTS
# Methods that refuse a table of fewer than three lists (the core refuses too, in English).
_MIN_LISTS = {"lcmcr": 3, "dga": 3}
LINKAGE_STALE = "LINKAGE_STALE"
#: The other matchings a page's estimate is made again at (beside the vault's own): a run
#: from the page is 1 + len(SENSITIVITY) estimates, each with its own time budget.
SENSITIVITY = ("looser", "stricter")
_STALE_TEXT = ("the linkage run is older than the newest report: victims recorded since are "
               "each counted as a person of their own; run linkage again")


def read_resolution(path: Path) -> tuple[dict[str, Any], str]:
    """Read a resolution (person id -> resolved id) from a JSON file.

    Accepts a plain ``{"P-000123": 7, ...}`` object, ``{"clusters": {...}}`` (a saved
    linkage clustering) or the demo generator's truth file (its ``victim_mentions``).

    Returns:
        The mapping and a label saying where it came from.

    Raises:
        ResolutionError: if the file is unreadable or holds no mapping.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResolutionError(f"cannot read resolution {path}: {exc}") from exc
    if isinstance(data, dict) and data.get("format", "").startswith("dhakira-demo-truth"):
        return dict(data["victim_mentions"]), f"demo truth file {path.name} (true identities)"
    if isinstance(data, dict) and isinstance(data.get("clusters"), dict):
        return dict(data["clusters"]), f"clustering file {path.name}"
    if isinstance(data, dict) and all(not isinstance(v, dict | list) for v in data.values()):
        return data, f"resolution file {path.name}"
    raise ResolutionError(f"{path} holds no person -> resolved id mapping")


def run_estimate(resolution: Mapping[Any, Any], *, lists: ListDefinition | None = None,
                 strata: StrataDefinition | None = None, method: str = "lcmcr", seed: int = 0,
                 label: str = "linkage", user: AbstractBaseUser | None = None,
                 linkage: Resolution | None = None,
                 sensitivity: Mapping[str, Resolution] | None = None,
                 covers: float = 0.0, **options: Any) -> EstimateRun:
    """Build the capture histories, estimate each stratum, and save the run.

    Args:
        resolution: person id -> resolved id (see :func:`capture_histories`).
        lists: what a list is.
        strata: how victims are split.
        method: ``independence``, ``loglinear`` or ``lcmcr``.
        seed: the random seed (LCMCR).
        label: where the resolution came from, shown with the result.
        user: who asked (None from the command line).
        linkage: the vault's resolution ``resolution`` came from, if any: its run, threshold
            and decisions are recorded (``result["linkage"]``), and a stale one warns.
        sensitivity: level name (``looser``, ``stricter``) -> another resolution: the same
            estimate is made from each (``result["sensitivity"]``).
        covers: the share of the dossier's victim mentions ``resolution`` must name (a file
            given on the command line: one made for another dossier names few of them, and
            every mention it leaves out would count as a person of its own).
        **options: passed to :func:`dhakira.core.counting.estimate_stratified` (e.g. LCMCR
            iterations, a progress callback).

    Returns:
        The saved run.

    Raises:
        DefinitionError: LCMCR or DGA on fewer than three lists, or on lists no victim is on
            two of (in the active language; its code and values say it again in another, see
            :func:`texts.refusal`).
        dhakira.errors.DhakiraError: bad definitions, too few lists, or an impossible table.
    """
    lists, strata = lists or ListDefinition(), strata or StrataDefinition()
    named = named_persons()  # read once for the estimate and its sensitivity
    hist = capture_histories(resolution, lists, strata, named)
    if hist.mentions and hist.mentions - hist.unresolved < covers * hist.mentions:
        few = {"named": hist.mentions - hist.unresolved, "mentions": hist.mentions}
        raise ResolutionError(texts.refusal("resolution_covers_few", few),
                              code="resolution_covers_few", params=few)
    if len(hist.lists) < _MIN_LISTS.get(method, 0):
        params = {"method": method, "lists": len(hist.lists)}
        raise DefinitionError(texts.refusal("too_few_lists", params), code="too_few_lists",
                              params=params)
    if method in _MIN_LISTS and not any(pattern.count("1") > 1 for table in hist.tables.values()
                                        for pattern in table.counts):
        # Lists that never overlap carry no information on the unseen; a Bayesian model would
        # still print a number, made of its priors (300 people on 40 such lists gave 1,303).
        params = {"method": method, "lists": len(hist.lists)}
        raise DefinitionError(texts.refusal("no_overlap", params), code="no_overlap",
                              params=params)
    made = estimate_stratified(dict(hist.tables), method=method,  # type: ignore[arg-type]
                               seed=seed, **options)
    result = made.to_dict()
    extra: dict[str, Any] = {"lists": list(hist.lists), "vetting": _vetting_of(hist),
                             "set_aside": hist.set_aside}
    if linkage is not None:
        extra["linkage"] = linkage.linkage()
        if linkage.stale:
            result["total"]["warnings"].append(f"{LINKAGE_STALE}: {_STALE_TEXT}")
    if sensitivity:
        others = {name: _sensitivity(other, lists, strata, method, seed, options, named)
                  for name, other in sensitivity.items()}
        extra["sensitivity"] = {name: shown for name, (shown, _) in others.items()}
        result["total"]["with_matching"] = _with_matching(
            made.total, [total for _, total in others.values()])
    return EstimateRun.objects.create(
        created_by=user if user is not None and user.is_authenticated else None,
        method=method, seed=seed, lists=lists.to_json(), strata=strata.to_json(),
        resolution=label[:200], victims=hist.victims, unresolved=hist.unresolved,
        link_run_id=linkage.run_id if linkage is not None else None,
        decisions=linkage.decisions if linkage is not None else 0,
        tables={name: t.to_json() for name, t in hist.tables.items()},
        result={**result, **extra})


def _vetting_of(hist: CaptureHistories) -> dict[str, Any]:
    """How many of the reports behind each stratum's count, and behind the total, stand at
    each vetting bucket at the time of the estimate (the run keeps these counts, never the
    reports: a later page shows what the number was made of when it was made)."""
    from dhakira.apps.vetting.summary import report_buckets

    every = frozenset().union(*hist.reports.values()) if hist.reports else frozenset()
    counted = report_buckets({**hist.reports, _ALL_REPORTS: every})
    return {"at": datetime.now(UTC).isoformat(timespec="seconds"),
            "total": counted.pop(_ALL_REPORTS), "strata": counted}


_ALL_REPORTS = "\x00total"  # a key no stratum name can take


def _sensitivity(other: Resolution, lists: ListDefinition, strata: StrataDefinition,
                 method: str, seed: int, options: Mapping[str, Any],
                 named: Set[int]) -> tuple[dict[str, Any], Estimate]:
    """The total estimate from another resolution: as saved (with the threshold it was cut
    at), and as made (with its draws, for :func:`_with_matching`)."""
    hist = capture_histories(other.mapping, lists, strata, named)
    est = estimate_stratified(dict(hist.tables), method=method,  # type: ignore[arg-type]
                              seed=seed, **options)
    return {**est.total.to_dict(), "threshold": other.threshold}, est.total


def _with_matching(chosen: Estimate, others: list[Estimate]) -> dict[str, Any]:
    """The total's interval allowing for matching (:func:`across_matchings`), as saved."""
    interval, kind = across_matchings(chosen, others)
    return {"interval": interval_json(interval), "kind": kind}


def has_linkage() -> bool:
    """Whether a victim linkage run with stored clusters exists (counting needs one)."""
    from dhakira.apps.linkage.resolution import latest_run as latest_link_run

    return latest_link_run("victim") is not None


def no_linkage_params() -> dict[str, int]:
    """Why there is no linkage run to count with: ``mentions`` when fewer than two victims are
    recorded (then linking refuses too, and the refusal must not send the user to it)."""
    from dhakira.apps.dossier.models import Act

    few = len(Act.objects.order_by().values_list("victim_id", flat=True).distinct()[:2])
    return {"mentions": few} if few < 2 else {}


def run_with_current(**kwargs: Any) -> EstimateRun:
    """Like :func:`run_estimate`, with the vault's one resolution of who is the same person
    (:func:`dhakira.apps.linkage.resolution.resolve`), and the same estimate at the looser and
    the stricter clustering beside it.

    Raises:
        NoResolutionError: when no victim linkage run exists.
    """
    from dhakira.apps.linkage.resolution import resolve

    chosen = resolve("victim")
    if not chosen.run:
        params = no_linkage_params()
        raise NoResolutionError(texts.refusal("no_linkage", params), code="no_linkage",
                                params=params)
    others = {level: resolve("victim", level) for level in SENSITIVITY}
    return run_estimate(chosen.mapping, label=chosen.label, linkage=chosen,
                        sensitivity=others, **kwargs)


def latest_run() -> EstimateRun | None:
    """Return the most recent saved estimate, or None."""
    return EstimateRun.objects.first()


def from_linkage(run: EstimateRun) -> bool:
    """Whether ``run`` counted people by the vault's own linkage (``dhakira link`` and its
    review), not by a ``--resolution`` file such as a demo's truth file."""
    return bool((run.result.get("linkage") or {}).get("run"))


def latest_dossier_run() -> EstimateRun | None:
    """The most recent estimate made from the dossier's own linkage, or None.

    A brief for a court may carry only this one: a run from a resolution file (a demo's
    truth file, a clustering made elsewhere) counts people by what that file says.
    """
    return next((run for run in EstimateRun.objects.all() if from_linkage(run)), None)


def stratum_rows(run: EstimateRun) -> list[dict[str, Any]]:
    """Return one row per stratum, then the total: observed, estimate, interval, warnings."""
    rows = [_row(name, est) for name, est in run.result["strata"].items()]
    if len(rows) != 1:
        rows.append(_row("total", run.result["total"]))
    return rows


def _row(name: str, est: Mapping[str, Any]) -> dict[str, Any]:
    low, high = est["interval"]
    return {"stratum": name, "observed": est["observed"], "estimate": est["estimate"],
            "low": low, "high": high, "model": est["model"],
            "warnings": list(est["warnings"])}


def csv_text(run: EstimateRun) -> str:
    """Return the run's numbers as CSV (one row per stratum and the total)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["stratum", "observed", "estimate", "low_95", "high_95", "method",
                     "model", "warnings", "low_95_with_matching", "high_95_with_matching"])
    rows = stratum_rows(run)
    # allowing for matching: the total only (the looser and stricter runs keep no strata)
    matching = (run.result["total"].get("with_matching") or {}).get("interval") or [None, None]
    for row in rows:
        last = row is rows[-1]
        writer.writerow([row["stratum"], row["observed"], _fmt(row["estimate"]),
                         _fmt(row["low"]), _fmt(row["high"]), run.method, row["model"],
                         " | ".join(row["warnings"]), _fmt(matching[0] if last else None),
                         _fmt(matching[1] if last else None)])
    return out.getvalue()


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def summary_for_brief(run: EstimateRun | None = None, *, lang: str = "en") -> dict[str, Any] | None:
    """Return what the legal brief should say about how many victims there were.

    Args:
        run: a saved estimate; the latest one when None.
        lang: ``"en"`` or ``"ar"`` for the plain-words text.

    Returns:
        None when no estimate has been run; otherwise ``method``, ``method_name``,
        ``observed``, ``estimate``, ``interval`` [low, high] (None for unbounded),
        ``interval_with_matching`` (allowing for how people were matched; None for an estimate
        from a resolution file),
        ``sentence`` and ``assumptions`` (plain words in ``lang``), ``strata`` (rows as in
        :func:`stratum_rows`), ``warnings``, ``run`` (its id), ``linkage`` (run, threshold,
        decisions, stale) and ``sensitivity`` (looser and stricter totals), both None for an
        estimate from a resolution file.
    """
    run = run or latest_run()
    if run is None:
        return None
    lang = "ar" if lang.startswith("ar") else "en"
    total = run.result["total"]
    low, high = total["interval"]
    return {
        "run": run.uid, "method": run.method, "method_name": texts.method_name(run.method, lang),
        "observed": total["observed"], "estimate": total["estimate"], "interval": [low, high],
        "interval_with_matching": (total.get("with_matching") or {}).get("interval"),
        "sentence": _sentence(lang, total),
        "assumptions": texts.assumptions(run.method, lang), "strata": stratum_rows(run),
        "warnings": list(total["warnings"]), "resolution": run.resolution,
        "linkage": run.result.get("linkage"), "sensitivity": run.result.get("sensitivity"),
    }


def _sentence(lang: str, total: Mapping[str, Any]) -> str:
    """The numbers in one sentence, as the Counting page words them, in ``lang``."""
    from dhakira.apps.counting.presentation import numbers_sentence

    with translation.override(lang):
        return numbers_sentence(total)
