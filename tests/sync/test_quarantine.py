"""Issue 19 item 2: bundles of a revoked kit made after its revocation time are kept in
quarantine, and the office reviews them: listed, shown (counts and ids, never a value),
accepted (merged by the same code path as any receive, still refused when replayed or
altered) or rejected (kept, nothing merged); every decision a custody entry."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.cast import client_for
from tests.sync.fakekit import FakeKit
from tests.sync.test_receive import hq, kit  # noqa: F401 - the office and its enrolled kit

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import Person, ProtectedValue
from dhakira.apps.fieldkit import office, quarantine
from dhakira.apps.fieldkit.models import Origin, QuarantineReview, Received
from dhakira.apps.fieldkit.records import content_hash
from dhakira.core.custody import verify_chain
from dhakira.core.sync import BundleRefused, SyncError

ADDRESS = "9 Synthetic Quarantine Road"  # a protected value: never shown by the review


def _protected_person(device: FakeKit, n: int) -> dict:  # type: ignore[type-arg]
    record = device.person(n)
    record["fields"]["protected"] = [["address", "", ADDRESS]]
    record["hash"] = content_hash("person", record["fields"])
    return record


def _quarantine(hq, kit: FakeKit, seq: int = 1, n: int = 1) -> int:  # type: ignore[no-untyped-def]  # noqa: F811
    """Revoke the kit at T; a bundle it made after T is refused and held. Returns its id."""
    user, card = hq
    at = datetime.now(UTC) - timedelta(minutes=5)
    if office._device("kit-a").revoked_at is None:
        office.revoke("kit-a", at=at, actor="amal")
    sealed = kit.bundle(card, [_protected_person(kit, n)], seq=seq, made_at=at + timedelta(minutes=1))
    with pytest.raises(BundleRefused, match="revoked"):
        office.receive(sealed, actor=user)
    return Received.objects.filter(outcome="quarantined").latest("pk").pk


def test_a_revoked_kits_later_bundle_is_listed_and_shown_without_its_values(hq, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    pk = _quarantine(hq, kit)
    [item] = quarantine.held()
    assert (item.pk, item.device, item.seq, item.reason) == (pk, "kit-a", 1, "revoked")
    assert item.size == office.quarantine_path(item.sealed_sha256).stat().st_size > 0
    seen = quarantine.contents(pk)
    assert seen.counts == {"person": 1} and seen.protected_values == 1
    assert [(r.kind, r.gid, r.status) for r in seen.records] == [
        ("person", f"{kit.signer.key_id}/P-000001", "new")]
    assert seen.custody_entries == 1 and seen.would_refuse == ""
    assert ADDRESS not in repr(seen) and "Synthetic Name" not in repr(seen)
    assert quarantine.waiting() == 1
    assert Person.objects.count() == 0  # looking merges nothing


def test_accepting_merges_as_a_receive_does_and_custody_says_who_and_why(hq, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    user, _ = hq
    pk = _quarantine(hq, kit)
    sealed = office.quarantine_path(quarantine.get(pk).sealed_sha256).read_bytes()
    result = quarantine.accept(pk, reason="the kit was with our team on that day", actor=user)
    assert result.merged == {"person": 1} and result.custody_entries == 1
    assert ProtectedValue.objects.get().value == ADDRESS  # filed in its compartment
    review = QuarantineReview.objects.get()
    assert (review.bundle_id, review.choice, review.decided_by) == (pk, "accepted", "amal")
    assert review.merged is not None and review.merged.outcome == "merged"
    [decision] = [e for e in LedgerEntry.objects.filter(action="decision")
                  if "quarantine" in e.detail]
    assert decision.actor == "amal" and decision.detail["quarantine"] == "accepted"
    assert decision.detail["reason"] == "the kit was with our team on that day"
    assert ADDRESS not in str([e.detail for e in LedgerEntry.objects.all()])
    assert quarantine.held() == [] and quarantine.waiting() == 0
    [decided] = quarantine.held(decided=True)
    assert decided.review is not None and decided.review.choice == "accepted"
    assert office.quarantine_path(decided.sealed_sha256).read_bytes() == sealed  # kept
    # The office's chain and the kit's verify, as `dhakira verify` checks them.
    assert verify_chain(list(store.entries()), store.public_keys()).ok
    assert [c.problems for c in office.verify_devices(list(store.entries()))] == [()]
    with pytest.raises(SyncError, match="accepted already"):
        quarantine.accept(pk, reason="again", actor=user)
    with pytest.raises(SyncError, match="accepted already"):
        quarantine.reject(pk, reason="too late", actor=user)


def test_rejecting_keeps_the_file_merges_nothing_and_is_in_custody(hq, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    user, _ = hq
    pk = _quarantine(hq, kit)
    item = quarantine.get(pk)
    entries = LedgerEntry.objects.count()
    quarantine.reject(pk, reason="made after the kit was seized", actor=user)
    assert Person.objects.count() == 0 and Origin.objects.count() == 0
    assert LedgerEntry.objects.count() == entries + 1
    entry = LedgerEntry.objects.latest("seq")
    assert entry.detail["quarantine"] == "rejected" and entry.subject_hash == item.sealed_sha256
    assert office.quarantine_path(item.sealed_sha256).exists()
    assert quarantine.held() == [] and quarantine.held(decided=True)[0].review.choice == "rejected"  # type: ignore[union-attr]
    with pytest.raises(SyncError, match="rejected already"):
        quarantine.accept(pk, reason="changed my mind", actor=user)
    # Offered again, it is quarantined again and still counts as rejected.
    with pytest.raises(BundleRefused, match="revoked"):
        office.receive(office.quarantine_path(item.sealed_sha256).read_bytes(), actor=user)
    assert quarantine.held() == []


def test_a_tampered_quarantined_file_is_refused_and_still_waits(hq, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    user, card = hq
    pk = _quarantine(hq, kit)
    path = office.quarantine_path(quarantine.get(pk).sealed_sha256)
    good = path.read_bytes()
    path.write_bytes(good[:-40] + bytes([good[-40] ^ 1]) + good[-39:])
    entries = LedgerEntry.objects.count()
    with pytest.raises(BundleRefused) as caught:
        quarantine.accept(pk, reason="looks fine", actor=user)
    assert caught.value.kind == "altered"
    assert Person.objects.count() == 0 and not QuarantineReview.objects.exists()
    assert LedgerEntry.objects.count() == entries + 1
    assert LedgerEntry.objects.latest("seq").detail["refused"] == "altered"
    # Another good bundle of the same kit put in its place is not the bundle received either.
    path.write_bytes(kit.bundle(card, [kit.person(3)], seq=1,
                                made_at=datetime.now(UTC) - timedelta(minutes=1)))
    with pytest.raises(BundleRefused, match="changed on disk"):
        quarantine.accept(pk, reason="looks fine", actor=user)
    with pytest.raises(BundleRefused, match="changed on disk"):
        quarantine.contents(pk)
    assert Person.objects.count() == 0 and [h.pk for h in quarantine.held()] == [pk]


def test_accepting_a_bundle_older_than_one_merged_is_refused_as_a_replay(hq, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    user, _ = hq
    first = _quarantine(hq, kit, seq=1, n=1)
    kit.log("P-000002")
    second = _quarantine(hq, kit, seq=2, n=2)
    quarantine.accept(second, reason="checked with the team", actor=user)
    assert "replay" in quarantine.contents(first).would_refuse
    with pytest.raises(BundleRefused) as caught:
        quarantine.accept(first, reason="checked with the team", actor=user)
    assert caught.value.kind == "replay"
    assert Origin.objects.count() == 1 and [h.pk for h in quarantine.held()] == [first]


def test_a_decision_needs_a_reason_and_a_user_who_may_write(hq, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from django.contrib.auth import get_user_model

    user, _ = hq
    pk = _quarantine(hq, kit)
    with pytest.raises(SyncError, match="reason"):
        quarantine.reject(pk, reason="   ", actor=user)
    viewer = get_user_model().objects.get(username="victor")
    with pytest.raises(SyncError, match="may not decide"):
        quarantine.accept(pk, reason="a viewer tries", actor=viewer)
    with pytest.raises(SyncError, match="no bundle Q-000999"):
        quarantine.accept(999, reason="nothing there", actor=user)
    assert not QuarantineReview.objects.exists() and Person.objects.count() == 0


def test_a_restricted_record_is_counted_not_listed_for_a_reader_not_cleared(hq, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from django.contrib.auth import get_user_model

    user, card = hq
    at = datetime.now(UTC) - timedelta(minutes=5)
    office.revoke("kit-a", at=at, actor="amal")
    report = {"kind": "report", "gid": f"{kit.signer.key_id}/I-0000001", "seen": [],
              "fields": {"compartment": "sources", "text": "Qzxrestricted words"}}
    report["hash"] = content_hash("report", report["fields"])  # type: ignore[arg-type]
    with pytest.raises(BundleRefused):
        office.receive(kit.bundle(card, [kit.person(1), report], made_at=at + timedelta(minutes=1)),
                       actor=user)
    pk = Received.objects.get(outcome="quarantined").pk
    victor = get_user_model().objects.get(username="victor")
    seen = quarantine.contents(pk, victor)
    assert seen.counts == {"person": 1, "report": 1} and seen.hidden == 1
    assert [r.kind for r in seen.records] == ["person"]
    assert [r.kind for r in quarantine.contents(pk, user).records] == ["person", "report"]
    page = client_for("victor").get(f"/fieldkit/quarantine/{pk}/").content.decode()
    assert "I-0000001" not in page and "Qzxrestricted" not in page


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("Bundles from revoked field kits", "Accept and merge", "Reject", "kit-a")),
    ("ar", ("حزم من حقائب ميدانية ملغاة", "القبول والدمج", "الرفض", "kit-a")),
])
def test_the_pages_list_show_and_decide(hq, kit, lang: str, words: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    pk = _quarantine(hq, kit)
    amal = client_for("amal", lang)
    listing = amal.get("/fieldkit/quarantine/").content.decode()
    assert words[0] in listing and words[3] in listing
    assert f'href="/fieldkit/quarantine/{pk}/"' in listing
    detail = amal.get(f"/fieldkit/quarantine/{pk}/").content.decode()
    for word in words:
        assert word in detail, word
    assert f"{kit.signer.key_id}/P-000001" in detail
    assert ADDRESS not in detail and "Synthetic Name" not in detail
    assert 'href="/fieldkit/quarantine/"' in amal.get("/").content.decode()  # the dashboard
    # A viewer sees the pages but no buttons, and may not post.
    viewer = client_for("victor", lang)
    assert 'class="quarantine-decide"' not in viewer.get(f"/fieldkit/quarantine/{pk}/").content.decode()
    assert viewer.post(f"/fieldkit/quarantine/{pk}/accept/", {"reason": "x"}).status_code == 403
    # No reason: nothing decided.
    amal.post(f"/fieldkit/quarantine/{pk}/reject/", {"reason": " "}, follow=True)
    assert not QuarantineReview.objects.exists()
    done = amal.post(f"/fieldkit/quarantine/{pk}/accept/", {"reason": "the team had it"},
                     follow=True)
    assert done.status_code == 200 and QuarantineReview.objects.get().choice == "accepted"
    assert Person.objects.count() == 1
    assert client_for(None).get("/fieldkit/quarantine/").status_code == 302  # to the login


def test_nothing_waits_and_an_unknown_id_is_not_found(hq) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    amal = client_for("amal")
    assert 'id="no-quarantine"' in amal.get("/fieldkit/quarantine/").content.decode()
    assert amal.get("/fieldkit/quarantine/5/").status_code == 404
    assert amal.post("/fieldkit/quarantine/5/reject/", {"reason": "x"}).status_code == 404
    assert quarantine.parse_id("q-000012") == 12 == quarantine.parse_id(" 12 ")
    with pytest.raises(SyncError):
        quarantine.parse_id("P-000012")


def test_the_file_kept_is_the_bundle_received(hq, kit, settings) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    pk = _quarantine(hq, kit)
    item = quarantine.get(pk)
    assert office.quarantine_path(item.sealed_sha256).parent == Path(settings.VAULT_DIR) / "quarantine"


def test_a_reason_too_long_to_keep_is_refused_not_cut(hq, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A reason over 500 characters was cut silently: its end never reached custody (found by
    a field-team pass). It is refused, and nothing is decided."""
    user, _ = hq
    pk = _quarantine(hq, kit)
    with pytest.raises(SyncError) as refused:
        quarantine.reject(pk, reason="x" * 501, actor=user)
    assert refused.value.code == "reason_too_long" and quarantine.get(pk).review is None
    quarantine.reject(pk, reason="x" * 500, actor=user)
    assert LedgerEntry.objects.latest("seq").detail["reason"] == "x" * 500


def test_the_time_a_bundle_states_is_shown_to_the_second(hq, kit) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The quarantine pages showed the stated time raw, with microseconds (found by a
    field-team pass)."""
    pk = _quarantine(hq, kit)
    shown = quarantine.get(pk).made_at_shown
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", shown), shown
