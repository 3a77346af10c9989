import json
from pathlib import Path

import pytest

from dhakira.core.vault import keyslots
from dhakira.core.vault.errors import KeySlotError, VaultNotFound, WrongPassphrase


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


@pytest.fixture
def full_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at the strength every real vault gets: the suite's cheap test cost is off."""
    monkeypatch.delenv(keyslots.FAST_ARGON2_ENV, raising=False)


def test_it_uses_argon2id_with_at_least_64_mib_and_3_iterations(
        tmp_path: Path, full_argon2: None) -> None:
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


def test_the_suite_derives_slot_keys_at_the_test_only_cost() -> None:
    assert keyslots.fast_argon2_allowed()
    assert keyslots.default_params() == keyslots.KdfParams(1024, 1, 1)


@pytest.mark.parametrize("unset", [keyslots.TESTING_ENV, keyslots.FAST_ARGON2_ENV])
def test_the_test_only_cost_needs_both_variables(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unset: str) -> None:
    monkeypatch.delenv(unset)
    assert keyslots.default_params() == keyslots.DEFAULT_PARAMS
    with pytest.raises(KeySlotError):
        keyslots.KdfParams(1024, 1, 1)
    keyslots.create(tmp_path, "first passphrase", label="amal")
    (slot,) = keyslots.list_slots(tmp_path, "first passphrase")
    assert slot.params == keyslots.DEFAULT_PARAMS


def test_a_vault_made_at_the_test_only_cost_does_not_open_outside_the_suite(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keyslots.create(tmp_path, "first passphrase", label="amal")
    monkeypatch.delenv(keyslots.TESTING_ENV)
    with pytest.raises(VaultNotFound, match="no usable key slots"):
        keyslots.unlock(tmp_path, "first passphrase")
    (line,) = keyslots.damaged_files(tmp_path)
    assert "the test suite's, refused outside the tests" in line


def test_no_other_weak_cost_is_accepted_in_the_suite() -> None:
    for cost in [(1024, 1, 2), (1024, 2, 1), (19456, 2, 1), (65536, 2, 4)]:
        with pytest.raises(KeySlotError):
            keyslots.KdfParams(*cost)


def test_account_passwords_use_the_test_only_cost_in_the_suite_and_full_cost_outside(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

    from dhakira.apps.vault.hashers import SuiteArgon2PasswordHasher

    cheap = make_password("correct-horse-battery")
    assert "m=1024,t=1,p=1" in cheap
    standard = Argon2PasswordHasher()
    assert standard.verify("correct-horse-battery", cheap)
    assert standard.must_update(cheap)  # rehashed at full cost at the next log-in outside
    assert check_password("correct-horse-battery", cheap)
    assert (SuiteArgon2PasswordHasher.memory_cost, SuiteArgon2PasswordHasher.time_cost) == (1024, 1)


def test_outside_the_suite_the_settings_list_only_the_standard_hashers() -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_")}
    code = "from dhakira.apps.web import settings; print(settings.PASSWORD_HASHERS[0])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
