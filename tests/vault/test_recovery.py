"""Recovery slots in-process: every K of N opens, fewer or foreign shares do not."""

from __future__ import annotations

import itertools
import json
import secrets
from pathlib import Path

import pytest

from dhakira.core.vault import keyslots, recovery, sealed
from dhakira.core.vault.errors import KeySlotError

pytestmark = pytest.mark.backend_independent


def test_every_three_of_five_shares_give_the_key_and_no_two_do(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    slot, shares = recovery.split(tmp_path, key, shares=5, threshold=3)
    for chosen in itertools.combinations(shares, 3):
        assert recovery.combine(tmp_path, list(chosen)) == (slot, key)
    assert recovery.combine(tmp_path, shares[:4])[1] == key  # more than K is fine
    for chosen in itertools.combinations(shares, 2):
        with pytest.raises(recovery.RecoveryRefused, match="too few shares"):
            recovery.combine(tmp_path, list(chosen))


def test_a_changed_slot_file_is_refused(tmp_path: Path) -> None:
    slot, shares = recovery.split(tmp_path, secrets.token_bytes(32), shares=3, threshold=2)
    record = json.loads(slot.path.read_text())
    record["threshold"] = 3  # bound into the wrapped key as associated data
    slot.path.write_text(json.dumps(record))
    with pytest.raises(recovery.RecoveryRefused, match="do not open this vault's recovery slot"):
        recovery.combine(tmp_path, shares)


def test_refusals_wait_in_a_file_without_any_share_word(tmp_path: Path) -> None:
    _, shares = recovery.split(tmp_path, secrets.token_bytes(32), shares=3, threshold=2)
    with pytest.raises(recovery.RecoveryRefused):
        recovery.combine(tmp_path, shares[:1])
    noted = (tmp_path / recovery.REFUSALS).read_text()
    assert all(word not in noted.split() for word in shares[0].split())
    assert [r["reason"] for r in recovery.take_refusals(tmp_path)] == [
        "too few shares: 1 different share given, 2 needed"]
    assert recovery.take_refusals(tmp_path) == []


def test_recovery_slots_are_not_damaged_passphrase_slots(tmp_path: Path) -> None:
    key = keyslots.create(tmp_path, "a long vault passphrase", label="amal")
    recovery.split(tmp_path, key, shares=2, threshold=2)
    assert keyslots.damaged_files(tmp_path) == []
    assert [s.label for s in keyslots.list_slots(tmp_path, "a long vault passphrase")] == ["amal"]


@pytest.mark.parametrize(("n", "k"), [(3, 1), (2, 3), (17, 3), (0, 0)])
def test_out_of_range_splits_are_refused(tmp_path: Path, n: int, k: int) -> None:
    with pytest.raises(KeySlotError):
        recovery.split(tmp_path, secrets.token_bytes(32), shares=n, threshold=k)
    assert not list(tmp_path.rglob("recovery-*"))


def test_reseal_moves_a_sealed_value_to_the_new_key_once() -> None:
    from dhakira.core.vault import session

    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    # The suite's own database is keyed with the session key: put it back afterwards.
    suite_key = bytes(session.get_key()) if session.is_unlocked() else None
    session.set_key(old)
    try:
        token = sealed.seal(b"a file waiting on a form", purpose="pending upload data")
        moved = sealed.reseal(token, purpose="pending upload data", old_key=old, new_key=new)
        assert moved is not None
        assert sealed.reseal(moved, purpose="pending upload data", old_key=old, new_key=new) is None
        with pytest.raises(sealed.SealBroken):
            sealed.reseal(token, purpose="pending upload name", old_key=old, new_key=new)
        session.set_key(new)
        assert sealed.unseal(moved, purpose="pending upload data") == b"a file waiting on a form"
    finally:
        if suite_key is None:
            session.lock()
        else:
            session.set_key(suite_key)
