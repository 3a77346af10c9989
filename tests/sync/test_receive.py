"""Issue 19, "Bad input and faults": the office refuses a bad bundle in one reason, merges
nothing, and keeps the refusal in custody; a good one merges by stable ids without
overwriting, and an edit made from a stale copy is kept beside the other and flagged."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyrage
import pytest
from tests.conftest import new_vault_dir
from tests.sync.fakekit import FakeKit

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import NameVariant, Person
from dhakira.apps.fieldkit import keys, office
from dhakira.apps.fieldkit.models import Device, DeviceEntry, Origin, Received
from dhakira.core import custody
from dhakira.core.sync import BundleRefused
from dhakira.core.sync.bundle import MAGIC


@pytest.fixture
def hq(db, settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    from tests.cast import make_cast

    new_vault_dir(settings, tmp_path / "vault")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_cast()["amal"], keys.card()


@pytest.fixture
def kit(hq) -> FakeKit:  # type: ignore[no-untyped-def]
    made = FakeKit()
    made.log("P-000001")
    office.enrol(made.card(), label="kit-a", actor="amal")
    return made


def _refusal(hq, sealed: bytes, kind: str, origins: int = 0) -> None:  # type: ignore[no-untyped-def]
    user, _ = hq
    people, ledger = Person.objects.count(), LedgerEntry.objects.count()
    with pytest.raises(BundleRefused) as caught:
        office.receive(sealed, actor=user)
    assert caught.value.kind == kind
    assert "\n" not in str(caught.value)
    assert Person.objects.count() == people and Origin.objects.count() == origins
    assert LedgerEntry.objects.count() == ledger + 1  # the refusal, and nothing else
    last = LedgerEntry.objects.order_by("-seq").first()
    assert last is not None and last.detail["refused"] == kind
    assert Received.objects.order_by("-pk").first().reason == kind  # type: ignore[union-attr]


def _reseal(sealed: bytes, identity: str, recipient: str, change) -> bytes:  # type: ignore[no-untyped-def]
    plain = bytes(pyrage.decrypt(sealed, [pyrage.x25519.Identity.from_str(identity)]))
    return bytes(pyrage.encrypt(change(plain), [pyrage.x25519.Recipient.from_str(recipient)]))


def test_a_good_bundle_merges_and_links_the_kit_chain(hq, kit) -> None:  # type: ignore[no-untyped-def]
    user, card = hq
    result = office.receive(kit.bundle(card, [kit.person(1)]), actor=user)
    assert result.merged == {"person": 1} and result.custody_entries == 1
    origin = Origin.objects.get()
    assert origin.gid == f"{kit.signer.key_id}/P-000001" and origin.version == 1
    assert NameVariant.objects.get(person_id=origin.local_pk).text == "Synthetic Name 1"
    assert DeviceEntry.objects.get().data["entry_hash"] == kit.chain[0].entry_hash
    [chain] = office.verify_devices(list(store.entries()))
    assert chain.label == "kit-a" and chain.entries == 1 and chain.problems == ()


def test_a_replayed_bundle_is_refused(hq, kit) -> None:  # type: ignore[no-untyped-def]
    user, card = hq
    sealed = kit.bundle(card, [kit.person(1)])
    office.receive(sealed, actor=user)
    Origin.objects.all().delete()  # so that the refusal's "nothing merged" is visible
    _refusal(hq, sealed, "replay")
    _refusal(hq, kit.bundle(card, [kit.person(2)], seq=1), "replay")  # an older number


def test_a_bundle_for_another_office_is_refused(hq, kit) -> None:  # type: ignore[no-untyped-def]
    _, card = hq
    _refusal(hq, kit.bundle(card, [kit.person(1)], receiver="0123456789abcdef"), "other_office")


def test_a_bundle_sealed_to_another_office_does_not_open(hq, kit) -> None:  # type: ignore[no-untyped-def]
    _, card = hq
    elsewhere = FakeKit().card()
    sealed = kit.bundle(keys.Card(card.key_id, card.public_key, elsewhere.recipient),
                        [kit.person(1)])
    _refusal(hq, sealed, "unreadable")


def test_a_bundle_re_signed_with_another_key_is_refused(hq, kit) -> None:  # type: ignore[no-untyped-def]
    _, card = hq
    thief = FakeKit().signer
    # The thief's manifest names the enrolled kit's key id, but is signed with the thief's key.
    forged = kit.bundle(card, [kit.person(1)], signer=thief)
    forged = _reseal(forged, keys.identity(), card.recipient,
                     lambda p: p.replace(thief.key_id.encode(), kit.signer.key_id.encode()))
    _refusal(hq, forged, "bad_signature")


def test_a_bundle_from_an_unknown_device_is_refused(hq) -> None:  # type: ignore[no-untyped-def]
    _, card = hq
    stranger = FakeKit()
    stranger.log("P-000001")
    _refusal(hq, stranger.bundle(card, [stranger.person(1)]), "unknown_device")


def test_a_bundle_altered_inside_its_sealing_is_refused(hq, kit) -> None:  # type: ignore[no-untyped-def]
    _, card = hq
    sealed = kit.bundle(card, [kit.person(1)])
    # Whoever holds the office's public key can seal; they cannot sign as the kit.
    altered = _reseal(sealed, keys.identity(), card.recipient,
                      lambda p: p.replace(b"Synthetic Name 1", b"Synthetic Name 7"))
    _refusal(hq, altered, "altered")


def test_a_truncated_bundle_is_refused(hq, kit) -> None:  # type: ignore[no-untyped-def]
    _, card = hq
    sealed = kit.bundle(card, [kit.person(1)])
    _refusal(hq, sealed[:-100], "unreadable")
    short = _reseal(sealed, keys.identity(), card.recipient, lambda p: p[:-10])
    _refusal(hq, short, "altered")


def test_a_bundle_of_a_newer_format_is_refused(hq, kit) -> None:  # type: ignore[no-untyped-def]
    _, card = hq

    def newer(plain: bytes) -> bytes:
        (size,) = struct.unpack_from(">I", plain, len(MAGIC))
        body = plain[len(MAGIC) + 4:len(MAGIC) + 4 + size].replace(b"dhakira-sync/1",
                                                                   b"dhakira-sync/2")
        return MAGIC + struct.pack(">I", len(body)) + body + plain[len(MAGIC) + 4 + size:]

    _refusal(hq, _reseal(kit.bundle(card, [kit.person(1)]), keys.identity(), card.recipient,
                         newer), "newer_format")


def test_a_revoked_kits_later_bundle_is_quarantined(hq, kit, settings) -> None:  # type: ignore[no-untyped-def]
    user, card = hq
    at = datetime.now(UTC)
    office.revoke("kit-a", at=at, actor="amal")
    _refusal(hq, kit.bundle(card, [kit.person(1)], made_at=at + timedelta(seconds=1)), "revoked")
    assert Received.objects.get().outcome == "quarantined"
    assert len(list((Path(settings.VAULT_DIR) / "quarantine").iterdir())) == 1
    # Made before the revocation time: the kit was trusted then.
    office.receive(kit.bundle(card, [kit.person(1)], made_at=at - timedelta(hours=1), seq=2),
                   actor=user)
    assert Origin.objects.count() == 1


def test_a_kit_chain_that_does_not_verify_is_refused(hq, kit) -> None:  # type: ignore[no-untyped-def]
    _, card = hq
    entry = custody.to_dict(kit.chain[0])
    entry["subject"] = "P-000099"  # edited after signing
    files = kit.files([kit.person(1)])
    files["custody.json"] = json.dumps([entry]).encode()
    from dhakira.core.sync import seal_bundle

    sealed = seal_bundle(kind="pack", signer=kit.signer, receiver=card.key_id,
                         recipient=card.recipient, seq=1, made_at=datetime.now(UTC), files=files)
    _refusal(hq, sealed, "broken_chain")


def test_an_edit_is_a_new_version_and_a_stale_edit_is_flagged(hq, kit) -> None:  # type: ignore[no-untyped-def]
    user, card = hq
    first = kit.person(1)
    office.receive(kit.bundle(card, [first]), actor=user)
    kit.log("P-000001")
    edited = kit.person(1, notes="seen again", seen=(first["hash"],))
    office.receive(kit.bundle(card, [edited], seq=2), actor=user)
    # A copy of the kit that never saw the edit (restored from a backup) edits it otherwise.
    stale = kit.person(1, notes="other words", seen=(first["hash"],))
    kit.log("P-000001")
    result = office.receive(kit.bundle(card, [stale], seq=3), actor=user)
    versions = list(Origin.objects.order_by("version"))
    assert [(v.version, v.conflict) for v in versions] == [(1, False), (2, False), (3, True)]
    assert result.conflicts == 1
    notes = sorted(Person.objects.filter(pk__in=[v.local_pk for v in versions])
                   .values_list("notes", flat=True))
    assert notes == ["", "other words", "seen again"]  # nothing overwritten
    # The same content again is held already: no fourth version.
    kit.log("P-000001")
    again = office.receive(kit.bundle(card, [stale], seq=4), actor=user)
    assert again.already_held == 1 and Origin.objects.count() == 3


def test_an_acknowledgement_is_refused_at_the_office(hq, kit) -> None:  # type: ignore[no-untyped-def]
    _, card = hq
    from dhakira.core.sync import seal_bundle

    sealed = seal_bundle(kind="ack", signer=kit.signer, receiver=card.key_id,
                         recipient=card.recipient, seq=1, made_at=datetime.now(UTC),
                         files={"ack.json": b"{}"})
    _refusal(hq, sealed, "wrong_kind")


def test_a_device_is_enrolled_once(hq, kit) -> None:  # type: ignore[no-untyped-def]
    from dhakira.core.sync import SyncError

    with pytest.raises(SyncError, match="enrolled already"):
        office.enrol(kit.card(), label="kit-b", actor="amal")
    assert Device.objects.count() == 1


def test_the_dashboard_shows_what_waits_for_review_at_the_office(hq, kit) -> None:  # type: ignore[no-untyped-def]
    from tests.cast import client_for

    user, card = hq
    first = kit.person(1)
    office.receive(kit.bundle(card, [first]), actor=user)
    office.receive(kit.bundle(card, [kit.person(1, notes="a stale copy's edit")], seq=2),
                   actor=user)
    body = client_for("amal").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 record from field kits has two versions to review" in body
    assert "Nothing is waiting." not in body


def test_a_protected_value_lands_in_its_own_compartment_whatever_the_bundle_says(hq, kit) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import ProtectedValue
    from dhakira.apps.fieldkit.records import content_hash

    user, card = hq
    record = kit.person(1)
    record["fields"]["protected"] = [["address", "", "1 Synthetic Street"]]  # "" : no compartment
    record["hash"] = content_hash("person", record["fields"])
    office.receive(kit.bundle(card, [record]), actor=user)
    assert ProtectedValue.objects.get().compartment == "addresses"
    unknown = kit.person(2)
    unknown["fields"]["protected"] = [["notes_in_clear", "", "x"]]
    unknown["hash"] = content_hash("person", unknown["fields"])
    kit.log("P-000002")
    _refusal(hq, kit.bundle(card, [unknown], seq=2), "malformed", origins=1)
    assert ProtectedValue.objects.count() == 1


def test_a_kit_is_sent_no_source_known_only_through_a_restricted_report(hq, kit) -> None:  # type: ignore[no-untyped-def]
    """The office does not know who uses a kit: the reference data sent every source code,
    the sender of a restricted e-mail included, which a member not cleared for it never sees
    at the office (found by a field-team pass)."""
    from dhakira.apps.dossier.models import Information, Source

    hidden = Source.objects.create(code_name="MAIL-RESTRICTED9", kind="other")
    shown = Source.objects.create(code_name="NINAWA-OPEN1", kind="informant")
    for source, compartment in ((hidden, "sources"), (shown, ""), (shown, "sources")):
        Information.objects.create(source=source, received_at=datetime(2015, 1, 1, tzinfo=UTC),
                                   channel="email", compartment=compartment)
    sealed, counts = office.reference_bundle("kit-a", actor="amal")
    plain = bytes(pyrage.decrypt(sealed, [pyrage.x25519.Identity.from_str(kit.identity)]))
    assert b"NINAWA-OPEN1" in plain and b"MAIL-RESTRICTED9" not in plain
    assert counts["sources"] == 1


def test_a_kits_report_is_not_credited_to_the_office_account_of_the_same_name(hq, kit) -> None:  # type: ignore[no-untyped-def]
    """A kit's documenter "lina" wrote a report; at the office it landed on the dashboard of
    lina the legal officer as hers (found by a field-team pass). A kit's accounts are its own;
    who wrote it stays in the kit's custody chain."""
    from dhakira.apps.dossier.models import Information
    from dhakira.apps.fieldkit.records import content_hash

    user, card = hq
    fields = {"source": {"code_name": "SRC-KIT", "kind": "informant", "reliability": "c",
                         "network": ""},
              "received_at": "2015-03-01T10:00:00+00:00", "channel": "phone_call",
              "language": "ar", "connection": "", "material_type": "", "credibility": 3,
              "text": "synthetic words", "compartment": "", "events": [], "acts": [],
              "persons": [], "created_by": "amal"}
    record = {"kind": "report", "gid": f"{kit.signer.key_id}/I-0000001",
              "hash": content_hash("report", fields), "seen": [], "fields": fields}
    office.receive(kit.bundle(card, [record]), actor=user)
    merged = Information.objects.get(text="synthetic words")
    assert merged.created_by is None


def test_a_revocation_dated_back_names_the_bundles_merged_since(hq, kit) -> None:  # type: ignore[no-untyped-def]
    """Revoking a kit from a time before a bundle it had already sent said nothing of that
    bundle (found by a field-team pass): it is named, for a person to review."""
    user, card = hq
    office.receive(kit.bundle(card, [kit.person(1)]), actor=user)
    device = Device.objects.get(label="kit-a")
    assert office.merged_after(device, datetime.now(UTC)) == []
    assert office.merged_after(device, datetime.now(UTC) - timedelta(hours=1)) == [1]
