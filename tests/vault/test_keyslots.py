import json
from pathlib import Path

import pytest

from dhakira.vault import keyslots
from dhakira.vault.errors import KeySlotError, VaultNotFound, WrongPassphrase


def test_it_unlocks_with_the_right_passphrase(tmp_path: Path) -> None:
    key = keyslots.create(tmp_path, "first passphrase", label="amal")
    assert len(key) == 32
    assert keyslots.unlock(tmp_path, "first passphrase") == key


def test_it_rejects_a_wrong_passphrase(tmp_path: Path) -> None:
    keyslots.create(tmp_path, "first passphrase", label="amal")
    with pytest.raises(WrongPassphrase):
        keyslots.unlock(tmp_path, "second passphrase")


def test_it_stores_no_key_material_in_the_clear(tmp_path: Path) -> None:
    key = keyslots.create(tmp_path, "first passphrase", label="amal")
    for path in (tmp_path / "keyslots").iterdir():
        assert key not in path.read_bytes()
        assert key.hex().encode() not in path.read_bytes()


def test_it_uses_argon2id_with_at_least_64_mib_and_3_iterations(tmp_path: Path) -> None:
    keyslots.create(tmp_path, "first passphrase", label="amal")
    (slot,) = keyslots.list_slots(tmp_path, "first passphrase")
    assert slot.params.memory_kib >= 65536 and slot.params.iterations >= 3
    with pytest.raises(KeySlotError):
        keyslots.KdfParams(memory_kib=19456, iterations=2)


def test_each_slot_opens_the_same_data_key(tmp_path: Path) -> None:
    key = keyslots.create(tmp_path, "first passphrase", label="amal")
    keyslots.add_slot(tmp_path, "first passphrase", "rana's passphrase", label="rana")
    assert keyslots.unlock(tmp_path, "rana's passphrase") == key
    assert {s.label for s in keyslots.list_slots(tmp_path, "rana's passphrase")} == {"amal", "rana"}


def test_adding_a_slot_needs_a_passphrase_that_opens_the_vault(tmp_path: Path) -> None:
    keyslots.create(tmp_path, "first passphrase", label="amal")
    with pytest.raises(WrongPassphrase):
        keyslots.add_slot(tmp_path, "guess", "new one", label="mallory")
    assert len(keyslots.list_slots(tmp_path, "first passphrase")) == 1


def test_it_changes_a_passphrase_without_changing_the_key(tmp_path: Path) -> None:
    key = keyslots.create(tmp_path, "first passphrase", label="amal")
    keyslots.change_passphrase(tmp_path, "first passphrase", "second passphrase")
    assert keyslots.unlock(tmp_path, "second passphrase") == key
    with pytest.raises(WrongPassphrase):
        keyslots.unlock(tmp_path, "first passphrase")
    assert len(keyslots.list_slots(tmp_path, "second passphrase")) == 1


def test_it_removes_a_slot_but_never_the_last(tmp_path: Path) -> None:
    keyslots.create(tmp_path, "first passphrase", label="amal")
    keyslots.add_slot(tmp_path, "first passphrase", "rana's passphrase", label="rana")
    keyslots.remove_slot(tmp_path, "first passphrase", label="rana")
    with pytest.raises(WrongPassphrase):
        keyslots.unlock(tmp_path, "rana's passphrase")
    with pytest.raises(KeySlotError, match="last key slot"):
        keyslots.remove_slot(tmp_path, "first passphrase", label="amal")


def test_it_refuses_to_create_over_an_existing_vault(tmp_path: Path) -> None:
    keyslots.create(tmp_path, "first passphrase", label="amal")
    with pytest.raises(KeySlotError):
        keyslots.create(tmp_path, "other", label="amal")


def test_it_names_a_folder_that_is_not_a_vault(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound):
        keyslots.unlock(tmp_path, "anything")


def test_a_tampered_slot_does_not_open(tmp_path: Path) -> None:
    keyslots.create(tmp_path, "first passphrase", label="amal")
    (path,) = (tmp_path / "keyslots").glob("*.json")
    record = json.loads(path.read_text())
    record["slot_id"] = "0123456789abcdef"  # the id is bound to the wrapped key
    path.write_text(json.dumps(record))
    with pytest.raises(WrongPassphrase):
        keyslots.unlock(tmp_path, "first passphrase")
