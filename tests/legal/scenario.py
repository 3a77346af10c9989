"""A hand-built dossier with known legal answers (synthetic names only).

* killing K1 (Mosul city, March 2015) is told by three unrelated sources: 3 origins;
* killing K2 (Mosul city, April 2015) is told by three reports that all derive from one
  propaganda video (itself a report): 1 origin;
* killing K3 (Tal Afar, May 2015) has a report saying it was a tribal dispute: exculpatory;
* killing K4 happened in Anbar, outside the charge's places;
* all Ninawa killings: thrown from height by the Hisba, attributed sexual orientation, public.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from dhakira.apps.dossier import protected
from dhakira.apps.dossier.models import (
    Act,
    CommandLink,
    Event,
    Information,
    Involvement,
    NameVariant,
    Person,
    Place,
    Source,
    Unit,
    UnitMembership,
)

VICTIM_NAMES = ("Testvictim Alpha Qadiri", "سالم تجريبي القادري", "Testvictim Beta Numani",
                "Testvictim Gamma Rawi", "Testvictim Delta Anbari")
SOURCE_CODES = ("OWL-11", "HAWK-12", "KITE-13", "MEDIA-14", "WREN-15")
SOURCE_IDENTITY = "Layla Testsource Hamdani"
VICTIM_ADDRESS = "House 99, Street 3, Hay Testiyya"
PERPETRATOR_NAME = "Abu Testperp al-Mawsili"


@dataclass
class World:
    places: dict[str, Place]
    units: dict[str, Unit]
    emir: Person
    member: Person
    victims: list[Person]
    acts: dict[str, Act]
    reports: dict[str, Information] = field(default_factory=dict)


def _places() -> dict[str, Place]:
    ninawa = Place.objects.create(name_en="Ninawa Governorate", name_ar="محافظة نينوى",
                                  kind="governorate", latitude=36.34, longitude=43.13)
    mosul = Place.objects.create(name_en="Mosul", name_ar="قضاء الموصل", kind="district",
                                 parent=ninawa, latitude=36.34, longitude=43.13)
    city = Place.objects.create(name_en="Mosul city", name_ar="مدينة الموصل", kind="city",
                                parent=mosul, latitude=36.34, longitude=43.13)
    talafar = Place.objects.create(name_en="Tal Afar", name_ar="قضاء تلعفر", kind="district",
                                   parent=ninawa, latitude=36.37, longitude=42.45)
    anbar = Place.objects.create(name_en="Anbar Governorate", name_ar="محافظة الأنبار",
                                 kind="governorate", latitude=33.4, longitude=43.3)
    return {"ninawa": ninawa, "mosul": mosul, "city": city, "talafar": talafar, "anbar": anbar}


def _person(name: str) -> Person:
    person = Person.objects.create(sex="male")
    script = "arab" if any("\u0600" <= ch <= "\u06ff" for ch in name) else "latn"
    NameVariant.objects.create(person=person, text=name, script=script)
    return person


def _act(world: World, key: str, place: Place, when: date, victim: Person) -> Act:
    event = Event.objects.create(title=f"Killing {key}", place=place)
    act = Act(event=event, victim=victim, act_type="killing", method="thrown_from_height",
              grounds=["attributed_sexual_orientation"], stated_reason="اللواط", place=place,
              public_setting=True, announced=True, date_text=when.isoformat(),
              date_earliest=when, date_latest=when)
    act.save()
    Involvement.objects.create(act=act, perpetrator=world.member, unit=world.units["hisba"],
                               degree="directly_carried_out")
    Involvement.objects.create(act=act, perpetrator=world.emir, degree="gave_orders")
    world.acts[key] = act
    return act


def _report(world: World, key: str, source: Source, acts: list[Act], *,
            derived: list[Information] = (), text: str = "") -> Information:  # type: ignore[assignment]
    info = Information.objects.create(source=source, received_at=datetime(2015, 6, 1, tzinfo=UTC),
                                      channel="phone_call", credibility=2,
                                      text=text or f"Report {key} about {VICTIM_NAMES[0]}")
    info.acts.add(*acts)
    info.derived_from.add(*derived)
    world.reports[key] = info
    return info


def build() -> World:
    places = _places()
    wilayah = Unit.objects.create(name_en="Wilayat Ninawa", name_ar="ولاية نينوى", kind="wilayah")
    hisba = Unit.objects.create(name_en="Hisba office, Mosul", name_ar="مكتب الحسبة في الموصل",
                                kind="hisba", parent=wilayah)
    emir = _person("Abu Testemir al-Ninawi")
    member = _person(PERPETRATOR_NAME)
    CommandLink.objects.create(superior=emir, subordinate=member, unit=hisba)
    UnitMembership.objects.create(person=member, unit=hisba, role="enforcer")
    victims = [_person(n) for n in VICTIM_NAMES]
    protected.write_system(victims[0], "address", VICTIM_ADDRESS)
    world = World(places, {"wilayah": wilayah, "hisba": hisba}, emir, member, victims, {})
    k1 = _act(world, "K1", places["city"], date(2015, 3, 10), victims[0])
    k2 = _act(world, "K2", places["city"], date(2015, 4, 12), victims[2])
    k3 = _act(world, "K3", places["talafar"], date(2015, 5, 20), victims[3])
    _act(world, "K4", places["anbar"], date(2015, 5, 21), victims[4])
    sources = [Source.objects.create(code_name=c, reliability=r)
               for c, r in zip(SOURCE_CODES, "bcbde", strict=True)]
    for s in sources:
        protected.write_system(s, "identity", SOURCE_IDENTITY)
    for i, key in enumerate(("R1", "R2", "R3")):
        _report(world, key, sources[i], [k1])
    video = _report(world, "VIDEO", sources[3], [k2], text="Propaganda video release")
    for key in ("C1", "C2", "C3"):
        _report(world, key, sources[3], [k2], derived=[video])
    _report(world, "EXCUL", sources[4], [k3], text="A neighbour says K3 was a tribal dispute")
    return world
