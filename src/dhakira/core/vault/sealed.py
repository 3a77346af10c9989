"""Small values sealed under the vault's key, for rows that must be unreadable without it.

``seal(data, purpose=...)`` encrypts with AES-256-GCM under a key derived from the data key
for that purpose alone (HKDF-SHA256, ``info = "dhakira sealed " + purpose``), a random 96-bit
nonce, and the purpose as associated data: a value sealed for one purpose never opens as
another, and nothing outside ``vault/`` touches the data key::

    token = b"S1" || nonce (12 bytes) || AES-256-GCM ciphertext and tag

Used for files attached to a report form that did not validate: they wait, sealed, in the
database until the report is saved or the draft discarded (never as plaintext on disk).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dhakira.core.vault import session

__all__ = ["SealBroken", "reseal", "seal", "unseal"]

_MAGIC = b"S1"
_NONCE = 12


class SealBroken(ValueError):
    """The token was changed, truncated, or sealed for another purpose or vault."""


def _derive(key: bytes | memoryview, purpose: str) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=b"dhakira sealed " + purpose.encode()).derive(key))


def _aead(purpose: str) -> AESGCM:
    if not purpose:
        raise ValueError("a sealed value needs a purpose")
    with session.borrow() as key:
        return _derive(key, purpose)  # derived from the page itself: no copy of the key


def seal(data: bytes, *, purpose: str) -> bytes:
    """Encrypt ``data`` for ``purpose`` under the unlocked vault's key.

    Raises:
        dhakira.core.vault.session.VaultLocked: the vault is locked.
        ValueError: no purpose.
    """
    nonce = os.urandom(_NONCE)
    return _MAGIC + nonce + _aead(purpose).encrypt(nonce, data, purpose.encode())


def unseal(token: bytes, *, purpose: str) -> bytes:
    """Decrypt a token made by :func:`seal` for the same ``purpose``.

    Raises:
        SealBroken: the token is damaged, or was sealed for another purpose or vault.
        dhakira.core.vault.session.VaultLocked: the vault is locked.
    """
    token = bytes(token)
    if not token.startswith(_MAGIC) or len(token) < len(_MAGIC) + _NONCE + 16:
        raise SealBroken("not a sealed value")
    nonce = token[len(_MAGIC):len(_MAGIC) + _NONCE]
    try:
        return _aead(purpose).decrypt(nonce, token[len(_MAGIC) + _NONCE:], purpose.encode())
    except InvalidTag:
        raise SealBroken("the sealed value was changed or belongs elsewhere") from None


def reseal(token: bytes, *, purpose: str, old_key: bytes, new_key: bytes) -> bytes | None:
    """``token`` (sealed under ``old_key``) sealed again under ``new_key``, for ``dhakira rekey``;
    None when it already opens under ``new_key`` (a resumed rekey did it).

    Raises:
        SealBroken: it opens under neither key.
    """
    token = bytes(token)
    nonce, body = token[len(_MAGIC):len(_MAGIC) + _NONCE], token[len(_MAGIC) + _NONCE:]
    if not token.startswith(_MAGIC) or len(body) < 16:
        raise SealBroken("not a sealed value")
    try:
        data = _derive(old_key, purpose).decrypt(nonce, body, purpose.encode())
    except InvalidTag:
        try:
            _derive(new_key, purpose).decrypt(nonce, body, purpose.encode())
        except InvalidTag:
            raise SealBroken("the sealed value opens under neither key") from None
        return None
    fresh = os.urandom(_NONCE)
    return _MAGIC + fresh + _derive(new_key, purpose).encrypt(fresh, data, purpose.encode())
