"""Key slots after the red team (issue 13, Low) and the reliability pass (issue 16, #6).

A seized vault must not name its key holders; removed or replaced slots are overwritten; one
bad file in ``keyslots/`` never locks out the holders of intact slots.
"""

from __future__ import annotations

import json
import logging
import os
from base64 import b64encode
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests import warm
from tests.conftest import SUITE_ENV

from dhakira.core.vault import keyslots
from dhakira.core.vault.errors import VaultNotFound, WrongPassphrase

PASS = "first passphrase"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """One vault with two slots, made once (Argon2id costs real time); tests copy its slots."""
    vault = tmp_path_factory.mktemp("made")
    key = keyslots.create(vault, PASS, label="amal")
    keyslots.add_slot(vault, PASS, "rana's passphrase", label="rana")
    return vault, key


def copy_slots(made: tuple[Path, bytes], to: Path) -> Path:
    (to / "keyslots").mkdir(parents=True)
    for path in (made[0] / "keyslots").glob("*.json"):
        (to / "keyslots" / path.name).write_bytes(path.read_bytes())
    return to / "keyslots"


def v1_slot(vault: Path, key: bytes, passphrase: str, label: str) -> Path:
    """A slot as earlier versions wrote it: the label in the clear, bound into the AAD."""
    slot_id, salt, nonce = "00000000000000aa", os.urandom(16), os.urandom(12)
    params = keyslots.DEFAULT_PARAMS
    wrapped = AESGCM(keyslots._kek(passphrase, salt, params)).encrypt(
        nonce, key, f"dhakira-keyslot-1|{slot_id}|{label}".encode())
    path = vault / "keyslots" / f"{slot_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "format": "dhakira-keyslot-1", "slot_id": slot_id, "label": label, "kdf": "argon2id",
        "memory_kib": params.memory_kib, "iterations": params.iterations,
        "parallelism": params.parallelism, "salt": b64encode(salt).decode(),
        "nonce": b64encode(nonce).decode(), "wrapped_key": b64encode(wrapped).decode()}))
    return path


def test_finding_low_slot_files_do_not_name_their_holders(made: tuple[Path, bytes]) -> None:
    vault, _ = made
    for path in (vault / "keyslots").iterdir():
        text = path.read_bytes()
        assert b"amal" not in text and b"rana" not in text and b'"label"' not in text
        assert set(json.loads(text)) >= {"slot_id", "sealed_label", "wrapped_key"}


def test_finding_low_listing_slots_needs_a_passphrase(made: tuple[Path, bytes]) -> None:
    vault, _ = made
    with pytest.raises(WrongPassphrase):
        keyslots.list_slots(vault, "a guess")
    assert sorted(s.label for s in keyslots.list_slots(vault, PASS)) == ["amal", "rana"]
    # Without a passphrase only opaque ids and costs can be read.
    assert all(len(slot_id) == 16 for slot_id, _ in keyslots.slot_params(vault))


def test_finding_low_keyslot_list_command_refuses_without_the_passphrase(
        made: tuple[Path, bytes], tmp_path: Path) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text("a guess\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    result = warm.python("-m", "dhakira.cli", "keyslot", "list", "--vault", str(made[0]),
                         "--passphrase-file", str(wrong), env=env, timeout=120)
    assert result.returncode == 2 and "amal" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_an_old_slot_still_opens_and_passwd_upgrades_it(tmp_path: Path) -> None:
    key = os.urandom(32)
    old = v1_slot(tmp_path, key, PASS, "amal")
    assert keyslots.unlock_slot(tmp_path, PASS) == ("amal", key)
    keyslots.change_passphrase(tmp_path, PASS, "second passphrase")
    assert not old.exists()
    (new,) = (tmp_path / "keyslots").glob("*.json")
    assert b"amal" not in new.read_bytes()
    assert keyslots.unlock_slot(tmp_path, "second passphrase") == ("amal", key)


def test_finding_low_a_removed_slot_is_overwritten_before_it_is_unlinked(
        made: tuple[Path, bytes], tmp_path: Path) -> None:
    slots = copy_slots(made, tmp_path)
    vault = tmp_path
    rana = next(s for s in keyslots.list_slots(vault, PASS) if s.label == "rana")
    # A second name for the same inode shows what is left in its blocks after removal.
    witness = tmp_path / "witness"
    os.link(slots / f"{rana.slot_id}.json", witness)
    keyslots.remove_slot(vault, PASS, label="rana")
    assert not (slots / f"{rana.slot_id}.json").exists()
    assert set(witness.read_bytes()) == {0}


def test_finding_low_a_changed_passphrase_leaves_no_old_wrapping(tmp_path: Path) -> None:
    keyslots.create(tmp_path, PASS, label="amal")
    (old,) = (tmp_path / "keyslots").glob("*.json")
    witness = tmp_path / "witness"
    os.link(old, witness)
    keyslots.change_passphrase(tmp_path, PASS, "second passphrase")
    assert set(witness.read_bytes()) == {0}
    assert [p.name for p in (tmp_path / "keyslots").iterdir()] != [old.name]


BAD_FILES = {
    "zero-length slot": ("ffffffffffffffff.json", b""),
    "slot missing salt": ("eeeeeeeeeeeeeeee.json", None),
    "stray editor backup": ("zz-editor-backup.json", b'{"note": "my backup"}'),
    "not JSON": ("0000000000000001.json", b"\xff\xfe not json"),
    "a folder": ("sub.json", "dir"),
    "a stray text file": ("README.txt", b"hello"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_finding_16_6_one_bad_slot_file_never_blocks_an_intact_slot(
        case: str, made: tuple[Path, bytes], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    slots = copy_slots(made, tmp_path)
    name, content = BAD_FILES[case]
    if content is None:  # a real slot with its salt taken out
        record = json.loads(next(slots.glob("*.json")).read_text())
        del record["salt"]
        content = json.dumps(record).encode()
    if content == "dir":
        (slots / name).mkdir()
    else:
        (slots / name).write_bytes(content)  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="dhakira.core.vault.keyslots"):
        assert keyslots.unlock(tmp_path, "rana's passphrase") == made[1]
    assert name in caplog.text
    assert [line.split(":")[0] for line in keyslots.damaged_files(tmp_path)] == [f"keyslots/{name}"]


def test_only_bad_files_means_no_usable_slot_said_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "keyslots").mkdir()
    (tmp_path / "keyslots" / "a.json").write_bytes(b"")
    with pytest.raises(VaultNotFound, match=r"no usable key slots \(1 damaged file skipped\)"):
        keyslots.unlock(tmp_path, PASS)
    (tmp_path / "keyslots" / "b.json").write_bytes(b"")
    with pytest.raises(VaultNotFound, match=r"no usable key slots \(2 damaged files skipped\)"):
        keyslots.unlock(tmp_path, PASS)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(junk=st.binary(max_size=300) | _JSON.map(lambda v: json.dumps(v).encode()),
       field=st.sampled_from(["format", "slot_id", "memory_kib", "iterations", "parallelism",
                              "salt", "nonce", "wrapped_key", "label_nonce", "sealed_label"]),
       value=_JSON)
def test_finding_16_6_random_junk_in_slot_files_never_gives_a_traceback(
        made: tuple[Path, bytes], tmp_path_factory: pytest.TempPathFactory, junk: bytes,
        field: str, value: object) -> None:
    vault = tmp_path_factory.mktemp("junk")
    slots = copy_slots(made, vault)
    record = json.loads(next(slots.glob("*.json")).read_text())
    record[field] = value
    (slots / "1111111111111111.json").write_text(json.dumps(record))
    (slots / "2222222222222222.json").write_bytes(junk)
    # Scanning never raises; the two real slots always parse.
    damaged = keyslots.damaged_files(vault)
    assert len(keyslots.slot_params(vault)) + len(damaged) == 4
    assert all(line.startswith("keyslots/") for line in damaged)


def test_finding_16_6_the_cli_warns_about_a_stray_file_and_carries_on(
        made: tuple[Path, bytes], tmp_path: Path) -> None:
    slots = copy_slots(made, tmp_path / "v")
    (slots / "zz-editor-backup.json").write_bytes(b"")
    (tmp_path / "pass").write_text(PASS + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    result = warm.python("-m", "dhakira.cli", "keyslot", "list", "--vault", str(tmp_path / "v"),
                         "--passphrase-file", str(tmp_path / "pass"), env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("zz-editor-backup.json") == 1 and "Traceback" not in result.stderr
    assert "amal" in result.stdout and "rana" in result.stdout


@pytest.mark.django_db
def test_finding_16_6_check_names_each_skipped_file_as_a_problem(
        made: tuple[Path, bytes], tmp_path: Path) -> None:
    from dhakira.apps.web.checks import check_vault

    slots = copy_slots(made, tmp_path)
    (slots / "zz-editor-backup.json").write_bytes(b"{}")
    problems = check_vault(tmp_path)
    assert [p for p in problems if "key slot" in p] == [
        "key slot file keyslots/zz-editor-backup.json: skipped (not a Dhakira key slot)"]
