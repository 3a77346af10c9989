"""Vetting status, comments, external reviewers and confirmation tasks (services, no pages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.cast import PASSWORD

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier import consents
from dhakira.apps.dossier.models import Information
from dhakira.apps.law import services as law
from dhakira.apps.vetting import comments, reviewers, summary, tasks
from dhakira.apps.vetting.errors import Refused
from dhakira.apps.vetting.models import Step
from dhakira.apps.vetting.status import current_status, set_status
from dhakira.core.vetting import OutOfOrder, VettingError

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _refusals(why: str) -> list[LedgerEntry]:
    return [e for e in LedgerEntry.objects.filter(action="other")
            if e.detail.get("vetting") == "refused" and e.detail.get("why") == why]


def test_each_step_is_a_row_and_a_custody_entry_and_the_status_is_the_latest(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1, r2 = world.reports["R1"], world.reports["R2"]
    assert current_status([r1.pk, r2.pk]) == {r1.pk: "recorded", r2.pk: "recorded"}
    set_status(cast["layla"], [r1.pk], "under_review", reason="starting the review", now=NOW)
    set_status(cast["layla"], [r1.pk], "corroborated", reason="two other witnesses",
               against=[r2.uid, world.acts["K1"].uid], now=NOW)
    assert current_status([r1.pk, r2.pk]) == {r1.pk: "corroborated", r2.pk: "recorded"}
    steps = list(Step.objects.filter(information=r1))
    assert [(s.previous, s.status) for s in steps] == [("recorded", "under_review"),
                                                        ("under_review", "corroborated")]
    entry = LedgerEntry.objects.filter(subject=r1.uid, action="decision").last()
    assert entry.actor == "layla"
    assert entry.detail["vetting"] == "corroborated" and entry.detail["from"] == "under_review"
    assert entry.detail["against"] == f"{world.acts['K1'].uid} {r2.uid}"
    assert len(entry.detail["reason_hmac"]) == 64 and "reason_sha256" not in entry.detail
    with pytest.raises(RuntimeError):
        steps[0].save()  # never an edit in place


def test_an_out_of_order_step_is_refused_in_custody_and_writes_no_step(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    with pytest.raises(OutOfOrder, match="recorded cannot become vetted"):
        set_status(cast["layla"], [r1.pk], "vetted", reason="looks right", now=NOW)
    assert not Step.objects.exists()
    [refusal] = _refusals("out of order")
    assert refusal.subject == r1.uid and refusal.detail["asked"] == "vetted"


def test_several_reports_step_together_or_not_at_all(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1, r2 = world.reports["R1"], world.reports["R2"]
    set_status(cast["layla"], [r1.pk], "under_review", reason="x", now=NOW)
    with pytest.raises(OutOfOrder, match=r2.uid):
        set_status(cast["layla"], [r1.pk, r2.pk], "corroborated", reason="y", now=NOW)
    assert current_status([r1.pk, r2.pk]) == {r1.pk: "under_review", r2.pk: "recorded"}


@pytest.mark.parametrize("name", ["rana", "victor"])
def test_a_role_that_may_not_set_the_status_is_refused_in_custody(cast, world, name) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused, match="your role may not"):
        set_status(cast[name], [world.reports["R1"].pk], "under_review", reason="x", now=NOW)
    assert _refusals("role") and not Step.objects.exists()


def test_bad_input_is_named_and_writes_nothing(cast, world) -> None:  # type: ignore[no-untyped-def]
    pk = world.reports["R1"].pk
    with pytest.raises(VettingError, match="reason is required"):
        set_status(cast["layla"], [pk], "under_review", reason="  ")
    with pytest.raises(VettingError, match="'approved' is not a status"):
        set_status(cast["layla"], [pk], "approved", reason="x")
    with pytest.raises(VettingError, match="no item I-9999999"):
        set_status(cast["layla"], [pk], "under_review", reason="x", against=["I-9999999"])
    assert not Step.objects.exists()


def test_a_compartmented_report_is_refused_to_who_may_not_see_it(cast, world) -> None:  # type: ignore[no-untyped-def]
    secret = world.reports["R3"]
    Information.objects.filter(pk=secret.pk).update(compartment="sources")
    with pytest.raises(Refused, match=f"no report {secret.uid}"):
        set_status(cast["samir"], [secret.pk], "under_review", reason="x", now=NOW)
    assert _refusals("not visible")


def test_a_disagreement_is_kept_beside_the_comment_it_answers(cast, world) -> None:  # type: ignore[no-untyped-def]
    uid = world.reports["R1"].uid
    first = comments.add(cast["layla"], uid, "The date matches the video.", now=NOW)
    comments.add(cast["samir"], uid, "The video is from another square.", stance="disagrees",
                 replies_to=first, now=NOW)
    comments.add(cast["amal"], uid, "Agreed, checked the map.", stance="agrees",
                 replies_to=first, now=NOW)
    [thread] = comments.threads(uid)
    assert thread["comment"] == first
    assert [c.author.username for c in thread["disagree"]] == ["samir"]
    assert [c.author.username for c in thread["agree"]] == ["amal"]
    assert LedgerEntry.objects.filter(subject=uid, action="decision").count() == 3


def test_a_comment_needs_a_role_text_and_a_visible_item(cast, world) -> None:  # type: ignore[no-untyped-def]
    uid = world.reports["R1"].uid
    with pytest.raises(Refused):
        comments.add(cast["victor"], uid, "x")
    with pytest.raises(VettingError, match="empty"):
        comments.add(cast["layla"], uid, "   ")
    with pytest.raises(VettingError, match="which comment"):
        comments.add(cast["layla"], uid, "no", stance="disagrees")
    with pytest.raises(Refused, match="no item I-9999999"):
        comments.add(cast["layla"], "I-9999999", "x")
    assert _refusals("role") and _refusals("not visible")


def test_the_charge_summary_counts_items_by_vetting_bucket(cast, world, charge) -> None:  # type: ignore[no-untyped-def]
    r1, r2 = world.reports["R1"], world.reports["R2"]
    set_status(cast["layla"], [r1.pk, r2.pk], "under_review", reason="x", now=NOW)
    set_status(cast["layla"], [r1.pk], "corroborated", reason="x", now=NOW)
    set_status(cast["layla"], [r1.pk], "vetted", reason="x", now=NOW)
    set_status(cast["layla"], [r2.pk], "disputed", reason="x", now=NOW)
    result = summary.charge_summary(law.matrix_for(charge, cast["layla"], hashes=False))
    per = {e.element_id: e.counts for e in result["elements"]}
    assert per["CAH-PER-1"] == {"vetted": 1, "confirmed": 0, "corroborated": 0,
                                "unconfirmed": 1, "disputed": 1, "withdrawn": 0}
    assert per["CAH-PER-2"]["unconfirmed"] == 1  # the act K2, from the video's reports
    assert result["total"]["vetted"] == 1 and sum(result["total"].values()) == 4


# --- external reviewers ------------------------------------------------------------------

def _reviewer(cast, charge=None, selection=(), days=14):  # type: ignore[no-untyped-def]
    return reviewers.create_reviewer(cast["amal"], "rev.one", PASSWORD, charge=charge,
                                     selection=selection, days=days, now=NOW)


def test_a_reviewer_of_a_charge_sees_its_reports_and_acts_only(cast, world, charge) -> None:  # type: ignore[no-untyped-def]
    grant = _reviewer(cast, charge=charge)
    scope = reviewers.scope_of(grant)
    cited = {world.reports[k].pk for k in ("R1", "R2", "R3", "EXCUL")}
    video = {world.reports[k].pk for k in ("VIDEO", "C1", "C2", "C3")}  # told K2
    assert scope.reports == frozenset(cited | video)
    assert world.acts["K4"].pk not in scope.acts and world.acts["K2"].pk in scope.acts
    from dhakira.apps.twofactor import services as twofactor

    assert twofactor.required_for(grant.user)  # the role must log in with a second factor


def test_a_reviewer_never_sees_a_compartmented_report(cast, world, charge) -> None:  # type: ignore[no-untyped-def]
    Information.objects.filter(pk=world.reports["R3"].pk).update(compartment="sources")
    grant = _reviewer(cast, charge=charge)
    assert world.reports["R3"].pk not in reviewers.scope_of(grant).reports
    with pytest.raises(VettingError, match="of no compartment"):
        reviewers.create_reviewer(cast["amal"], "rev.two", PASSWORD,
                                  selection=[world.reports["R3"].uid], now=NOW)


def test_a_reviewer_vets_in_scope_and_is_refused_outside_after_expiry_and_revocation(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1, r2 = world.reports["R1"], world.reports["R2"]
    set_status(cast["layla"], [r1.pk, r2.pk], "under_review", reason="x", now=NOW)
    grant = _reviewer(cast, selection=[r1.uid], days=7)
    user = grant.user
    set_status(user, [r1.pk], "corroborated", reason="fits the other accounts", now=NOW)
    assert current_status([r1.pk])[r1.pk] == "corroborated"
    with pytest.raises(Refused, match="outside what you were asked"):
        set_status(user, [r2.pk], "corroborated", reason="x", now=NOW)
    with pytest.raises(Refused, match="outside what you were asked"):
        comments.add(user, r2.uid, "x", now=NOW)
    # An item outside the scope to check against is answered as one that does not exist.
    for other in (r2.uid, "I-9999999"):
        with pytest.raises(VettingError, match=f"no item {other} that you may see"):
            set_status(user, [r1.pk], "vetted", reason="x", against=[other], now=NOW)
    with pytest.raises(Refused, match="your role may not"):
        set_status(user, [r1.pk], "withdrawn", reason="x", now=NOW)
    later = NOW + timedelta(days=8)
    with pytest.raises(Refused, match="ended on"):
        set_status(user, [r1.pk], "vetted", reason="x", now=later)
    assert reviewers.revoke(cast["amal"], user, now=NOW)
    with pytest.raises(Refused, match="revoked"):
        comments.add(user, r1.uid, "x", now=NOW)
    user.refresh_from_db()
    assert not user.is_active
    assert _refusals("outside scope") and _refusals("expired") and _refusals("revoked")


def test_only_an_administrator_makes_reviewers_with_one_scope_and_a_bounded_term(cast, world, charge) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.errors import AccountRefused

    with pytest.raises(AccountRefused):
        reviewers.create_reviewer(cast["layla"], "rev.x", PASSWORD, charge=charge)
    with pytest.raises(VettingError, match="not both"):
        reviewers.create_reviewer(cast["amal"], "rev.x", PASSWORD, charge=charge,
                                  selection=[world.reports["R1"].uid])
    with pytest.raises(VettingError, match="1 to 90 days"):
        reviewers.create_reviewer(cast["amal"], "rev.x", PASSWORD, charge=charge, days=365)


# --- confirmation tasks ------------------------------------------------------------------

def _task(cast, world):  # type: ignore[no-untyped-def]
    report = world.reports["R1"]
    victim = world.acts["K1"].victim
    report.persons.add(victim)
    return tasks.assign(cast["layla"], report, victim, with_whom="victim", assignee=cast["rana"],
                        question="Was it in the central square?", now=NOW)


def _consent(cast, person, decision="granted"):  # type: ignore[no-untyped-def]
    consents.record([person], consents.Given(scopes=("recontact",), decision=decision),
                    actor=cast["rana"], now=NOW)


def test_assigning_a_task_puts_the_report_under_review(cast, world) -> None:  # type: ignore[no-untyped-def]
    task = _task(cast, world)
    assert current_status([task.information_id])[task.information_id] == "under_review"
    assert tasks.open_for(cast["rana"]) == [task]


def test_a_confirmation_without_recorded_consent_is_refused_in_custody(cast, world) -> None:  # type: ignore[no-untyped-def]
    task = _task(cast, world)
    with pytest.raises(Refused, match="no recorded consent"):
        tasks.complete(cast["rana"], task, method="call", outcome="confirmed", text="yes", now=NOW)
    _consent(cast, task.person, "refused")
    with pytest.raises(Refused, match="no recorded consent"):
        tasks.complete(cast["rana"], task, method="call", outcome="confirmed", text="yes", now=NOW)
    assert len(_refusals("no consent")) == 2
    task.refresh_from_db()
    assert task.done_at is None and Information.objects.count() == 8


def test_only_the_researcher_completes_a_task(cast, world) -> None:  # type: ignore[no-untyped-def]
    task = _task(cast, world)
    _consent(cast, task.person)
    with pytest.raises(Refused, match="assigned to someone else"):
        tasks.complete(cast["samir"], task, method="call", outcome="confirmed", text="y", now=NOW)
    assert _refusals("not assignee")


def test_a_confirmed_call_is_a_derived_report_and_adds_no_independent_origin(cast, world, charge) -> None:  # type: ignore[no-untyped-def]
    before = law.matrix_for(charge, cast["layla"]).row("CAH-PER-1").independent_origins
    task = _task(cast, world)
    _consent(cast, task.person)
    done = tasks.complete(cast["rana"], task, method="call", outcome="confirmed",
                          text="She confirmed the date and the place.", now=NOW)
    result = done.result
    assert list(result.derived_from.all()) == [task.information]
    assert set(result.acts.all()) == set(task.information.acts.all())
    assert result.channel == "phone_call" and result.connection == "involved_victim"
    assert current_status([task.information_id])[task.information_id] == "confirmed"
    law.record_assessment(cast["layla"], charge, item_uid=result.uid, element_id="CAH-PER-1",
                          stance="supports", standard="reasonable_grounds")
    assert law.matrix_for(charge, cast["layla"]).row("CAH-PER-1").independent_origins == before
    with pytest.raises(VettingError, match="was completed"):
        tasks.complete(cast["rana"], done, method="call", outcome="partly", text="x", now=NOW)
    entry = LedgerEntry.objects.filter(subject=result.uid, action="new_version").get()
    assert entry.detail["derived_from"] == task.information.uid


def test_what_a_person_said_about_a_compartmented_report_stays_in_its_compartment(cast, world) -> None:  # type: ignore[no-untyped-def]
    task = _task(cast, world)
    Information.objects.filter(pk=task.information_id).update(compartment="sources")
    task.information.refresh_from_db()
    _consent(cast, task.person)
    done = tasks.complete(cast["rana"], task, method="call", outcome="partly",
                          text="Her brother saw it.", now=NOW)
    assert done.result.compartment == "sources"


def test_an_unreachable_person_leaves_no_report_and_the_status_as_it_was(cast, world) -> None:  # type: ignore[no-untyped-def]
    task = _task(cast, world)
    _consent(cast, task.person)
    done = tasks.complete(cast["rana"], task, method="call", outcome="unreachable", now=NOW)
    assert done.result is None and done.outcome == "unreachable"
    assert current_status([task.information_id])[task.information_id] == "under_review"


def test_what_is_known_shows_earlier_outcomes(cast, world) -> None:  # type: ignore[no-untyped-def]
    first = _task(cast, world)
    _consent(cast, first.person)
    tasks.complete(cast["rana"], first, method="meeting", outcome="partly",
                   text="Only the date.", now=NOW)
    second = tasks.assign(cast["layla"], first.information, first.person, with_whom="victim",
                          assignee=cast["rana"], now=NOW)
    known = tasks.known(second, cast["rana"])
    assert [t.pk for t in known.earlier] == [first.pk]
    assert [r.text for r in known.derived] == ["Only the date."]
