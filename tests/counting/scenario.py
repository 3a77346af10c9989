"""A hand-built dossier for counting (synthetic names only).

Three lists (source networks alpha, beta, gamma) and a source on no list. Resolution:

* victim 1: mentions m1 (alpha) and m2 (beta), Mosul city, March 2015 -> history 110;
* victim 2: m3 (alpha) and m4 (the source on no list), Mosul city, 2015 -> history 100;
* victim 3: m5 (beta), m6 (gamma), m7 (alpha's second informant), Tal Afar, 2016 -> 111;
* m8 (gamma), Tal Afar, 2016: not in the resolution, so counted as its own victim -> 001.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from dhakira.apps.dossier.models import Act, Event, Information, NameVariant, Person, Place, Source

VICTIM_NAME = "Testcount Victim Qadiri"


@dataclass
class World:
    mentions: list[Person]
    resolution: dict[str, int]


def _source(code: str, network: str) -> Source:
    return Source.objects.create(code_name=code, network=network, reliability="b")


def build() -> World:
    ninawa = Place.objects.create(name_en="Ninawa Governorate", name_ar="محافظة نينوى",
                                  kind="governorate")
    mosul = Place.objects.create(name_en="Mosul", name_ar="قضاء الموصل", kind="district",
                                 parent=ninawa)
    city = Place.objects.create(name_en="Mosul city", name_ar="مدينة الموصل", kind="city",
                                parent=mosul)
    talafar = Place.objects.create(name_en="Tal Afar", name_ar="قضاء تلعفر", kind="district",
                                   parent=ninawa)
    sources = {"a1": _source("CNT-A1", "alpha"), "a2": _source("CNT-A2", "alpha"),
               "b": _source("CNT-B", "beta"), "g": _source("CNT-G", "gamma"),
               "x": _source("CNT-X", "")}
    e2015 = Event.objects.create(title="Test killing 2015", place=city,
                                 date_earliest=date(2015, 3, 10), date_latest=date(2015, 3, 10))
    e2016 = Event.objects.create(title="Test detention 2016", place=talafar,
                                 date_earliest=date(2016, 8, 1), date_latest=date(2016, 8, 1))
    plan = [  # (source, event, act type, channel, sex)
        ("a1", e2015, "killing", "phone", "male"), ("b", e2015, "killing", "in_person", "male"),
        ("a1", e2015, "killing", "phone", "female"), ("x", e2015, "killing", "phone", "female"),
        ("b", e2016, "detention", "in_person", "male"), ("g", e2016, "detention", "email", ""),
        ("a2", e2016, "detention", "phone", "male"), ("g", e2016, "detention", "email", "male"),
    ]
    mentions = []
    for i, (src, event, act_type, channel, sex) in enumerate(plan):
        person = Person.objects.create(sex=sex)
        NameVariant.objects.create(person=person, text=VICTIM_NAME, script="latn")
        act = Act.objects.create(event=event, victim=person, act_type=act_type,
                                 date_earliest=event.date_earliest, place=event.place)
        info = Information.objects.create(source=sources[src], channel=channel,
                                          received_at=datetime(2017, 1, 1 + i, tzinfo=UTC),
                                          material_type="testimony", text="synthetic")
        info.acts.add(act)
        info.persons.add(person)
        mentions.append(person)
    groups = [0, 0, 1, 1, 2, 2, 2]  # m8 is left out on purpose
    resolution = {f"P-{mentions[i].pk:06d}": g for i, g in enumerate(groups)}
    return World(mentions=mentions, resolution=resolution)
