"""Verify a Dhakira evidence package without Dhakira.

This file is shipped, unchanged, inside every package as ``verify.py``; obtain your own copy
from the sender by another channel too, since a copy that came inside a package can have been
replaced with it. It needs only the Python standard library and the ``cryptography`` package::

    python verify.py PACKAGE --fingerprint 'SHA256:1A2B 3C4D ...' [--json]
    python verify.py PACKAGE --key signer_public_key.pem [--json]

It checks the Ed25519 signature over the exact bytes of ``manifest.json`` with the key you
pinned, then every file's size and SHA-256, and names each problem: missing, extra, altered or
renamed files, a forged manifest, a key that is not the pinned one, a damaged archive.

Without ``--key`` or ``--fingerprint`` nothing is proved (whoever altered the package could
re-sign it with a key of their own): the files are still checked against the manifest, but the
verdict is ``UNVERIFIED`` and the exit status 1. Exit status: 0 signed by the pinned key and
intact, 1 any problem or no pinned key, 2 usage error (including a package that cannot be
opened at all).
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import json
import os
import re
import stat
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

# Deliberately no import from dhakira: this file must run alone inside a package.

FORMAT = "dhakira-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"
VETTING = "vetting.json"
UNLISTED = frozenset({MANIFEST, SIGNATURE})
CHUNK = 1 << 20
MAX_SMALL = 64 << 20  # manifest, signature and key are small; refuse to read a giant one
_SHA = re.compile(r"^[0-9a-f]{64}$")
# What a damaged zip can raise while it is read: name the file instead of a traceback.
_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
           KeyError, RuntimeError, NotImplementedError, OverflowError, IndexError, TypeError,
           UnicodeError)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package; ``kind`` is a stable machine-readable word."""

    kind: str
    path: str
    detail: str


@dataclass
class Report:
    """Everything the verifier found.

    ``intact`` means the signature is valid and every file matches, under the key used;
    ``ok`` also needs that key to be pinned by the recipient (``--key``/``--fingerprint``).
    """

    package: str
    key_fingerprint: str = ""
    key_source: str = ""
    pinned: bool = False
    signature_valid: bool = False
    files_listed: int = 0
    files_checked: int = 0
    custody_head: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: item id -> vetting status, from the signed vetting.json (when the package has one and
    #: it is intact).
    vetting: dict[str, str] = field(default_factory=dict)
    #: the briefs the package carries (paths listed with role ``brief``), each checked like
    #: every file: an altered one is a problem and is not listed here.
    briefs: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.signature_valid and not self.problems

    @property
    def ok(self) -> bool:
        return self.pinned and self.intact

    def add(self, kind: str, path: str, detail: str) -> None:
        self.problems.append(Problem(kind, path, detail))


class UsageError(Exception):
    """The command was called wrongly, or the package cannot be opened (exit status 2)."""


class _Source:
    """Read-only view of a package held as a directory or a zip file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if os.path.isdir(path):
            return
        if not os.path.isfile(path):
            raise UsageError(f"{path}: not a package directory or zip file")
        try:
            self._zip = zipfile.ZipFile(path)
            self._zip.infolist()
        except _DAMAGE as exc:
            raise UsageError(f"{path}: not a package directory or a readable zip file "
                             f"(damaged archive: {_why(exc)})") from None

    def names(self) -> Iterator[tuple[str, str]]:
        """Yield (relative posix path, note); note is non-empty for things that are not files."""
        if self._zip is not None:
            seen: set[str] = set()
            members = {i.filename for i in self._zip.infolist() if not i.is_dir()}
            for info in self._zip.infolist():
                if info.is_dir():
                    # An empty folder entry is what zipping tools add (a package re-zipped);
                    # one holding bytes, or standing where a file must be unpacked
                    # (files/RECORDS.json/), is no package's.
                    if info.file_size or info.filename.rstrip("/") in members:
                        yield info.filename, "folder entry"
                    continue
                # A second member of the same name would hide behind the first.
                yield info.filename, "duplicate zip member" if info.filename in seen else ""
                seen.add(info.filename)
            if self._zip.comment:
                yield "(zip comment)", "zip comment"
            return
        for root, dirs, files in os.walk(self.path):
            dirs.sort()
            for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                full = os.path.join(root, name)
                rel = os.path.relpath(full, self.path).replace(os.sep, "/")
                yield rel, ("symbolic link" if os.path.islink(full) else
                            "" if os.path.isfile(full) else "not a regular file")

    def open(self, rel: str) -> IO[bytes]:
        if self._zip is not None:
            return self._zip.open(rel)
        full = os.path.join(self.path, *rel.split("/"))
        if os.path.lexists(full) and not stat.S_ISREG(os.lstat(full).st_mode):
            # A FIFO or a device would block the read, or never end: it is no package file.
            raise OSError(f"{rel} is not a regular file")
        return open(full, "rb")

    def read(self, rel: str) -> bytes | None:
        """A small file's bytes; None if absent. Raises one of ``_DAMAGE`` if unreadable."""
        try:
            fh = self.open(rel)
        except (FileNotFoundError, KeyError):
            return None
        with fh:
            data = fh.read(MAX_SMALL + 1)
        if len(data) > MAX_SMALL:
            raise ValueError(f"larger than {MAX_SMALL} bytes")
        return data


def _why(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def fingerprint(raw_public_key: bytes) -> str:
    """Return the SHA-256 fingerprint of a raw Ed25519 public key, in groups of four."""
    digest = hashlib.sha256(raw_public_key).hexdigest().upper()
    return "SHA256:" + " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def _fingerprint_hex(text: str) -> str:
    """The hex digits of a fingerprint as the recipient typed it (prefix, spaces, case ignored).

    Raises:
        UsageError: fewer than the 32 hex digits :func:`fingerprint` prints, or not hex.
    """
    digits = re.sub(r"[\s:]", "", text.strip()).upper().removeprefix("SHA256")
    if not re.fullmatch(r"[0-9A-F]{32}|[0-9A-F]{64}", digits):
        raise UsageError("--fingerprint takes the 32 hex digits printed as 'SHA256:XXXX XXXX …' "
                         "(or the full 64-digit SHA-256 of the key)")
    return digits


def _hash(opener: Callable[[], IO[bytes]]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with opener() as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _load_key(pem: bytes) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(pem)
    except Exception as exc:  # cryptography raises ValueError or UnsupportedAlgorithm
        raise ValueError(_why(exc)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _read(src: _Source, report: Report, rel: str) -> bytes | None:
    """Read a small package file; a damaged one is named and treated as absent."""
    try:
        return src.read(rel)
    except _DAMAGE as exc:
        report.add("damaged", rel, f"cannot be read ({_why(exc)})")
        return None


def _check_signature(src: _Source, report: Report, key_pem: bytes | None,
                     pinned_hex: str | None) -> bytes | None:
    """Verify manifest.sig over manifest.json; return the manifest bytes (even if forged)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization

    manifest = _read(src, report, MANIFEST)
    if manifest is None:
        report.add("missing", MANIFEST, "the manifest is missing or unreadable: nothing can "
                   "be checked")
        return None
    report.key_source = "given with --key" if key_pem else f"{PUBLIC_KEY} in the package"
    pem = key_pem if key_pem is not None else _read(src, report, PUBLIC_KEY)
    try:
        key = _load_key(pem or b"")
    except ValueError as exc:
        if key_pem is not None:
            raise UsageError(f"--key: not an Ed25519 public key in PEM form ({exc})") from None
        report.add("forged_manifest", PUBLIC_KEY, f"no usable Ed25519 public key ({exc})")
        return manifest
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    report.key_fingerprint = fingerprint(raw)
    report.pinned = key_pem is not None
    if pinned_hex is not None:
        full = hashlib.sha256(raw).hexdigest().upper()
        if full[: len(pinned_hex)] != pinned_hex:
            report.pinned = False
            report.add("untrusted_key", PUBLIC_KEY if key_pem is None else "--key",
                       f"signed with {report.key_fingerprint}, not the pinned fingerprint: "
                       "the package was not signed by the sender")
            return manifest
        report.pinned = True
    sig_text = _read(src, report, SIGNATURE)
    try:
        key.verify(base64.b64decode((sig_text or b"").strip(), validate=True), manifest)
        report.signature_valid = True
    except (InvalidSignature, ValueError):
        why = "signature file missing" if sig_text is None else "signature does not match"
        report.add("forged_manifest", MANIFEST, f"{why}: the manifest is not the one signed")
    return manifest


def _safe_path(path: Any) -> bool:
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def _listed(manifest: bytes, report: Report) -> dict[str, dict[str, Any]]:
    try:
        doc = json.loads(manifest.decode("utf-8"))
        entries = doc["files"] if isinstance(doc, dict) else None
    except (ValueError, KeyError, TypeError, RecursionError):
        entries = None
    if not isinstance(entries, list):
        report.add("forged_manifest", MANIFEST, "manifest.json is not a valid manifest")
        return {}
    if doc.get("format") != FORMAT:
        report.add("forged_manifest", MANIFEST, f"unknown format {str(doc.get('format'))[:80]!r}")
    head = doc.get("custody_head")
    if isinstance(head, dict):
        report.custody_head = {k: head[k] for k in ("seq", "entry_hash", "entry_tag")
                               if k in head}
    listed: dict[str, dict[str, Any]] = {}
    for entry in entries:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not _safe_path(path) or path in UNLISTED or path in listed:
            report.add("forged_manifest", str(path)[:200], "unsafe, reserved or duplicate path")
            continue
        size = entry.get("size")
        if not isinstance(entry.get("sha256"), str) or not _SHA.match(entry["sha256"]) or \
                not isinstance(size, int) or isinstance(size, bool) or size < 0:
            report.add("forged_manifest", path, "entry without a valid sha256 and size")
            continue
        listed[path] = entry
    report.files_listed = len(listed)
    return listed


def _check_files(src: _Source, report: Report, listed: dict[str, dict[str, Any]]) -> None:
    present: dict[str, str] = {}
    for rel, note in src.names():
        if note:
            report.add("unexpected", rel, f"{note}: packages contain plain files only")
        elif rel not in UNLISTED:
            present[rel] = ""
    extra: dict[str, str] = {}
    for rel in sorted(present):
        try:
            digest, size = _hash(functools.partial(src.open, rel))
        except _DAMAGE as exc:
            report.add("damaged", rel, f"cannot be read ({_why(exc)}): altered or damaged")
            listed.pop(rel, None)
            continue
        entry = listed.get(rel)
        if entry is None:
            extra[rel] = digest
            continue
        report.files_checked += 1
        if digest != entry["sha256"] or size != entry["size"]:
            report.add("altered", rel, f"SHA-256 {digest} size {size}; manifest says "
                       f"{entry['sha256']} size {entry['size']}")
    missing = [rel for rel in sorted(listed) if rel not in present]
    by_hash = {digest: rel for rel, digest in extra.items()}
    for rel in missing:
        new = by_hash.pop(listed[rel]["sha256"], None)
        if new is not None:
            del extra[new]
            report.add("renamed", rel, f"renamed from {rel} to {new} (content unchanged)")
        else:
            report.add("missing", rel, "listed in the manifest but absent")
    for rel in sorted(extra):
        report.add("extra", rel, "present but not listed in the manifest")


def verify_package(path: str, *, public_key_pem: bytes | None = None,
                   fingerprint: str | None = None) -> Report:
    """Check a package directory or zip file and return a report of every problem found.

    Args:
        path: the package directory (or a zip made from one).
        public_key_pem: the signer's key received out of band (pins the key).
        fingerprint: the signer key's fingerprint received out of band (pins the key).
            Without either, ``report.ok`` stays false: the package's own key proves nothing.

    Returns:
        A :class:`Report`; ``report.ok`` is true only if the key is pinned and nothing is wrong.

    Raises:
        UsageError: ``path`` is neither a directory nor a readable zip file, or a malformed
            fingerprint.
    """
    pinned_hex = _fingerprint_hex(fingerprint) if fingerprint is not None else None
    src = _Source(path)
    report = Report(package=path)
    manifest = _check_signature(src, report, public_key_pem, pinned_hex)
    if manifest is not None:
        try:
            listed = _listed(manifest, report)
            _check_files(src, report, listed)
            _read_vetting(src, report, listed)
            troubled = {p.path for p in report.problems}
            report.briefs = sorted(rel for rel, entry in listed.items()
                                   if entry.get("role") == "brief" and rel not in troubled)
        except _DAMAGE as exc:  # the archive's directory itself: name it, never a traceback
            report.add("damaged", os.path.basename(path), f"the archive cannot be read "
                       f"({_why(exc)})")
    return report


def _read_vetting(src: _Source, report: Report, listed: dict[str, dict[str, Any]]) -> None:
    """Each item's vetting status from vetting.json, only when it is listed and unaltered."""
    if VETTING not in listed or any(p.path == VETTING for p in report.problems):
        return
    data = src.read(VETTING)
    try:
        items = json.loads((data or b"").decode("utf-8")).get("items", {})
    except (ValueError, AttributeError, RecursionError):
        return
    if isinstance(items, dict):
        report.vetting = {str(k): str(v.get("status", "")) for k, v in sorted(items.items())
                          if isinstance(v, dict)}


def _print_human(report: Report, out: IO[str]) -> None:
    print(f"Package: {report.package}", file=out)
    if report.key_fingerprint:
        print(f"Signer key ({report.key_source}): {report.key_fingerprint}", file=out)
    print(f"Signature: {'valid' if report.signature_valid else 'NOT VALID'}", file=out)
    print(f"Files: {report.files_checked} of {report.files_listed} listed files checked", file=out)
    if report.custody_head:
        head = report.custody_head
        said = (f"tag {head['entry_tag']}" if "entry_tag" in head
                else f"hash {head.get('entry_hash')}")
        print(f"Custody chain head when built: entry {head.get('seq')}, {said}", file=out)
    for brief in report.briefs:
        print(f"Brief of the charge, checked: {brief}", file=out)
    if report.vetting:
        print("Vetting status of each item (as recorded by the sender):", file=out)
        for item, status in report.vetting.items():
            print(f"  {item}: {status.replace('_', ' ')}", file=out)
    for p in report.problems:
        print(f"PROBLEM {p.kind.upper()}: {p.path}: {p.detail}", file=out)
    if report.problems or not report.signature_valid:
        n = len(report.problems)
        print(f"FAILED ({n:,} {'problem' if n == 1 else 'problems'})", file=out)
    elif not report.pinned:
        print("UNVERIFIED: no pinned key given. The files match the manifest, but anyone can "
              "re-sign a package; run again with --fingerprint or --key as received from the "
              "sender by another channel.", file=out)
    else:
        print("OK: signed by the pinned key, package complete and unaltered (no problems)",
              file=out)


def main(argv: list[str] | None = None) -> int:
    """Run the verifier from the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="verify.py", description=__doc__.split("\n")[0])
    parser.add_argument("package", help="package directory or zip file")
    parser.add_argument("--key", "--public-key", dest="key",
                        help="the signer's public key (PEM) received from the sender separately")
    parser.add_argument("--fingerprint",
                        help="the signer key's fingerprint received from the sender separately, "
                             "e.g. 'SHA256:1A2B 3C4D …'")
    parser.add_argument("--json", action="store_true", help="print a JSON report")
    args = parser.parse_args(argv)
    try:
        key_pem = None
        if args.key:
            with open(args.key, "rb") as fh:
                key_pem = fh.read(MAX_SMALL)
        report = verify_package(args.package, public_key_pem=key_pem,
                                fingerprint=args.fingerprint)
    except (UsageError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        doc = asdict(report) | {"ok": report.ok, "intact": report.intact}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        _print_human(report, sys.stdout)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
