"""Ed25519 signing for the custody ledger: a Signer and a verify that returns None or raises."""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dhakira.core.custody.errors import InvalidKeyError, InvalidSignatureError

__all__ = ["Signer", "key_id_for", "verify_signature"]


def key_id_for(public_key_bytes: bytes) -> str:
    """Return a public key's id: the first 16 hex characters of its SHA-256.

    Raises:
        InvalidKeyError: if the key is not 32 bytes.
    """
    _check_public(public_key_bytes)
    return hashlib.sha256(public_key_bytes).hexdigest()[:16]


def _check_public(public_key_bytes: bytes) -> None:
    if not isinstance(public_key_bytes, bytes) or len(public_key_bytes) != 32:
        raise InvalidKeyError("an Ed25519 public key must be exactly 32 raw bytes")


def load_public_key(public_key_bytes: bytes) -> Ed25519PublicKey:
    """Parse 32 raw bytes as an Ed25519 public key.

    Raises:
        InvalidKeyError: if the bytes are not a valid key.
    """
    _check_public(public_key_bytes)
    try:
        return Ed25519PublicKey.from_public_bytes(public_key_bytes)
    except ValueError as exc:
        raise InvalidKeyError(f"not an Ed25519 public key: {exc}") from None


def verify_signature(public_key_bytes: bytes, message: bytes, signature: bytes) -> None:
    """Return None if ``signature`` is a valid Ed25519 signature of ``message``.

    Args:
        public_key_bytes: the signer's 32 raw public-key bytes.
        message: the signed bytes (for ledger entries: the raw 32-byte entry hash).
        signature: the 64-byte signature.

    Raises:
        InvalidSignatureError: if the signature does not verify.
        InvalidKeyError: if the public key is malformed.
    """
    key = load_public_key(public_key_bytes)
    try:
        key.verify(signature, message)
    except InvalidSignature:
        raise InvalidSignatureError("the signature does not verify under this key") from None


class Signer:
    """An Ed25519 private key that signs ledger entries; its repr never shows the key."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self._public = private_key.public_key().public_bytes_raw()
        self.key_id = key_id_for(self._public)

    @classmethod
    def generate(cls) -> Signer:
        """Create a signer with a fresh key from the operating system's randomness."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, private_bytes: bytes) -> Signer:
        """Load a signer from 32 raw private-key bytes (as unwrapped from the vault).

        Raises:
            InvalidKeyError: if the bytes are not 32 long.
        """
        if not isinstance(private_bytes, bytes) or len(private_bytes) != 32:
            raise InvalidKeyError("an Ed25519 private key must be exactly 32 raw bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(private_bytes))

    def public_key_bytes(self) -> bytes:
        """Return the 32 raw public-key bytes, safe to publish."""
        return self._public

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``message``."""
        return self._key.sign(message)

    def __repr__(self) -> str:
        return f"Signer(key_id={self.key_id!r})"
