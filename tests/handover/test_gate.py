"""The consent gate: the latest version decides; recipient-specific beats generic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.dossier import scenario
from tests.handover.conftest import consent, listed

from dhakira.apps.dossier.models import Consent
from dhakira.apps.handover.errors import HandoverError
from dhakira.apps.handover.gate import check_consents

pytestmark = pytest.mark.django_db
ICC = "International Criminal Court"


@pytest.fixture
def victim(cast):  # type: ignore[no-untyped-def]
    return scenario.build().victim


def _check(victim, recipient: str = ICC):  # type: ignore[no-untyped-def]
    return check_consents([victim.pk], recipient=listed(recipient), purpose="share_icc")[victim.pk]


def test_granted_passes(victim, cast) -> None:  # type: ignore[no-untyped-def]
    consent(victim, "granted", by=cast["amal"])
    check = _check(victim)
    assert check.ok and check.decision == "granted" and check.reason == ""


@pytest.mark.parametrize("decision,reason", [("refused", "consent refused"),
                                             ("withdrawn", "consent withdrawn"),
                                             ("ask_again", "consent to be asked again")])
def test_it_blocks_refused_withdrawn_and_ask_again_with_the_reason(victim, cast, decision,  # type: ignore[no-untyped-def]
                                                                   reason) -> None:
    consent(victim, "granted", by=cast["amal"])
    consent(victim, decision, by=cast["amal"])  # version 2 supersedes the grant
    check = _check(victim)
    assert not check.ok and check.version == 2
    assert check.reason == f"{reason} (version 2, generic)"


def test_it_blocks_a_person_with_no_consent_at_all(victim, cast) -> None:  # type: ignore[no-untyped-def]
    consent(victim, "granted", scope="share_ngo", by=cast["amal"])  # another purpose only
    check = _check(victim)
    assert (check.ok, check.decision, check.reason) == (False, "absent",
                                                        "no consent recorded for this purpose")


def test_a_recipient_specific_refusal_beats_a_generic_grant(victim, cast) -> None:  # type: ignore[no-untyped-def]
    consent(victim, "granted", by=cast["amal"])
    consent(victim, "refused", recipient=ICC, by=cast["amal"])
    assert not _check(victim).ok and _check(victim).recipient_specific
    assert _check(victim, "Another court").ok  # the generic grant still holds elsewhere


def test_a_recipient_specific_grant_beats_a_generic_refusal(victim, cast) -> None:  # type: ignore[no-untyped-def]
    consent(victim, "refused", by=cast["amal"])
    consent(victim, "granted", recipient=ICC, by=cast["amal"])
    assert _check(victim).ok
    assert not _check(victim, "Another court").ok


@pytest.mark.parametrize("decision", ["withdrawn", "refused", "ask_again"])
def test_a_later_no_to_anyone_reaches_an_earlier_grant_to_this_recipient(victim, cast,  # type: ignore[no-untyped-def]
                                                                        decision) -> None:
    """A grant to the ICC, then "withdrawn, any recipient": the ICC grant won, because a
    recipient's own chain always beat the generic one (found by a red-team pass)."""
    consent(victim, "granted", recipient=ICC, by=cast["amal"],
            obtained=datetime(2024, 1, 1, tzinfo=UTC))
    consent(victim, decision, by=cast["amal"], obtained=datetime(2024, 6, 1, tzinfo=UTC))
    check = _check(victim)
    assert (check.ok, check.decision, check.recipient_specific) == (False, decision, False)
    # A grant to the ICC obtained after the generic "no" is the person's later word.
    consent(victim, "granted", recipient=ICC, by=cast["amal"],
            obtained=datetime(2024, 9, 1, tzinfo=UTC))
    assert _check(victim).ok


def test_it_rejects_a_purpose_that_is_not_a_consent_scope(victim) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(HandoverError, match="not a consent scope"):
        check_consents([victim.pk], recipient=listed(ICC), purpose="curiosity")


def test_issue17_04_consent_is_matched_by_the_listed_recipient_not_its_spelling(victim, cast, vault) -> None:  # type: ignore[no-untyped-def]
    """The red team's case: consent given to "UN investigative team", a package for UNITAD.
    Consent to another recipient does not pass, and the gate says so; consent to UNITAD's
    row passes whatever the package or form spelled."""
    from dhakira.apps.dossier import recipients

    consent(victim, "granted", scope="share_un_investigators", recipient="UN investigative team",
            by=cast["amal"])
    unitad = recipients.add(code="unitad", name_en="UNITAD", name_ar="يونيتاد",
                            kind="un_mechanism", actor="amal")
    check = check_consents([victim.pk], recipient=unitad, purpose="share_un_investigators")
    blocked = check[victim.pk]
    assert not blocked.ok and blocked.why == "other_recipient"
    assert blocked.others == (listed("UN investigative team").code,)
    assert "given to UN-INVESTIGATIVE-TEAM only" in blocked.reason
    assert recipients.find(" unitad ") == unitad  # the CLI's --recipient, any case
    Consent.objects.create(person=victim, scope="share_un_investigators", recipient=unitad,
                           decision="granted", obtained_at=victim.created_at, obtained_by="rana",
                           recorded_by=cast["amal"])
    assert check_consents([victim.pk], recipient=unitad,
                          purpose="share_un_investigators")[victim.pk].ok


def test_a_grant_to_another_recipient_since_withdrawn_is_not_cited(victim, cast) -> None:  # type: ignore[no-untyped-def]
    """"consent for this use was given to ICC" was said of a person whose ICC grant had been
    withdrawn: every version counted, not each chain's latest (found by an analyst pass)."""
    consent(victim, "granted", recipient=ICC, by=cast["amal"])
    assert _check(victim, "Another court").others == (listed(ICC).code,)
    consent(victim, "withdrawn", recipient=ICC, by=cast["amal"])
    check = _check(victim, "Another court")
    assert (check.why, check.others) == ("absent", ())
