"""Deterministic zip archives of packages, and sealing to the recipient's age key."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from dhakira.core.handover._io import CHUNK
from dhakira.core.handover.errors import PackageError, SealError
from dhakira.core.handover.manifest import parse_manifest

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip epoch: reveals nothing about when or where
_NEAR_ZIP64 = (1 << 31) - (1 << 24)


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # fixed, whatever system builds it
    info.external_attr = 0o100644 << 16
    return info


def to_zip(package_dir: str | Path, zip_path: str | Path) -> Path:
    """Write the package as a zip whose bytes depend only on the package's contents.

    Members are ``manifest.json``, ``manifest.sig`` and the manifest's files in path order;
    timestamps are fixed, there are no extra fields, no directory entries and no comment, and
    names come from the manifest only (nothing else in the directory is picked up).

    Raises:
        PackageError: the directory has no readable manifest or a listed file is missing.
    """
    root = Path(package_dir)
    try:
        _, entries = parse_manifest((root / "manifest.json").read_bytes())
    except OSError as exc:
        raise PackageError(f"{root}: no manifest.json; finish the package first") from exc
    names = ["manifest.json", "manifest.sig"] + sorted(e.path for e in entries)
    out = Path(zip_path)
    with zipfile.ZipFile(out, "x", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for name in names:
            src = root / name
            if not src.is_file():
                raise PackageError(f"{name} is listed but missing from {root}")
            big = src.stat().st_size >= _NEAR_ZIP64  # zip64 only when needed: no extra field
            with open(src, "rb") as fh, zf.open(_member(name), "w", force_zip64=big) as dst:
                shutil.copyfileobj(fh, dst, CHUNK)
    return out


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """The zip :func:`to_zip` would write for a package held in memory (path -> bytes).

    Raises:
        PackageError: no manifest.json, or a listed file missing from ``files``.
    """
    try:
        _, entries = parse_manifest(files["manifest.json"])
    except KeyError as exc:
        raise PackageError("no manifest.json; finish the package first") from exc
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for name in ["manifest.json", "manifest.sig"] + sorted(e.path for e in entries):
            if name not in files:
                raise PackageError(f"{name} is listed but missing from the package")
            data = files[name]
            with zf.open(_member(name), "w", force_zip64=len(data) >= _NEAR_ZIP64) as dst:
                dst.write(data)
    return buf.getvalue()


def _recipient(age_recipient_public_key: str) -> object:
    import pyrage

    try:
        return pyrage.x25519.Recipient.from_str(age_recipient_public_key.strip())
    except Exception as exc:  # pyrage raises its own RecipientError/ValueError variants
        raise SealError("not an age X25519 public key (it starts with 'age1')",
                        code="not_an_age_key") from exc


def seal_bytes(data: bytes, age_recipient_public_key: str) -> bytes:
    """Encrypt bytes (a package zip held in memory) to the recipient's age X25519 key.

    Raises:
        SealError: the key is not a valid age X25519 recipient, or encryption failed.
    """
    import pyrage

    recipient = _recipient(age_recipient_public_key)
    try:
        return bytes(pyrage.encrypt(data, [recipient]))
    except pyrage.EncryptError as exc:
        raise SealError(f"sealing failed: {exc}") from exc


def seal_to_recipient(
    package_dir_or_zip: str | Path, age_recipient_public_key: str, *, out_path: str | Path | None = None
) -> Path:
    """Encrypt a package (zipped first if a directory) to the recipient's age X25519 key.

    Once sealed, only the recipient's identity decrypts it: the sender cannot be made to read
    it back. The intermediate zip of a directory is deleted; the directory itself is left for
    the caller to dispose of.

    Args:
        package_dir_or_zip: a finished package directory or a zip from :func:`to_zip`.
        age_recipient_public_key: ``age1...`` public key of the recipient.
        out_path: where to write; default ``<package>.zip.age`` beside the input.

    Returns:
        The path of the ``.age`` file.

    Raises:
        SealError: the key is not a valid age X25519 recipient, or encryption failed.
    """
    import pyrage

    recipient = _recipient(age_recipient_public_key)
    src = Path(package_dir_or_zip)
    base = src.with_suffix(".zip") if src.is_dir() else src
    target = Path(out_path) if out_path else base.with_name(base.name + ".age")
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        zipped = to_zip(src, Path(tmp) / "package.zip") if src.is_dir() else src
        try:
            with open(zipped, "rb") as reader, open(target, "xb") as writer:
                pyrage.encrypt_io(reader, writer, [recipient])
        except pyrage.EncryptError as exc:
            os.unlink(target)
            raise SealError(f"sealing failed: {exc}") from exc
    return target
