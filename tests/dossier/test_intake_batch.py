"""Issue 20, item 4: the report intake in batches (``save_reports``), the same rows as one at a time.

An import writes thousands of reports; ``save_reports`` writes them a batch at a time through
the one intake. These tests hold it to what ``save_report`` writes for each report (rows, name
keys and parts, custody entry, search document), to all or nothing for the batch, and to a
number of statements that does not grow with every report.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.intake import (
    ActIn,
    PerpetratorIn,
    ReportIn,
    VictimIn,
    save_report,
    save_reports,
)
from dhakira.apps.dossier.models import (
    Act,
    Event,
    Information,
    Involvement,
    NamePart,
    NameVariant,
    Person,
    Place,
    Source,
)
from dhakira.apps.search import services as search
from dhakira.apps.search.models import SearchDocument
from dhakira.core.custody import verify_chain

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def user():  # type: ignore[no-untyped-def]
    return get_user_model().objects.create(username="rana")


def _report(i: int, place: Place | None = None, **changes: object) -> ReportIn:
    base = ReportIn(
        source_code=f"NINAWA-{i % 3:02d}", received_at=datetime(2014, 11, 2, 10, tzinfo=UTC),
        channel="phone_call", event_title=f"Raid number {i}", date_text="late October 2014",
        place=place, text=f"شهادة رقم {i} عن مداهمة",
        victims=(VictimIn((f"محمّد علي {i}", f"Mohammed Ali {i}"), 20 + i, "male"),
                 VictimIn((f"Khalid Saleh {i}",))),
        acts=(ActIn("killing", None, "shooting", "killed"),),
        perpetrators=(PerpetratorIn("directly_carried_out", f"أبو عمر {i}"),))
    return ReportIn(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def _shape(info: Information) -> dict[str, Any]:
    """Everything a report wrote, without its ids: to compare a batch with one at a time."""
    event = info.events.get()
    doc = SearchDocument.objects.get(information=info)
    entry = LedgerEntry.objects.get(subject=info.uid)
    return {
        "info": (info.source.code_name, info.channel, info.language, info.text, info.created_by_id),
        "event": (event.title, event.place_id, event.date_earliest, event.date_latest,
                  event.date_edtf),
        "persons": sorted((p.age or -1, p.sex, tuple(sorted((n.text, n.script, n.key, n.source_id)
                                                     for n in p.names.all())))
                          for p in info.persons.all()),
        "name_parts": sorted(NamePart.objects.filter(variant__information=info)
                             .values_list("key", flat=True)),
        "acts": sorted((a.act_type, a.method, a.result, a.place_id, a.date_earliest,
                        a.victim.names.first().text) for a in info.acts.all()),
        "involvements": sorted((i.degree, i.perpetrator.names.get().text)
                               for i in Involvement.objects.filter(act__information=info)),
        "search": (doc.source_id, doc.place_id, doc.key, doc.compartment, doc.mime),
        "custody": (entry.actor, entry.action, {k: v for k, v in entry.detail.items()
                                                if k != "event"}),
        "custody_event": entry.detail["event"] == event.uid,
    }


def test_a_batch_writes_what_each_report_saved_alone_writes(user) -> None:  # type: ignore[no-untyped-def]
    mosul = Place.objects.create(name_en="Mosul", name_ar="الموصل", kind="city")
    alone = [save_report(_report(i, mosul), actor=user, now=NOW) for i in range(4)]
    shapes_alone = [_shape(info) for info in alone]  # the sources exist from here on
    batch = save_reports([_report(i, mosul) for i in range(4)], actor=user, now=NOW)
    assert [_shape(info) for info in batch] == shapes_alone
    assert shapes_alone[0]["custody"][2] == {"persons": 3, "acts": 2, "files": ""}
    assert [info.pk for info in batch] == sorted(info.pk for info in batch)  # in order given
    # One custody entry per report, in the batch's order, and the chain still verifies.
    news = LedgerEntry.objects.filter(action="new_version").order_by("seq")
    assert [e.subject for e in news][-4:] == [info.uid for info in batch]
    assert verify_chain(list(store.entries()), store.public_keys()).ok


def test_a_batch_finds_each_source_once_and_makes_a_new_one_once(user) -> None:  # type: ignore[no-untyped-def]
    Source.objects.create(code_name="NINAWA-00", reliability="b")
    infos = save_reports([_report(i, source_code=code) for i, code in
                          enumerate(["ninawa-00", "NEW-1", "new-1", "NINAWA-00"])],
                         actor=user, now=NOW)
    assert [i.source.code_name for i in infos] == ["NINAWA-00", "NEW-1", "NEW-1", "NINAWA-00"]
    assert Source.objects.count() == 2


def test_one_bad_report_and_nothing_of_the_batch_is_written(user) -> None:  # type: ignore[no-untyped-def]
    before = LedgerEntry.objects.count()
    reports = [_report(0), _report(1, acts=(ActIn("not-a-term"),)), _report(2)]
    with pytest.raises(ValidationError) as raised:
        save_reports(reports, actor=user, now=NOW)
    assert "act_type" in raised.value.message_dict
    assert not (Information.objects.exists() or Event.objects.exists() or Person.objects.exists()
                or Act.objects.exists() or NameVariant.objects.exists()
                or SearchDocument.objects.exists() or Source.objects.exists())
    assert LedgerEntry.objects.count() == before


def test_a_perpetrator_with_neither_name_nor_unit_is_refused_in_a_batch(user) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        save_reports([_report(0), _report(1, perpetrators=(PerpetratorIn("gave_orders"),))],
                     actor=user, now=NOW)
    assert not Information.objects.exists()


def test_rows_inserted_together_lose_bidi_controls_like_saved_rows(user) -> None:  # type: ignore[no-untyped-def]
    spoof = "\u202eأحمد\u202c"
    info = save_reports([_report(0, victims=(VictimIn((spoof,)),), event_title=f"t {spoof}")],
                        actor=user, now=NOW)[0]
    assert info.acts.get().victim.names.get().text == "أحمد"
    assert info.events.get().title == "t أحمد"


def test_a_batch_is_found_by_search_with_its_place(user) -> None:  # type: ignore[no-untyped-def]
    mosul = Place.objects.create(name_en="Mosul", name_ar="الموصل", kind="city")
    infos = save_reports([_report(i, mosul if i % 2 else None) for i in range(6)],
                         actor=user, now=NOW)
    hits = search.search("مداهمة", filters=search.Filters(place="Mosul"), limit=50)
    assert sorted(h.ref for h in hits) == sorted(i.uid for i in infos[1::2])


def test_the_statements_of_a_batch_do_not_grow_with_each_report(
        user, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    mosul = Place.objects.create(name_en="Mosul", name_ar="الموصل", kind="city")
    save_reports([_report(0, mosul)], actor=user, now=NOW)  # the sources exist from here on
    with django_assert_max_num_queries(60):  # one at a time: about 35 per row of an import
        infos = save_reports([_report(i, mosul) for i in range(200)], actor=user, now=NOW)
    assert len(infos) == 200 and Information.objects.count() == 201
