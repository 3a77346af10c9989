"""Issue 15 item 8: merges are shared. The consent gate, the disclosure log and selection read
the one resolution, so a person recorded twice is one person to all of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.handover import dossier
from tests.handover.conftest import consent, listed
from tests.identity.runs import T0, stored_run

from dhakira.apps.dossier.models import Act, Event, Person
from dhakira.apps.handover import build as hb
from dhakira.apps.handover import log, select
from dhakira.apps.handover.summary import reason_category
from dhakira.apps.linkage.models import PersonLink

pytestmark = pytest.mark.django_db
RECIPIENT = "International Criminal Court"


@pytest.fixture
def world(vault, cast):  # type: ignore[no-untyped-def]
    d = dossier.build(with_evidence=False)
    consent(d.base.victim, "granted", by=cast["amal"])
    consent(d.refuser, "refused", by=cast["amal"])
    return d


def _duplicate_of(victim: Person) -> Person:
    """A second mention of the victim, from another report about another event."""
    dup = Person.objects.create(sex=victim.sex)
    Act.objects.create(event=Event.objects.create(title="another synthetic event"), victim=dup,
                       act_type="detention")
    return dup


def _clustered(a: Person, b: Person) -> None:
    """A link run that put the two mentions in one cluster (no reviewer involved)."""
    stored_run([[a.pk, b.pk]])


def _plan(d: dossier.Dossier, tmp_path: Path, user) -> hb.Plan:  # type: ignore[no-untyped-def]
    request = hb.Request(selection=select.select(f"event:{d.base.event.uid}"),
                         recipient=listed(RECIPIENT), purpose="share_icc", policy="anonymised",
                         out_dir=tmp_path / "pkg")
    return hb.plan(request, user=user)


def test_issue_15_item_8_a_withdrawal_on_one_duplicate_blocks_a_package_of_the_other(
        world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dup = _duplicate_of(world.base.victim)
    consent(dup, "granted", by=cast["amal"])
    consent(dup, "withdrawn", by=cast["amal"])
    assert world.base.act.pk in _plan(world, tmp_path, cast["rana"]).acts  # not known as one yet
    _clustered(world.base.victim, dup)
    plan = _plan(world, tmp_path, cast["rana"])
    assert world.base.act.pk not in plan.acts
    reason = (f"{world.base.victim.uid}: consent withdrawn (version 2, generic; recorded on "
              f"{dup.uid}, the same person)")
    assert plan.blocked[world.base.act.uid] == [reason]
    assert reason_category(reason) == "consent withdrawn"  # what the package's summary says


def test_a_reviewers_merge_is_enough_and_a_split_undoes_it(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dup = _duplicate_of(world.base.victim)
    consent(dup, "refused", by=cast["amal"])
    link = PersonLink.objects.create(person=dup, canonical=world.base.victim, created_by="rana",
                                     created_at=T0)
    assert world.base.act.pk not in _plan(world, tmp_path, cast["rana"]).acts
    from dhakira.apps.linkage.services import split

    split(link, actor="amal", reason="different fathers", now=T0)
    assert world.base.act.pk in _plan(world, tmp_path, cast["rana"]).acts


def test_the_log_names_the_holder_when_another_mention_withdraws(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dup = _duplicate_of(world.base.victim)
    _clustered(world.base.victim, dup)
    res = hb.build(hb.Request(selection=select.select(f"event:{world.base.event.uid}"),
                              recipient=listed(RECIPIENT), purpose="share_icc", policy="anonymised",
                              out_dir=tmp_path / "pkg"), user=cast["rana"])
    assert [d.package_id for d in log.holders(dup.pk)] == [res.disclosure.package_id]
    assert log.to_notify(dup.pk) == []
    consent(dup, "withdrawn", by=cast["amal"])
    for asked in (dup.pk, world.base.victim.pk, None):
        assert [(n.person, n.package_id) for n in log.to_notify(asked)] == [
            (world.base.victim.uid, res.disclosure.package_id)]


def test_selecting_a_person_selects_every_mention_of_them(world, cast) -> None:  # type: ignore[no-untyped-def]
    dup = _duplicate_of(world.base.victim)
    alone = set(select.select(f"person:{dup.uid}").acts)
    _clustered(world.base.victim, dup)
    both = set(select.select(f"person:{dup.uid}").acts)
    assert world.base.act.pk not in alone and {world.base.act.pk} | alone <= both


def test_a_withdrawal_on_another_mention_is_noticed_though_this_one_says_ask_again(
        world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The victim's own mention holds "ask again", the other mention a withdrawal: the gate
    names the withdrawal (it named this mention's own blocking decision first), so the
    disclosure log lists the package that went before, as a withdrawal anywhere must."""
    dup = _duplicate_of(world.base.victim)
    _clustered(world.base.victim, dup)
    res = hb.build(hb.Request(selection=select.select(f"event:{world.base.event.uid}"),
                              recipient=listed(RECIPIENT), purpose="share_icc", policy="anonymised",
                              out_dir=tmp_path / "pkg"), user=cast["rana"])
    consent(world.base.victim, "ask_again", by=cast["amal"])
    consent(dup, "withdrawn", by=cast["amal"])
    for asked in (dup.pk, world.base.victim.pk, None):
        assert [(n.person, n.package_id) for n in log.to_notify(asked)] == [
            (world.base.victim.uid, res.disclosure.package_id)], asked
    plan = _plan(world, tmp_path, cast["rana"])
    assert plan.blocked[world.base.act.uid][0].startswith(
        f"{world.base.victim.uid}: consent withdrawn")


def test_the_blocked_reason_does_not_name_a_record_the_builder_may_not_set_beside_it(
        world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The duplicate holds a name from a `protection` report: for rana (not cleared) the
    reason says the withdrawal is on another record of the same person, not which one."""
    from datetime import UTC, datetime

    from dhakira.apps.dossier.models import Information

    dup = _duplicate_of(world.base.victim)
    secret = Information.objects.create(source=world.base.source, channel="phone_call",
                                        received_at=datetime(2015, 1, 1, tzinfo=UTC),
                                        compartment="protection")
    dup.names.create(text="Qzxhidden Victim", script="latn", information=secret)
    consent(dup, "withdrawn", by=cast["amal"])
    _clustered(world.base.victim, dup)
    [said] = _plan(world, tmp_path, cast["rana"]).blocked[world.base.act.uid]
    assert dup.uid not in said and "recorded on another record of the same person" in said
    [said] = _plan(world, tmp_path, cast["amal"]).blocked[world.base.act.uid]
    assert f"recorded on {dup.uid}, the same person" in said


def test_a_grant_never_passes_across_a_join_the_model_alone_made(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The model put two different people in one cluster; the one with no consent passed the
    gate on the other's grant before anyone reviewed the pair (found by an analyst pass: three
    victims of the 1,500-victim demo did). The model's joins may block, never grant; a
    reviewer's merge lets the grant speak for both."""
    from dhakira.apps.handover.gate import check_consents

    other = _duplicate_of(world.refuser)  # someone else entirely, no consent recorded
    _clustered(world.base.victim, other)
    check = check_consents([other.pk], recipient=listed(RECIPIENT), purpose="share_icc")[other.pk]
    assert (check.ok, check.why) == (False, "absent")
    PersonLink.objects.create(person=other, canonical=world.base.victim, created_by="amal",
                              created_at=T0, reason="the same woman: her sister confirmed")
    assert check_consents([other.pk], recipient=listed(RECIPIENT),
                          purpose="share_icc")[other.pk].ok


def test_the_readers_words_say_the_decision_was_recorded_on_another_mention(  # type: ignore[no-untyped-def]
        world, cast, tmp_path) -> None:
    """The check page and the command said "consent withdrawn" of a mention on which nothing
    was recorded; the English reason names the mention it was recorded on, and now the
    reader's words do too (found by an analyst pass)."""
    from django.utils import translation

    from dhakira.apps.handover.reasons import in_words

    dup = _duplicate_of(world.base.victim)
    consent(dup, "withdrawn", by=cast["amal"])
    _clustered(world.base.victim, dup)
    plan = _plan(world, tmp_path, cast["rana"])
    reasons = plan.blocked[world.base.act.uid]
    with translation.override("en"):
        assert in_words(reasons, plan.checks) == [
            (world.base.victim.uid, f"consent withdrawn (recorded on {dup.uid}, the same person)")]
    with translation.override("ar"):
        said = in_words(reasons, plan.checks)[0][1]
    assert dup.uid in said and "recorded" not in said


def test_an_approved_override_lets_the_persons_name_go_under_every_mention(  # type: ignore[no-untyped-def]
        world, cast, tmp_path) -> None:
    """A withdrawal recorded on a second mention of the victim, overridden with a second
    person's approval: the name was still scrubbed, because only the selected mention left
    the set of people who said no (found by the review of this change)."""
    from dhakira.apps.dossier.models import NameVariant

    dup = _duplicate_of(world.base.victim)
    for v in world.base.victim.names.all():
        NameVariant.objects.create(person=dup, text=v.text, script=v.script, key=v.key)
    consent(dup, "withdrawn", by=cast["amal"])
    _clustered(world.base.victim, dup)
    info = world.base.information
    request = hb.Request(selection=select.select(f"item:{info.uid}"), recipient=listed(RECIPIENT),
                         purpose="share_icc", policy="full", out_dir=tmp_path / "pkg",
                         override_reason="the court ordered it")
    res = hb.build(request, user=cast["rana"], override_by=cast["layla"])
    text = (res.package.directory / "files" / f"{info.uid}.txt").read_text()
    assert "محمد علي حسين" in text, text


def test_a_join_the_link_run_made_itself_lets_no_grant_pass(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """With auto_link on, a run accepts its surest pairs itself: those are the model's joins,
    not a reviewer's, and a grant must not pass across them (found by the review of this
    change)."""
    from tests.identity.conftest import new_run

    from dhakira.apps.handover.gate import check_consents
    from dhakira.apps.linkage.models import CandidatePair
    from dhakira.apps.linkage.services import decide

    other = _duplicate_of(world.refuser)
    a, b = sorted((world.base.victim, other), key=lambda p: p.pk)
    pair = CandidatePair.objects.create(run=new_run(), left=a, right=b, match_weight=12.0,
                                        probability=0.9999, levels={})
    decide(pair, actor="amal", status="accepted", reason="auto-linked: match probability ≥ 0.999")
    check = check_consents([other.pk], recipient=listed(RECIPIENT), purpose="share_icc")[other.pk]
    assert not check.ok
    decide(pair, actor="amal", status="accepted", reason="the same woman: checked by phone")
    assert check_consents([other.pk], recipient=listed(RECIPIENT), purpose="share_icc")[other.pk].ok
