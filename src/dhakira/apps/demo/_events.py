"""Drawing true events and their victims (the population, documented or not)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from dhakira.apps.demo import _codes as c
from dhakira.apps.demo._names_data import FEMALE, MALE, NISBA
from dhakira.apps.demo._world import GROUP_SHARES, PerpSpec, PlaceSpec, UnitSpec

SODOMY_AR, SODOMY_EN = "اللواط", "sodomy"

START, END = dt.date(2014, 6, 10), dt.date(2017, 7, 10)
SINJAR = 2

# act type, share of events, P(male), age range
_ACTS = (
    (c.KILLING, 0.36, 0.9, (16, 70)),
    (c.DETENTION, 0.20, 0.85, (15, 70)),
    (c.TORTURE, 0.07, 0.8, (14, 65)),
    (c.FLOGGING, 0.08, 0.85, (14, 65)),
    (c.FORCED_MARRIAGE, 0.05, 0.0, (13, 35)),
    (c.SEXUAL_VIOLENCE, 0.05, 0.05, (12, 45)),
    (c.ENSLAVEMENT, 0.08, 0.15, (6, 50)),
    (c.AMPUTATION, 0.04, 0.95, (16, 60)),
)
_SOGI_SHARE = 0.03
_DISTRICT_P = (0.55, 0.12, 0.10, 0.05, 0.05, 0.03, 0.05, 0.05)
_SINJAR_ACTS = {c.ENSLAVEMENT, c.SEXUAL_VIOLENCE, c.FORCED_MARRIAGE}
_UNIT_FOR = {c.KILLING: ("security", "army"), c.EXECUTION: ("court", "security"),
             c.DETENTION: ("security", "hisba"), c.TORTURE: ("security",), c.FLOGGING: ("hisba",), c.FORCED_MARRIAGE: ("army",), c.SEXUAL_VIOLENCE: ("army",),
             c.ENSLAVEMENT: ("army",), c.AMPUTATION: ("court",), c.SENTENCING: ("court",)}
_PUBLIC_SITES = ("Dawasa Square", "Bab al-Tob", "Clock Square", "Insurance Building")


@dataclass(frozen=True)
class EventSpec:
    index: int
    act_type: str
    method: str
    sogi: bool
    place: int
    date: dt.date
    unit: int
    perps: tuple[int, ...]  # perpetrator indices; the first carried it out
    orderer: int | None
    public: bool
    chain_from: int | None  # the event that led to this one
    grounds: tuple[str, ...] = ()
    reason: tuple[str, str] = ("", "")  # the charge as the perpetrators gave it: (ar, en)


@dataclass(frozen=True)
class Victim:
    id: int
    sex: str
    age: int
    ism: Name_
    father: Name_
    grand: Name_
    nisba: Name_
    kunya_son: Name_ | None
    visibility: float  # shared by all lists; used only by the "dependent" capture setting
    district: int
    group: int  # hidden group (index into GROUP_SHARES): how each list reaches this victim


Name_ = tuple[str, tuple[str, ...]]


class EventDrawer:
    """Draws events one at a time, with chained arrests and trials before some executions."""

    def __init__(self, places: tuple[PlaceSpec, ...], units: tuple[UnitSpec, ...],
                 perps: tuple[PerpSpec, ...], rng: random.Random) -> None:
        self.rng = rng
        self.places_by_district: list[list[int]] = [[] for _ in _DISTRICT_P]
        for p in places:
            if p.district >= 0 and p.kind not in (c.PLACE_DISTRICT, c.PLACE_CITY):
                self.places_by_district[p.district].append(p.index)
        self.public_sites = [p.index for p in places if p.name_en in _PUBLIC_SITES]
        self.units = units
        self.perps_by_unit: dict[int, list[int]] = {}
        for perp in perps:
            self.perps_by_unit.setdefault(perp.unit, []).append(perp.index)
        self.perps = perps
        self.unit_by = {(u.district, u.function): u.index for u in units}
        self.next_index = 0

    def draw(self) -> tuple[list[EventSpec], int]:
        """One main event (last in the list) with its chain, and how many victims it has."""
        rng = self.rng
        sogi = rng.random() < _SOGI_SHARE
        if sogi:
            act, method = c.KILLING, rng.choice(c.SOGI_METHODS)
        else:
            act = rng.choices([a[0] for a in _ACTS], [a[1] for a in _ACTS])[0]
            method = (rng.choices(c.KILLING_METHODS, (55, 15, 5, 5, 5))[0] if act == c.KILLING
                      else rng.choice(c.METHOD_OF[act]))
        district = (SINJAR if act in _SINJAR_ACTS and rng.random() < 0.7
                    else rng.choices(range(len(_DISTRICT_P)), _DISTRICT_P)[0])
        day = self._day(act, district)
        size = self._size(act, sogi)
        public = sogi or (act in (c.KILLING, c.FLOGGING, c.AMPUTATION) and rng.random() < 0.6)
        events: list[EventSpec] = []
        chain_from = None
        chained = sogi or (act == c.KILLING and size < 5 and rng.random() < 0.25)
        if act == c.KILLING and (chained or public or method != "shooting"):
            act = c.EXECUTION  # presented as a punishment: sentenced, announced or staged
        if chained:
            arrest = self._event(c.DETENTION, "", False, district,
                                 day - dt.timedelta(days=rng.randint(8, 60)), False, None)
            trial = self._event(c.SENTENCING, "", sogi, district,
                                day - dt.timedelta(days=rng.randint(1, 7)), False, arrest.index)
            events += [arrest, trial]
            chain_from = trial.index
        main = self._event(act, method, sogi, district, day, public, chain_from)
        grounds, reason = _charge(main, district, rng)
        events.append(replace(main, grounds=grounds, reason=reason))
        return events, size

    def forget(self, chain: list[EventSpec]) -> None:
        """Give back the numbers of ``chain``, the last one drawn (no report told of it)."""
        if chain and chain[-1].index != self.next_index - 1:
            raise ValueError("only the chain drawn last can be forgotten")
        self.next_index -= len(chain)

    def _event(self, act: str, method: str, sogi: bool, district: int, day: dt.date,
               public: bool, chain_from: int | None) -> EventSpec:
        rng = self.rng
        functions = ("court",) if sogi else _UNIT_FOR[act]
        unit = self.unit_by[(district, rng.choice(functions))]
        members = self.perps_by_unit.get(unit) or [p.index for p in self.perps[:1]]
        perps = tuple(rng.sample(members, min(len(members), rng.randint(1, 3))))
        head = self.perps[members[0]].superior if members else None
        if public and district == 0 and rng.random() < 0.6:
            place = rng.choice(self.public_sites)
        else:
            place = rng.choice(self.places_by_district[district])
        spec = EventSpec(self.next_index, act, method, sogi, place, max(START, min(END, day)),
                         unit, perps, head, public, chain_from)
        self.next_index += 1
        return spec

    def _day(self, act: str, district: int) -> dt.date:
        rng = self.rng
        if act in _SINJAR_ACTS and district == SINJAR:
            return dt.date(2014, 8, 3) + dt.timedelta(days=int(rng.expovariate(1 / 90)))
        # Mosul city fell first and was retaken last; everything else within 2014-06 .. 2016-11.
        last = END if district == 0 else dt.date(2016, 11, 30)
        span = (last - START).days
        return START + dt.timedelta(days=min(span, int(span * rng.betavariate(1.3, 1.6))) + 60)

    def _size(self, act: str, sogi: bool) -> int:
        rng = self.rng
        if sogi:
            return rng.randint(1, 3)
        if act in c.KILLINGS and rng.random() < 0.02:
            return rng.randint(8, 40)
        return 1 if rng.random() < 0.6 else 1 + int(rng.expovariate(1 / 2.0))


def _charge(event: EventSpec, district: int,
            rng: random.Random) -> tuple[tuple[str, ...], tuple[str, str]]:
    """Grounds and stated reason: sodomy, another charge, or the victim's community."""
    if event.sogi:
        return (c.GROUND_SOGI,), (SODOMY_AR, SODOMY_EN)
    if event.act_type == c.EXECUTION and rng.random() < 0.7:
        code, ar, en = rng.choice(c.CHARGES)
        return (code,), (ar, en)
    if district in (SINJAR, 5) and event.act_type in _SINJAR_ACTS | {c.KILLING}:
        return ("yazidi_identity",), ("", "")
    if district == 3 and rng.random() < 0.5:
        return ("christian_identity",), ("", "")
    return (), ("", "")


def draw_victim(vid: int, event: EventSpec, district: int, rng: random.Random) -> Victim:
    """A victim of ``event``: sex and age fit the act; the name is a random common one."""
    act = c.KILLING if event.act_type == c.EXECUTION else event.act_type
    p_male, (lo, hi) = next((a[2], a[3]) for a in _ACTS if a[0] == act)
    male = event.sogi or rng.random() < p_male
    age = rng.randint(lo, hi)
    first = rng.choice(MALE if male else FEMALE)
    son = rng.choice(MALE) if male and age > 25 and rng.random() < 0.6 else None
    return Victim(vid, c.SEX_MALE if male else c.SEX_FEMALE, age, first, rng.choice(MALE),
                  rng.choice(MALE), rng.choice(NISBA), son, rng.gauss(0.0, 0.8), district,
                  rng.choices(range(len(GROUP_SHARES)), GROUP_SHARES)[0])
