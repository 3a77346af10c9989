"""Issue 18 item 5: keys never leave the vault; every other use has its own labelled sub-key."""

from __future__ import annotations

import ast
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import dhakira
from dhakira.core.vault import codes, keys, session, signing

pytestmark = pytest.mark.backend_independent

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "keys" / "hkdf_labels.json")
                     .read_text())
SRC = Path(dhakira.__file__).parent


def _rfc5869(ikm: bytes, info: bytes, length: int = 32) -> bytes:
    """HKDF-SHA256 written from RFC 5869 with ``hmac`` alone (no salt: 32 zero bytes)."""
    prk = hmac.new(bytes(32), ikm, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out, counter = out + block, counter + 1
    return out[:length]


def test_issue18_5_every_label_has_a_vector_and_derives_it() -> None:
    data_key = bytes.fromhex(VECTORS["data_key_hex"])
    pinned = {v["name"]: v for v in VECTORS["subkeys"]}
    assert set(pinned) == set(keys.LABELS)
    for name, label in keys.LABELS.items():
        assert pinned[name]["label"].encode() == label
        expected = bytes.fromhex(pinned[name]["subkey_hex"])
        assert keys.derive(data_key, label) == expected
        assert _rfc5869(data_key, label) == expected


def test_issue18_5_no_two_uses_share_a_label_or_a_sub_key() -> None:
    assert len(set(keys.LABELS.values())) == len(keys.LABELS)
    derived = {keys.derive(bytes(range(32)), label) for label in keys.LABELS.values()}
    assert len(derived) == len(keys.LABELS) and bytes(range(32)) not in derived


def test_an_unknown_label_or_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sub-key label"):
        keys.derive(bytes(32), b"dhakira something new")
    with pytest.raises(ValueError, match="32 bytes"):
        keys.derive(bytes(16), keys.INTAKE_DRAFT)


def test_issue18_5_mac_is_hmac_under_the_sub_key_never_under_the_data_key() -> None:
    data_key = session.get_key()
    sub = keys.derive(data_key, keys.INTAKE_DRAFT)
    got = keys.mac(keys.INTAKE_DRAFT, b"intake-draft:7")
    assert got == hmac.new(sub, b"intake-draft:7", hashlib.sha256).digest()
    assert got != hmac.new(data_key, b"intake-draft:7", hashlib.sha256).digest()


def test_the_source_codes_keep_their_published_example() -> None:
    # The example in vault/codes.py: existing code names must not change with the sub-key.
    assert codes.keyed_code(bytes(32), "Someone@Example.org ", prefix="MAIL") == "MAIL-F1D2250A08"
    assert codes.code_for("x@example.org", prefix="MAIL") == codes.keyed_code(
        session.get_key(), "x@example.org", prefix="MAIL")


def test_issue18_5_an_existing_signing_key_opens_with_the_pinned_wrap_sub_key(tmp_path: Path) -> None:
    data_key = bytes.fromhex(VECTORS["data_key_hex"])
    signing.create(tmp_path, data_key)
    blob = (tmp_path / signing.PRIVATE_FILE).read_bytes()
    wrap = bytes.fromhex(next(v["subkey_hex"] for v in VECTORS["subkeys"]
                              if v["name"] == "signing_key_wrap"))
    raw = AESGCM(wrap).decrypt(blob[:12], blob[12:], b"dhakira signing key v1")
    signer = signing.open_signer(tmp_path, data_key)
    assert signer.public_key_bytes() == signing.public_key_bytes(tmp_path)
    assert raw.hex() not in repr(signer) and raw not in repr(vars(signer)).encode()


def test_issue18_5_the_signer_signs_but_has_no_way_to_give_its_private_key() -> None:
    signer = signing.Signer.generate()
    public = {name for name in dir(signer) if not name.startswith("_")}
    assert public == {"from_private_bytes", "generate", "key_id", "public_key_bytes", "sign"}
    assert not hasattr(signing, "load")  # the old function that returned the raw bytes


def _data_key_users() -> set[str]:
    """Modules outside the vault package that read the data key or unwrap the signing key."""
    found = set()
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(("vault/", "core/vault/", "apps/vault/")):  # before and after relayout
            continue
        for node in ast.walk(ast.parse(path.read_text(), rel)):
            if isinstance(node, ast.Attribute) and node.attr in {
                    "get_key", "borrow", "key_page", "open_signer"}:
                found.add(rel)
    return found


def test_issue18_5_outside_the_vault_only_the_launcher_and_migrations_touch_the_data_key() -> None:
    # The launcher makes the signing key at init; migrations re-key what older versions keyed
    # with the data key itself. Everything else signs, codes and stores through vault/.
    users = _data_key_users()
    assert {u for u in users if "/migrations/" not in u} <= {"runtime.py"}, users


def test_drafts_are_named_with_the_draft_sub_key(tmp_path: Path) -> None:
    from dhakira.apps.dossier.views import _drafts

    expected = "draft" + hmac.new(keys.derive(session.get_key(), keys.INTAKE_DRAFT),
                                  b"intake-draft:42", hashlib.sha256).hexdigest()[:35]
    assert _drafts.draft_key(42) == expected


def test_the_custody_extract_key_survives_a_change_of_data_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Package custody extracts carry keyed tags of entry hashes. Keyed by the data key, every
    package's tags could no longer be recomputed after `dhakira rekey` (found by the review of
    this change); keyed by the signing key, which a rekey rewraps, they can."""
    import os

    from dhakira.core.vault import signing

    old, new = os.urandom(32), os.urandom(32)
    signing.create(tmp_path, old)
    before = signing.derived(tmp_path, old, signing.CUSTODY_EXTRACT)
    (tmp_path / signing.PRIVATE_FILE).write_bytes(signing.rewrapped(tmp_path, old, new))
    assert signing.derived(tmp_path, new, signing.CUSTODY_EXTRACT) == before
    assert before != signing.derived(tmp_path, new, b"another label")
