"""Labels, tables and charts for the pattern page and the brief (shared by both)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Place, Unit
from dhakira.apps.law import charts
from dhakira.apps.law.models import Charge
from dhakira.apps.law.services import patterns_for, policy_documents
from dhakira.core import law
from dhakira.core.vocabularies import load

DIMENSIONS = (("by_month", "month"), ("by_district", "district"), ("by_place", "place"),
              ("by_act_type", "act_types"), ("by_method", "methods"), ("by_ground", "grounds"),
              ("by_unit", "unit"))
DIMENSION_TITLES = {"by_month": _("By month"), "by_district": _("By district"),
                    "by_place": _("By place"), "by_act_type": _("By type of act"),
                    "by_method": _("By method"), "by_ground": _("By ground attributed"),
                    "by_unit": _("By unit")}


GAP_LABELS = {"none": _("no supporting item"), "single_origin": _("a single independent origin")}
# The core's notes (dhakira.core.law._rows), in the reader's language.
GAP_NOTES = {
    "Informational only: ICC Rule 63(4) bars any legal requirement of corroboration, in "
    "particular for sexual violence; a single origin does not block this element.":
        _("Informational only: ICC Rule 63(4) bars any legal requirement of corroboration, in "
          "particular for sexual violence; a single origin does not block this element."),
    "One independent origin: fact-finding practice seeks corroboration from an origin that "
    "does not derive from it.":
        _("One independent origin: fact-finding practice seeks corroboration from an origin "
          "that does not derive from it."),
    "No supporting item has been assessed against this element.":
        _("No supporting item has been assessed against this element."),
}


def vocabulary_labels(name: str, lang: str) -> dict[str, str]:
    """Code -> label in ``lang`` for one vocabulary."""
    return dict(load(name).choices(lang))


def place_labels(lang: str) -> dict[str, str]:
    """Place uid -> gazetteer name in ``lang`` (names of towns and districts, never addresses)."""
    return {p.uid: (p.name_ar if lang == "ar" else p.name_en) for p in Place.objects.all()}


def unit_labels(lang: str) -> dict[str, str]:
    """Unit uid -> name in ``lang``."""
    return {u.uid: (u.name_ar if lang == "ar" else u.name_en) for u in Unit.objects.all()}


def _labels(lang: str) -> dict[str, Mapping[str, str]]:
    places = place_labels(lang)
    return {"month": {}, "district": places, "place": places, "unit": unit_labels(lang),
            **{v: vocabulary_labels(v, lang) for v in ("act_types", "methods", "grounds")}}


def _spread(summary: law.PatternSummary, lang: str) -> list[tuple[str, float, float, int]]:
    counts = dict(summary.by_place)
    points = []
    for place in Place.objects.filter(latitude__isnull=False, longitude__isnull=False):
        if place.uid in counts:
            name = place.name_ar if lang == "ar" else place.name_en
            points.append((name, place.latitude, place.longitude, counts[place.uid]))
    return points


def pattern_context(charge: Charge, lang: str = "en", reader: Any = None) -> dict[str, Any]:
    """Return the summary, labelled tables and inline SVG charts of a charge's acts, and the
    policy documents ``reader`` may read (``None``: the public)."""
    summary = patterns_for(charge)
    labels = _labels(lang)
    tables = []
    for attribute, vocab in DIMENSIONS:
        counts = getattr(summary, attribute)
        names = labels[vocab]
        title = str(DIMENSION_TITLES[attribute])
        chart = (charts.month_chart(counts, title=title) if attribute == "by_month"
                 else charts.bar_chart(counts, labels=names, title=title))
        tables.append({"name": attribute, "title": DIMENSION_TITLES[attribute], "chart": chart,
                       "rows": [(key, names.get(key, key), n) for key, n in counts]})
    clusters = [{"cluster": c, "method": labels["methods"].get(c.method, c.method),
                 "ground": labels["grounds"].get(c.ground, c.ground),
                 "unit": labels["unit"].get(c.unit_id, c.unit_id)}
                for c in summary.modus_operandi]
    return {"summary": summary, "tables": tables, "clusters": clusters,
            "spread_chart": charts.spread_chart(_spread(summary, lang),
                                                title=str(_("Geographic spread"))),
            "policy_documents": policy_documents(reader)}
