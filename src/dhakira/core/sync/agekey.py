"""The age (X25519) identity of a vault, derived from its Ed25519 signing key.

Bundles are sealed with age to the receiving vault. Rather than keep a second secret (one
more file for backups, rekeying and recovery to know about), each vault's age identity is
derived from its signing key with HKDF-SHA256 under its own label: whoever can open the
vault's signing key can open bundles sealed to it, and nobody else.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["IDENTITY_INFO", "identity_from_seed", "identity_from_signing_key", "recipient_of"]

IDENTITY_INFO = b"dhakira sync age identity v1"

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= _GEN[i] if ((top >> i) & 1) else 0
    return chk


def _bech32(hrp: str, data: bytes) -> str:
    """BIP-173 Bech32, as age writes its keys (no length limit)."""
    acc, bits, five = 0, 0, []
    for byte in data:
        acc = (acc << 8) | byte
        bits += 8
        while bits >= 5:
            bits -= 5
            five.append((acc >> bits) & 31)
    if bits:
        five.append((acc << (5 - bits)) & 31)
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    mod = _polymod(expanded + five + [0] * 6) ^ 1
    checksum = [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[d] for d in five + checksum)


def identity_from_signing_key(private_bytes: bytes) -> str:
    """The ``AGE-SECRET-KEY-1…`` identity of the vault whose signing key is given."""
    return identity_from_seed(HKDF(hashes.SHA256(), 32, salt=None,
                                   info=IDENTITY_INFO).derive(bytes(private_bytes)))


def identity_from_seed(seed: bytes) -> str:
    """The ``AGE-SECRET-KEY-1…`` identity for a 32-byte seed (see :data:`IDENTITY_INFO`)."""
    return _bech32("age-secret-key-", seed).upper()


def recipient_of(identity: str) -> str:
    """The ``age1…`` public key of an identity."""
    import pyrage

    return str(pyrage.x25519.Identity.from_str(identity).to_public())
