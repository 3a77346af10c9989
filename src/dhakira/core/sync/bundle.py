"""The bundle: a signed manifest and the files it lists, sealed with age to the receiver.

Inside the age encryption a bundle is::

    b"DHAKIRA-SYNC\\n" || u32 len || manifest.json || u32 len || Ed25519 signature
    || each listed file's bytes, in manifest order

The manifest names the format, the kind (``pack`` kit → office; ``ack`` and ``reference``
office → kit), the
sender's and receiver's key ids, the sender's bundle number, when it was made, and each
file's name, SHA-256 and size. The signature covers the exact manifest bytes. Outside the
encryption only the size of the file and when it travels show.

:func:`open_bundle` checks, in this order, and refuses with one reason
(:class:`~dhakira.core.sync.errors.BundleRefused`): it opens with the receiver's identity (else
truncated, altered, or sealed to someone else), it is a bundle, its format is not newer, it
is addressed to this receiver, its sender is known, the signature verifies under the key the
receiver holds for that sender (not any key the bundle carries), and every file matches.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dhakira.core.custody import Signer
from dhakira.core.custody._canonical import format_timestamp
from dhakira.core.sync.errors import BundleRefused

__all__ = ["FORMAT", "KINDS", "Bundle", "Manifest", "open_bundle", "seal_bundle"]

FORMAT = "dhakira-sync/1"
KINDS = ("pack", "ack", "reference")
MAGIC = b"DHAKIRA-SYNC\n"
_FORMAT_RE = re.compile(r"dhakira-sync/([0-9]{1,6})")
_NAME_RE = re.compile(r"[a-z]+(/[0-9a-f]{64})?\.?[a-z]*")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_U32 = struct.Struct(">I")


@dataclass(frozen=True)
class Manifest:
    """What a bundle says about itself (every field is signed)."""

    kind: str
    sender: str
    receiver: str
    seq: int
    made_at: str
    files: tuple[tuple[str, str, int], ...]  # (name, sha256, size)
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        doc = {"format": FORMAT, "kind": self.kind, "sender": self.sender,
               "receiver": self.receiver, "seq": self.seq, "made_at": self.made_at,
               "files": [{"name": n, "sha256": h, "size": s} for n, h, s in self.files],
               "meta": dict(self.meta)}
        return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode("utf-8")


@dataclass(frozen=True)
class Bundle:
    """An opened, verified bundle: its manifest, the exact bytes signed, and its files."""

    manifest: Manifest
    manifest_bytes: bytes
    files: Mapping[str, bytes]
    sealed_sha256: str

    @property
    def manifest_sha256(self) -> str:
        return hashlib.sha256(self.manifest_bytes).hexdigest()


def seal_bundle(*, kind: str, signer: Signer, receiver: str, recipient: str, seq: int,
                made_at: datetime, files: Mapping[str, bytes],
                meta: Mapping[str, Any] | None = None) -> bytes:
    """Sign and seal a bundle of ``files`` to ``recipient`` (an ``age1…`` key).

    Args:
        kind: ``pack``, ``ack`` or ``reference``.
        signer: the sender's signing key.
        receiver: the receiver's key id (the manifest names it; a bundle for another
            receiver is refused there).
        recipient: the receiver's age public key.
        seq: the sender's bundle number for this receiver, from 1, never reused.
        made_at: when (aware).
        files: name → bytes.
        meta: small JSON values signed with the manifest.
    """
    import pyrage

    if kind not in KINDS:
        raise ValueError(f"unknown bundle kind {kind!r}")
    names = sorted(files)
    manifest = Manifest(kind=kind, sender=signer.key_id, receiver=receiver, seq=seq,
                        made_at=format_timestamp(made_at),
                        files=tuple((n, hashlib.sha256(files[n]).hexdigest(), len(files[n]))
                                    for n in names),
                        meta=dict(meta or {}))
    body = manifest.to_bytes()
    signature = signer.sign(body)
    plain = b"".join([MAGIC, _U32.pack(len(body)), body, _U32.pack(len(signature)), signature,
                      *(files[n] for n in names)])
    return bytes(pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(recipient)]))


def _decrypt(sealed: bytes, identity: str) -> bytes:
    import pyrage

    try:
        return bytes(pyrage.decrypt(sealed, [pyrage.x25519.Identity.from_str(identity)]))
    except Exception:  # pyrage's DecryptError and friends: one opaque failure
        raise BundleRefused("unreadable", "it does not open with this vault's key: it is "
                            "truncated or altered, or sealed to another vault",
                            code="bundle_sealed_elsewhere") from None


def _take(plain: bytes, at: int) -> tuple[bytes, int]:
    if at + 4 > len(plain):
        raise BundleRefused("malformed", "it ends inside its header", code="bundle_cut_short")
    (size,) = _U32.unpack_from(plain, at)
    end = at + 4 + size
    if end > len(plain):
        raise BundleRefused("malformed", "it ends inside its header", code="bundle_cut_short")
    return plain[at + 4:end], end


def _manifest(body: bytes) -> Manifest:
    try:
        doc = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BundleRefused("malformed", "its manifest is not JSON",
                            code="manifest_not_json") from None
    if not isinstance(doc, dict):
        raise BundleRefused("malformed", "its manifest is not an object",
                            code="manifest_not_object")
    fmt = doc.get("format")
    match = _FORMAT_RE.fullmatch(fmt) if isinstance(fmt, str) else None
    if match is None:
        raise BundleRefused("malformed", f"unknown format {str(fmt)[:40]!r}",
                            code="bundle_unknown_format", params={"format": str(fmt)[:40]})
    if int(match.group(1)) > 1:
        raise BundleRefused("newer_format", f"it was made in format {fmt} by a newer Dhakira; "
                            "upgrade this vault's Dhakira first",
                            code="bundle_newer_format", params={"format": fmt})
    try:
        files = tuple((str(f["name"]), str(f["sha256"]), int(f["size"])) for f in doc["files"])
        manifest = Manifest(kind=str(doc["kind"]), sender=str(doc["sender"]),
                            receiver=str(doc["receiver"]), seq=int(doc["seq"]),
                            made_at=str(doc["made_at"]), files=files,
                            meta=dict(doc.get("meta") or {}))
    except (KeyError, TypeError, ValueError):
        raise BundleRefused("malformed", "its manifest lacks a field or has a wrong one",
                            code="manifest_bad_field") from None
    if manifest.kind not in KINDS or manifest.seq < 1:
        raise BundleRefused("malformed", "its manifest has an unknown kind or number",
                            code="manifest_bad_kind")
    names = [n for n, _, _ in files]
    if len(set(names)) != len(names) or any(not _NAME_RE.fullmatch(n) for n in names) or \
            any(not _HEX64.fullmatch(h) or s < 0 for _, h, s in files):
        raise BundleRefused("malformed", "its manifest lists a bad, duplicate or unsafe file",
                            code="manifest_bad_file")
    return manifest


def open_bundle(sealed: bytes, *, identity: str, receiver: str,
                public_key_of: Callable[[str], bytes | None]) -> Bundle:
    """Open and verify a bundle; return it only if every check passes.

    Args:
        sealed: the bundle file's bytes.
        identity: the receiver's ``AGE-SECRET-KEY-1…``.
        receiver: the receiver's key id.
        public_key_of: the sender's 32 raw public-key bytes as the receiver holds them
            (enrolled), or None for a sender it does not know.

    Raises:
        BundleRefused: naming the first check that failed.
    """
    from dhakira.core.custody import InvalidSignatureError, verify_signature

    sealed_sha = hashlib.sha256(sealed).hexdigest()
    plain = _decrypt(sealed, identity)
    if not plain.startswith(MAGIC):
        raise BundleRefused("malformed", "it is not a Dhakira sync bundle",
                            code="not_a_bundle")
    body, at = _take(plain, len(MAGIC))
    signature, at = _take(plain, at)
    manifest = _manifest(body)
    if manifest.receiver != receiver:
        raise BundleRefused("other_office", f"it is addressed to {manifest.receiver[:16]}, "
                            f"not to this vault ({receiver})", code="bundle_other_office",
                            params={"to": manifest.receiver[:16], "this": receiver})
    key = public_key_of(manifest.sender)
    if key is None:
        raise BundleRefused("unknown_device", f"it comes from {manifest.sender[:16]}, a device "
                            "this vault has not enrolled", code="bundle_unknown_device",
                            params={"device": manifest.sender[:16]})
    try:
        verify_signature(key, body, signature)
    except InvalidSignatureError:
        raise BundleRefused("bad_signature", f"its manifest is not signed by the enrolled key of "
                            f"{manifest.sender}", code="bundle_bad_signature",
                            params={"device": manifest.sender}) from None
    files: dict[str, bytes] = {}
    for name, sha, size in manifest.files:
        data = plain[at:at + size]
        at += size
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha:
            raise BundleRefused("altered", f"{name} does not match its signed hash",
                                 code="bundle_file_altered", params={"name": name})
        files[name] = data
    if at != len(plain):
        raise BundleRefused("altered", "it holds bytes its manifest does not list",
                            code="bundle_extra_bytes")
    return Bundle(manifest, body, files, sealed_sha)
