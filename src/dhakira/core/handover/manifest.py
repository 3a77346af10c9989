"""The package manifest: one entry per file, rendered as JSON (signed) and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from dhakira.core.handover.cells import safe_cell
from dhakira.core.handover.errors import PackageError

FORMAT = "dhakira-package/1"
ROLES = frozenset({
    "native", "redacted", "text", "transcript", "translation", "summary", "custody",
    "loadfile", "manifest", "verifier", "readme", "key", "vetting", "brief",
})
# Roles whose files are documents in their own right (one load-file row each).
DOCUMENT_ROLES = frozenset({"native", "redacted", "transcript", "translation"})
RELATIONSHIPS = frozenset({"attachment", "transcript", "translation", "redacted_version", "derived"})
CSV_FIELDS = (
    "path", "sha256", "size", "item_id", "role", "stands_for", "parent", "relationship",
    "confidentiality",
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class ManifestEntry:
    """One file of a package.

    Attributes:
        path: relative posix path inside the package.
        sha256: hex SHA-256 of the file as shipped.
        size: bytes.
        item_id: the stable item id the file belongs to (the package id for package files).
        role: one of :data:`ROLES`.
        stands_for: hex SHA-256 of the vault original this file stands for ('' if none).
        parent: item id of the family parent ('' if none).
        relationship: how this item relates to its parent (one of :data:`RELATIONSHIPS`).
        confidentiality: the level the recipient must handle it at.
    """

    path: str
    sha256: str
    size: int
    item_id: str
    role: str
    stands_for: str = ""
    parent: str = ""
    relationship: str = ""
    confidentiality: str = ""


def check_id(value: str, what: str = "item id") -> str:
    """Return ``value`` if it is a safe stable id (letters, digits, ``._-``).

    Raises:
        PackageError: the id could leak into a path unsafely or hold a name.
    """
    if not isinstance(value, str) or not _ID.match(value) or ".." in value:
        raise PackageError(
            f"{what} {value!r} must be 1-128 of A-Z a-z 0-9 . _ - (stable ids, never names)"
        )
    return value


def check_entry(entry: ManifestEntry) -> ManifestEntry:
    """Validate an entry's role, relationship and hashes.

    Raises:
        PackageError: naming the bad field.
    """
    if entry.role not in ROLES:
        raise PackageError(f"role {entry.role!r} is not one of {', '.join(sorted(ROLES))}")
    if entry.relationship and entry.relationship not in RELATIONSHIPS:
        raise PackageError(f"relationship {entry.relationship!r} is not one of "
                           f"{', '.join(sorted(RELATIONSHIPS))}")
    if bool(entry.parent) != bool(entry.relationship):
        raise PackageError(f"{entry.path}: give parent and relationship together")
    if entry.stands_for and not _SHA.match(entry.stands_for):
        raise PackageError(f"{entry.path}: stands_for must be a lower-case hex SHA-256")
    return entry


def manifest_json(header: Mapping[str, Any], entries: Sequence[ManifestEntry]) -> bytes:
    """Render the manifest deterministically (sorted keys, entries by path, UTF-8)."""
    doc = dict(header) | {
        "format": FORMAT,
        "files": [asdict(e) for e in sorted(entries, key=lambda e: e.path)],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def manifest_csv(entries: Sequence[ManifestEntry]) -> bytes:
    """Render the entries as CSV (RFC 4180, header row, CRLF, UTF-8 with BOM for spreadsheets).

    Cells are made spreadsheet-safe with :func:`cells.safe_cell`.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for entry in sorted(entries, key=lambda e: e.path):
        row = asdict(entry)
        writer.writerow([safe_cell(row[name]) for name in CSV_FIELDS])
    return ("\ufeff" + buf.getvalue()).encode()


def parse_manifest(data: bytes) -> tuple[dict[str, Any], list[ManifestEntry]]:
    """Parse manifest.json bytes into its header and entries.

    Raises:
        PackageError: not a manifest of this format.
    """
    try:
        doc = json.loads(data.decode("utf-8"))
        files = doc.pop("files")
        entries = [ManifestEntry(**f) for f in files]
    except (ValueError, KeyError, TypeError) as exc:
        raise PackageError(f"not a valid manifest: {exc}") from exc
    if doc.get("format") != FORMAT:
        raise PackageError(f"unknown manifest format {doc.get('format')!r}")
    return doc, entries
