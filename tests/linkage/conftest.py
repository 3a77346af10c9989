from __future__ import annotations

import pytest
from tests.linkage.small_data import mentions

from dhakira.apps.dossier import models as m
from dhakira.core.linkage import LinkageSettings

# Every pair from 0.3 is queued (no review band): these tests are about the queue.
FAST = LinkageSettings(max_em_iterations=3, u_max_pairs=2e4, review_threshold=0.3,
                      review_ceiling=1.0, review_skip_joined=False,
                      cluster_threshold=0.5)


@pytest.fixture
def dossier(db) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """The small mentions as victims in the dossier; returns Person pk → true person."""
    records, truth = mentions()
    districts: dict[int, m.Place] = {}
    places: dict[int, m.Place] = {}
    out: dict[int, int] = {}
    for r in records:
        d = districts.get(r.district) or m.Place.objects.create(
            name_en=f"District {r.district}", name_ar="قضاء", kind="district")
        districts[r.district] = d
        p = places.get(r.place) or m.Place.objects.create(
            name_en=f"Village {r.place}", name_ar="قرية", kind="village", parent=d)
        places[r.place] = p
        event = m.Event.objects.create(title="event", place=p, date_earliest=r.date_lo,
                                       date_latest=r.date_hi)
        person = m.Person.objects.create(sex=r.sex, age=r.age)
        for name in r.names:
            m.NameVariant.objects.create(person=person, text=name, script="latn")
        m.Act.objects.create(event=event, victim=person, act_type=r.act_type, method=r.method,
                             place=p, date_earliest=r.date_lo, date_latest=r.date_hi)
        out[person.pk] = truth[r.id]
    return out
