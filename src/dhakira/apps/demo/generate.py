"""The synthetic world and its reports as plain values (no Django).

``build_world`` draws the fixed part (places, units, perpetrators, lists, informants);
``iter_chunks`` then streams true victims, their events and every report about them in
bounded chunks, stopping when ``victims`` of them have been documented. Everything
follows from ``seed``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from dhakira.apps.demo import _codes as c
from dhakira.apps.demo import _render as r
from dhakira.apps.demo._events import EventDrawer, EventSpec, Victim, draw_victim
from dhakira.apps.demo._names_data import MALE, NISBA, ORIGIN
from dhakira.apps.demo._reports import ReportSpec, report_for
from dhakira.apps.demo._world import (
    NetworkSpec,
    PerpSpec,
    PlaceSpec,
    SourceSpec,
    UnitSpec,
    build_networks,
    build_perpetrators,
    build_places,
    build_sources,
    build_units,
)
from dhakira.apps.demo.errors import InvalidParameters

# 2: hidden groups reached unequally by each list; the "dependent" setting.
# 3: no event without a report (unrecorded chains are not written; a chain's first report tells
#    all its events), so a seed's dossier differs from version 2's.
# 4: a perpetrator's real name is his given name and nisba (version 3 repeated the given name,
#    "X X"); only those names differ from version 3's dossier.
VERSION = "4"

# How the lists capture victims (docs/demo-data.md, "The reporting model"):
HETEROGENEOUS = "heterogeneous"  # hidden groups, each list reaching each group its own way
DEPENDENT = "dependent"  # plus one visibility shared by all lists and referrals between two
CAPTURE_MODELS = (HETEROGENEOUS, DEPENDENT)
REFERRAL_EFFECT = 4.0  # logit added to a list for victims the list referring to it recorded
REFERRALS = {1: 0, 3: 2}  # list index -> the list that refers its people to it
SHARED_VISIBILITY = 2.5  # scale of the shared visibility in the dependent setting


@dataclass(frozen=True)
class DemoParams:
    """What to generate: documented victims, perpetrators, informants, the seed, and how the
    lists capture victims (``capture``: heterogeneous or dependent)."""

    victims: int = 4383
    perpetrators: int = 1804
    informants: int = 40
    seed: int = 1
    capture: str = HETEROGENEOUS

    def __post_init__(self) -> None:
        if self.victims < 1 or self.perpetrators < 1 or self.informants < 2:
            raise InvalidParameters("need at least 1 victim, 1 perpetrator and 2 informants")
        if self.capture not in CAPTURE_MODELS:
            raise InvalidParameters(f"capture must be one of {', '.join(CAPTURE_MODELS)}, "
                                    f"not {self.capture!r}")


@dataclass(frozen=True)
class World:
    places: tuple[PlaceSpec, ...]
    units: tuple[UnitSpec, ...]
    perps: tuple[PerpSpec, ...]
    networks: tuple[NetworkSpec, ...]
    sources: tuple[SourceSpec, ...]


@dataclass(frozen=True)
class TrueVictim:
    """One member of the true population, documented or not (for the truth file)."""

    id: int
    district: int
    year: int
    act_type: str
    sogi: bool
    sex: str
    networks: int  # bit mask over World.networks


@dataclass(frozen=True)
class ConsentSpec:
    report: int  # the consent is recorded on this report's victim mention
    scope: str
    recipient: str
    decision: str
    obtained_at: dt.datetime
    withdrawn_at: dt.datetime | None


@dataclass(frozen=True)
class Chunk:
    events: tuple[EventSpec, ...]
    victims: tuple[TrueVictim, ...]
    reports: tuple[ReportSpec, ...]
    consents: tuple[ConsentSpec, ...]


def build_world(params: DemoParams) -> World:
    """The fixed part of the world for ``params`` (deterministic)."""
    rng = np.random.default_rng(params.seed)
    units = build_units()
    networks = build_networks(params.informants, rng)
    return World(build_places(), units, build_perpetrators(units, params.perpetrators, rng),
                 networks, build_sources(networks, params.informants, rng))


def perpetrator_names(perp: PerpSpec, rng: random.Random) -> list[r.NameOut]:
    """The canonical names of a perpetrator: the nom de guerre in both scripts, maybe a real name."""
    son, origin = MALE[perp.ism], ORIGIN[perp.origin]
    out = [(f"أبو {son[0]} {origin[0]}", "arab", "alias"),
           (f"Abu {son[1][0]} {origin[1][0]}", "latn", "alias")]
    if rng.random() < 0.3:  # the given name and the nisba drawn for it (version 3 wrote the
        # given name twice, "منذر منذر", and never used the nisba)
        out.append((r.nasab([MALE[perp.real_ism]], NISBA[perp.real_nisba], "arab", rng),
                    "arab", "full"))
    return out


def iter_chunks(world: World, params: DemoParams, *, chunk_victims: int = 5000) -> Iterator[Chunk]:
    """Stream the population in chunks until ``params.victims`` are documented.

    Victims no list captured are kept (for the truth file) but have no reports.
    """
    rng = random.Random(params.seed * 1_000_003 + 17)
    drawer = EventDrawer(world.places, world.units, world.perps, rng)
    documented = vid = report_index = 0
    events: list[EventSpec] = []
    victims: list[TrueVictim] = []
    reports: list[ReportSpec] = []
    consents: list[ConsentSpec] = []
    while documented < params.victims:
        chain, size = drawer.draw()
        main = chain[-1]
        district = world.places[main.place].district
        reported = False
        for _ in range(size):
            victim = draw_victim(vid, main, district, rng)
            mask, new = _reports_for(world, chain, victim, report_index, rng, params.capture,
                                     whole_chain=not reported)
            victims.append(TrueVictim(vid, district, main.date.year, main.act_type, main.sogi,
                                      victim.sex, mask))
            vid += 1
            if new:
                reported = True
                reports.extend(new)
                consents.extend(_consents(new[0], rng))
                report_index += len(new)
                documented += 1
                if documented == params.victims:
                    break
        # The dossier knows an event only through a report of it: a chain whose victims no
        # list recorded stays in the truth (its victims) but is not written, and its numbers
        # are given to the next chain, so event ids run without gaps.
        if reported:
            events.extend(chain)
        else:
            drawer.forget(chain)
        if len(victims) >= chunk_victims or documented == params.victims:
            yield Chunk(tuple(events), tuple(victims), tuple(reports), tuple(consents))
            events, victims, reports, consents = [], [], [], []


def _capture_probability(net: NetworkSpec, event: EventSpec, victim: Victim, capture: str,
                         mask: int) -> float:
    """P(list ``net`` records ``victim``), given the lists that recorded them so far (``mask``)."""
    logit = (net.intercept + net.district_effect[victim.district]
             + net.act_effect.get(c.KILLING if event.act_type == c.EXECUTION else event.act_type, 0.0)
             + net.group_effect[victim.group])
    if capture == DEPENDENT:
        # A visibility every list shares, and lists referring the people they record to
        # other lists: dependence the independence model cannot see.
        logit += SHARED_VISIBILITY * victim.visibility
        referrer = REFERRALS.get(net.index)
        if referrer is not None and mask >> referrer & 1:
            logit += REFERRAL_EFFECT
    if net.kind == "media" and event.public:
        logit += 1.0
    return 1.0 / (1.0 + math.exp(-logit))


def _reports_for(world: World, chain: list[EventSpec], victim: Victim, first_index: int,
                 rng: random.Random, capture: str, *, whole_chain: bool = False
                 ) -> tuple[int, list[ReportSpec]]:
    """Which lists captured ``victim`` and the reports their informants sent.

    ``whole_chain``: no report of the chain has been made yet, so the first one made here
    tells every event of the chain (the arrest and trial before an execution); later reports
    tell each earlier event or not. Without it an arrest no report happened to mention would
    be written with no act and no source.
    """
    main = chain[-1]
    mask = 0
    out: list[ReportSpec] = []
    for net in world.networks:
        if rng.random() >= _capture_probability(net, main, victim, capture, mask):
            continue
        mask |= 1 << net.index
        members = [s for s in world.sources if s.network == net.index]
        weights = [5.0 if s.home_district == victim.district else 1.0 for s in members]
        chosen = [rng.choices(members, weights)[0]]
        if len(members) > 1 and rng.random() < 0.1:  # a second informant of the same list
            chosen.append(rng.choice([s for s in members if s is not chosen[0]]))
        for source in chosen:
            earlier = [rep.index for rep in out if world.networks[rep.network].kind != "media"]
            derived = (rng.choice(earlier) if net.kind == "media" and earlier
                       and rng.random() < 0.6 else None)
            out.append(report_for(world, chain, victim, source, net, first_index + len(out),
                                  derived, rng, whole_chain=whole_chain and not out))
    return mask, out


_RECIPIENTS = {"share_un_investigators": "UN investigative team",
               "share_icc": "ICC Office of the Prosecutor",
               "share_national_prosecutor": "Federal prosecutor, Germany",
               "share_ngo": "partner documentation NGO"}


def _consents(report: ReportSpec, rng: random.Random) -> list[ConsentSpec]:
    """Consent for about a third of documented victims; a few later withdraw one scope."""
    if rng.random() >= 0.33:
        return []
    obtained = report.received_at + dt.timedelta(days=rng.randint(0, 60))
    out = []
    for scope in c.CONSENT_SCOPES:
        if rng.random() < 0.3:
            continue
        decision = "granted" if rng.random() < 0.8 else "refused"
        withdrawn = (obtained + dt.timedelta(days=rng.randint(30, 400))
                     if decision == "granted" and rng.random() < 0.04 else None)
        out.append(ConsentSpec(report.index, scope, _RECIPIENTS.get(scope, ""), decision,
                               obtained, withdrawn))
    return out
