"""Synthetic packages for the disclosure tests (all names invented; ids only)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from dhakira.core.handover import PackageBuilder, PackageResult
from dhakira.core.vault.signing import Signer

SIGNER_KEY = bytes(range(1, 33))
SIGNER = Signer.from_private_bytes(SIGNER_KEY)
# What the sender gives the recipient by another channel: the verifier pins it.
FINGERPRINT = "SHA256:65B6 0673 D6ED 884B F01C 2C22 2D82 ADA0"
CREATED = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# item id -> (role, ext, bytes, parent, relationship)
ITEMS = {
    "E-0001": ("native", "eml", b"From: office@example.org\r\nSubject: report\r\n\r\nbody\r\n",
               None, None),
    "E-0002": ("redacted", "pdf", b"%PDF-1.4 synthetic attachment, redacted\n", "E-0001",
               "attachment"),
    "AU-0003": ("native", "ogg", bytes(range(256)) * 64, None, None),
    "TR-0004": ("transcript", "txt", "نص المقابلة المفرغ".encode(), "AU-0003", "transcript"),
    "TL-0005": ("translation", "txt", b"Translated interview text", "TR-0004", "translation"),
}


def build(out: Path, *, package_id: str = "PKG-2026-001", key: bytes = SIGNER_KEY,
          items: dict | None = None) -> PackageResult:
    """Build a small package with a family of each kind."""
    builder = PackageBuilder(
        out, package_id=package_id, recipient="Investigative Team (synthetic)",
        purpose="criminal investigation", policy="pseudonymised", created_at=CREATED,
        signer=Signer.from_private_bytes(key),
    )
    for item_id, (role, ext, data, parent, rel) in (items or ITEMS).items():
        builder.add_file(item_id, data, role=role, ext=ext, stands_for_sha256=sha(b"orig" + data),
                         parent=parent, relationship=rel, confidentiality="confidential",
                         date_created=dt.date(2015, 6, 3))
    builder.add_text("E-0001", "body\n", stands_for_sha256=sha(b"orig"),
                     confidentiality="confidential")
    builder.add_custody("E-0001", [{"event": "intake", "at": "2026-01-02T03:04:05Z",
                                    "actor": "U-17"}])
    builder.add_summary(b"%PDF-1.4 synthetic summary\n")
    return builder.finish()
