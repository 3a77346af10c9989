"""``dhakira import`` of an ESF JSON document (ours, or one shaped like it) into the dossier.

The document is read and checked whole first (:func:`dhakira.core.exporting.from_esf`: every
code in its vocabulary, every reference to a record the document holds); then, in one
transaction, it is kept as evidence, and its places (matched to the gazetteer by name, or
added), sources (by code name), persons with their names, events, acts, involvements and
reports are written, each report with its custody entry, and one more entry records the run.
Records no report of the document mentions are tied to one report made for the document
itself, so every fact keeps a way back to where it came from. If anything fails, nothing
stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from dhakira.apps.custody import store
from dhakira.apps.dossier import intake
from dhakira.apps.dossier.models import (
    Act,
    Event,
    Information,
    Involvement,
    NameVariant,
    Person,
    Place,
    Source,
    Unit,
)
from dhakira.apps.exporting.errors import ImportRefused
from dhakira.core import exporting as ex
from dhakira.core.bidi import script_of
from dhakira.core.ids import EVIDENCE
from dhakira.core.names import name_key

M = TypeVar("M", Place, Source, Person, Event, Act, Involvement, Unit)
D = TypeVar("D", Event, Act)
METHOD = "import of a HURIDOCS ESF document or Uwazi CSV export"
DOCUMENT_SOURCE = "ESF-IMPORT"


@dataclass
class Imported:
    """What an ESF import wrote: the kept document and the new ids by the document's ids."""

    document: str = ""
    events: dict[str, str] = field(default_factory=dict)
    acts: dict[str, str] = field(default_factory=dict)
    persons: dict[str, str] = field(default_factory=dict)
    reports: dict[str, str] = field(default_factory=dict)


def _said(row: models.Model, exc: ValidationError) -> str:
    """What ``full_clean`` refused, each message after the name of its field (Django's words,
    in the active language)."""
    if not hasattr(exc, "error_dict"):
        return "; ".join(exc.messages)
    said = []
    for name, errors in exc.message_dict.items():
        label = str(row._meta.get_field(name).verbose_name) if name != "__all__" else ""
        said += [f"{label}: {m}" if label else m for m in errors]
    return "; ".join(said)


# Which record a refusal is about: the document's name, the kind of record (event, act,
# involvement, place, unit, person, source, report) and its id in the document.
Where = tuple[str, str, str]


def _saved(row: M, where: Where) -> M:
    try:
        row.full_clean()
    except ValidationError as exc:
        source, kind, ident = where
        detail = _said(row, exc)
        raise ImportRefused(f"{source}: {kind} {ident}: {detail}", code="import_record_refused",
                            params={"source": source, "kind": kind, "id": ident,
                                    "detail": detail}) from None
    row.save()
    return row


def _day(text: str, where: Where) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        source, kind, ident = where
        raise ImportRefused(f"{source}: {kind} {ident}: {text!r} is not a date (YYYY-MM-DD)",
                            code="import_not_a_date",
                            params={"source": source, "kind": kind, "id": ident,
                                    "value": text[:80]}) from None


def _dated(row: D, date: ex.Date, where: Where) -> D:
    row.date_text, row.date_calendar, row.date_edtf = date.text, date.calendar, date.edtf
    row.date_earliest, row.date_latest = _day(date.earliest, where), _day(date.latest, where)
    return row


class _Writer:
    def __init__(self, actor: AbstractBaseUser, now: dt.datetime, source: str) -> None:
        self.actor, self.now, self.source = actor, now, source
        self.places: dict[tuple[str, str], Place] = {}
        self.units: dict[tuple[str, str], Unit] = {}
        self.out = Imported()

    def place(self, p: ex.Place | None) -> Place | None:
        """The gazetteer's place of that name, or one added once per import."""
        if p is None:
            return None
        key = (p.name_en, p.name_ar)
        if key not in self.places:
            found = Place.objects.filter(Q(name_en__iexact=p.name_en) | Q(name_ar=p.name_ar)) \
                .order_by("pk").first() if (p.name_en or p.name_ar) else None
            self.places[key] = found or _saved(Place(
                name_en=p.name_en or p.name_ar, name_ar=p.name_ar or p.name_en, kind="site",
                latitude=p.lat, longitude=p.lon), (self.source, "place", p.id or p.name_en))
        return self.places[key]

    def unit(self, en: str, ar: str) -> Unit | None:
        if not (en or ar):
            return None
        if (en, ar) not in self.units:
            found = Unit.objects.filter(Q(name_en__iexact=en) | Q(name_ar=ar)).order_by("pk") \
                .first()
            self.units[(en, ar)] = found or _saved(
                Unit(name_en=en or ar, name_ar=ar or en, kind="other"),
                (self.source, "unit", en or ar))
        return self.units[(en, ar)]

    def person(self, p: ex.Person) -> Person:
        row = _saved(Person(sex=p.sex, age=p.age, counting_unit=p.counting_unit),
                     (self.source, "person", p.id))
        # One by one through save(), as intake writes names: the bidi-control guard
        # (pre_save) cleans each, and save() keys it and writes its name-part rows
        # (index_name_parts), without which name search would never find the person.
        for text in p.names:
            NameVariant.objects.create(person=row, text=text, script=script_of(text),
                                       key=name_key(text))
        return row

    def report(self, n: ex.Information | None) -> Information:
        code = n.source if n is not None else DOCUMENT_SOURCE
        source = Source.objects.filter(code_name__iexact=code).order_by("pk").first() \
            or _saved(Source(code_name=code, kind="document" if n is None else "informant"),
                      (self.source, "report", n.id if n else ""))
        received = dt.datetime.combine(_day(n.received, (self.source, "report", n.id)) or
                                       self.now.date(), dt.time(), tzinfo=dt.UTC) \
            if n is not None else self.now
        fields = {"channel": n.channel or "document", "language": n.language,
                  "connection": n.connection, "material_type": n.material_type,
                  "credibility": n.credibility or 6,
                  # Restricted stays restricted: the report's compartment, as exported.
                  "compartment": n.compartment} if n is not None else {
            "channel": "document", "language": "en", "text": f"Imported from {self.source}."}
        try:
            return intake.new_information(source=source, received_at=received,
                                          created_by=self.actor, **fields)
        except ValidationError as exc:
            ident, detail = n.id if n else "", "; ".join(exc.messages)  # no row to name fields
            raise ImportRefused(f"{self.source}: report {ident}: {detail}",
                                code="import_record_refused",
                                params={"source": self.source, "kind": "report", "id": ident,
                                        "detail": detail}) from None


def import_esf(path: Path, *, actor: AbstractBaseUser, now: dt.datetime | None = None,
               compartment: str = "sources") -> Imported:
    """Import an ESF JSON document, all or nothing; the document itself is kept as evidence
    in ``compartment`` (never none: it may hold more than the import reads).

    Raises:
        BadDocument: the document cannot be read (names the record); nothing was written.
        ImportRefused: a record breaks the dossier's rules; nothing was written.
    """
    bundle = ex.from_esf(path.read_bytes(), path.name)  # whole and checked, before any write
    return _import(bundle, [path], path.name, actor=actor, now=now or dt.datetime.now(dt.UTC),
                   compartment=compartment)


def import_uwazi(folder: Path, *, actor: AbstractBaseUser, now: dt.datetime | None = None,
                 compartment: str = "sources") -> Imported:
    """Import the Uwazi CSV files ``dhakira export --format uwazi`` wrote into ``folder``,
    all or nothing (the same records as the ESF document of the same export); the files are
    kept as evidence in ``compartment``, as :func:`import_esf` keeps its document.

    Raises:
        BadDocument: a file is missing or cannot be read (names the file and row).
        ImportRefused: a record breaks the dossier's rules; nothing was written.
    """
    paths = [folder / name for name in ex.FILES_UWAZI]
    files = {p.name: p.read_bytes() for p in paths if p.is_file()}
    bundle = ex.from_uwazi(files, folder.name)
    ex.esf.check_links(bundle, folder.name)
    return _import(bundle, paths, folder.name, actor=actor, now=now or dt.datetime.now(dt.UTC),
                   compartment=compartment)


def _import(bundle: ex.Bundle, paths: list[Path], name: str, *, actor: AbstractBaseUser,
            now: dt.datetime, compartment: str) -> Imported:
    from dhakira.apps.evidence import intake as evidence_intake
    from dhakira.apps.evidence.intake import atomic_with_blobs
    from dhakira.apps.search import services as search  # the search app indexes it

    if not compartment:  # as for a sheet: the document may hold more than the import reads
        raise ImportRefused(f"{name}: the document is kept in a compartment (sources, sogi, "
                            "protection or addresses), never in none",
                            code="import_no_compartment", params={"source": name})
    elsewhere = sorted({n.compartment for n in bundle.information
                        if n.compartment and n.compartment != compartment})
    if elsewhere:  # the document is kept whole: who may read it reads every report in it
        raise ImportRefused(
            f"{name}: it holds reports of the {', '.join(elsewhere)} compartment but would be "
            f"kept in {compartment}, where members not cleared for them could read them: "
            f"import it with --sheet-compartment {elsewhere[0]}", code="import_document_elsewhere",
            params={"source": name, "reports": elsewhere, "document": compartment})
    path = Path(name)
    w = _Writer(actor, now, name)
    with atomic_with_blobs():
        kept = None
        seen: list[object] = []
        for each in paths:  # the document itself, kept as evidence
            with each.open("rb") as stream:
                item = evidence_intake.ingest_stream(
                    stream, name=each.name, origin=f"import of {name}"[:1000],
                    collection=evidence_intake.Collection(
                        collector=actor.get_username(), method=METHOD,
                        compartment=compartment), now=now)
            kept = kept or item
            seen.append(item.duplicate_of_id)
        if kept is None:
            raise ImportRefused(f"{name}: no file to import", code="import_no_file",
                                params={"source": name})
        if all(seen):  # every byte of it was taken in before: importing again would double it
            before = EVIDENCE.format(kept.duplicate_of_id)
            raise ImportRefused(f"{name}: this export was taken in before (as evidence "
                                f"{before}); nothing was imported again",
                                code="import_taken_before",
                                params={"source": name, "evidence": before})
        w.out.document = kept.uid
        persons = {p.id: w.person(p) for p in bundle.persons}
        events = {e.id: _saved(_dated(Event(
            title=e.title, description=e.description, place=w.place(e.place),
            violation_status=e.violation_status), e.date, (path.name, "event", e.id)),
            (path.name, "event", e.id)) for e in bundle.events}
        acts = {a.id: _saved(_dated(Act(
            event=events[a.event], victim=persons[a.victim], act_type=a.act_type,
            method=a.method, result=a.result, stated_reason=a.stated_reason,
            place=w.place(a.place)), a.date, (path.name, "act", a.id)),
            (path.name, "act", a.id)) for a in bundle.acts}
        for i in bundle.involvements:
            _saved(Involvement(act=acts[i.act], perpetrator=persons.get(i.perpetrator),
                               unit=w.unit(i.unit_en, i.unit_ar), degree=i.degree,
                               perpetrator_type=i.perpetrator_type,
                               certainty=i.certainty or "probable"),
                   (path.name, "involvement", i.id))
        told: tuple[set[str], set[str], set[str]] = (set(), set(), set())
        entries = []
        for n in (*bundle.information, None):
            if n is None:  # what no report of the document mentions
                left = ({k for k in events if k not in told[0]},
                        {k for k in acts if k not in told[1]},
                        {k for k in persons if k not in told[2]})
                if not any(left):
                    break
                ev, ac, pe = left
            else:
                ev, ac, pe = set(n.events), set(n.acts), set(n.persons)
                missing = (ev - events.keys()) | (ac - acts.keys()) | (pe - persons.keys())
                if missing:
                    raise ImportRefused(f"{path.name}: report {n.id} names "
                                        f"{', '.join(sorted(missing))}, not in the document",
                                        code="import_report_names_missing",
                                        params={"source": path.name, "id": n.id,
                                                "missing": sorted(missing)})
            info = w.report(n)
            info.events.add(*(events[k] for k in sorted(ev)))
            info.acts.add(*(acts[k] for k in sorted(ac)))
            info.persons.add(*(persons[k] for k in sorted(pe)))
            for k in pe:
                NameVariant.objects.filter(person=persons[k], information__isnull=True) \
                    .update(information=info, source=info.source)
            told[0].update(ev)
            told[1].update(ac)
            told[2].update(pe)
            search.index_report(info)
            w.out.reports[n.id if n else "document"] = info.uid
            entries.append(intake.report_entry(info, actor=actor.get_username(), now=now, detail={
                "event": "import_esf", "document": kept.uid, "events": len(ev), "acts": len(ac),
                "persons": len(pe)}))
        store.record_many(entries)
        store.record(actor=actor.get_username(), action="other", subject=kept.uid,
                     detail={"event": "import_esf", "events": len(events), "acts": len(acts),
                             "persons": len(persons), "reports": len(entries)}, now=now)
        w.out.events = {k: v.uid for k, v in events.items()}
        w.out.acts = {k: v.uid for k, v in acts.items()}
        w.out.persons = {k: v.uid for k, v in persons.items()}
    return w.out


__all__ = ["Imported", "import_esf", "import_uwazi"]
