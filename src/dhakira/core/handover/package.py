"""Build a signed evidence package in memory, then write it; optionally zip and seal it.

Nothing is written while the package is built: the caller can leak-check every byte
(:attr:`PackageResult.files`, :meth:`PackageResult.zip_bytes`) before any of it touches the
disk, and :meth:`PackageResult.write` then writes it under a temporary name and renames it.

Layout (see docs/disclosure.md)::

    files/<item_id>.<ext>     native or redacted files, never original file names
    text/<item_id>.txt        extracted text per item
    custody.jsonl             custody extract per item
    loadfile.dat              Concordance DAT
    summary.pdf               bilingual summary (bytes supplied by the caller)
    verify.py                 the standalone verifier
    README.txt                how to verify, in English and Arabic
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
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

import dhakira.core.handover.verify as _verifier
from dhakira.core.handover._io import Readable, open_source
from dhakira.core.handover.archive import to_zip, zip_bytes
from dhakira.core.handover.errors import PackageError
from dhakira.core.handover.loadfile import DatRow, render_dat
from dhakira.core.handover.manifest import (
    DOCUMENT_ROLES,
    ManifestEntry,
    check_entry,
    check_id,
    manifest_csv,
    manifest_json,
)
from dhakira.core.handover.redact import RedactionPolicy, policy_named
from dhakira.core.vault._files import fsync_dir

_EXT = re.compile(r"^[a-z0-9]{1,10}$")


SIGNATURE = "manifest.sig"
VETTING = "vetting.json"  # the items' vetting record (see add_vetting), when the vault has one
README = """HOW TO VERIFY THIS PACKAGE

1. Obtain two things from the sender by ANOTHER channel than this package (in person, by
   telephone, from their published key): the signer key fingerprint ("SHA256:XXXX XXXX ...")
   and your own copy of verify.py. The verify.py inside this package is only a convenience:
   whoever could alter the package could alter it too.
2. With Python 3.9+ and the "cryptography" package, run your copy:
       python verify.py PACKAGE_DIR_OR_ZIP --fingerprint "SHA256:XXXX XXXX ..."
   or, with the sender's public key file:  python verify.py PACKAGE --key their_key.pem
3. Only "OK: signed by the pinned key" with exit status 0 proves that the sender signed it and
   nothing was changed. "UNVERIFIED" means no key was pinned: the check proves nothing.

كيف تتحقق من هذه الحزمة

١. احصل من المرسل بطريق آخر غير هذه الحزمة (لقاء مباشر أو هاتف أو مفتاحه المنشور) على أمرين: بصمة
   مفتاح التوقيع ("SHA256:XXXX XXXX ...") ونسختك الخاصة من verify.py. النسخة الموجودة داخل الحزمة
   للتيسير فقط: من يستطيع تعديل الحزمة يستطيع تعديلها أيضاً.
٢. مع بايثون 3.9 أو أحدث وحزمة cryptography شغّل نسختك:
       python verify.py PACKAGE_DIR_OR_ZIP --fingerprint "SHA256:XXXX XXXX ..."
   أو بملف المفتاح العام للمرسل:  python verify.py PACKAGE --key their_key.pem
٣. وحدها عبارة "OK: signed by the pinned key" مع رمز الخروج 0 تثبت أن المرسل وقّع الحزمة وأن شيئاً
   لم يتغير. أما "UNVERIFIED" فتعني أنك لم تحدد مفتاحاً، فلا يثبت الفحص شيئاً.
"""



def partial_name(final: Path) -> str:
    """The prefix of the temporary names a package bound for ``final`` is written under."""
    return f".{final.name}.partial-"


def remove_partials(final: Path) -> list[Path]:
    """Delete what an interrupted build left beside ``final``; return what was removed."""
    removed = []
    parent = final.parent if final.parent.exists() else None
    for stale in sorted(parent.glob(partial_name(final) + "*")) if parent else []:
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale)
        else:
            stale.unlink()
        removed.append(stale)
    return removed


def write_file_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` under a temporary name beside ``path``, fsync, then rename to ``path``.

    Raises:
        FileExistsError: ``path`` exists already (packages never overwrite).
    """
    if path.exists():
        raise FileExistsError(f"{path} exists already")
    fd, tmp = tempfile.mkstemp(prefix=partial_name(path), dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # unlike rename, never replaces a file that appeared meanwhile
        except FileExistsError:
            raise
        except OSError:  # no hard links (FAT, exFAT): checked above, so rename
            os.rename(tmp, path)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    fsync_dir(path.parent)
    return path


@dataclass(frozen=True)
class PackageResult:
    """A finished package; its files are held in memory until :meth:`write`."""

    directory: Path
    manifest_path: Path
    manifest_sha256: str
    key_fingerprint: str
    file_count: int
    item_count: int
    total_bytes: int
    files: Mapping[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def zip_bytes(self) -> bytes:
        """The package as a deterministic zip, in memory (see :func:`archive.to_zip`)."""
        return zip_bytes(self.files)

    def to_zip(self, path: str | Path) -> Path:
        """Write the package as a deterministic zip (see :func:`archive.to_zip`)."""
        if self.files:
            return write_file_atomically(Path(path), self.zip_bytes())
        return to_zip(self.directory, path)

    def stage(self) -> Path:
        """Write every file but the signature to a temporary directory beside :attr:`directory`.

        A staged package does not verify (it has no ``manifest.sig``) until :meth:`release`.

        Raises:
            PackageError: the package directory exists and is not empty.
        """
        final = self.directory
        if final.exists() and (not final.is_dir() or any(final.iterdir())):
            raise PackageError(f"{final} is not empty; give a new directory for the package",
                               code="package_folder_not_empty", params={"path": str(final)})
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=partial_name(final), dir=final.parent))
        try:
            for rel, data in sorted(self.files.items()):
                if rel == SIGNATURE:
                    continue
                target = tmp.joinpath(*rel.split("/"))
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "xb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return tmp

    def release(self, staged: Path) -> Path:
        """Sign a staged package (write ``manifest.sig``) and rename it to :attr:`directory`."""
        with open(staged / SIGNATURE, "xb") as fh:
            fh.write(self.files[SIGNATURE])
            fh.flush()
            os.fsync(fh.fileno())
        fsync_dir(staged)
        os.rename(staged, self.directory)  # an empty directory there is replaced; else refused
        fsync_dir(self.directory.parent)
        return self.directory

    def write(self) -> Path:
        """Write the package to :attr:`directory`: a temporary name first, then a rename."""
        return self.release(self.stage())


def _datecreated(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d")
    if re.fullmatch(r"\d{8}", value):
        return value
    raise PackageError(f"date_created {value!r} must be a date or YYYYMMDD")


class PackageSigner(Protocol):
    """What signs a package: an object holding the private key, never its bytes
    (:class:`dhakira.core.vault.signing.Signer`)."""

    def sign(self, message: bytes) -> bytes: ...

    def public_key_bytes(self) -> bytes: ...


class PackageBuilder:
    """Build one package in memory; call :meth:`finish` once at the end.

    Args:
        out_dir: the package directory it will be written to; must be empty if it exists.
        package_id: stable id of the package (used in the manifest and load file).
        recipient: the receiving institution, as recorded in the disclosure log.
        purpose: the purpose the consent gate approved.
        policy: the redaction policy applied to the contents (object or name).
        created_at: timezone-aware time of building (inject it; no hidden clock).
        signer: the installation's Ed25519 signer (it signs; it never hands out its key).

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
        signer: PackageSigner,
        custody_head: Mapping[str, Any] | None = None,
    ) -> None:
        self.dir = Path(out_dir)
        self.package_id = check_id(package_id, "package id")
        if created_at.tzinfo is None:
            raise PackageError("created_at must be timezone-aware (use UTC)")
        self._signer = signer
        try:
            self._public = Ed25519PublicKey.from_public_bytes(signer.public_key_bytes())
        except ValueError:
            raise PackageError("the signer's public key is not an Ed25519 key") from None
        self._policy = policy_named(policy)
        self._header = {
            "package_id": package_id, "recipient": recipient, "purpose": purpose,
            "policy": self._policy.name, "policy_version": self._policy.version,
            "created_at": created_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        }
        if custody_head is not None:
            # The custody chain's last entry when the package was built: a later audit of the
            # chain shows whether anything recorded before the package was changed since.
            # Built in a vault, it names the entry by a keyed tag of its hash (``entry_tag``).
            self._header["custody_head"] = {"seq": int(custody_head["seq"]), **{
                k: str(custody_head[k]) for k in ("entry_hash", "entry_tag") if k in custody_head}}
        if self.dir.exists() and (not self.dir.is_dir() or any(self.dir.iterdir())):
            raise PackageError(f"{self.dir} is not empty; give a new directory for the package",
                               code="package_folder_not_empty", params={"path": str(self.dir)})
        self._files: dict[str, bytes] = {}
        self._entries: dict[str, ManifestEntry] = {}
        self._rows: dict[str, dict[str, Any]] = {}
        self._custody: list[tuple[str, Mapping[str, Any]]] = []
        self._finished = False

    def _write(self, rel: str, source: Readable, **fields: Any) -> ManifestEntry:
        if self._finished:
            raise PackageError("package already finished; build a new one")
        if rel in self._entries:
            raise PackageError(f"{rel} is already in the package (duplicate item id and role)")
        with open_source(source) as src:
            data = src.read()
        entry = check_entry(ManifestEntry(path=rel, sha256=hashlib.sha256(data).hexdigest(),
                                          size=len(data), **fields))
        self._files[rel] = data
        self._entries[rel] = entry
        return entry

    def add_file(
        self,
        item_id: str,
        data_or_path: Readable,
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
        """Add one native or derived file as ``files/<item_id>.<ext>``.

        Args:
            item_id: stable id of the item (never an original file name).
            data_or_path: bytes, a path, or a binary file object; held in memory.
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
        self, item_id: str, text: str | Readable, *, stands_for_sha256: str, confidentiality: str
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

    def add_vetting(self, record: Mapping[str, Any]) -> ManifestEntry:
        """Include the items' vetting record as ``vetting.json`` (signed with the manifest):
        ``{"format": "dhakira-vetting/1", "items": {item id: {"status": …, "steps": […]}}}``."""
        data = json.dumps(record, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")
        return self._write(VETTING, data, item_id=self.package_id, role="vetting")

    def add_brief(self, charge_id: str, lang: str, data_or_path: Readable) -> ManifestEntry:
        """Include a charge's brief (a PDF, in ``lang``) as ``brief/<charge>.<lang>.pdf``,
        listed and signed in the manifest like every other file (role ``brief``).

        Raises:
            PackageError: a bad charge id or language, or the same brief twice.
        """
        check_id(charge_id, "charge id")
        if lang not in ("ar", "en"):
            raise PackageError(f"a brief is in ar or en, not {lang!r}")
        return self._write(f"brief/{charge_id}.{lang}.pdf", data_or_path, item_id=charge_id,
                           role="brief")

    def add_summary(self, data_or_path: Readable) -> ManifestEntry:
        """Include the bilingual PDF summary as ``summary.pdf``."""
        return self._write("summary.pdf", data_or_path, item_id=self.package_id, role="summary")

    @property
    def entries(self) -> tuple[ManifestEntry, ...]:
        """The manifest entries written so far, by path (e.g. for the summary)."""
        return tuple(sorted(self._entries.values(), key=lambda e: e.path))

    @property
    def key_fingerprint(self) -> str:
        """The signer key's fingerprint as :mod:`dhakira.core.handover.verify` prints it (``SHA256:…``)."""
        return _verifier.fingerprint(self._signer.public_key_bytes())

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

    def finish(self, *, write: bool = True) -> PackageResult:
        """Add custody, load file, verifier, key, manifests and signature.

        Args:
            write: write the package to its directory now (temporary name, then rename).
                Pass False to leak-check :attr:`PackageResult.files` first and call
                :meth:`PackageResult.write` (or ``stage``/``release``) afterwards.

        Returns:
            A :class:`PackageResult`.

        Raises:
            PackageError: already finished, or a family parent that is not in the package.
        """
        missing = {e.parent for e in self._entries.values() if e.parent} - set(self._rows)
        if missing:
            raise PackageError(f"family parents not in the package: {', '.join(sorted(missing))}")
        public = self._public
        pem = public.public_bytes(serialization.Encoding.PEM,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        fp = _verifier.fingerprint(raw)
        signer = {"algorithm": "ed25519", "public_key_fingerprint": fp,
                  "package_id": self.package_id}
        self._package_file("custody.jsonl", self._custody_jsonl(), "custody")
        self._package_file("loadfile.dat", self._dat(), "loadfile")
        self._package_file("verify.py", Path(_verifier.__file__).read_bytes(), "verifier")
        self._package_file("README.txt", README.encode("utf-8"), "readme")
        self._package_file("public_key.pem", pem, "key")
        self._package_file("signer.json", (json.dumps(signer, indent=2) + "\n").encode(), "key")
        self._package_file("manifest.csv", manifest_csv(list(self._entries.values())), "manifest")
        body = manifest_json(self._header | {"signer": signer}, list(self._entries.values()))
        self._files["manifest.json"] = body
        self._files[SIGNATURE] = base64.b64encode(self._signer.sign(body)) + b"\n"
        self._finished = True
        result = PackageResult(
            directory=self.dir, manifest_path=self.dir / "manifest.json",
            manifest_sha256=hashlib.sha256(body).hexdigest(), key_fingerprint=fp,
            file_count=len(self._entries) + 2,
            item_count=len({e.item_id for e in self._entries.values()} - {self.package_id}),
            total_bytes=sum(e.size for e in self._entries.values()) + len(body),
            files=self._files,
        )
        if write:
            result.write()
        return result

