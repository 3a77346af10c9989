"""Saving a report: everything in one transaction, a custody entry, nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.intake import (
    ActIn,
    PerpetratorIn,
    ReportIn,
    VictimIn,
    save_report,
    script_of,
)
from dhakira.apps.dossier.models import (
    Act,
    Consent,
    Event,
    Information,
    Involvement,
    NameVariant,
    Person,
    Place,
    Source,
)
from dhakira.core.names import name_key

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def user():  # type: ignore[no-untyped-def]
    return get_user_model().objects.create(username="rana")


def _report(**changes: object) -> ReportIn:
    base = ReportIn(
        source_code="NINAWA-99", received_at=datetime(2014, 11, 2, 10, tzinfo=UTC),
        channel="phone_call", event_title="Execution in the square", date_text="late October 2014",
        place_text="Qaraqosh (as typed)", consent_decision="granted", consent_scopes=("share_icc",),
        victims=(VictimIn(("محمّد علي حسين", "Mohammed Ali Hussein"), 31, "male"),
                 VictimIn(("Khalid Saleh Omar",))),
        acts=(ActIn("killing", None, "shooting", "killed", "الردة"),),
        perpetrators=(PerpetratorIn("directly_carried_out", "أبو عمر الشامي"),))
    return ReportIn(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_it_writes_every_row_of_a_report(user) -> None:  # type: ignore[no-untyped-def]
    info = save_report(_report(), actor=user, now=NOW)
    event = Event.objects.get()
    assert (event.date_earliest.isoformat(), event.date_latest.isoformat()) == ("2014-10-21", "2014-10-31")
    assert event.place and event.place.name_en == "Qaraqosh (as typed)" and event.place.latitude is None
    assert Act.objects.filter(event=event).count() == 2  # one act per victim
    assert Involvement.objects.count() == 2
    assert info.persons.count() == 3 and Consent.objects.count() == 2
    variant = NameVariant.objects.get(text="محمّد علي حسين")
    assert (variant.script, variant.key, variant.source, variant.information) == (
        "arab", name_key("محمد علي حسين"), info.source, info)


def test_it_records_a_custody_entry_for_the_report(user) -> None:  # type: ignore[no-untyped-def]
    info = save_report(_report(), actor=user, now=NOW)
    entry = LedgerEntry.objects.get(subject=info.uid)
    assert (entry.actor, entry.action) == ("rana", "new_version")


def test_it_reuses_a_known_source_and_a_gazetteer_place(user) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.create(code_name="NINAWA-99", reliability="b")
    mosul = Place.objects.create(name_en="Mosul", name_ar="الموصل", kind="city")
    info = save_report(_report(place=mosul, place_text=""), actor=user, now=NOW)
    assert info.source == source and Event.objects.get().place == mosul
    assert Source.objects.count() == 1 and Place.objects.count() == 1


def test_it_writes_nothing_when_a_late_row_is_invalid(user) -> None:  # type: ignore[no-untyped-def]
    bad = _report(perpetrators=(PerpetratorIn("not_a_degree", "أبو عمر"),))
    with pytest.raises(ValidationError):
        save_report(bad, actor=user, now=NOW)
    for model in (Information, Source, Event, Person, NameVariant, Act, Involvement, Consent, Place):
        assert not model.objects.exists(), model.__name__
    assert not LedgerEntry.objects.exists()


def test_it_applies_an_act_to_one_victim_when_asked(user) -> None:  # type: ignore[no-untyped-def]
    save_report(_report(acts=(ActIn("abduction_disappearance", 1),)), actor=user, now=NOW)
    act = Act.objects.get()
    assert act.victim.names.first().text == "Khalid Saleh Omar"  # type: ignore[union-attr]


def test_it_keeps_an_unreadable_date_verbatim_without_bounds(user) -> None:  # type: ignore[no-untyped-def]
    save_report(_report(date_text="the day the bridge fell"), actor=user, now=NOW)
    event = Event.objects.get()
    assert (event.date_text, event.date_earliest, event.date_latest) == ("the day the bridge fell", None, None)


def test_it_tells_scripts_apart() -> None:
    assert (script_of("محمد"), script_of("Mohammed"), script_of("Abu محمد")) == ("arab", "latn", "arab")


def test_it_backfills_missing_name_keys_once() -> None:
    person = Person.objects.create()
    NameVariant.objects.create(person=person, text="محمّد علي", script="arab")
    NameVariant.objects.create(person=person, text="—", script="latn")
    NameVariant.objects.update(key="")  # as a bulk loader leaves them
    from dhakira.apps.dossier.intake import backfill_name_keys

    assert backfill_name_keys(batch=1) == 1
    assert NameVariant.objects.get(text="محمّد علي").key == name_key("محمد علي")
    assert backfill_name_keys() == 0
