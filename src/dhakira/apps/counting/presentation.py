"""What the Counting page and the brief say about a saved estimate, in the active language.

A saved run's ``result`` is read defensively (``.get``): runs saved before linkage and
sensitivity were recorded still render. Every number is formatted for the active language
(:func:`texts.count`), every warning and reason is put into plain words (no codes).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, ngettext

from dhakira.apps.counting import texts
from dhakira.apps.counting.models import EstimateRun
from dhakira.apps.dossier.models import lang as _lang
from dhakira.core.counting.verdict import Verdict, judge

__all__ = ["brief_section", "reading", "verdict_of", "vetting_table", "with_matching"]


def verdict_of(run: EstimateRun) -> Verdict:
    """Whether the run's total may be quoted (see :mod:`dhakira.core.counting.verdict`)."""
    return judge(run.result.get("total") or {}, linkage=run.result.get("linkage") or None)


def reading(run: EstimateRun) -> dict[str, Any]:
    """Everything shown about ``run``: verdict, numbers, sentences, linkage, sensitivity."""
    lang = _lang()
    total = run.result.get("total") or {}
    verdict = verdict_of(run)
    by = (run.lists or {}).get("by", "") if isinstance(run.lists, dict) else str(run.lists)
    return {
        "usable": verdict.usable,
        "because": [texts.reason_text(r) for r in verdict.reasons],
        "numbers": {**figures(total), **with_matching(total)},
        "sentence": numbers_sentence(total),
        "what": texts.what_it_is(),
        "how": texts.how_made(run.method, run.lists, run.strata),
        "warnings": [texts.warning_text(x) for x in total.get("warnings") or []],
        "linkage": linkage_sentence(run),
        "set_aside": set_aside_sentence(run),
        "sensitivity": sensitivity_rows(run.result.get("sensitivity") or {}),
        "method": {code: texts.method_name(run.method, code) for code in ("en", "ar")},
        "assumptions": {code: texts.assumptions(run.method, code) for code in ("en", "ar")},
        "lists": [{"en": texts.list_label(by, name, "en"), "ar": texts.list_label(by, name, "ar")}
                  for name in run.result.get("lists") or []],
        "vetting": vetting_table(run),
        "lang": lang,
    }


def vetting_table(run: EstimateRun) -> dict[str, Any] | None:
    """What the count stands on: per stratum (and the total, when there are several), how many
    of the reports behind it were vetted, confirmed, corroborated, unconfirmed, disputed or
    withdrawn when the estimate was made; None for a run saved before these were recorded."""
    from dhakira.apps.vetting.summary import bucket_labels
    from dhakira.core.vetting import BUCKETS

    saved = run.result.get("vetting")
    if not isinstance(saved, Mapping):
        return None

    def row(label: str, counts: Mapping[str, int]) -> dict[str, Any]:
        return {"label": label, "reports": texts.count(sum(counts.values())),
                "cells": [texts.count(counts.get(b, 0)) for b in BUCKETS]}

    strata = saved.get("strata") or {}
    rows = [row(texts.stratum_label(name), counts) for name, counts in strata.items()]
    if len(rows) != 1:
        rows.append(row(texts.stratum_label("total"), saved.get("total") or {}))
    return {"buckets": [name for _code, name in bucket_labels()], "rows": rows,
            "at": str(saved.get("at", ""))[:10]}


def figures(est: Mapping[str, Any]) -> dict[str, str]:
    """Observed, estimate and interval of one estimate, formatted."""
    low, high = (list(est.get("interval") or [None, None]) + [None, None])[:2]
    return {"observed": texts.count(est.get("observed")), "estimate": texts.count(est.get("estimate")),
            "low": texts.count(low), "high": texts.count(high)}


def _unbounded(est: Mapping[str, Any]) -> dict[str, str]:
    """:func:`figures` of an estimate without an upper bound, whose lower end is at least the
    observed count (runs saved before the total kept its lower end hold None there)."""
    low = (list(est.get("interval") or [None]) + [None])[0]
    if low is None or not math.isfinite(low):
        low = est.get("observed")
    return {**figures(est), "low": texts.count(low)}


def numbers_sentence(est: Mapping[str, Any]) -> str:
    """"The lists documented N victims. The estimated total is about M (95% interval a to b)."

    Without an upper bound (``estimate`` None or infinite) there is no "about" to say: the
    sentence gives the lower end only, never "about ∞".
    """
    point = est.get("estimate")
    if point is None or not math.isfinite(point):
        return gettext("The lists documented %(victims)s. The model puts no upper bound on the "
                       "total: it is at least %(low)s, and the table cannot say how many "
                       "more.") % {**_unbounded(est), "victims": _victims(est)}
    matching = with_matching(est)
    if matching.get("matching_high") is None and matching:
        return gettext("The lists documented %(victims)s. The estimated total is about "
                       "%(estimate)s (95%% interval %(low)s to %(high)s if the matching were "
                       "certain; allowing for doubt over who is the same person, at least "
                       "%(matching_low)s, with no upper bound).") % {
            **figures(est), **matching, "victims": _victims(est)}
    if matching:
        return gettext("The lists documented %(victims)s. The estimated total is about "
                       "%(estimate)s (95%% interval %(matching_low)s to %(matching_high)s, "
                       "allowing for doubt over who is the same person; %(low)s to %(high)s "
                       "if the matching were certain).") % {
            **figures(est), **matching, "victims": _victims(est)}
    return gettext("The lists documented %(victims)s. The estimated total is about "
                   "%(estimate)s (95%% interval %(low)s to %(high)s).") % {
        **figures(est), "victims": _victims(est)}


def with_matching(est: Mapping[str, Any]) -> dict[str, str | None]:
    """The total's 95 % interval allowing for doubt over who is the same person (made from
    the estimates at the three matchings, docs/estimation.md), formatted: ``matching_low``
    and ``matching_high`` (None when the estimate at a looser or a stricter matching has no
    upper bound); {} for an estimate without one (from a resolution file, or saved before it
    was made)."""
    saved = est.get("with_matching")
    low, high = (list(saved.get("interval") or []) + [None, None])[:2] if isinstance(
        saved, Mapping) else (None, None)
    if low is None:
        return {}
    return {"matching_low": texts.count(low),
            "matching_high": None if high is None else texts.count(high)}


def _victims(est: Mapping[str, Any]) -> str:
    """The observed count with "victim" in the form the number takes ("1 victim", and
    Arabic's six forms), as the brief counts its victims."""
    from dhakira.apps.law.templatetags.labels import counted

    observed = est.get("observed")
    return counted(observed, "victim") if observed is not None else texts.count(observed)


def linkage_sentence(run: EstimateRun) -> str:
    """Which linkage run and how many review decisions the count of people rests on."""
    linkage = run.result.get("linkage") or {}
    if not linkage.get("run"):
        return gettext("Who is the same person: %(label)s.") % {"label": _source(run.resolution)}
    decisions = int(linkage.get("decisions") or 0)
    text = ngettext(
        "People were counted with linkage run %(run)s at match threshold %(threshold)s, with "
        "%(n)s review decision applied on top.",
        "People were counted with linkage run %(run)s at match threshold %(threshold)s, with "
        "%(n)s review decisions applied on top.", decisions) % {
        "run": linkage["run"], "threshold": texts.fraction(linkage.get("threshold")),
        "n": texts.count(decisions)}
    if linkage.get("stale"):
        text += " " + gettext("Reports were added after this linkage run: run linkage again.")
    return text


def set_aside_sentence(run: EstimateRun) -> str:
    """How many mentions counting set aside because they name no one (docs/estimation.md,
    "Mentions without a name"); '' when none were, or for a run saved before they were."""
    n = int(run.result.get("set_aside") or 0)
    if not n:
        return ""
    return ngettext(
        "%(n)s mention names no one (a kunya or an alias alone, or “unknown”): it cannot be "
        "told apart from another victim of the same event, so it is not counted.",
        "%(n)s mentions name no one (a kunya or an alias alone, or “unknown”): they cannot be "
        "told apart from other victims of the same event, so they are not counted.",
        n) % {"n": texts.count(n)}


def _source(label: str) -> str:
    """Where the people of a run not counted by the vault's linkage came from: its stored
    English label (``services.read_resolution``'s "resolution file NAME") in the reader's
    language, the file's name as it is; any other label as stored."""
    if label.startswith(_FILE):
        return gettext("the file %(name)s") % {"name": label.removeprefix(_FILE)}
    return label


_FILE = "resolution file "


def sensitivity_rows(sensitivity: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The same estimate at a looser and a stricter matching threshold, formatted."""
    labels = {"looser": gettext("Looser matching (more mentions joined)"),
              "stricter": gettext("Stricter matching (fewer mentions joined)")}
    rows = []
    for key, label in labels.items():
        est = sensitivity.get(key)
        if not isinstance(est, Mapping):
            continue
        row = {"key": key, "label": label, "threshold": texts.fraction(est.get("threshold")),
               "usable": judge(est).usable, **figures(est)}
        point = est.get("estimate")
        if point is None or not math.isfinite(point):
            row["line"] = gettext("%(label)s, threshold %(threshold)s: no upper bound (at least "
                                  "%(low)s)") % {**row, **_unbounded(est)}
        else:
            row["line"] = gettext("%(label)s, threshold %(threshold)s: about %(estimate)s (95%% "
                                  "interval %(low)s to %(high)s)") % row
        rows.append(row)
    return rows


def brief_section(run: EstimateRun, lang: str) -> dict[str, Any]:
    """What the legal brief says about ``run``, in ``lang``: :func:`reading` and its labels."""
    with translation.override("ar" if lang == "ar" else "en"):
        section = reading(run)
        section["labels"] = {
            "not_usable": gettext("Not usable, because:"),
            # A brief goes out: a number it calls unusable would be quoted all the same.
            "left_out": gettext("Its number is left out of this brief until these are put "
                                "right; the Counting page keeps it, with its details, so that "
                                "its problems can be checked."),
            "sensitivity": gettext("How much the number depends on matching"),
        }
    section["run"] = run.uid
    # With no upper bound the sentence says only "at least N", the victims the lists hold:
    # that floor may be quoted.
    section["floor_only"] = (run.result.get("total") or {}).get("estimate") is None
    return section
