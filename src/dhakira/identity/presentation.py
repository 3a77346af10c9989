"""What the review page shows: both records side by side and why the model scored them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from dhakira.dossier.models import Person
from dhakira.identity.models import CandidatePair
from dhakira.names import EmptyNameError, compare_parts

# The order in which comparisons are shown, with their field names for people.
FIELDS = ("ism", "father", "grandfather", "nisba", "kunya", "date", "place", "age", "sex",
          "act", "unit")


def record(person: Person) -> dict[str, Any]:
    """One side of the comparison: names, sex, age and the acts reported."""
    acts = person.acts_suffered.select_related("place").order_by("pk")[:5]
    return {"person": person, "names": list(person.names.all()),
            "acts": [{"type": a.act_type, "method": a.method, "date": a.date_text,
                      "place": a.place} for a in acts]}


def _name(person: Person) -> str:
    variant = person.names.filter(kind="full").first() or person.names.first()
    return variant.text if variant else ""


def reasons(pair: CandidatePair) -> list[dict[str, Any]]:
    """Each comparison's level and whether it speaks for or against the match."""
    out = []
    for name in FIELDS:
        if name not in pair.levels:
            continue
        gamma, label = pair.levels[name]
        verdict = "missing" if gamma < 0 else ("differs" if gamma == 0 else "agrees")
        out.append({"field": name, "level": gamma, "label": label, "verdict": verdict})
    return out


def name_explanation(pair: CandidatePair) -> list[str]:
    """dhakira.names' part-by-part explanation of the two primary names."""
    a, b = _name(pair.left), _name(pair.right)
    try:
        return list(compare_parts(a, b).explanation)
    except EmptyNameError:
        return [_("One of the records has no name to compare.")]
