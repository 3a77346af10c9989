"""Keyed code names: a short, stable code for a value that only the vault's key can make.

A source that writes from ``someone@example.org`` needs a code name that is the same for every
message from that address and says nothing about it. A plain hash would do the first and fail
the second: anyone holding a list of suspects' addresses could hash each one and confirm a
match. So the code is an HMAC under a key derived from the data key::

    code_key = HKDF-SHA256(data_key, salt=None, info=b"dhakira source code v1")
    code     = PREFIX-UPPER(hex(HMAC-SHA256(code_key, NFC(value).strip().casefold()))[:10])

The same address gives the same code in one vault and a different code in another vault.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from dhakira.core.vault import keys, session

__all__ = ["CODE_INFO", "code_for", "keyed_code", "normalise"]

CODE_INFO = keys.SOURCE_CODE
_LENGTH = 10  # hex digits, as the unkeyed codes of earlier versions


def normalise(value: str) -> str:
    """The form a value is coded in: NFC, no surrounding space, case folded."""
    return unicodedata.normalize("NFC", value).strip().casefold()


def keyed_code(data_key: bytes | memoryview, value: str, *, prefix: str) -> str:
    """The code name of ``value`` in the vault whose data key is ``data_key``.

    Example:
        >>> keyed_code(bytes(32), "Someone@Example.org ", prefix="MAIL")
        'MAIL-F1D2250A08'
    """
    key = keys.derive(data_key, keys.SOURCE_CODE)
    digest = hmac.new(key, normalise(value).encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:_LENGTH].upper()}"


def code_for(value: str, *, prefix: str) -> str:
    """The code name of ``value`` in the unlocked vault (see :func:`keyed_code`).

    Raises:
        VaultLocked: the vault is locked.
    """
    with session.borrow() as key:
        return keyed_code(key, value, prefix=prefix)
