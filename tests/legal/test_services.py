"""Charges, assessments and the matrix built from the database, on the hand-built scenario."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.law import items, services
from dhakira.apps.law.errors import NotAllowed, UnknownItem
from dhakira.apps.law.models import ElementAssessment
from dhakira.apps.law.perpetrators import person_profile, unit_profile
from dhakira.apps.law.scope import acts_in_scope
from dhakira.core.law.errors import BeyondReasonableDoubtRefused, UnknownElementError

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 1, tzinfo=UTC)


def _charge(cast, world, **extra):  # type: ignore[no-untyped-def]
    return services.create_charge(
        cast["layla"], crime_id="CAH-PERSECUTION", title="Persecution, Ninawa",
        places=[world.places["ninawa"]], date_from=date(2014, 6, 1), date_to=date(2017, 12, 31),
        ground_tags=["sexual_orientation"], **extra)


def _assess(cast, charge, uid, element, stance="supports", standard="reasonable_grounds"):  # type: ignore[no-untyped-def]
    return services.record_assessment(cast["layla"], charge, item_uid=uid, element_id=element,
                                      stance=stance, standard=standard, now=NOW)


def test_three_independent_reports_count_three_and_three_copies_of_one_video_count_one(cast, world):  # type: ignore[no-untyped-def]
    charge = _charge(cast, world)
    for key in ("R1", "R2", "R3"):
        _assess(cast, charge, world.reports[key].uid, "CAH-PER-1")
    for key in ("C1", "C2", "C3"):
        _assess(cast, charge, world.reports[key].uid, "CAH-PER-2")
    matrix = services.matrix_for(charge)
    assert matrix.row("CAH-PER-1").independent_origins == 3
    assert matrix.row("CAH-PER-2").independent_origins == 1
    assert matrix.row("CAH-PER-2").origin_ids == (world.reports["VIDEO"].uid,)
    assert matrix.row("CAH-PER-2").gap == "single_origin"
    assert matrix.row("CAH-PER-1").gap is None


def test_an_act_counts_the_origins_of_the_reports_that_describe_it(cast, world):  # type: ignore[no-untyped-def]
    charge = _charge(cast, world)
    _assess(cast, charge, world.acts["K1"].uid, "CAH-PER-1")
    _assess(cast, charge, world.acts["K2"].uid, "CAH-PER-2")
    matrix = services.matrix_for(charge)
    assert matrix.row("CAH-PER-1").independent_origins == 3
    assert matrix.row("CAH-PER-2").independent_origins == 1


def test_an_element_with_nothing_is_reported_as_a_gap(cast, world):  # type: ignore[no-untyped-def]
    charge = _charge(cast, world)
    _assess(cast, charge, world.reports["R1"].uid, "CAH-PER-1")
    matrix = services.matrix_for(charge)
    gaps = {row.element_id: row.gap for row in matrix.gaps()}
    assert gaps["CAH-PER-4"] == "none"
    assert "CAH-CTX-3" in gaps


def test_an_exculpatory_item_stays_visible(cast, world):  # type: ignore[no-untyped-def]
    charge = _charge(cast, world)
    _assess(cast, charge, world.reports["EXCUL"].uid, "CAH-PER-3", stance="undermines",
            standard="unverified_allegation")
    row = services.matrix_for(charge).row("CAH-PER-3")
    assert [e.item_id for e in row.undermining] == [world.reports["EXCUL"].uid]
    assert row.supporting == ()


def test_a_sexual_orientation_killing_routes_to_murder_and_persecution_not_genocide(world):  # type: ignore[no-untyped-def]
    crimes = services.candidate_crimes_for(world.acts["K1"])
    assert {"CAH-MURDER", "CAH-PERSECUTION"} <= set(crimes)
    assert not [c for c in crimes if c.startswith("GEN-")]


def test_it_refuses_beyond_reasonable_doubt_and_writes_nothing(cast, world):  # type: ignore[no-untyped-def]
    charge = _charge(cast, world)
    with pytest.raises(BeyondReasonableDoubtRefused):
        _assess(cast, charge, world.reports["R1"].uid, "CAH-PER-1", standard="beyond reasonable doubt")
    assert not ElementAssessment.objects.exists()


def test_it_rejects_an_element_of_another_crime_and_an_unknown_item(cast, world):  # type: ignore[no-untyped-def]
    charge = _charge(cast, world)
    with pytest.raises(UnknownElementError):
        _assess(cast, charge, world.reports["R1"].uid, "GEN-KIL-1")
    with pytest.raises(UnknownItem):
        _assess(cast, charge, "I-9999999", "CAH-PER-1")


def test_each_assessment_writes_a_decision_custody_entry(cast, world):  # type: ignore[no-untyped-def]
    charge = _charge(cast, world)
    row = _assess(cast, charge, world.reports["R1"].uid, "CAH-PER-1")
    entry = LedgerEntry.objects.get(subject=row.uid)
    assert entry.action == "decision" and entry.actor == "layla"
    assert entry.detail["element"] == "CAH-PER-1" and entry.detail["charge"] == charge.uid


def test_a_batch_of_assessments_writes_one_entry_each_or_nothing_at_all(cast, world):  # type: ignore[no-untyped-def]
    charge = _charge(cast, world)
    planned = [services.PlannedAssessment(item_uid=world.reports[k].uid, element_id=e,
                                          stance="supports", standard="reasonable_grounds")
               for k, e in (("R1", "CAH-PER-1"), ("R2", "CAH-PER-1"), ("R3", "CAH-PER-2"))]
    rows = services.record_assessments(cast["layla"], charge, planned, now=NOW)
    entries = list(LedgerEntry.objects.filter(subject__in=[r.uid for r in rows]).order_by("seq"))
    assert [e.subject for e in entries] == [r.uid for r in rows]  # one each, in order
    assert [e.detail["item"] for e in entries] == [p.item_uid for p in planned]
    assert [e.detail["element"] for e in entries] == ["CAH-PER-1", "CAH-PER-1", "CAH-PER-2"]
    before = (ElementAssessment.objects.count(), LedgerEntry.objects.count())
    for bad in (services.PlannedAssessment(item_uid="I-9999999", element_id="CAH-PER-1",
                                           stance="supports", standard="reasonable_grounds"),
                services.PlannedAssessment(item_uid=world.reports["R1"].uid,
                                           element_id="GEN-KIL-1", stance="supports",
                                           standard="reasonable_grounds")):
        with pytest.raises((UnknownItem, UnknownElementError)):  # the last one refused
            services.record_assessments(cast["layla"], charge, [*planned, bad], now=NOW)
        assert (ElementAssessment.objects.count(), LedgerEntry.objects.count()) == before


def test_a_viewer_or_documenter_cannot_change_legal_analysis(cast, world):  # type: ignore[no-untyped-def]
    for name in ("victor", "rana"):
        with pytest.raises(NotAllowed):
            services.create_charge(cast[name], crime_id="CAH-MURDER", title="x")


def test_scope_takes_places_inside_and_leaves_out_other_governorates(cast, world):  # type: ignore[no-untyped-def]
    charge = _charge(cast, world)
    uids = {a.uid for a in acts_in_scope(charge)}
    assert uids == {world.acts[k].uid for k in ("K1", "K2", "K3")}
    summary = services.patterns_for(charge)
    assert summary.total == 3 and summary.distinct_districts == 2
    assert summary.modus_operandi[0].count == 3 and summary.public_count == 3


def test_scope_by_dates_drops_acts_outside_the_range(cast, world):  # type: ignore[no-untyped-def]
    charge = services.create_charge(cast["layla"], crime_id="CAH-MURDER", title="April",
                                    date_from=date(2015, 4, 1), date_to=date(2015, 4, 30))
    assert [a.uid for a in acts_in_scope(charge)] == [world.acts["K2"].uid]


def test_information_hash_is_of_its_text_and_evidence_free_items_load_lineage(world):  # type: ignore[no-untyped-def]
    found = items.load_items([world.reports["C1"].uid])
    assert world.reports["VIDEO"].uid in found
    assert found[world.reports["C1"].uid].sha256 == items.text_sha256(world.reports["C1"].text)


def test_perpetrator_profile_shows_chain_of_command_and_modes(world):  # type: ignore[no-untyped-def]
    profile = person_profile(world.member)
    assert [link.uid for link in profile.above] == [world.emir.uid]
    assert "LIA-25-3-a-DIRECT" in {m.mode_id for m in profile.modes}
    boss = person_profile(world.emir)
    assert [link.uid for link in boss.below] == [world.member.uid]
    ordering = [m for m in boss.modes if "gave_orders" in m.degrees]
    assert ordering and world.reports["R1"].uid in ordering[0].item_uids
    hisba = unit_profile(world.units["hisba"])
    assert [link.uid for link in hisba.above] == [world.units["wilayah"].uid]


def test_demo_charge_is_created_once_with_automatic_assessments(cast, world):  # type: ignore[no-untyped-def]
    charge = services.ensure_demo_charge(cast["amal"], now=NOW)
    assert services.ensure_demo_charge(cast["amal"], now=NOW).pk == charge.pk
    rows = ElementAssessment.objects.filter(charge=charge)
    assert {r.item_uid for r in rows} == {world.acts[k].uid for k in ("K1", "K2", "K3")}
    assert {r.standard_claimed for r in rows} == {"credible_allegation"}
    assert {r.reviewer.username for r in rows} == {"amal"}
    assert "CAH-PER-1" in {r.element_id for r in rows}


def test_the_matrix_looks_up_the_clearance_of_each_item_once(cast, world):  # type: ignore[no-untyped-def]
    """The assessed items' compartments are read once; the second look-up, for their lineage,
    asks about the origins not already checked only (it asked about every item again)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    charge = _charge(cast, world)
    for key in ("R1", "R2", "R3", "C1", "C2", "C3"):  # the copies derive from one video
        _assess(cast, charge, world.reports[key].uid, "CAH-PER-1")
    with CaptureQueriesContext(connection) as seen:
        matrix = services.matrix_for(charge, cast["layla"], hashes=False)
    lookups = [re.search(r'"dossier_information"\."id" IN \(([^)]*)\)', q["sql"])
               for q in seen.captured_queries
               if '"dossier_information"."compartment" AS "compartment" FROM' in q["sql"]]
    assert [len(m.group(1).split(",")) for m in lookups if m] == [6, 1]  # was [6, 7]
    assert matrix.row("CAH-PER-1").independent_origins == 4  # R1, R2, R3 and the video


def test_the_perpetrators_list_names_each_involved_person_once_in_order_up_to_its_limit(world):  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import Involvement, Person
    from dhakira.apps.law.perpetrators import perpetrators

    act = next(iter(world.acts.values()))
    # People with no involvement between and after the involved ones, and a unit-only row.
    spread = [Person.objects.create(sex="male") for _ in range(7)]
    for person in spread[1::2]:
        Involvement.objects.create(act=act, perpetrator=person, degree="gave_orders")
        Involvement.objects.create(act=act, perpetrator=person, degree="directly_carried_out")
    Involvement.objects.create(act=act, unit=world.units["hisba"], degree="gave_orders")
    expected = list(Involvement.objects.filter(perpetrator__isnull=False)
                    .order_by("perpetrator_id").values_list("perpetrator_id", flat=True)
                    .distinct())
    assert len(expected) == len(set(expected)) >= 5
    people, units = perpetrators()
    assert people == expected
    assert perpetrators(limit=3)[0] == expected[:3]
    assert [u.pk for u in units] == [world.units["hisba"].pk]
