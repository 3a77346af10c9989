"""Sub-keys of the data key, one per use, derived by HKDF-SHA256 with a label.

The data key itself only unwraps and opens things inside the vault. Every other use gets
its own sub-key, so that no two uses ever share key material and no code outside this
package needs the data key's bytes::

    subkey = HKDF-SHA256(ikm=data_key, salt=None, info=label, length=32)

The labels are part of the vault format: changing one makes every value keyed with it
unreadable, so each is fixed here, once, and pinned by test vectors
(``tests/vectors/keys/hkdf_labels.json``).
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dhakira.core.vault import session

__all__ = ["IMPORT_ROW", "INTAKE_DRAFT", "LABELS", "SIGNING_KEY_WRAP", "SOURCE_CODE", "VETTING_TEXT",
           "derive", "mac"]

SIGNING_KEY_WRAP = b"dhakira signing-key wrap"
"""Wraps the installation's Ed25519 signing key (``signing.key``)."""
SOURCE_CODE = b"dhakira source code v1"
"""Keys the code names of e-mail senders (:mod:`dhakira.core.vault.codes`)."""
INTAKE_DRAFT = b"dhakira intake draft v1"
"""Keys the storage names of intake drafts (``dossier.views._drafts``)."""
IMPORT_ROW = b"dhakira import row v1"
"""Keys the fingerprints of imported rows (``importing.services``): a bare hash of a row
could be matched against guessed names and dates."""
VETTING_TEXT = b"dhakira vetting text v1"
"""Keys the marks of vetting reasons and comments in custody and packages
(``vetting.texts``): a bare SHA-256 of "confirmed by her brother" could be found by hashing
guesses."""

LABELS: dict[str, bytes] = {
    "signing_key_wrap": SIGNING_KEY_WRAP,
    "source_code": SOURCE_CODE,
    "intake_draft": INTAKE_DRAFT,
    "import_row": IMPORT_ROW,
    "vetting_text": VETTING_TEXT,
}
# The blob store derives its file and name keys itself (vault/blobs.py, with a per-file salt);
# its labels are pinned by the blob vectors.


def derive(data_key: bytes | memoryview, label: bytes) -> bytes:
    """The 32-byte sub-key of ``data_key`` for ``label`` (one of :data:`LABELS`).

    Raises:
        ValueError: the key is not 32 bytes, or the label is not a known one.
    """
    if len(data_key) != 32:
        raise ValueError("the data key is 32 bytes")
    if label not in LABELS.values():
        raise ValueError(f"unknown sub-key label {label!r}: add it to dhakira.core.vault.keys.LABELS")
    return HKDF(hashes.SHA256(), 32, salt=None, info=label).derive(data_key)


def mac(label: bytes, message: bytes) -> bytes:
    """HMAC-SHA256 of ``message`` under the unlocked vault's sub-key for ``label``.

    Raises:
        VaultLocked: the vault is locked.
    """
    with session.borrow() as key:  # derived in place: no copy of the data key is made
        sub = derive(key, label)
    return hmac.new(sub, message, hashlib.sha256).digest()
