"""Write a signed evidence package directory; optionally zip it and seal it to the recipient.

Layout (see docs/disclosure.md)::

    files/<item_id>.<ext>     native or redacted files, never original file names
    text/<item_id>.txt        extracted text per item
    custody.jsonl             custody extract per item
    loadfile.dat              Concordance DAT
    summary.pdf               bilingual summary (bytes supplied by the caller)
    verify.py                 the standalone verifier
    public_key.pem, signer.json
    manifest.csv              every file except manifest.json/.sig and itself
    manifest.json             every file except itself and manifest.sig
    manifest.sig              base64 Ed25519 signature over the exact bytes of manifest.json
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import dhakira.verify as _verifier
from dhakira.disclosure._io import Source, copy_hashing, write_hashing
from dhakira.disclosure.archive import to_zip
from dhakira.disclosure.errors import PackageError
from dhakira.disclosure.loadfile import DatRow, render_dat
from dhakira.disclosure.manifest import (
    DOCUMENT_ROLES,
    ManifestEntry,
    check_entry,
    check_id,
    manifest_csv,
    manifest_json,
)
from dhakira.disclosure.redact import RedactionPolicy, policy_named

_EXT = re.compile(r"^[a-z0-9]{1,10}$")


@dataclass(frozen=True)
class PackageResult:
    """What :meth:`PackageBuilder.finish` wrote."""

    directory: Path
    manifest_path: Path
    manifest_sha256: str
    key_fingerprint: str
    file_count: int
    item_count: int
    total_bytes: int

    def to_zip(self, path: str | Path) -> Path:
        """Write the package as a deterministic zip (see :func:`archive.to_zip`)."""
        return to_zip(self.directory, path)


def _datecreated(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    if re.fullmatch(r"\d{8}", value):
        return value
    raise PackageError(f"date_created {value!r} must be a date or YYYYMMDD")


class PackageBuilder:
    """Build one package in an empty directory; call :meth:`finish` once at the end.

    Args:
        out_dir: the package directory; created, and must be empty if it exists.
        package_id: stable id of the package (used in the manifest and load file).
        recipient: the receiving institution, as recorded in the disclosure log.
        purpose: the purpose the consent gate approved.
        policy: the redaction policy applied to the contents (object or name).
        created_at: timezone-aware time of building (inject it; no hidden clock).
        signer_private_key_bytes: the installation's raw 32-byte Ed25519 private key.

    Raises:
        PackageError: bad ids, a non-empty directory, a naive timestamp or a bad key.
    """

    def __init__(
        self,
        out_dir: str | Path,
        *,
        package_id: str,
        recipient: str,
        purpose: str,
        policy: RedactionPolicy | str,
        created_at: dt.datetime,
        signer_private_key_bytes: bytes,
    ) -> None:
        self.dir = Path(out_dir)
        self.package_id = check_id(package_id, "package id")
        if created_at.tzinfo is None:
            raise PackageError("created_at must be timezone-aware (use UTC)")
        if len(signer_private_key_bytes) != 32:
            raise PackageError("signer key must be a raw 32-byte Ed25519 private key")
        self._key = Ed25519PrivateKey.from_private_bytes(bytes(signer_private_key_bytes))
        self._policy = policy_named(policy)
        self._header = {
            "package_id": package_id, "recipient": recipient, "purpose": purpose,
            "policy": self._policy.name, "policy_version": self._policy.version,
            "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        }
        if self.dir.exists() and any(self.dir.iterdir()):
            raise PackageError(f"{self.dir} is not empty; give a new directory for the package")
        for sub in ("files", "text"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        self._entries: dict[str, ManifestEntry] = {}
        self._rows: dict[str, dict[str, Any]] = {}
        self._custody: list[tuple[str, Mapping[str, Any]]] = []
        self._finished = False

    def _write(self, rel: str, source: Source, **fields: Any) -> ManifestEntry:
        if self._finished:
            raise PackageError("package already finished; build a new one")
        if rel in self._entries:
            raise PackageError(f"{rel} is already in the package (duplicate item id and role)")
        path = self.dir / rel
        digest, size = copy_hashing(source, path)
        entry = check_entry(ManifestEntry(path=rel, sha256=digest, size=size, **fields))
        self._entries[rel] = entry
        return entry

    def add_file(
        self,
        item_id: str,
        data_or_path: Source,
        *,
        role: str,
        ext: str,
        stands_for_sha256: str,
        confidentiality: str,
        parent: str | None = None,
        relationship: str | None = None,
        doc_type: str | None = None,
        date_created: dt.date | str | None = None,
    ) -> ManifestEntry:
        """Copy one native or derived file into ``files/<item_id>.<ext>``, hashing as it goes.

        Args:
            item_id: stable id of the item (never an original file name).
            data_or_path: bytes, a path, or a binary file object; streamed in chunks.
            role: ``native``, ``redacted``, ``transcript`` or ``translation``.
            ext: lower-case extension without the dot.
            stands_for_sha256: SHA-256 of the vault original this file stands for.
            confidentiality: e.g. ``confidential`` or ``under seal``.
            parent: item id of the family parent, with ``relationship``.
            relationship: ``attachment``, ``transcript``, ``translation``,
                ``redacted_version`` or ``derived``.
            doc_type: DOCTYPE in the load file (default: the role).
            date_created: the document's date for DATECREATED.

        Returns:
            The manifest entry written.

        Raises:
            PackageError: bad id, extension, role, relationship or hash, or a duplicate.
        """
        check_id(item_id)
        if parent is not None:
            check_id(parent, "parent id")
        if not _EXT.match(ext):
            raise PackageError(f"extension {ext!r} must be 1-10 of a-z 0-9, without a dot")
        if role not in DOCUMENT_ROLES:
            raise PackageError(f"add_file takes roles {', '.join(sorted(DOCUMENT_ROLES))}")
        entry = self._write(
            f"files/{item_id}.{ext}", data_or_path, item_id=item_id, role=role,
            stands_for=stands_for_sha256, parent=parent or "", relationship=relationship or "",
            confidentiality=confidentiality,
        )
        self._rows[item_id] = {"doctype": doc_type or role, "fileext": ext,
                               "datecreated": _datecreated(date_created), "entry": entry}
        return entry

    def add_text(
        self, item_id: str, text: str | Source, *, stands_for_sha256: str, confidentiality: str
    ) -> ManifestEntry:
        """Write the extracted text of an item to ``text/<item_id>.txt`` (UTF-8).

        Raises:
            PackageError: bad id, hash or a duplicate.
        """
        check_id(item_id)
        source = text.encode("utf-8") if isinstance(text, str) else text
        return self._write(
            f"text/{item_id}.txt", source, item_id=item_id, role="text",
            stands_for=stands_for_sha256, confidentiality=confidentiality,
        )

    def add_custody(self, item_id: str, entries: Sequence[Mapping[str, Any]]) -> None:
        """Add an item's custody extract (plain dicts, already redacted by the caller)."""
        check_id(item_id)
        self._custody.extend((item_id, dict(e)) for e in entries)

    def add_summary(self, data_or_path: Source) -> ManifestEntry:
        """Include the bilingual PDF summary as ``summary.pdf``."""
        return self._write("summary.pdf", data_or_path, item_id=self.package_id, role="summary")

    @property
    def entries(self) -> tuple[ManifestEntry, ...]:
        """The manifest entries written so far, by path (e.g. for the summary)."""
        return tuple(sorted(self._entries.values(), key=lambda e: e.path))

    @property
    def key_fingerprint(self) -> str:
        """The signer key's fingerprint as :mod:`dhakira.verify` prints it (``SHA256:…``)."""
        raw = self._key.public_key().public_bytes(serialization.Encoding.Raw,
                                                  serialization.PublicFormat.Raw)
        return _verifier.fingerprint(raw)

    def _package_file(self, rel: str, data: bytes, role: str) -> None:
        self._write(rel, data, item_id=self.package_id, role=role)

    def _dat(self) -> bytes:
        texts = {e.item_id: e.path for e in self._entries.values() if e.role == "text"}
        rows = []
        for item_id, row in self._rows.items():
            e: ManifestEntry = row["entry"]
            rows.append(DatRow(
                docid=item_id, doctype=row["doctype"], fileext=row["fileext"],
                filesize=e.size, sha256=e.sha256, origsha256=e.stands_for, nativepath=e.path,
                textpath=texts.get(item_id, ""), parentid=e.parent,
                confidentiality=e.confidentiality, datecreated=row["datecreated"],
            ))
        return render_dat(rows)

    def _custody_jsonl(self) -> bytes:
        lines = [json.dumps({"item_id": i, "seq": n, "entry": e}, ensure_ascii=False,
                            sort_keys=True, default=str)
                 for n, (i, e) in enumerate(self._custody)]
        return ("\n".join(lines) + "\n" if lines else "").encode()

    def finish(self) -> PackageResult:
        """Write custody, load file, verifier, key, manifests and signature.

        Returns:
            A :class:`PackageResult`.

        Raises:
            PackageError: already finished, or a family parent that is not in the package.
        """
        missing = {e.parent for e in self._entries.values() if e.parent} - set(self._rows)
        if missing:
            raise PackageError(f"family parents not in the package: {', '.join(sorted(missing))}")
        public = self._key.public_key()
        pem = public.public_bytes(serialization.Encoding.PEM,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        fp = _verifier.fingerprint(raw)
        signer = {"algorithm": "ed25519", "public_key_fingerprint": fp,
                  "package_id": self.package_id}
        self._package_file("custody.jsonl", self._custody_jsonl(), "custody")
        self._package_file("loadfile.dat", self._dat(), "loadfile")
        self._package_file("verify.py", Path(_verifier.__file__).read_bytes(), "verifier")
        self._package_file("public_key.pem", pem, "key")
        self._package_file("signer.json", (json.dumps(signer, indent=2) + "\n").encode(), "key")
        self._package_file("manifest.csv", manifest_csv(list(self._entries.values())), "manifest")
        body = manifest_json(self._header | {"signer": signer}, list(self._entries.values()))
        write_hashing(self.dir / "manifest.json", body)
        write_hashing(self.dir / "manifest.sig", base64.b64encode(self._key.sign(body)) + b"\n")
        self._finished = True
        return PackageResult(
            directory=self.dir, manifest_path=self.dir / "manifest.json",
            manifest_sha256=hashlib.sha256(body).hexdigest(), key_fingerprint=fp,
            file_count=len(self._entries) + 2,
            item_count=len({e.item_id for e in self._entries.values()} - {self.package_id}),
            total_bytes=sum(e.size for e in self._entries.values()) + len(body),
        )

