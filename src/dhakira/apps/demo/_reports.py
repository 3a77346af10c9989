"""One informant's report about one victim: names as they spell them, details as they recall."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dhakira.apps.demo import _codes as c
from dhakira.apps.demo import _render as r
from dhakira.apps.demo import _story as story
from dhakira.apps.demo._events import EventSpec, Victim
from dhakira.apps.demo._names_data import MALE, ORIGIN
from dhakira.apps.demo._world import NetworkSpec, SourceSpec

if TYPE_CHECKING:
    from dhakira.apps.demo.generate import World

_STREETS = ("شارع", "زقاق", "محلة")


@dataclass(frozen=True)
class ActSpec:
    event: int
    act_type: str
    method: str
    result: str
    stated_reason: str
    grounds: tuple[str, ...]
    rights: tuple[str, ...]
    place: int
    date_text: str
    public: bool | None
    announced: bool | None


@dataclass(frozen=True)
class InvolvementSpec:
    perp: int | None
    unit: int | None
    degree: str
    certainty: str
    alias: r.NameOut | None  # set: the report names the perpetrator under its own variant


@dataclass(frozen=True)
class ReportSpec:
    index: int
    victim: int
    source: int
    network: int
    received_at: dt.datetime
    channel: str
    language: str
    connection: str
    material: str
    credibility: int
    text: str
    names: tuple[r.NameOut, ...]
    sex: str
    age: int | None
    acts: tuple[ActSpec, ...]
    involvements: tuple[InvolvementSpec, ...]
    derived_from: int | None
    address: str | None


def report_for(world: World, chain: list[EventSpec], victim: Victim, source: SourceSpec,
               net: NetworkSpec, index: int, derived: int | None,
               rng: random.Random, *, whole_chain: bool = False) -> ReportSpec:
    """The report ``source`` (a member of ``net``) sends about ``victim``; with
    ``whole_chain`` it tells every event of the chain, else each earlier one by chance."""
    main = chain[-1]
    document = net.kind == "document"
    language = "en" if rng.random() < net.english_share else "ar"
    names = _victim_names(victim, "latn" if language == "en" else "arab", document, rng)
    acts = [_act(world, main, victim, language, document, rng)]
    acts += [_act(world, e, victim, language, document, rng) for e in chain[:-1]
             if whole_chain or rng.random() < 0.5]
    place = world.places[acts[0].place]
    unit = world.units[main.unit]
    hearsay = not document and rng.random() < 0.4
    text = story.report_text(
        language=language, name=names[0][0], age=None if document else victim.age,
        place=(place.name_en, place.name_ar), date=acts[0].date_text, act_type=main.act_type,
        method=main.method, reason=main.reason, unit=(unit.name_en, unit.name_ar)
        if rng.random() < 0.5 else None, hearsay=hearsay)
    lag = rng.expovariate(1 / (700 if document else 60))
    received = min(dt.datetime.combine(main.date, dt.time(9, 0), tzinfo=dt.UTC) + dt.timedelta(
        days=1 + lag, minutes=rng.randint(0, 600)), LAST_RECEIVED)
    return ReportSpec(
        index, victim.id, source.index, net.index, received, _channel(net, rng), language,
        _connection(net, hearsay),
        _material(net), _credibility(source, hearsay, rng), text, tuple(names),
        _sex(victim, rng), _age(victim, document, rng), tuple(acts),
        tuple(_involvements(world, main, hearsay, rng)), derived,
        _address(rng) if rng.random() < 0.08 else None)


# Captured records keep arriving for years, but never after the dossier was handed over
# (a long exponential tail once dated reports in 2031, in the future).
LAST_RECEIVED = dt.datetime(2021, 12, 31, 17, 0, tzinfo=dt.UTC)


def _victim_names(v: Victim, script: str, document: bool, rng: random.Random) -> list[r.NameOut]:
    if v.kunya_son and not document and rng.random() < 0.06:
        return [(r.kunya(v.kunya_son, None, script, rng), script, "kunya")]
    roll = rng.random()
    parts = [v.ism, v.father, v.grand] if document or roll < 0.45 else [v.ism, v.father]
    nisba = v.nisba if document or rng.random() < 0.6 else None
    if roll > 0.9 and not document:
        parts = [v.ism]
        nisba = v.nisba
    out = [(r.nasab(parts, nisba, script, rng, with_bin=document), script, "full")]
    if v.kunya_son and rng.random() < 0.15:
        out.append((r.kunya(v.kunya_son, None, script, rng), script, "kunya"))
    if script == "latn" and rng.random() < 0.3:  # some English reports add the Arabic
        out.append((r.nasab(parts, nisba, "arab", rng), "arab", "full"))
    return out


def _act(world: World, event: EventSpec, v: Victim, language: str, document: bool,
         rng: random.Random) -> ActSpec:
    place = event.place
    if rng.random() < 0.08:  # remembered the wrong place, in the same district
        same = [p.index for p in world.places if p.district == v.district and p.parent is not None
                and p.kind not in (c.PLACE_DISTRICT,)]
        place = rng.choice(same) if same else place
    reason = event.reason[0] if language == "ar" else event.reason[1]
    grounds = event.grounds if rng.random() < 0.9 else ()
    date = r.date_text(event.date, language, rng, hijri_share=0.8 if document else 0.12)
    return ActSpec(event.index, event.act_type, event.method, c.RESULT_OF[event.act_type], reason,
                   grounds, tuple(c.RIGHTS_OF[event.act_type]), place, date,
                   event.public if rng.random() < 0.8 else None,
                   (True if event.sogi else None))


def _involvements(world: World, event: EventSpec, hearsay: bool,
                  rng: random.Random) -> list[InvolvementSpec]:
    certainty = "possible" if hearsay else rng.choice(("confirmed", "probable"))
    out = [InvolvementSpec(None, event.unit, c.DEGREE_UNIT, certainty, None)]
    if rng.random() < 0.5:
        return out
    for i, perp in enumerate(event.perps):
        if i and rng.random() < 0.4:
            continue
        alias = _alias(world, perp, rng) if rng.random() < 0.1 else None
        out.append(InvolvementSpec(perp, None, c.DEGREE_DIRECT, certainty, alias))
    if event.orderer is not None and rng.random() < 0.3:
        degree = c.DEGREE_SENTENCED if event.act_type == c.EXECUTION else c.DEGREE_ORDERED
        out.append(InvolvementSpec(event.orderer, None, degree, "possible", None))
    return out


def _alias(world: World, perp: int, rng: random.Random) -> r.NameOut:
    spec = world.perps[perp]
    script = "arab" if rng.random() < 0.6 else "latn"
    origin = ORIGIN[spec.origin] if rng.random() < 0.6 else None
    return (r.kunya(MALE[spec.ism], origin, script, rng), script, "alias")


def _sex(v: Victim, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return ""
    if roll < 0.07:
        return c.SEX_FEMALE if v.sex == c.SEX_MALE else c.SEX_MALE
    return v.sex


def _age(v: Victim, document: bool, rng: random.Random) -> int | None:
    if rng.random() < 0.3:
        return None
    return max(1, v.age + (0 if document else rng.randint(-5, 5)))


def _channel(net: NetworkSpec, rng: random.Random) -> str:
    if net.kind == "document":
        return c.CHANNEL_DOCUMENT
    if net.kind == "media":
        return c.CHANNEL_MEDIA
    if net.name == "email_channel":
        return c.CHANNEL_EMAIL
    return rng.choice(c.CHANNELS)


def _connection(net: NetworkSpec, hearsay: bool) -> str:
    if net.kind == "document":
        return c.CONNECTION_DOCUMENT
    if net.kind == "survivor":
        return c.CONNECTION_VICTIM
    return c.CONNECTION_HEARSAY if hearsay or net.kind == "media" else c.CONNECTION_WITNESS


def _material(net: NetworkSpec) -> str:
    return {"document": c.MATERIAL_DOCUMENT, "media": c.MATERIAL_MEDIA,
            "survivor": c.MATERIAL_VICTIM}.get(
        net.kind, c.MATERIAL_EMAIL if net.name == "email_channel" else c.MATERIAL_TESTIMONY)


def _credibility(source: SourceSpec, hearsay: bool, rng: random.Random) -> int:
    base = c.RELIABILITY.index(source.reliability) + 1
    return max(1, min(6, base + (1 if hearsay else 0) + rng.choice((-1, 0, 0, 1))))


def _address(rng: random.Random) -> str:
    return f"{rng.choice(_STREETS)} {rng.randint(1, 60)}، دار {rng.randint(1, 200)}"
