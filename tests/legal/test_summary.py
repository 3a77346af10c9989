"""The charge summary's pure parts, and the pattern facts read as rows."""

from __future__ import annotations

from datetime import date

import pytest

from dhakira.apps.law import services
from dhakira.apps.law.presentation import GAP_NOTES
from dhakira.apps.law.scope import act_facts, acts_in_scope, scope_facts
from dhakira.apps.law.summary import graded as grade
from dhakira.apps.law.summary import strength, strongest
from dhakira.core.law import RowEntry, StandardOfProof
from dhakira.core.law import _rows as core_rows


def _entry(uid: str, origins: tuple[str, ...], *, standard: str = "credible_allegation",
           reliability: str | None = None, credibility: int | None = None) -> RowEntry:
    return RowEntry(item_id=uid, kind="information", stance="supports",
                    standard_claimed=StandardOfProof(standard), reviewer="layla",
                    reviewed_at=date(2024, 5, 1), note="", source_reliability=reliability,
                    credibility=credibility, sha256=None, origin_ids=origins)


def test_the_strongest_item_has_the_higher_standard_then_the_better_grade() -> None:
    weak = _entry("I-0000001", ("I-0000001",), reliability="C", credibility=3)
    graded = _entry("I-0000002", ("I-0000002",), reliability="A", credibility=2)
    higher = _entry("I-0000003", ("I-0000003",), standard="reasonable_grounds", reliability="F")
    assert [s.entry.item_id for s in strongest([weak, graded, higher])] == [
        "I-0000003", "I-0000002", "I-0000001"]
    assert strength(grade(_entry("x", ("x",), reliability="B"))) < strength(grade(_entry("y", ("y",))))


def test_the_strongest_items_come_from_different_origins_before_copies_of_one() -> None:
    # Three graded copies of one video are one origin: a weaker independent witness is shown
    # before the second copy.
    copies = [_entry(f"I-000000{i}", ("I-0000009",), reliability="A", credibility=1)
              for i in (1, 2, 3)]
    witness = _entry("I-0000004", ("I-0000004",), reliability="D", credibility=4)
    shown = [s.entry.item_id for s in strongest([*copies, witness], n=3)]
    assert shown == ["I-0000001", "I-0000004", "I-0000002"]


def test_an_act_is_ranked_by_the_best_report_it_derives_from() -> None:
    # Acts carry no grade: the one told by an A-graded, confirmed source comes first.
    def act(uid: str, origins: tuple[str, ...]) -> RowEntry:
        return RowEntry(item_id=uid, kind="act", stance="supports",
                        standard_claimed=StandardOfProof("credible_allegation"), reviewer="layla",
                        reviewed_at=date(2024, 5, 1), note="", source_reliability=None,
                        credibility=None, sha256=None, origin_ids=origins)

    grades = {"I-0000001": ("E", 5), "I-0000002": ("A", 1), "I-0000003": ("C", 3)}
    shown = strongest([act("A-000001", ("I-0000001",)), act("A-000002", ("I-0000003",)),
                       act("A-000003", ("I-0000001", "I-0000002"))], grades=grades)
    assert [s.entry.item_id for s in shown] == ["A-000003", "A-000002", "A-000001"]
    assert (shown[0].reliability, shown[0].credibility, shown[0].borrowed) == ("A", 1, True)


def test_every_note_of_the_core_has_a_translation() -> None:
    notes = {core_rows.RULE_63_4_NOTE, core_rows.SINGLE_ORIGIN_NOTE, core_rows.NONE_NOTE}
    assert notes <= set(GAP_NOTES)


@pytest.mark.django_db
@pytest.mark.parametrize("scope", [
    {}, {"date_from": date(2015, 4, 1), "date_to": date(2015, 4, 30)},
    {"ground_tags": ["sexual_orientation"]}, {"ground_tags": ["religious"]}, {"place": "talafar"},
    {"unit": "wilayah"}])
def test_the_pattern_rows_are_the_facts_of_the_acts_in_scope(cast, world, scope) -> None:  # type: ignore[no-untyped-def]
    # The pattern page reads plain rows narrowed in SQL; it must count exactly the acts and
    # facts that acts_in_scope and act_facts give.
    place = scope.pop("place", None)
    unit = scope.pop("unit", None)
    charge = services.create_charge(
        cast["layla"], crime_id="CAH-PERSECUTION", title="scope",
        places=[world.places[place]] if place else [], units=[world.units[unit]] if unit else [],
        **scope)
    expected = act_facts(acts_in_scope(charge))
    assert scope_facts(charge) == expected
    assert expected or scope.get("ground_tags") == ["religious"]


@pytest.mark.django_db
def test_acts_dated_only_by_their_event_or_half_dated_are_in_scope_exactly_when_their_dates_meet_it(
        cast, world) -> None:  # type: ignore[no-untyped-def]
    # The dates are narrowed in SQL through indexes (the act's own date, else its event's);
    # the reference is the plain rule applied to every act in Python.
    from dhakira.apps.dossier.models import Act, Event
    from dhakira.apps.law.scope import _in_dates

    place, victim = world.places["city"], world.victims[1]
    cases = [  # (event earliest, event latest, act earliest, act latest)
        (date(2015, 4, 5), date(2015, 4, 5), None, None), (date(2014, 1, 1), date(2014, 1, 2), None, None),
        (None, None, None, None), (date(2015, 3, 1), date(2015, 6, 1), None, None),
        (date(2016, 1, 1), date(2016, 1, 1), None, date(2015, 4, 20)),
        (date(2015, 4, 10), None, date(2015, 5, 2), None), (None, date(2015, 3, 30), None, None),
        (date(2015, 4, 29), date(2015, 5, 3), date(2015, 4, 1), date(2015, 4, 2))]
    for n, (ev_from, ev_to, act_from, act_to) in enumerate(cases):
        event = Event.objects.create(title=f"dated case {n}", place=place, date_earliest=ev_from,
                                     date_latest=ev_to)
        Act.objects.create(event=event, victim=victim, act_type="killing", place=place,
                           date_earliest=act_from, date_latest=act_to)
    for date_from, date_to in [(date(2015, 4, 1), date(2015, 4, 30)), (None, date(2015, 3, 31)),
                               (date(2015, 5, 1), None)]:
        charge = services.create_charge(cast["layla"], crime_id="CAH-PERSECUTION",
                                        title="dates", date_from=date_from, date_to=date_to)
        expected = [a.pk for a in Act.objects.select_related("event").order_by("pk")
                    if _in_dates(a, date_from, date_to)]
        assert [a.pk for a in acts_in_scope(charge)] == expected
        assert scope_facts(charge) == act_facts(acts_in_scope(charge))
