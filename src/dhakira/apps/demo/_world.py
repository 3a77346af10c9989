"""The fixed part of the synthetic world: places, units, perpetrators, networks, informants."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dhakira.apps.demo import _codes as c
from dhakira.apps.demo._names_data import MALE, NISBA, ORIGIN
from dhakira.apps.demo._places_data import DISTRICTS, PLACES


@dataclass(frozen=True)
class PlaceSpec:
    index: int
    name_en: str
    name_ar: str
    kind: str
    parent: int | None
    lat: float
    lon: float
    uncertainty_m: int
    aliases: tuple[str, ...]
    district: int  # index into DISTRICTS; -1 for the governorate


@dataclass(frozen=True)
class UnitSpec:
    index: int
    name_en: str
    name_ar: str
    kind: str
    parent: int | None
    aliases: tuple[str, ...]
    district: int  # -1 for governorate-wide units
    function: str  # "wilayah", "hisba", "court", "security", "army"


@dataclass(frozen=True)
class PerpSpec:
    index: int
    ism: int  # index into MALE: the son's name in "Abu <ism>"
    origin: int  # index into ORIGIN
    real_ism: int  # index into MALE: given name, known to some sources
    real_nisba: int  # index into NISBA
    unit: int
    role: str
    superior: int | None


@dataclass(frozen=True)
class NetworkSpec:
    index: int
    name: str
    kind: str  # Source.kind of its members
    intercept: float
    district_effect: tuple[float, ...]
    act_effect: dict[str, float]
    english_share: float
    group_effect: tuple[float, ...]  # by the victim's hidden group (see GROUP_SHARES)


@dataclass(frozen=True)
class SourceSpec:
    index: int
    code_name: str
    network: int
    reliability: str
    home_district: int
    identity: str
    contact: str


_DIWANS = (  # function, en, ar
    ("hisba", "Diwan al-Hisba", "ديوان الحسبة"),
    ("court", "Diwan al-Qada' wal-Mazalim", "ديوان القضاء والمظالم"),
    ("security", "Diwan al-Amn", "ديوان الأمن"),
    ("army", "Diwan al-Jund", "ديوان الجند"),
)
_OFFICES = {  # function -> (kind, en, ar, leader role, member roles)
    "hisba": (c.UNIT_KINDS[5], "Hisba office", "مكتب الحسبة", "emir", ("hisba_member",)),
    "court": (c.UNIT_KINDS[3], "Sharia court", "المحكمة الشرعية", "qadi", ("qadi", "executioner")),
    "security": (c.UNIT_KINDS[2], "Security office", "مكتب الأمن", "emir",
                 ("security_officer", "executioner")),
    "army": (c.UNIT_KINDS[4], "Katiba", "كتيبة", "emir", ("fighter",)),
}


def build_places() -> tuple[PlaceSpec, ...]:
    """The gazetteer as specs, each knowing its district."""
    index = {row[0]: i for i, row in enumerate(PLACES)}
    out: list[PlaceSpec] = []
    for i, (en, ar, kind, parent, lat, lon, unc, aliases) in enumerate(PLACES):
        p = index[parent] if parent else None
        district = DISTRICTS.index(en) if kind == c.PLACE_DISTRICT else (
            out[p].district if p is not None else -1)
        out.append(PlaceSpec(i, en, ar, kind, p, lat, lon, unc, aliases, district))
    return tuple(out)


def build_units() -> tuple[UnitSpec, ...]:
    """Wilayat Ninawa, its four diwans, and one office of each diwan per district."""
    units = [UnitSpec(0, "Wilayat Ninawa", "ولاية نينوى", c.UNIT_KINDS[0], None,
                      ("Ninawa Province",), -1, "wilayah")]
    diwan_of: dict[str, int] = {}
    for function, en, ar in _DIWANS:
        diwan_of[function] = len(units)
        units.append(UnitSpec(len(units), en, ar, c.UNIT_KINDS[1], 0, (), -1, function))
    for d, district in enumerate(DISTRICTS):
        for function, (kind, en, ar, _, _) in _OFFICES.items():
            units.append(UnitSpec(len(units), f"{en} of {district}", f"{ar} - {PLACES[d + 1][1]}",
                                  kind, diwan_of[function], (), d, function))
    return tuple(units)


def build_perpetrators(units: tuple[UnitSpec, ...], n: int,
                       rng: np.random.Generator) -> tuple[PerpSpec, ...]:
    """Leaders first (wali, diwan emirs, office heads), then members spread over offices."""
    offices = [u for u in units if u.district >= 0]
    # Mosul's offices are the largest; weights favour them.
    weights = np.array([4.0 if u.district == 0 else 1.0 for u in offices])
    weights /= weights.sum()
    head_of: dict[int, int] = {}
    perps: list[PerpSpec] = []

    def add(unit: int, role: str, superior: int | None) -> None:
        perps.append(PerpSpec(len(perps), int(rng.integers(len(MALE))),
                              int(rng.integers(len(ORIGIN))), int(rng.integers(len(MALE))),
                              int(rng.integers(len(NISBA))), unit, role, superior))

    leaders = [(units[0], "wali")] + [(u, "emir") for u in units if u.kind == c.UNIT_KINDS[1]]
    leaders += [(u, _OFFICES[u.function][3]) for u in offices]
    for unit, role in leaders[:n]:
        head_of[unit.index] = len(perps)
        add(unit.index, role, head_of.get(unit.parent) if unit.parent is not None else None)
    for _ in range(n - len(perps)):
        unit = offices[int(rng.choice(len(offices), p=weights))]
        roles = _OFFICES[unit.function][4]
        add(unit.index, roles[int(rng.integers(len(roles)))], head_of.get(unit.index))
    return tuple(perps)


_NETWORKS: tuple[tuple[str, str, float, dict[str, float], float], ...] = (  # name, source kind, intercept, act effects, english share
    ("informant_network", "informant", -1.2, {}, 0.05),
    ("documentation_organisation", "organisation", -1.6,
     {c.ENSLAVEMENT: 1.2, c.SEXUAL_VIOLENCE: 1.0, c.FORCED_MARRIAGE: 0.8}, 0.15),
    ("captured_isis_records", "document", -2.0,
     {c.KILLING: 0.6, c.AMPUTATION: 1.5, c.TORTURE: 0.8, c.ENSLAVEMENT: -1.0,
      c.SEXUAL_VIOLENCE: -2.0}, 0.0),
    ("email_channel", "witness", -2.2, {c.DETENTION: 0.5}, 0.6),
    ("media_monitoring", "media", -2.4, {c.KILLING: 0.8, c.DETENTION: -1.0, c.TORTURE: -0.5}, 0.5),
    ("survivor_interviews", "survivor", -2.0,
     {c.ENSLAVEMENT: 1.5, c.SEXUAL_VIOLENCE: 1.5, c.KILLING: -1.5}, 0.2),
)


def network_count(informants: int) -> int:
    """Three to six lists, never more lists than informants."""
    return max(min(informants, 3), min(len(_NETWORKS), informants // 8))


# Victims fall into hidden groups that the lists reach unequally, each list in its own way:
# people close to the informant network, people the organisations and records reach, and people
# nobody reaches well. Being list-specific, this heterogeneity shows in the overlaps, which is
# what latent-class estimators (LCMCR) model; one visibility shared by every list would not.
GROUP_SHARES = (0.3, 0.4, 0.3)
GROUP_MEANS = (0.4, 0.0, -0.4)
GROUP_SPREAD = 1.0


def build_networks(informants: int, rng: np.random.Generator) -> tuple[NetworkSpec, ...]:
    """Lists with their own coverage by district, act type and hidden group (uneven on purpose)."""
    out = []
    for i in range(network_count(informants)):
        name, kind, intercept, acts, english = _NETWORKS[i]
        districts = tuple(float(x) for x in rng.normal(0.0, 0.7, len(DISTRICTS)))
        groups = tuple(float(rng.normal(m, GROUP_SPREAD)) for m in GROUP_MEANS)
        out.append(NetworkSpec(i, name, kind, intercept, districts, acts, english, groups))
    return tuple(out)


def build_sources(networks: tuple[NetworkSpec, ...], informants: int,
                  rng: np.random.Generator) -> tuple[SourceSpec, ...]:
    """Informants spread over the networks, each with a home district and protected identity."""
    out = []
    district_p = np.array([0.5, 0.1, 0.12, 0.07, 0.07, 0.04, 0.05, 0.05])
    for i in range(informants):
        net = i % len(networks)
        ism, _ = MALE[int(rng.integers(len(MALE)))]
        father, _ = MALE[int(rng.integers(len(MALE)))]
        nisba, _ = NISBA[int(rng.integers(len(NISBA)))]
        phone = "+964 77" + "".join(str(int(d)) for d in rng.integers(0, 10, 8))
        out.append(SourceSpec(
            i, f"NINAWA-{i + 1:02d}", net, c.RELIABILITY[min(5, int(rng.poisson(1.2)))],
            int(rng.choice(len(DISTRICTS), p=district_p)), f"{ism} {father} {nisba}",
            f"{phone} (Signal)"))
    return tuple(out)
