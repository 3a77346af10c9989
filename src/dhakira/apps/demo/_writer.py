"""Writing generated chunks into the dossier tables, with primary keys assigned here."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from dhakira.apps.demo import _codes as c
from dhakira.apps.demo._reports import InvolvementSpec, ReportSpec
from dhakira.apps.demo._sink import Sink, date_value, datetime_value, json_value
from dhakira.apps.demo._story import event_title
from dhakira.apps.demo.generate import Chunk, ConsentSpec, World
from dhakira.apps.demo.truth import TruthWriter
from dhakira.apps.dossier import models as m
from dhakira.core.dates import parse_fuzzy_date
from dhakira.core.ids import PERSON
from dhakira.core.names import name_key

InfoPersons = m.Information.persons.through
InfoActs = m.Information.acts.through
InfoEvents = m.Information.events.through
InfoDerived = m.Information.derived_from.through
_DATE = ("date_text", "date_calendar", "date_edtf", "date_earliest", "date_latest")


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


@functools.lru_cache(maxsize=65536)
def date_fields(text: str) -> tuple[str, str, str, Any, Any]:
    """The stored date columns for ``text`` (cached: the same words recur across reports)."""
    if not text.strip():
        return "", "", "", None, None
    fuzzy = parse_fuzzy_date(text)
    return (fuzzy.text, fuzzy.calendar, fuzzy.edtf or "", date_value(fuzzy.earliest),
            date_value(fuzzy.latest))


#: The demo's recipients (the generator's names) in the managed list: code, Arabic, kind.
_LISTED = {"UN investigative team": ("UNITAD", "فريق التحقيق التابع للأمم المتحدة", "un_mechanism"),
           "ICC Office of the Prosecutor": ("ICC-OTP", "مكتب المدعي العام للمحكمة الجنائية الدولية",
                                            "court"),
           "Federal prosecutor, Germany": ("DE-GBA", "المدعي العام الاتحادي، ألمانيا", "prosecutor"),
           "partner documentation NGO": ("PARTNER-NGO", "منظمة توثيق شريكة", "ngo")}


def demo_recipients() -> dict[str, int]:
    """Generator recipient name -> Recipient pk, adding the demo's recipients once."""
    out = {}
    for name, (code, name_ar, kind) in _LISTED.items():
        row, _ = m.Recipient.objects.get_or_create(
            code=code, defaults={"name_en": name, "name_ar": name_ar, "kind": kind})
        out[name] = row.pk
    return out


def new_sink() -> Sink:
    """A sink declaring every table a chunk writes, in foreign-key order."""
    sink = Sink()
    sink.table(m.Event, "id", "title", "place", "violation_status", "created_at", *_DATE)
    sink.table(m.EventChain, "from_event", "to_event", "chain_type")
    sink.table(m.Information, "id", "source", "received_at", "channel", "language", "connection",
               "material_type", "credibility", "text", "created_by", "created_at")
    sink.table(m.Person, "id", "counting_unit", "sex", "age", "deceased", "notes", "created_at")
    sink.table(m.NameVariant, "person", "text", "script", "kind", "key", "source", "information")
    sink.table(m.Act, "id", "event", "victim", "act_type", "method", "result", "stated_reason",
               "grounds", "rights_deprived", "place", "public_setting", "announced", *_DATE)
    sink.table(m.Involvement, "act", "perpetrator", "unit", "degree", "perpetrator_type",
               "certainty")
    sink.table(InfoPersons, "information", "person")
    sink.table(InfoActs, "information", "act")
    sink.table(InfoEvents, "information", "event")
    sink.table(InfoDerived, "from_information", "to_information")
    sink.table(m.ProtectedValue, "owner", "field", "compartment", "value", "updated_at")
    sink.table(m.Consent, "id", "person", "scope", "recipient", "decision", "given_by", "version",
               "supersedes", "obtained_at", "obtained_by", "method", "note", "recorded_by",
               "recorded_at")
    return sink


class ChunkWriter:
    """Turns one generated chunk into rows and writes them table by table."""

    def __init__(self, world: World, ids: Ids, truth: TruthWriter, user_pk: int,
                 now: dt.datetime) -> None:
        self.world, self.ids, self.truth, self.user_pk = world, ids, truth, user_pk
        self.now = datetime_value(now)
        self.recipients = demo_recipients()
        self.sink = new_sink()

    def write(self, chunk: Chunk) -> None:
        """Write ``chunk``; call inside a transaction."""
        ids, add = self.ids, self.sink.add
        for e in chunk.events:
            place = self.world.places[e.place]
            title = event_title(e.act_type, e.method, (place.name_en, place.name_ar), 1, e.sogi)
            add(m.Event, (ids.event + e.index, title,
                          ids.place + e.place, c.VIOLATION_ALLEGED, self.now,
                          *date_fields(e.date.isoformat())))
            if e.chain_from is not None:
                add(m.EventChain, (ids.event + e.chain_from, ids.event + e.index, c.CHAIN_LEADS_TO))
        for v in chunk.victims:
            self.truth.add_victim(district=v.district, year=v.year, act_type=v.act_type,
                                  sogi=v.sogi, sex=v.sex, mask=v.networks)
        mention_of = {rep.index: self._report(rep) for rep in chunk.reports}
        for con in chunk.consents:
            self._consent(con, mention_of[con.report])
        self.sink.flush()
        for name, n in self.sink.counts.items():
            ids.counts[name] = n

    def _report(self, rep: ReportSpec) -> int:
        ids, add = self.ids, self.sink.add
        info, source = ids.info + rep.index, ids.source + rep.source
        add(m.Information, (info, source, datetime_value(rep.received_at), rep.channel,
                            rep.language, rep.connection, rep.material, rep.credibility, rep.text,
                            self.user_pk, self.now))
        person = ids.take_person()
        self.truth.add_victim_mention(person, rep.victim)
        add(m.Person, (person, c.COUNTING_INDIVIDUAL, rep.sex, rep.age,
                       True if rep.acts[0].result == "killed" else None, "", self.now))
        add(InfoPersons, (info, person))
        for text, script, kind in rep.names:
            add(m.NameVariant, (person, text, script, kind, name_key(text), source, info))
        events = set()
        for n, act in enumerate(rep.acts):
            act_pk = ids.act
            ids.act += 1
            add(m.Act, (act_pk, ids.event + act.event, person, act.act_type, act.method,
                        act.result, act.stated_reason, json_value(list(act.grounds)),
                        json_value(list(act.rights)), ids.place + act.place, act.public,
                        act.announced, *date_fields(act.date_text)))
            add(InfoActs, (info, act_pk))
            events.add(act.event)
            for inv in rep.involvements if n == 0 else ():
                self._involvement(inv, act_pk, info, source)
        for e in sorted(events):
            add(InfoEvents, (info, ids.event + e))
        if rep.derived_from is not None:
            add(InfoDerived, (info, ids.info + rep.derived_from))
        if rep.address:
            add(m.ProtectedValue, (PERSON.format(person), "address", "addresses", rep.address,
                                   self.now))
        return person

    def _involvement(self, inv: InvolvementSpec, act_pk: int, info: int, source: int) -> None:
        add = self.sink.add
        perp = None if inv.perp is None else self.ids.perp_base + inv.perp
        if inv.alias is not None and inv.perp is not None:  # the report's own mention
            perp = self.ids.take_person()
            self.truth.add_perpetrator_mention(perp, inv.perp)
            add(m.Person, (perp, c.COUNTING_INDIVIDUAL, c.SEX_MALE, None, None, "", self.now))
            text, script, kind = inv.alias
            add(m.NameVariant, (perp, text, script, kind, name_key(text), source, info))
            add(InfoPersons, (info, perp))
        add(m.Involvement, (act_pk, perp, None if inv.unit is None else self.ids.unit + inv.unit,
                            inv.degree, self._perp_type(inv.perp), inv.certainty))

    def _perp_type(self, perp: int | None) -> str:
        if perp is None:
            return c.PERP_NON_STATE
        role = self.world.perps[perp].role
        return (c.PERP_HISBA if role == "hisba_member" else
                c.PERP_OFFICIAL if role in ("wali", "emir", "qadi") else c.PERP_MEMBER)

    def _consent(self, con: ConsentSpec, person: int) -> None:
        ids, add = self.ids, self.sink.add
        first = ids.consent
        to = self.recipients.get(con.recipient)
        add(m.Consent, (first, person, con.scope, to, con.decision, "self", 1, None,
                        datetime_value(con.obtained_at), "field documenter", "oral_recorded", "",
                        self.user_pk, self.now))
        ids.consent += 1
        if con.withdrawn_at is not None:
            add(m.Consent, (ids.consent, person, con.scope, to, "withdrawn", "self", 2, first,
                            datetime_value(con.withdrawn_at), "field documenter",
                            "oral_recorded", "Withdrawn by the person.", self.user_pk, self.now))
            ids.consent += 1
