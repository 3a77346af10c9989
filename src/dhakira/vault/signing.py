"""The installation's Ed25519 signing key, kept in the vault wrapped under the data key.

The public half sits beside it in the clear (``signing.pub``) so that a third party can
verify the custody chain and evidence packages without any secret.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dhakira.vault.errors import VaultError

__all__ = ["PRIVATE_FILE", "PUBLIC_FILE", "load_or_create", "public_key_bytes"]

PRIVATE_FILE = "signing.key"
PUBLIC_FILE = "signing.pub"
_AAD = b"dhakira signing key v1"


def _wrap_key(data_key: bytes | memoryview) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"dhakira signing-key wrap").derive(data_key)


def load_or_create(vault: Path, data_key: bytes | memoryview) -> bytes:
    """Return the 32 private-key bytes, creating the key on first use.

    Raises:
        VaultError: the stored key does not open with this data key.
    """
    path = vault / PRIVATE_FILE
    aead = AESGCM(_wrap_key(data_key))
    if path.exists():
        blob = path.read_bytes()
        try:
            return aead.decrypt(blob[:12], blob[12:], _AAD)
        except Exception as exc:  # InvalidTag: one opaque failure
            raise VaultError("the signing key does not open with this vault's key") from exc
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    nonce = os.urandom(12)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(nonce + aead.encrypt(nonce, raw, _AAD))
    os.replace(tmp, path)
    pub = private.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    (vault / PUBLIC_FILE).write_bytes(pub)
    return raw


def public_key_bytes(vault: Path) -> bytes:
    """The raw 32-byte public key of the installation."""
    pem = (vault / PUBLIC_FILE).read_bytes()
    key = serialization.load_pem_public_key(pem)
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
