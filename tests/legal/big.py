"""A dossier the size of the demo's persecution charge (about 300 acts, 1,200 assessments).

Synthetic: places, victims and reports are made up; victims have no names at all. Built in
bulk (a few queries), then charged the way the demo is (``ensure_demo_charge``), so every
assessment is recorded through the legal service with its custody entry.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dhakira.apps.dossier.models import Act, Event, Information, Person, Place, Source
from dhakira.apps.law import services
from dhakira.apps.law.models import Charge

DISTRICTS = 8
TOWNS = 6
ACTS = 300
METHODS = ("thrown_from_height", "stoning")


def build(actor: object, acts: int = ACTS) -> Charge:
    """Make ``acts`` acts in Ninawa from mid-2014 to 2017, a report for each (one in ten a copy
    of another), and the demo's charge over them."""
    ninawa = Place.objects.create(name_en="Ninawa Governorate", name_ar="محافظة نينوى",
                                  kind="governorate", latitude=36.3, longitude=43.1)
    towns = []
    for d in range(DISTRICTS):
        district = Place.objects.create(name_en=f"District {d + 1}", name_ar=f"القضاء {d + 1}",
                                        kind="district", parent=ninawa,
                                        latitude=36.0 + d / 10, longitude=42.5 + d / 10)
        towns += [Place.objects.create(name_en=f"Town {d + 1}.{t + 1}",
                                       name_ar=f"البلدة {d + 1}.{t + 1}", kind="town",
                                       parent=district, latitude=36.0 + d / 10 + t / 100,
                                       longitude=42.5 + d / 10) for t in range(TOWNS)]
    # Skewed as documentation is: the first district has most of the acts.
    where = [towns[(i * i) % len(towns)] if i % 3 else towns[i % TOWNS] for i in range(acts)]
    start = date(2014, 7, 1)
    when = [start + timedelta(days=(i * 37) % 1260) for i in range(acts)]
    victims = Person.objects.bulk_create([Person(sex="male") for _ in range(acts)])
    events = Event.objects.bulk_create([Event(title=f"Event {i}", place=where[i])
                                        for i in range(acts)])
    made = Act.objects.bulk_create([
        Act(event=events[i], victim=victims[i], act_type="killing", method=METHODS[i % 2],
            grounds=["attributed_sexual_orientation"], place=where[i], public_setting=i % 5 != 0,
            announced=i % 2 == 0, date_text=when[i].isoformat(), date_earliest=when[i],
            date_latest=when[i]) for i in range(acts)])
    sources = Source.objects.bulk_create([Source(code_name=f"BIG-{s:02d}", reliability="bcd"[s % 3])
                                          for s in range(20)])
    reports = Information.objects.bulk_create([
        Information(source=sources[i % 20], received_at=datetime(2017, 1, 1, tzinfo=UTC),
                    channel="phone_call", credibility=1 + i % 4, text=f"Synthetic report {i}")
        for i in range(acts)])
    Information.acts.through.objects.bulk_create([
        Information.acts.through(information_id=reports[i].pk, act_id=made[i].pk)
        for i in range(acts)])
    Information.derived_from.through.objects.bulk_create([
        Information.derived_from.through(from_information_id=reports[i].pk,
                                         to_information_id=reports[i - 1].pk)
        for i in range(1, acts, 10)])
    return services.ensure_demo_charge(actor)  # type: ignore[arg-type]
