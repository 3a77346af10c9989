"""The installation's Ed25519 signing key, kept in the vault wrapped under the data key.

The key is made once, by ``dhakira init`` (:func:`create`), and only ever read afterwards
(:func:`load`): nothing creates it lazily, so two processes logging their first custody
entries at once cannot each make a key. The public half sits beside it in the clear
(``signing.pub``) so that a third party can verify the custody chain and evidence packages
without any secret.

The private key never leaves this module as bytes: :func:`open_signer` unwraps it straight
into a :class:`Signer`, an object that signs and shows only its public half. The custody
ledger and evidence packages sign through :func:`signer_for`, one signer per vault and
unlock, forgotten when the vault locks.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dhakira.core.custody.signing import Signer
from dhakira.core.vault import keys, session
from dhakira.core.vault._files import write_file
from dhakira.core.vault.errors import SigningKeyMissing, VaultError

__all__ = ["CUSTODY_EXTRACT", "PRIVATE_FILE", "PUBLIC_FILE", "Signer", "create", "derived", "derived_unlocked", "forget", "open_signer",
           "public_key_bytes", "rewrapped", "signer_for"]

PRIVATE_FILE = "signing.key"
PUBLIC_FILE = "signing.pub"
_AAD = b"dhakira signing key v1"


def _wrap_key(data_key: bytes | memoryview) -> bytes:
    return keys.derive(data_key, keys.SIGNING_KEY_WRAP)


def _public_pem(raw: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(raw).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def create(vault: Path, data_key: bytes | memoryview) -> None:
    """Make the vault's signing key, once (``dhakira init`` calls this).

    The wrapped key is hard-linked into place from a unique temporary file, so of two
    racing callers exactly one succeeds and the other changes nothing.

    Raises:
        VaultError: the vault already has a signing key.
    """
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    nonce = os.urandom(12)
    try:
        write_file(vault / PRIVATE_FILE, nonce + AESGCM(_wrap_key(data_key)).encrypt(nonce, raw, _AAD),
                   exclusive=True)
    except FileExistsError:
        raise VaultError(f"{vault} already has a signing key; refusing to replace it") from None
    write_file(vault / PUBLIC_FILE, _public_pem(raw))


def _unwrap(vault: Path, data_key: bytes | memoryview) -> bytes:
    """The signing key's raw bytes, for this module's own use only.

    Raises:
        SigningKeyMissing: the vault has no signing key.
        VaultError: the stored key does not open with this data key.
    """
    path = vault / PRIVATE_FILE
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        raise SigningKeyMissing(
            f"{vault} has no custody signing key ({PRIVATE_FILE}); restore it from a backup of "
            "the vault (every vault made by `dhakira init` has one)") from None
    try:
        raw = AESGCM(_wrap_key(data_key)).decrypt(blob[:12], blob[12:], _AAD)
    except Exception as exc:  # InvalidTag, or a file too short: one opaque failure
        raise VaultError("the signing key does not open with this vault's key") from exc
    if not (vault / PUBLIC_FILE).exists():  # derived from the private key: safe to restore
        write_file(vault / PUBLIC_FILE, _public_pem(raw))
    return raw


def open_signer(vault: Path, data_key: bytes | memoryview) -> Signer:
    """The vault's signer, its key unwrapped with ``data_key``; never creates a key.

    Raises:
        SigningKeyMissing: the vault has no signing key.
        VaultError: the stored key does not open with this data key.
    """
    return Signer.from_private_bytes(_unwrap(vault, data_key))


def derived(vault: Path, data_key: bytes | memoryview, info: bytes) -> bytes:
    """A 32-byte HKDF-SHA256 sub-key of the signing key for ``info`` (the field kit's age
    identity: it follows the device key, so it survives a change of data key)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt=None, info=info).derive(_unwrap(vault, data_key))


# Keyed by vault and unlock generation, never by the key itself (no copy of it kept here).
_signers: dict[tuple[str, int], Signer] = {}


def forget() -> None:
    """Drop the cached signer (its key was unwrapped with the data key)."""
    _signers.clear()


session.on_lock(forget)


def signer_for(vault: Path | str) -> Signer:
    """The installation's signer, opened with the unlocked data key (once per unlock).

    Raises:
        VaultLocked: the vault is locked.
        SigningKeyMissing: the vault has no signing key.
    """
    with session.borrow() as key:
        handle = (str(vault), session.generation())
        if handle not in _signers:
            _signers.clear()
            _signers[handle] = open_signer(Path(vault), key)
        return _signers[handle]


CUSTODY_EXTRACT = b"dhakira custody extract v1"
"""The :func:`derived` label of the key that tags entry hashes in a package's custody extract:
an entry's hash, or its signature, would check a staff user name a recipient guessed (the
extract ships the rest of the entry). Derived from the signing key, not the data key, so that
a package's tags can be recomputed after ``dhakira rekey``, as its signature can be checked."""


def derived_unlocked(vault: Path, info: bytes) -> bytes:
    """:func:`derived` with the unlocked vault's data key.

    Raises:
        VaultLocked: the vault is locked.
    """
    with session.borrow() as key:
        return derived(vault, key, info)


def rewrapped(vault: Path, old_key: bytes, new_key: bytes) -> bytes:
    """The same signing key as a ``signing.key`` file wrapped under ``new_key`` (``dhakira
    rekey``: the custody chain keeps one signer across a change of data key)."""
    raw = _unwrap(vault, old_key)
    nonce = os.urandom(12)
    return nonce + AESGCM(_wrap_key(new_key)).encrypt(nonce, raw, _AAD)


def public_key_bytes(vault: Path) -> bytes:
    """The raw 32-byte public key of the installation."""
    pem = (vault / PUBLIC_FILE).read_bytes()
    key = serialization.load_pem_public_key(pem)
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
