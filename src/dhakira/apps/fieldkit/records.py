"""Records as they travel: each kind read from its rows on a kit and written as new rows at
the office. References between records use stable ids (:mod:`dhakira.core.sync.ids`), never row
numbers; reference data (places, units, source code names, recipients) travels by value and
is matched at the office by its names or code.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from dhakira.apps.dossier.models import (
    Act,
    Consent,
    Event,
    Information,
    Involvement,
    NameVariant,
    Person,
    Place,
    ProtectedValue,
    Recipient,
    Source,
    Unit,
)
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.core.sync.ids import global_id

__all__ = ["KINDS", "Outgoing", "collect", "content_hash", "create"]

# In the order they are merged: what a record refers to comes before it.
KINDS = ("source", "person", "event", "act", "report", "consent", "evidence")
MODELS: dict[str, type[models.Model]] = {
    "source": Source, "person": Person, "event": Event, "act": Act, "report": Information, "consent": Consent,
    "evidence": EvidenceItem}
_DATE_FIELDS = ("date_text", "date_calendar", "date_edtf")


@dataclass(frozen=True)
class Outgoing:
    """One record as a kit sends it: its stable id, content and (evidence) blob hash."""

    kind: str
    pk: int
    gid: str
    fields: dict[str, Any]
    blob: str | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.kind, self.fields)


def content_hash(kind: str, fields: dict[str, Any]) -> str:
    """SHA-256 of a record's kind and canonical JSON content: equal content, equal hash."""
    text = json.dumps([kind, fields], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def uid_of(kind: str, pk: int) -> str:
    if kind == "consent":
        return f"C-{pk:06d}"
    return str(MODELS[kind](pk=pk).uid)  # type: ignore[attr-defined]


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dates(row: Any) -> dict[str, Any]:
    out = {f: getattr(row, f) for f in _DATE_FIELDS}
    out["date_earliest"] = _iso(row.date_earliest)
    out["date_latest"] = _iso(row.date_latest)
    return out


def _place(place: Place | None) -> dict[str, str] | None:
    return None if place is None else {"name_en": place.name_en, "name_ar": place.name_ar,
                                       "kind": place.kind}


def _protected() -> dict[str, list[list[str]]]:
    """Protected values by owner uid: [field, compartment, value], in field order."""
    out: dict[str, list[list[str]]] = {}
    for owner, name, compartment, value in ProtectedValue.objects.order_by(
            "owner", "field").values_list("owner", "field", "compartment", "value"):
        out.setdefault(owner, []).append([name, compartment, value])
    return out


def collect(device: str) -> Iterator[Outgoing]:
    """Every record of the kit, in merge order, as it would travel from ``device``.

    A source goes only while the kit holds a protected value of it (who the source is, how
    to reach them): its code name alone is reference data, kept on the kit.
    """
    def gid(kind: str, pk: int | None) -> str | None:
        return None if pk is None else global_id(device, uid_of(kind, pk))

    protected = _protected()
    for src in Source.objects.order_by("pk"):
        if src.uid in protected:
            yield Outgoing("source", src.pk, gid("source", src.pk) or "", {
                "code_name": src.code_name, "kind": src.kind, "reliability": src.reliability,
                "network": src.network, "protected": protected[src.uid]})
    for p in Person.objects.order_by("pk").prefetch_related("names"):
        yield Outgoing("person", p.pk, gid("person", p.pk) or "", {
            "counting_unit": p.counting_unit, "sex": p.sex, "age": p.age, "deceased": p.deceased,
            "notes": p.notes, "protected": protected.get(p.uid, []),
            "names": [{"text": n.text, "kind": n.kind, "report": gid("report", n.information_id)}
                      for n in p.names.all()]})
    for e in Event.objects.order_by("pk").select_related("place"):
        yield Outgoing("event", e.pk, gid("event", e.pk) or "", {
            "title": e.title, "description": e.description, "place": _place(e.place),
            "violation_status": e.violation_status, **_dates(e)})
    for a in Act.objects.order_by("pk").select_related("place").prefetch_related(
            "involvements__unit"):
        yield Outgoing("act", a.pk, gid("act", a.pk) or "", {
            "event": gid("event", a.event_id), "victim": gid("person", a.victim_id),
            "act_type": a.act_type, "method": a.method, "result": a.result,
            "stated_reason": a.stated_reason, "grounds": list(a.grounds),
            "rights_deprived": list(a.rights_deprived), "place": _place(a.place),
            "public_setting": a.public_setting, "announced": a.announced, **_dates(a),
            "involvements": [{"perpetrator": gid("person", i.perpetrator_id),
                              "unit": i.unit.name_en if i.unit else None, "degree": i.degree,
                              "perpetrator_type": i.perpetrator_type, "certainty": i.certainty}
                             for i in a.involvements.order_by("pk")]})
    for r in Information.objects.order_by("pk").select_related("source", "created_by"):
        yield Outgoing("report", r.pk, gid("report", r.pk) or "", {
            "source": {"code_name": r.source.code_name, "kind": r.source.kind,
                       "reliability": r.source.reliability, "network": r.source.network},
            "received_at": _iso(r.received_at), "channel": r.channel, "language": r.language,
            "connection": r.connection, "material_type": r.material_type,
            "credibility": r.credibility, "text": r.text, "compartment": r.compartment,
            "events": sorted(gid("event", pk) or "" for pk in r.events.values_list("pk", flat=True)),
            "acts": sorted(gid("act", pk) or "" for pk in r.acts.values_list("pk", flat=True)),
            "persons": sorted(gid("person", pk) or ""
                              for pk in r.persons.values_list("pk", flat=True)),
            "created_by": r.created_by.get_username() if r.created_by else None})
    for c in Consent.objects.order_by("person_id", "scope", "version").select_related(
            "recipient", "recorded_by"):
        yield Outgoing("consent", c.pk, gid("consent", c.pk) or "", {
            "person": gid("person", c.person_id), "scope": c.scope,
            "recipient": c.recipient.code if c.recipient else None, "decision": c.decision,
            "given_by": c.given_by, "relationship": c.relationship, "version": c.version,
            "obtained_at": _iso(c.obtained_at), "obtained_by": c.obtained_by,
            "method": c.method, "note": c.note, "recorded_by": c.recorded_by.get_username()})
    # Members of an archive or mailbox are not sent on their own: the office takes the
    # archive in and unpacks it again, as its own intake does.
    for ev in EvidenceItem.objects.filter(parent__isnull=True).order_by("pk"):
        yield Outgoing("evidence", ev.pk, gid("evidence", ev.pk) or "", {
            "sha256": ev.sha256, "size": ev.size, "mime": ev.mime,
            "original_name": ev.original_name, "collector": ev.collector, "method": ev.method,
            "tool": ev.tool, "collected_at": _iso(ev.collected_at), "origin": ev.origin,
            "report": gid("report", ev.information_id), "graphic": ev.graphic,
            "compartment": ev.compartment}, blob=ev.sha256)


# --- at the office ---------------------------------------------------------------------

Resolve = Callable[[str, str | None], int | None]


def _place_row(value: dict[str, str] | None) -> Place | None:
    if not value:
        return None
    found = Place.objects.filter(name_en=value["name_en"], name_ar=value["name_ar"]).first()
    if found is None:
        found = Place(name_en=value["name_en"], name_ar=value["name_ar"], kind=value["kind"])
        found.full_clean()
        found.save()
    return found


def _set_dates(row: Any, fields: dict[str, Any]) -> None:
    for name in _DATE_FIELDS:
        setattr(row, name, fields.get(name) or "")
    row.date_earliest = date.fromisoformat(fields["date_earliest"]) if fields.get(
        "date_earliest") else None
    row.date_latest = date.fromisoformat(fields["date_latest"]) if fields.get(
        "date_latest") else None


def _source(value: dict[str, str]) -> Source:
    found = Source.objects.filter(code_name__iexact=value["code_name"]).order_by("pk").first()
    if found is None:
        found = Source(code_name=value["code_name"], kind=value["kind"],
                       reliability=value["reliability"], network=value.get("network", ""))
        found.full_clean()
        found.save()
    return found


def _need(resolve: Resolve, kind: str, gid: str | None) -> int:
    pk = resolve(kind, gid)
    if pk is None:
        from dhakira.core.sync.errors import BundleRefused

        raise BundleRefused("malformed", f"a record refers to {gid}, which neither the bundle "
                            "nor this office holds")
    return pk


def _write_protected(row: models.Model, values: list[list[str]]) -> bool:
    """Store a record's protected values where the office has none; True if one differed
    from the office's (kept, never overwritten: the caller flags it).

    The compartment is the office's for that field, never the one the bundle states: a kit
    cannot file an address where uncleared users would read it.
    """
    from dhakira.apps.dossier.protected import FIELDS

    owner = row.uid  # type: ignore[attr-defined]
    differed = False
    for name, _stated, value in values:
        field = FIELDS.get((type(row), name))
        if field is None or not isinstance(value, str):
            from dhakira.core.sync.errors import BundleRefused

            raise BundleRefused("malformed", f"{type(row).__name__} has no protected field "
                                f"{str(name)[:40]!r}")
        held = ProtectedValue.objects.filter(owner=owner, field=name).first()
        if held is None:
            ProtectedValue.objects.create(owner=owner, field=name, compartment=field.compartment,
                                          value=value)
        elif held.value != value:
            differed = True
    return differed


def create(kind: str, fields: dict[str, Any], *, resolve: Resolve, blob: bytes | None,
           actor: AbstractBaseUser, origin: str) -> tuple[models.Model, bool]:
    """Write one record arriving from a kit at the office; return its row, and whether it
    disagreed with what the office held (a source's protected value: the office's is kept)."""
    if kind == "source":
        found = _source(fields)
        return found, _write_protected(found, fields["protected"])
    return _create(kind, fields, resolve=resolve, blob=blob, actor=actor, origin=origin), False


def _create(kind: str, fields: dict[str, Any], *, resolve: Resolve, blob: bytes | None,
            actor: AbstractBaseUser, origin: str) -> models.Model:
    """Write one record arriving from a kit as a new row at the office, and return it.

    Args:
        resolve: (kind, stable id) → the office's row for it (latest version), or None.
        blob: the original's bytes, for evidence.
        actor: the office user merging (recorded as who recorded a consent).
        origin: where it came from, in words, for evidence's collection record.
    """
    if kind == "person":
        person = Person(counting_unit=fields["counting_unit"], sex=fields["sex"],
                        age=fields["age"], deceased=fields["deceased"], notes=fields["notes"])
        person.full_clean()
        person.save()
        for name in fields["names"]:
            from dhakira.apps.dossier.intake import script_of

            NameVariant.objects.create(person=person, text=name["text"], kind=name["kind"],
                                       script=script_of(name["text"]))
        _write_protected(person, fields.get("protected", []))
        return person
    if kind == "event":
        event = Event(title=fields["title"], description=fields["description"],
                      place=_place_row(fields["place"]),
                      violation_status=fields["violation_status"])
        _set_dates(event, fields)
        event.full_clean()
        event.save()
        return event
    if kind == "act":
        act = Act(event_id=_need(resolve, "event", fields["event"]),
                  victim_id=_need(resolve, "person", fields["victim"]),
                  act_type=fields["act_type"], method=fields["method"], result=fields["result"],
                  stated_reason=fields["stated_reason"], grounds=fields["grounds"],
                  rights_deprived=fields["rights_deprived"], place=_place_row(fields["place"]),
                  public_setting=fields["public_setting"], announced=fields["announced"])
        _set_dates(act, fields)
        act.full_clean()
        act.save()
        for inv in fields["involvements"]:
            unit = Unit.objects.filter(name_en=inv["unit"]).first() if inv["unit"] else None
            perpetrator = resolve("person", inv["perpetrator"]) if inv["perpetrator"] else None
            if perpetrator is None and unit is None:
                continue  # a unit the office does not know: the act is kept without it
            Involvement.objects.create(act=act, perpetrator_id=perpetrator, unit=unit,
                                       degree=inv["degree"],
                                       perpetrator_type=inv["perpetrator_type"],
                                       certainty=inv["certainty"])
        return act
    if kind == "report":
        return _report(fields, resolve)
    if kind == "consent":
        return _consent(fields, resolve, actor)
    if kind == "evidence":
        return _evidence(fields, resolve, blob, origin)
    raise ValueError(f"unknown record kind {kind!r}")


def _report(fields: dict[str, Any], resolve: Resolve) -> Information:
    from dhakira.apps.dossier.intake import new_information

    # A kit's accounts are its own: the office account that happens to bear the same user
    # name did not write the report (it appeared on her dashboard as hers). Who wrote it on
    # the kit stays in the kit's custody chain, which the office holds and verifies.
    info = new_information(
        created_by=None, source=_source(fields["source"]),
        received_at=datetime.fromisoformat(fields["received_at"]), channel=fields["channel"],
        language=fields["language"], connection=fields["connection"],
        material_type=fields["material_type"], credibility=fields["credibility"],
        text=fields["text"], compartment=fields["compartment"])
    info.events.set([_need(resolve, "event", g) for g in fields["events"]])
    info.acts.set([_need(resolve, "act", g) for g in fields["acts"]])
    info.persons.set([_need(resolve, "person", g) for g in fields["persons"]])
    return info


def _consent(fields: dict[str, Any], resolve: Resolve, actor: AbstractBaseUser) -> Consent:
    person = _need(resolve, "person", fields["person"])
    recipient = Recipient.objects.filter(code=fields["recipient"]).first() \
        if fields["recipient"] else None
    last = Consent.objects.filter(person_id=person, scope=fields["scope"],
                                  recipient=recipient).order_by("-version").first()
    row = Consent(person_id=person, scope=fields["scope"], recipient=recipient,
                  decision=fields["decision"], given_by=fields["given_by"],
                  relationship=fields["relationship"],
                  version=last.version + 1 if last else 1, supersedes=last,
                  obtained_at=datetime.fromisoformat(fields["obtained_at"]),
                  obtained_by=fields["obtained_by"], method=fields["method"],
                  note=fields["note"], recorded_by=actor)
    row.full_clean()
    row.save()
    return row


def _evidence(fields: dict[str, Any], resolve: Resolve, blob: bytes | None,
              origin: str) -> EvidenceItem:
    from dhakira.apps.evidence import intake as evidence_intake

    if blob is None:
        from dhakira.core.sync.errors import BundleRefused

        raise BundleRefused("malformed", f"evidence {fields['sha256'][:16]} comes without its file")
    collection = evidence_intake.Collection(
        collector=fields["collector"], method=fields["method"], compartment=fields["compartment"],
        graphic=fields["graphic"])
    item = evidence_intake.ingest_stream(
        io.BytesIO(blob), name=fields["original_name"] or fields["sha256"],
        origin=f"{origin}, collected {fields['collected_at']} ({fields['origin'][:500]})",
        collection=collection)
    if fields["report"]:
        item.information_id = _need(resolve, "report", fields["report"])
        item.save()
    return item


def link_names(person: Person, fields: dict[str, Any], resolve: Resolve) -> None:
    """Point a merged person's names at the reports that gave them, once those are merged."""
    for variant, name in zip(person.names.order_by("pk"), fields["names"], strict=False):
        pk = resolve("report", name.get("report"))
        if pk is not None:
            info = Information.objects.only("source_id").get(pk=pk)
            NameVariant.objects.filter(pk=variant.pk).update(information_id=pk,
                                                             source_id=info.source_id)
