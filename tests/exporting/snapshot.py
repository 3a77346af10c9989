"""What a dossier says, by content rather than by id: events, acts, people with their roles
and names, involvements, dates and places. Two dossiers that say the same things have equal
snapshots, whatever their ids.

Run as ``python -m tests.exporting.snapshot VAULT PASSFILE`` it opens a vault made by
``dhakira init`` and prints its snapshot as JSON (the round-trip tests read a fresh vault so).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def _date(obj: Any) -> list[str]:
    return [obj.date_text, obj.date_calendar, obj.date_edtf,
            obj.date_earliest.isoformat() if obj.date_earliest else "",
            obj.date_latest.isoformat() if obj.date_latest else ""]


def _place(place: Any) -> list[Any] | None:
    if place is None:
        return None
    return [place.name_en, place.name_ar, place.latitude, place.longitude]


def snapshot(act_pks: Iterable[int] | None = None) -> dict[str, Any]:
    """The snapshot of the acts ``act_pks`` (default every act) and what they involve."""
    from dhakira.apps.dossier.models import Act

    acts = Act.objects.select_related("event__place", "place", "victim") \
        .prefetch_related("involvements__perpetrator__names", "victim__names")
    if act_pks is not None:
        acts = acts.filter(pk__in=list(act_pks))

    def person(p: Any) -> list[Any]:
        return [sorted(n.text for n in p.names.all()), p.sex, p.age]

    out = []
    for a in acts:
        out.append({
            "event": [a.event.title, a.event.description, _date(a.event), _place(a.event.place)],
            "act": [a.act_type, a.method, a.result, a.stated_reason, _date(a), _place(a.place)],
            "victim": person(a.victim),
            "perpetrators": sorted([person(i.perpetrator) if i.perpetrator else None, i.degree,
                                    i.perpetrator_type, i.certainty]
                                   for i in a.involvements.all()),
        })
    return {"acts": sorted(out, key=lambda r: json.dumps(r, ensure_ascii=False))}


if __name__ == "__main__":
    from dhakira.apps.vault import runtime

    runtime.open_vault(Path(sys.argv[1]), Path(sys.argv[2]).read_text().strip())
    print(json.dumps(snapshot(), ensure_ascii=False))
