"""Writing generated values through the Django models, in bulk, with our own primary keys."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from dhakira.dates import parse_fuzzy_date
from dhakira.demo import _codes as c
from dhakira.demo.generate import Chunk, World
from dhakira.demo.truth import TruthWriter
from dhakira.dossier import models as m

BATCH = 5000
InfoPersons = m.Information.persons.through
InfoActs = m.Information.acts.through
InfoEvents = m.Information.events.through
InfoDerived = m.Information.derived_from.through


def next_pk(model: type[models.Model]) -> int:
    """The first free primary key of ``model``."""
    top = model.objects.aggregate(top=models.Max("pk"))["top"]
    return int(top or 0) + 1


@dataclass
class Ids:
    """Primary-key counters and the fixed offsets of the world's rows."""

    place: int
    unit: int
    person: int
    source: int
    event: int
    info: int
    act: int
    consent: int
    perp_base: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def start(cls) -> Ids:
        return cls(next_pk(m.Place), next_pk(m.Unit), next_pk(m.Person), next_pk(m.Source),
                   next_pk(m.Event), next_pk(m.Information), next_pk(m.Act), next_pk(m.Consent))

    def take_person(self) -> int:
        self.person += 1
        return self.person - 1


def bulk(rows: list[models.Model], counts: dict[str, int]) -> None:
    """bulk_create ``rows`` (all of one model) and count them."""
    if rows:
        type(rows[0]).objects.bulk_create(rows, batch_size=BATCH)
        name = type(rows[0]).__name__
        counts[name] = counts.get(name, 0) + len(rows)


@functools.lru_cache(maxsize=65536)
def date_fields(text: str) -> tuple[str, str, str, dt.date | None, dt.date | None]:
    """The stored date fields for ``text`` (cached: the same words recur across reports)."""
    if not text.strip():
        return "", "", "", None, None
    fuzzy = parse_fuzzy_date(text)
    return fuzzy.text, fuzzy.calendar, fuzzy.edtf or "", fuzzy.earliest, fuzzy.latest


def _dated(obj: Any, text: str) -> Any:
    (obj.date_text, obj.date_calendar, obj.date_edtf, obj.date_earliest,
     obj.date_latest) = date_fields(text)
    return obj


class ChunkWriter:
    """Turns one generated chunk into model rows and writes them table by table."""

    def __init__(self, world: World, ids: Ids, truth: TruthWriter, user_pk: int) -> None:
        self.world, self.ids, self.truth, self.user_pk = world, ids, truth, user_pk

    def write(self, chunk: Chunk) -> None:
        """Write ``chunk``; call inside a transaction."""
        ids, rows = self.ids, _Rows()
        for e in chunk.events:
            rows.events.append(self._event(e))
            if e.chain_from is not None:
                rows.chains.append(m.EventChain(from_event_id=ids.event + e.chain_from,
                                                to_event_id=ids.event + e.index,
                                                chain_type=c.CHAIN_LEADS_TO))
        for v in chunk.victims:
            self.truth.add_victim(district=v.district, year=v.year, act_type=v.act_type,
                                  sogi=v.sogi, sex=v.sex, mask=v.networks)
        mention_of: dict[int, int] = {}
        for rep in chunk.reports:
            mention_of[rep.index] = self._report(rep, rows)
        for con in chunk.consents:
            self._consent(con, mention_of[con.report], rows)
        for table in rows.in_order():
            bulk(table, ids.counts)

    def _event(self, e: Any) -> m.Event:
        from dhakira.demo._story import event_title

        place = self.world.places[e.place]
        ev = m.Event(pk=self.ids.event + e.index, title=event_title(
            e.act_type, e.method, place.name_en, 1, e.sogi), place_id=self.ids.place + e.place,
            violation_status=c.VIOLATION_ALLEGED)
        return _dated(ev, e.date.isoformat())

    def _report(self, rep: Any, rows: _Rows) -> int:
        ids = self.ids
        info_pk, source_pk = ids.info + rep.index, ids.source + rep.source
        rows.infos.append(m.Information(
            pk=info_pk, source_id=source_pk, received_at=rep.received_at, channel=rep.channel,
            language=rep.language, connection=rep.connection, material_type=rep.material,
            credibility=rep.credibility, text=rep.text, created_by_id=self.user_pk))
        person = ids.take_person()
        self.truth.add_victim_mention(person, rep.victim)
        rows.persons.append(m.Person(pk=person, sex=rep.sex, age=rep.age,
                                     deceased=True if rep.acts[0].result == "killed" else None))
        rows.info_persons.append(InfoPersons(information_id=info_pk, person_id=person))
        for text, script, kind in rep.names:
            rows.names.append(m.NameVariant(person_id=person, text=text, script=script, kind=kind,
                                            source_id=source_pk, information_id=info_pk))
        events = set()
        for act in rep.acts:
            act_pk = ids.act
            ids.act += 1
            rows.acts.append(_dated(m.Act(
                pk=act_pk, event_id=ids.event + act.event, victim_id=person, act_type=act.act_type,
                method=act.method, result=act.result, stated_reason=act.stated_reason,
                grounds=list(act.grounds), rights_deprived=list(act.rights),
                place_id=ids.place + act.place, public_setting=act.public,
                announced=act.announced), act.date_text))
            rows.info_acts.append(InfoActs(information_id=info_pk, act_id=act_pk))
            events.add(act.event)
            if act is rep.acts[0]:
                for inv in rep.involvements:
                    rows.involvements.append(self._involvement(inv, act_pk, info_pk, source_pk, rows))
        rows.info_events += [InfoEvents(information_id=info_pk, event_id=ids.event + e)
                             for e in sorted(events)]
        if rep.derived_from is not None:
            rows.derived.append(InfoDerived(from_information_id=info_pk,
                                            to_information_id=ids.info + rep.derived_from))
        if rep.address:
            rows.protected.append(m.ProtectedValue(owner=f"P-{person:06d}", field="address",
                                                   compartment="addresses", value=rep.address))
        return person

    def _involvement(self, inv: Any, act_pk: int, info_pk: int, source_pk: int,
                     rows: _Rows) -> m.Involvement:
        perp = None if inv.perp is None else self.ids.perp_base + inv.perp
        if inv.alias is not None:  # the report's own mention of the perpetrator
            perp = self.ids.take_person()
            self.truth.add_perpetrator_mention(perp, inv.perp)
            rows.persons.append(m.Person(pk=perp, sex=c.SEX_MALE))
            text, script, kind = inv.alias
            rows.names.append(m.NameVariant(person_id=perp, text=text, script=script, kind=kind,
                                            source_id=source_pk, information_id=info_pk))
            rows.info_persons.append(InfoPersons(information_id=info_pk, person_id=perp))
        return m.Involvement(act_id=act_pk, perpetrator_id=perp,
                             unit_id=None if inv.unit is None else self.ids.unit + inv.unit,
                             degree=inv.degree, perpetrator_type=c.PERP_NON_STATE,
                             certainty=inv.certainty)

    def _consent(self, con: Any, person: int, rows: _Rows) -> None:
        ids = self.ids
        first = m.Consent(pk=ids.consent, person_id=person, scope=con.scope,
                          recipient=con.recipient, decision=con.decision, version=1,
                          obtained_at=con.obtained_at, obtained_by="field documenter",
                          recorded_by_id=self.user_pk)
        ids.consent += 1
        rows.consents.append(first)
        if con.withdrawn_at is not None:
            rows.consents.append(m.Consent(
                pk=ids.consent, person_id=person, scope=con.scope, recipient=con.recipient,
                decision="withdrawn", version=2, supersedes_id=first.pk,
                obtained_at=con.withdrawn_at, obtained_by="field documenter",
                note="Withdrawn by the person.", recorded_by_id=self.user_pk))
            ids.consent += 1


@dataclass
class _Rows:
    events: list[m.Event] = field(default_factory=list)
    chains: list[m.EventChain] = field(default_factory=list)
    infos: list[m.Information] = field(default_factory=list)
    persons: list[m.Person] = field(default_factory=list)
    names: list[m.NameVariant] = field(default_factory=list)
    acts: list[m.Act] = field(default_factory=list)
    involvements: list[m.Involvement] = field(default_factory=list)
    info_persons: list[Any] = field(default_factory=list)
    info_acts: list[Any] = field(default_factory=list)
    info_events: list[Any] = field(default_factory=list)
    derived: list[Any] = field(default_factory=list)
    protected: list[m.ProtectedValue] = field(default_factory=list)
    consents: list[m.Consent] = field(default_factory=list)

    def in_order(self) -> list[list[Any]]:
        """Tables in foreign-key order."""
        return [self.events, self.chains, self.infos, self.persons, self.names, self.acts, self.involvements,
                self.info_persons, self.info_acts, self.info_events, self.derived,
                self.protected, self.consents]
