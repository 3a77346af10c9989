"""Evidence items into a package: native files or redacted derived copies, never originals altered.

For each item the file shipped is, in order of preference: the analyst's latest ``redacted``
derived copy; for a JPEG or PNG, a copy re-encoded from pixels only (no EXIF/GPS); for a
text file, a redacted copy of its text; otherwise the native bytes. Whatever is chosen is
scanned on its own first; an item whose file still holds a protected string or image metadata
is blocked with the reason, so one bad file does not sink the whole package.

A JPEG or PNG is looked at for faces first (:func:`dhakira.apps.faces.services.for_package`):
its confirmed faces are blurred for good in the copy shipped (the analyst's redacted copy
too), and a picture whose faces await a decision, or could not be looked for, is blocked.
The original is never changed: the blurred copy exists only in the package.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dhakira.apps.faces import services as faces
from dhakira.apps.handover._records import text_sha256
from dhakira.apps.handover._terms import Terms
from dhakira.core.faces import FacesError, blur
from dhakira.core.handover import (
    PackageBuilder,
    RedactionPolicy,
    find_fine_coordinates,
    find_image_metadata,
    find_leaks,
    strip_image_metadata,
)
from dhakira.core.handover.errors import RedactionError
from dhakira.core.ids import EVIDENCE

_EXT = re.compile(r"^[a-z0-9]{1,10}$")
_IMAGES = ("image/jpeg", "image/png")
_TEXT_KINDS = ("extracted_text", "ocr_text")
_DOC_KINDS = ("transcript", "translation")


@dataclass(frozen=True)
class Candidate:
    """The file chosen to stand for an item, before it is checked."""

    data: bytes
    role: str
    ext: str


def _ext(item: Any) -> str:
    suffix = Path(item.original_name or "").suffix.lower().lstrip(".")
    if _EXT.match(suffix):
        return suffix
    guessed = (mimetypes.guess_extension(item.mime or "") or "").lstrip(".")
    return guessed if _EXT.match(guessed) else "bin"


def _read(sha256: str) -> bytes:
    from dhakira.apps.evidence.intake import blob_store

    return b"".join(blob_store().open_stream(sha256))


def _blurred(data: bytes, found: faces.ForPackage | None) -> bytes:
    """The picture with its confirmed faces blurred (unchanged when it has none)."""
    if found is None or not found.boxes:
        return data
    if not data.startswith((b"\xff\xd8", b"\x89PNG")):
        raise FacesError("its redacted copy is no JPEG or PNG, so its confirmed faces cannot "
                         "be blurred in it")
    return blur(data, found.boxes, frame=found.frame)


def choose(item: Any, terms: Terms, policy: RedactionPolicy,
           found: faces.ForPackage | None = None) -> Candidate:
    """Pick (and redact) the file that will stand for ``item`` in the package; ``found`` are
    the faces to blur in a picture."""
    redacted = [d for d in item.derived.all() if d.kind == "redacted" and d.blob_sha256]
    if redacted:
        return Candidate(_blurred(_read(redacted[-1].blob_sha256), found), "redacted",
                         _ext(item))
    data = _read(item.sha256)
    if item.mime in _IMAGES:
        return Candidate(_blurred(strip_image_metadata(data), found), "redacted", _ext(item))
    if item.mime.startswith("text/"):
        text = data.decode("utf-8", errors="replace")
        clean = terms.redact(text, policy)
        if clean.encode("utf-8") != data:
            return Candidate(clean.encode("utf-8"), "redacted", _ext(item))
    return Candidate(data, "native", _ext(item))


def problems(data: bytes, ext: str, forbidden: Iterable[str], policy: RedactionPolicy) -> list[str]:
    """Why this file may not go (empty when it is clean); never names the protected string."""
    # Checked in memory: a file that may not go never touches the disk.
    one = {f"item.{ext}": data}
    leaks = find_leaks(one, list(forbidden))
    hits = f"{len(leaks):,} {'hit' if len(leaks) == 1 else 'hits'}"
    found = [f"holds a protected name or value ({hits})"] if leaks else []
    found += [f"image still carries {what}" for _, what in find_image_metadata(one)]
    if policy.coordinate_precision is not None:
        fine = find_fine_coordinates(one, precision=policy.coordinate_precision)
        found += ["holds coordinates finer than the policy allows"] if fine else []
    return found


def _texts(builder: PackageBuilder, item: Any, terms: Terms, policy: RedactionPolicy,
           confidentiality: str) -> None:
    texts = [d for d in item.derived.all() if d.kind in _TEXT_KINDS and d.text]
    if texts:
        builder.add_text(item.uid, terms.redact(texts[0].text, policy),
                         stands_for_sha256=item.sha256, confidentiality=confidentiality)
    for copy in item.derived.all():
        if copy.kind in _DOC_KINDS and copy.text:
            clean = terms.redact(copy.text, policy)
            builder.add_file(copy.uid, clean.encode("utf-8"), role=copy.kind, ext="txt",
                             stands_for_sha256=text_sha256(copy.text),
                             confidentiality=confidentiality, parent=item.uid,
                             relationship=copy.kind)


def look_for_faces(items: Iterable[Any], *, actor: str) -> None:
    """Look for faces in every picture not yet looked at, in ``actor``'s name.

    Called before the package takes the custody head: each look is a custody entry, and the
    entries the package carries must all lie at or before the head its manifest names."""
    for item in items:
        if item.mime in _IMAGES:
            faces.scan(item, actor=actor)


def add_evidence(builder: PackageBuilder, items: Iterable[Any], terms: Terms,
                 policy: RedactionPolicy, confidentiality: str, *,
                 actor: str) -> dict[str, list[str]]:
    """Add each item (parents before children); return uid -> reasons for those refused.

    ``actor`` is the user building the package: a picture never looked at for faces is
    looked at now, in their name."""
    refused: dict[str, list[str]] = {}
    added: set[int] = set()
    for item in sorted(items, key=lambda i: i.pk):
        try:
            redacted = any(d.kind == "redacted" and d.blob_sha256 for d in item.derived.all())
            to_blur = faces.for_package(item, actor=actor, redacted_copy=redacted)
            cand = choose(item, terms, policy, to_blur)
        except faces.Blocked as exc:
            refused[item.uid] = [str(exc)]
            continue
        except (RedactionError, FacesError) as exc:
            refused[item.uid] = [f"cannot be redacted: {exc}"]
            continue
        found = problems(cand.data, cand.ext, terms.forbidden, policy)
        if found:
            refused[item.uid] = [*found, "record a redacted derived copy of it first"]
            continue
        parent = EVIDENCE.format(item.parent_id) if item.parent_id in added else None
        builder.add_file(item.uid, cand.data, role=cand.role, ext=cand.ext,
                         stands_for_sha256=item.sha256, confidentiality=confidentiality,
                         parent=parent, relationship="attachment" if parent else None,
                         doc_type=item.mime.split("/")[0] or "file")
        _texts(builder, item, terms, policy, confidentiality)
        added.add(item.pk)
    return refused

