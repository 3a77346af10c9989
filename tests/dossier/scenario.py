"""A small, hand-built dossier for view and access tests (synthetic names only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from dhakira.apps.dossier import protected
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
from dhakira.core.dates import parse_fuzzy_date
from dhakira.core.names import name_key

SOURCE_IDENTITY = "Zahra Testwoman Qasimiyya"
SOURCE_PHONE = "+964 770 000 1234"
VICTIM_ADDRESS = "House 12, Street 7, Hay Testiyya"


@dataclass
class Scenario:
    place: Place
    unit: Unit
    source: Source
    victim: Person
    perpetrator: Person
    event: Event
    act: Act
    information: Information


def _person(*names: tuple[str, str]) -> Person:
    person = Person.objects.create(sex="male", age=31)
    for text, script in names:
        NameVariant.objects.create(person=person, text=text, script=script, key=name_key(text))
    return person


def build() -> Scenario:
    place = Place.objects.create(name_en="Mosul", name_ar="الموصل", kind="city",
                                 latitude=36.34, longitude=43.13, uncertainty_m=5000)
    unit = Unit.objects.create(name_en="Hisba office, Mosul", name_ar="مكتب الحسبة في الموصل",
                               kind="hisba")
    source = Source.objects.create(code_name="NINAWA-07", network="informants", reliability="b")
    protected.write_system(source, "identity", SOURCE_IDENTITY)
    protected.write_system(source, "contact", SOURCE_PHONE)
    victim = _person(("محمد علي حسين", "arab"), ("Mohammed Ali Hussein", "latn"))
    protected.write_system(victim, "address", VICTIM_ADDRESS)
    perpetrator = _person(("أبو حمزة الموصلي", "arab"))
    event = Event(title="Execution in the central square", place=place)
    event.set_date(parse_fuzzy_date("late October 2014"))
    event.save()
    act = Act(event=event, victim=victim, act_type="killing", method="thrown_from_height",
              stated_reason="اللواط", place=place, public_setting=True, announced=True)
    act.set_date(parse_fuzzy_date("late October 2014"))
    act.save()
    Involvement.objects.create(act=act, perpetrator=perpetrator, degree="directly_carried_out")
    info = Information.objects.create(source=source, received_at=datetime(2014, 11, 2, tzinfo=UTC),
                                      channel="phone_call", credibility=2,
                                      text="قال المخبر إن محمد علي حسين رُمي من بناية")
    info.persons.add(victim)
    info.events.add(event)
    info.acts.add(act)
    return Scenario(place, unit, source, victim, perpetrator, event, act, info)
