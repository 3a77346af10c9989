"""The pure core: a bundle opens only for its receiver, only from the key that signed it."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from dhakira.core.custody import Signer
from dhakira.core.sync import (
    BundleRefused,
    SyncError,
    global_id,
    open_bundle,
    seal_bundle,
    split_global_id,
)
from dhakira.core.sync.agekey import identity_from_signing_key, recipient_of

pytestmark = pytest.mark.backend_independent


def _pair() -> tuple[Signer, str]:
    raw = os.urandom(32)
    return Signer.from_private_bytes(raw), identity_from_signing_key(raw)


def test_the_age_identity_is_derived_from_the_signing_key_and_is_an_age_key() -> None:
    raw = bytes(range(32))
    identity = identity_from_signing_key(raw)
    assert identity == identity_from_signing_key(raw) != identity_from_signing_key(bytes(32))
    assert identity.startswith("AGE-SECRET-KEY-1") and recipient_of(identity).startswith("age1")


def test_a_bundle_round_trips_and_names_its_sender() -> None:
    kit, _ = _pair()
    office, office_identity = _pair()
    files = {"records.json": b"[]", f"blobs/{'a' * 64}": os.urandom(1000)}
    sealed = seal_bundle(kind="pack", signer=kit, receiver=office.key_id,
                         recipient=recipient_of(office_identity), seq=3,
                         made_at=datetime.now(UTC), files=files)
    assert files[f"blobs/{'a' * 64}"] not in sealed
    opened = open_bundle(sealed, identity=office_identity, receiver=office.key_id,
                         public_key_of={kit.key_id: kit.public_key_bytes()}.get)
    assert dict(opened.files) == files
    assert (opened.manifest.sender, opened.manifest.seq, opened.manifest.kind) == (
        kit.key_id, 3, "pack")
    with pytest.raises(BundleRefused, match="unknown_device"):
        open_bundle(sealed, identity=office_identity, receiver=office.key_id,
                    public_key_of=lambda _: None)
    other, _ = _pair()
    with pytest.raises(BundleRefused, match="bad_signature"):
        open_bundle(sealed, identity=office_identity, receiver=office.key_id,
                    public_key_of=lambda _: other.public_key_bytes())


def test_stable_ids_carry_their_device() -> None:
    gid = global_id("0123456789abcdef", "P-000001")
    assert split_global_id(gid) == ("0123456789abcdef", "P-000001")
    for bad in ("P-000001", "0123456789abcdef/../x", "0123456789ABCDEF/P-000001"):
        with pytest.raises(SyncError):
            split_global_id(bad)
