"""Reports and structured records (events, acts) as package files, redacted per policy."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from collections.abc import Iterable
from typing import Any

from dhakira.apps.dossier.models import Act, Event, Information, Place
from dhakira.apps.handover._terms import Terms
from dhakira.core.handover import PackageBuilder, RedactionPolicy, coarsen
from dhakira.core.handover.cells import safe_cell
from dhakira.core.ids import EVENT, PERSON

RECORDS_ID = "RECORDS"
RECORDS_CSV_ID = "RECORDS-CSV"
_CSV_FIELDS = ("act", "event", "act_type", "method", "result", "date_edtf", "date_earliest",
               "date_latest", "place_en", "place_ar", "lat", "lon", "victim", "perpetrators",
               "reports")


def text_sha256(text: str) -> str:
    """SHA-256 of a text, NFC-normalised and UTF-8 encoded (as the legal app hashes reports)."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()


def _place(place: Place | None, policy: RedactionPolicy) -> dict[str, Any] | None:
    if place is None:
        return None
    lat = lon = None
    if place.latitude is not None and place.longitude is not None:
        lat, lon = coarsen(place.latitude, place.longitude, policy)
    return {"id": place.uid, "name_en": place.name_en, "name_ar": place.name_ar,
            "lat": lat, "lon": lon,
            "uncertainty_m": place.uncertainty_m if policy.coordinate_precision is None else None}


def _date(obj: Act | Event, terms: Terms, policy: RedactionPolicy) -> dict[str, Any]:
    return {"text": terms.redact(obj.date_text, policy), "calendar": obj.date_calendar,
            "edtf": obj.date_edtf,
            "earliest": obj.date_earliest.isoformat() if obj.date_earliest else None,
            "latest": obj.date_latest.isoformat() if obj.date_latest else None}


def _act(act: Act, reports: list[str], terms: Terms, policy: RedactionPolicy) -> dict[str, Any]:
    perps = [{"person": terms.ref(PERSON.format(i.perpetrator_id), policy) if i.perpetrator_id else None,
              "unit": i.unit.name_en if i.unit else None, "degree": i.degree,
              "certainty": i.certainty} for i in act.involvements.all()]
    return {"id": act.uid, "event": EVENT.format(act.event_id), "act_type": act.act_type,
            "method": act.method, "result": act.result, "grounds": act.grounds,
            "rights_deprived": act.rights_deprived,
            "stated_reason": terms.redact(act.stated_reason, policy),
            "date": _date(act, terms, policy), "place": _place(act.place, policy),
            "public_setting": act.public_setting, "announced": act.announced,
            "victim": terms.ref(PERSON.format(act.victim_id), policy), "perpetrators": perps,
            "reports": reports}


def _event(event: Event, terms: Terms, policy: RedactionPolicy) -> dict[str, Any]:
    return {"id": event.uid, "title": terms.redact(event.title, policy),
            "description": terms.redact(event.description, policy),
            "date": _date(event, terms, policy), "place": _place(event.place, policy),
            "violation_status": event.violation_status}


def _report(info: Information, terms: Terms, policy: RedactionPolicy) -> dict[str, Any]:
    return {"id": info.uid, "source": terms.ref(info.source.uid, policy),
            "source_reliability": info.source.reliability, "credibility": info.credibility,
            "received": info.received_at.date().isoformat(), "channel": info.channel,
            "language": info.language, "connection": info.connection,
            "material_type": info.material_type,
            "events": sorted(e.uid for e in info.events.all()),
            "acts": sorted(a.uid for a in info.acts.all()),
            "persons": sorted(terms.ref(p.uid, policy) for p in info.persons.all()),
            "derived_from": sorted(d.uid for d in info.derived_from.all()),
            "file": f"files/{info.uid}.txt"}


def add_reports(builder: PackageBuilder, pks: Iterable[int], terms: Terms,
                policy: RedactionPolicy, confidentiality: str) -> list[dict[str, Any]]:
    """Add each report's redacted text as ``files/I-….txt``; return their records."""
    records = []
    rows = (Information.objects.filter(pk__in=list(pks)).select_related("source")
            .prefetch_related("events", "acts", "persons", "derived_from").order_by("pk"))
    for info in rows:
        redacted = terms.redact(info.text, policy)
        builder.add_file(info.uid, redacted.encode("utf-8"), ext="txt",
                         role="native" if redacted == info.text else "redacted",
                         stands_for_sha256=text_sha256(info.text),
                         confidentiality=confidentiality, doc_type="report",
                         date_created=info.received_at.date())
        records.append(_report(info, terms, policy))
    return records


def _csv(acts: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_CSV_FIELDS)
    for a in acts:
        place = a["place"] or {}
        writer.writerow([safe_cell(v) for v in [a["id"], a["event"], a["act_type"], a["method"], a["result"],
                         a["date"]["edtf"], a["date"]["earliest"] or "", a["date"]["latest"] or "",
                         place.get("name_en", ""), place.get("name_ar", ""),
                         place.get("lat", ""), place.get("lon", ""), a["victim"],
                         ";".join(p["person"] or p["unit"] or "" for p in a["perpetrators"]),
                         ";".join(a["reports"])]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def add_records(builder: PackageBuilder, act_pks: Iterable[int], reports: list[dict[str, Any]],
                terms: Terms, policy: RedactionPolicy, confidentiality: str) -> None:
    """Add events, acts and report metadata as ``files/RECORDS.json`` and acts as CSV."""
    acts = (Act.objects.filter(pk__in=list(act_pks))
            .select_related("place", "event", "event__place")
            .prefetch_related("involvements__unit", "information").order_by("pk"))
    shown = {r["id"] for r in reports}
    act_rows: list[dict[str, Any]] = []
    events: dict[int, Event] = {}
    for act in acts:
        linked = sorted(i.uid for i in act.information.all() if i.uid in shown)
        act_rows.append(_act(act, linked, terms, policy))
        events.setdefault(act.event_id, act.event)
    body = {"events": [_event(e, terms, policy) for _, e in sorted(events.items())],
            "acts": act_rows, "reports": reports}
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    builder.add_file(RECORDS_ID, data, ext="json", role="native", stands_for_sha256=digest,
                     confidentiality=confidentiality, doc_type="records")
    table = _csv(act_rows)
    builder.add_file(RECORDS_CSV_ID, table, ext="csv", role="native",
                     stands_for_sha256=hashlib.sha256(table).hexdigest(),
                     confidentiality=confidentiality, parent=RECORDS_ID,
                     relationship="derived", doc_type="records")
