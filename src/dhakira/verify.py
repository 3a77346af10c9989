"""Verify a Dhakira evidence package without Dhakira.

This file is shipped, unchanged, inside every package as ``verify.py``. It needs only the
Python standard library and the ``cryptography`` package, so a recipient can run::

    python verify.py PACKAGE_DIR [--public-key FILE] [--json]
    python -m dhakira.verify PACKAGE_DIR [--public-key FILE] [--json]

It checks the Ed25519 signature over the exact bytes of ``manifest.json``, then every file's
size and SHA-256, and names each problem: missing, extra, altered or renamed files and a
forged manifest. Exit status: 0 all good, 1 any problem, 2 usage error.

Compare the printed key fingerprint with the one the sender gave you out of band (in person,
by telephone, in a separate message). A package signed with an unexpected key proves nothing.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import json
import os
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

# Deliberately no import from dhakira: this file must run alone inside a package.

FORMAT = "dhakira-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"
UNLISTED = frozenset({MANIFEST, SIGNATURE})
CHUNK = 1 << 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package; ``kind`` is a stable machine-readable word."""

    kind: str
    path: str
    detail: str


@dataclass
class Report:
    """Everything the verifier found."""

    package: str
    key_fingerprint: str = ""
    key_source: str = ""
    signature_valid: bool = False
    files_listed: int = 0
    files_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signature_valid and not self.problems

    def add(self, kind: str, path: str, detail: str) -> None:
        self.problems.append(Problem(kind, path, detail))


class UsageError(Exception):
    """The command was called wrongly (exit status 2)."""


class _Source:
    """Read-only view of a package held as a directory or a zip file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if os.path.isdir(path):
            return
        if os.path.isfile(path) and zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            return
        raise UsageError(f"{path}: not a package directory or zip file")

    def names(self) -> Iterator[tuple[str, str]]:
        """Yield (relative posix path, note); note is non-empty for things that are not files."""
        if self._zip is not None:
            seen: set[str] = set()
            for info in self._zip.infolist():
                if not info.is_dir():
                    # A second member of the same name would hide behind the first.
                    yield info.filename, "duplicate zip member" if info.filename in seen else ""
                    seen.add(info.filename)
            return
        for root, dirs, files in os.walk(self.path):
            dirs.sort()
            for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                full = os.path.join(root, name)
                rel = os.path.relpath(full, self.path).replace(os.sep, "/")
                yield rel, "symbolic link" if os.path.islink(full) else ""

    def open(self, rel: str) -> IO[bytes]:
        if self._zip is not None:
            return self._zip.open(rel)
        return open(os.path.join(self.path, *rel.split("/")), "rb")

    def read(self, rel: str) -> bytes | None:
        try:
            with self.open(rel) as fh:
                return fh.read()
        except (OSError, KeyError):
            return None


def fingerprint(raw_public_key: bytes) -> str:
    """Return the SHA-256 fingerprint of a raw Ed25519 public key, in groups of four."""
    digest = hashlib.sha256(raw_public_key).hexdigest().upper()
    return "SHA256:" + " ".join(digest[i : i + 4] for i in range(0, 32, 4))


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

    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _check_signature(src: _Source, report: Report, key_pem: bytes | None) -> bytes | None:
    """Verify manifest.sig over manifest.json; return the manifest bytes (even if forged)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization

    manifest = src.read(MANIFEST)
    if manifest is None:
        report.add("missing", MANIFEST, "the manifest is missing: nothing can be checked")
        return None
    report.key_source = "given with --public-key" if key_pem else f"{PUBLIC_KEY} in the package"
    pem = key_pem if key_pem is not None else src.read(PUBLIC_KEY)
    try:
        key = _load_key(pem or b"")
    except ValueError as exc:
        report.add("forged_manifest", PUBLIC_KEY, f"no usable Ed25519 public key ({exc})")
        return manifest
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    report.key_fingerprint = fingerprint(raw)
    sig_text = src.read(SIGNATURE)
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
        entries = doc["files"]
    except (ValueError, KeyError, TypeError):
        report.add("forged_manifest", MANIFEST, "manifest.json is not a valid manifest")
        return {}
    if doc.get("format") != FORMAT:
        report.add("forged_manifest", MANIFEST, f"unknown format {doc.get('format')!r}")
    listed: dict[str, dict[str, Any]] = {}
    for entry in entries:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not _safe_path(path) or path in UNLISTED or path in listed:
            report.add("forged_manifest", str(path), "unsafe, reserved or duplicate path")
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
        digest, size = _hash(functools.partial(src.open, rel))
        entry = listed.get(rel)
        if entry is None:
            extra[rel] = digest
            continue
        report.files_checked += 1
        if digest != entry.get("sha256") or size != entry.get("size"):
            report.add("altered", rel, f"SHA-256 {digest} size {size}; manifest says "
                       f"{entry.get('sha256')} size {entry.get('size')}")
    missing = [rel for rel in sorted(listed) if rel not in present]
    by_hash = {digest: rel for rel, digest in extra.items()}
    for rel in missing:
        new = by_hash.pop(listed[rel].get("sha256", ""), None)
        if new is not None:
            del extra[new]
            report.add("renamed", rel, f"renamed from {rel} to {new} (content unchanged)")
        else:
            report.add("missing", rel, "listed in the manifest but absent")
    for rel in sorted(extra):
        report.add("extra", rel, "present but not listed in the manifest")


def verify_package(path: str, *, public_key_pem: bytes | None = None) -> Report:
    """Check a package directory or zip file and return a report of every problem found.

    Args:
        path: the package directory (or a zip made from one).
        public_key_pem: the signer's key received out of band; defaults to the package's own.

    Returns:
        A :class:`Report`; ``report.ok`` is true only if nothing is wrong.

    Raises:
        UsageError: ``path`` is neither a directory nor a zip file.
    """
    src = _Source(path)
    report = Report(package=path)
    manifest = _check_signature(src, report, public_key_pem)
    if manifest is not None:
        _check_files(src, report, _listed(manifest, report))
    return report


def _print_human(report: Report, out: IO[str]) -> None:
    print(f"Package: {report.package}", file=out)
    if report.key_fingerprint:
        print(f"Signer key ({report.key_source}): {report.key_fingerprint}", file=out)
        print("Compare this fingerprint with the one you received separately.", file=out)
    print(f"Signature: {'valid' if report.signature_valid else 'NOT VALID'}", file=out)
    print(f"Files: {report.files_checked} of {report.files_listed} listed files checked", file=out)
    for p in report.problems:
        print(f"PROBLEM {p.kind.upper()}: {p.path}: {p.detail}", file=out)
    verdict = "OK: package complete and unaltered" if report.ok else "FAILED"
    print(f"{verdict} ({len(report.problems)} problem(s))", file=out)


def main(argv: list[str] | None = None) -> int:
    """Run the verifier from the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="verify.py", description=__doc__.split("\n")[0])
    parser.add_argument("package", help="package directory or zip file")
    parser.add_argument("--public-key", help="signer public key (PEM) received out of band")
    parser.add_argument("--json", action="store_true", help="print a JSON report")
    args = parser.parse_args(argv)
    try:
        key_pem = None
        if args.public_key:
            with open(args.public_key, "rb") as fh:
                key_pem = fh.read()
        report = verify_package(args.package, public_key_pem=key_pem)
    except (UsageError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        doc = asdict(report) | {"ok": report.ok}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        _print_human(report, sys.stdout)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
