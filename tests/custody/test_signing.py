"""Tests of dhakira.core.custody.signing."""

from __future__ import annotations

import hashlib

import pytest

from dhakira.core.custody import (
    InvalidKeyError,
    InvalidSignatureError,
    Signer,
    key_id_for,
    verify_signature,
)

from .chains import HOUSE, INTRUDER


def test_it_derives_the_key_id_from_the_public_key() -> None:
    public = HOUSE.public_key_bytes()
    assert len(public) == 32
    assert HOUSE.key_id == hashlib.sha256(public).hexdigest()[:16] == key_id_for(public)


def test_it_reloads_the_same_key_from_private_bytes() -> None:
    again = Signer.from_private_bytes(bytes(range(1, 33)))
    assert again.public_key_bytes() == HOUSE.public_key_bytes()
    assert again.sign(b"m") == HOUSE.sign(b"m")  # Ed25519 is deterministic


def test_it_generates_distinct_keys() -> None:
    assert Signer.generate().key_id != Signer.generate().key_id


@pytest.mark.parametrize("bad", [b"", bytes(31), bytes(33)])
def test_it_rejects_private_keys_of_the_wrong_size(bad: bytes) -> None:
    with pytest.raises(InvalidKeyError, match="32 raw bytes"):
        Signer.from_private_bytes(bad)


def test_verify_returns_none_for_a_good_signature() -> None:
    assert verify_signature(HOUSE.public_key_bytes(), b"msg", HOUSE.sign(b"msg")) is None


@pytest.mark.parametrize(
    "public, message, signature",
    [
        (HOUSE.public_key_bytes(), b"msg!", HOUSE.sign(b"msg")),
        (INTRUDER.public_key_bytes(), b"msg", HOUSE.sign(b"msg")),
        (HOUSE.public_key_bytes(), b"msg", bytes(64)),
        (HOUSE.public_key_bytes(), b"msg", b"short"),
    ],
)
def test_verify_raises_for_a_bad_signature(public: bytes, message: bytes, signature: bytes) -> None:
    with pytest.raises(InvalidSignatureError):
        verify_signature(public, message, signature)


def test_verify_rejects_a_malformed_public_key() -> None:
    with pytest.raises(InvalidKeyError):
        verify_signature(bytes(5), b"msg", HOUSE.sign(b"msg"))


def test_its_repr_does_not_show_the_private_key() -> None:
    assert repr(HOUSE) == f"Signer(key_id={HOUSE.key_id!r})"
