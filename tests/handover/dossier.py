"""A small synthetic dossier for hand-over tests: tests/dossier/scenario.py plus extra records."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

from tests.dossier import scenario
from tests.evidence import files

from dhakira.apps.dossier import protected
from dhakira.apps.dossier.models import Act, Information, NameVariant, Person
from dhakira.core.dates import parse_fuzzy_date
from dhakira.core.names import name_key

BYSTANDER = ("سعيد كريم الجبوري", "Saeed Kareem al-Jubouri")
REFUSER = ("نور هادي العبيدي", "Noor Hadi al-Obaidi")
REFUSER_ADDRESS = "Flat 3, Testing Lane 9, Hay Synthetic"


@dataclass
class Dossier:
    base: scenario.Scenario
    refuser: Person
    bystander: Person
    refuser_act: Act
    refuser_report: Information
    evidence: list[object]


def _person(names: tuple[str, str]) -> Person:
    person = Person.objects.create(sex="female")
    for text, script in zip(names, ("arab", "latn"), strict=True):
        NameVariant.objects.create(person=person, text=text, script=script, key=name_key(text))
    return person


def build(*, with_evidence: bool = True) -> Dossier:
    """The scenario, a second victim who will refuse, a bystander named only in free text."""
    base = scenario.build()
    refuser = _person(REFUSER)
    protected.write_system(refuser, "address", REFUSER_ADDRESS)
    bystander = _person(BYSTANDER)  # linked to nothing: only ever named in text
    act = Act(event=base.event, victim=refuser, act_type="killing", method="shooting",
              place=base.place)
    act.set_date(parse_fuzzy_date("late October 2014"))
    act.save()
    text = (f"رأى {REFUSER[0]} ما جرى قرب {REFUSER_ADDRESS}. "
            f"Witness {BYSTANDER[1]} said {base.source.code_name} was there, "
            f"at 36.3412, 43.1278.")
    info = Information.objects.create(source=base.source, received_at=datetime(2014, 11, 5, tzinfo=UTC),
                                      channel="phone_call", credibility=3, text=text)
    info.persons.add(refuser)
    info.acts.add(act)
    info.events.add(base.event)
    # The first report also names the bystander and the source's identity in free text.
    base.information.text += f" وقال {BYSTANDER[0]} إن {scenario.SOURCE_IDENTITY} رأى ذلك"
    base.information.save()
    evidence = _evidence(base, info) if with_evidence else []
    return Dossier(base, refuser, bystander, act, info, evidence)


def _evidence(base: scenario.Scenario, refuser_info: Information) -> list[object]:
    from dhakira.apps.evidence.intake import Collection, ingest_stream

    collection = Collection(collector="rana", method="test upload", tool="test/1")
    items = []
    for name, data, info in [
        ("Mohammed Ali Hussein photo.jpg", files.jpeg_with_gps(), base.information),
        ("statement.txt", f"Statement about {BYSTANDER[1]} and Mohammed Ali Hussein, "
                          f"{scenario.VICTIM_ADDRESS}".encode(), base.information),
        ("refuser.txt", f"{REFUSER[1]} spoke".encode(), refuser_info),
    ]:
        item = ingest_stream(io.BytesIO(data), name=name, origin="test", collection=collection)
        item.information = info
        item.save()
        items.append(item)
    return items
