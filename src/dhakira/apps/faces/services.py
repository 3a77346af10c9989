"""Looking for faces, deciding about them, and what a hand-over copy must blur.

Every step is a custody entry about the item: a look (``other``, kind ``faces_detected`` or
``faces_failed``), each decision and each face marked by hand (``decision``, kind ``face``).
Entries hold the face's number, its box and the decision: never a picture.

The picture is decoded by the evidence viewer's limited child process
(:func:`dhakira.apps.evidence.render.faces`): the original goes in through a pipe and only
the boxes come back; its bytes never touch the disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.evidence import items
from dhakira.apps.evidence import render as pictures
from dhakira.apps.faces.models import Face, Scan
from dhakira.core.faces import DETECTOR, Box, FacesError, found_from_json

__all__ = ["Blocked", "ForPackage", "ScanReport", "add", "decide", "for_package", "scan",
           "scan_pending"]


class Blocked(FacesError):
    """A picture may not go out yet: its faces are undecided or could not be looked for."""


@dataclass(frozen=True)
class ForPackage:
    """What a hand-over copy of a picture must blur: boxes in the frame they were found in."""

    boxes: tuple[Box, ...]
    frame: tuple[int, int]


@dataclass(frozen=True)
class ScanReport:
    """What :func:`scan_pending` did."""

    looked: int
    found: int
    failed: tuple[tuple[str, str], ...]


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def scan(item: Any, *, actor: str, now: datetime | None = None) -> Scan:
    """Look for faces in an item's picture once; store each face found as a proposal.

    A picture that cannot be looked at (too large, damaged) is recorded as failed, with the
    reason, and is not tried again by itself. An item already looked at is returned as is.

    Raises:
        FacesError: the item is not a JPEG or PNG picture.
    """
    done = Scan.objects.filter(item=item).first()
    if done is not None:
        return done
    if item.mime not in items.PHOTOS:
        raise FacesError(f"{item.uid} is not a JPEG or PNG picture; faces are looked for in "
                         "those only")
    when = _now(now)
    try:
        found = found_from_json(pictures.faces(items.original_bytes(item)).decode())
    except (pictures.NotRenderable, FacesError) as exc:
        reason = str(exc)[:300]
        with transaction.atomic():
            made = Scan.objects.create(item=item, state=Scan.State.FAILED, reason=reason,
                                       detector=DETECTOR, scanned_by=actor, scanned_at=when)
            store.record(actor=actor, action="other", subject=item.uid,
                         subject_hash=item.sha256,
                         detail={"kind": "faces_failed", "reason": reason[:200]}, now=when)
        return made
    with transaction.atomic():
        made = Scan.objects.create(item=item, state=Scan.State.DONE, width=found.width,
                                   height=found.height, detector=found.detector,
                                   scanned_by=actor, scanned_at=when)
        Face.objects.bulk_create([
            Face(item=item, x=b.x, y=b.y, w=b.w, h=b.h, origin=Face.Origin.DETECTOR,
                 found_by=actor, found_at=when) for b in found.boxes])
        store.record(actor=actor, action="other", subject=item.uid, subject_hash=item.sha256,
                     detail={"kind": "faces_detected", "count": len(found.boxes),
                             "detector": found.detector}, now=when)
    return made


def scan_pending(*, actor: str, now: datetime | None = None) -> ScanReport:
    """Look for faces in every JPEG and PNG item not yet looked at, one commit per item.

    Interrupted, it leaves the rest to the next run: what was looked at stays looked at.
    """
    looked = found = 0
    failed: list[tuple[str, str]] = []
    for item in items.photos().filter(face_scan__isnull=True).iterator(chunk_size=100):
        done = scan(item, actor=actor, now=now)
        looked += 1
        if done.state == Scan.State.FAILED:
            failed.append((item.uid, done.reason))
        else:
            found += Face.objects.filter(item=item, origin=Face.Origin.DETECTOR).count()
    return ScanReport(looked, found, tuple(failed))


def decide(face: Face, *, actor: str, confirmed: bool, now: datetime | None = None) -> Face:
    """Confirm a face (it will be blurred) or reject it (it will not); a custody entry.

    A decision can be changed later; each change is its own entry.
    """
    when = _now(now)
    decision = Face.Decision.CONFIRMED if confirmed else Face.Decision.REJECTED
    with transaction.atomic():
        face.decision, face.decided_by, face.decided_at = decision, actor, when
        face.save(update_fields=["decision", "decided_by", "decided_at"])
        store.record(actor=actor, action="decision", subject=face.item.uid,
                     detail={"kind": "face", "face": face.pk, "decision": str(decision),
                             "box": face.box.as_text()}, now=when)
    return face


def add(item: Any, box: Box, *, actor: str, now: datetime | None = None) -> Face:
    """Mark a face by hand (confirmed at once: the analyst drew it); a custody entry.

    Raises:
        FacesError: the picture has not been looked at, could not be, or the box lies outside it.
    """
    done = Scan.objects.filter(item=item, state=Scan.State.DONE).first()
    if done is None or done.width is None or done.height is None:
        raise FacesError("look for faces in the picture first; a picture that cannot be looked "
                         "at needs a redacted copy made by hand")
    box.check(done.width, done.height)
    when = _now(now)
    with transaction.atomic():
        face = Face.objects.create(item=item, x=box.x, y=box.y, w=box.w, h=box.h,
                                   origin=Face.Origin.ANALYST, decision=Face.Decision.CONFIRMED,
                                   found_by=actor, found_at=when, decided_by=actor,
                                   decided_at=when)
        store.record(actor=actor, action="decision", subject=item.uid,
                     detail={"kind": "face", "face": face.pk, "decision": "added",
                             "box": box.as_text()}, now=when)
    return face


def for_package(item: Any, *, actor: str, redacted_copy: bool = False) -> ForPackage | None:
    """The faces a hand-over copy of ``item`` must blur (None: none to blur, or it is no JPEG
    or PNG).

    A picture never looked at is looked at now (a custody entry, as from the item page).
    ``redacted_copy``: an analyst's redacted copy of it is recorded; a picture that could not
    be looked at then goes as that copy (the analyst made it by hand).

    Raises:
        Blocked: a face found awaits a decision, or the picture could not be looked at (or is
            of a kind faces are not looked for in) and has no redacted copy.
    """
    if item.mime not in items.PHOTOS:
        if item.mime.startswith("image/") and not redacted_copy:
            # A GIF, WebP, TIFF, BMP or HEIC picture cannot be looked at or blurred here, so it
            # never goes as it is.
            raise Blocked(f"faces cannot be looked for in this kind of picture ({item.mime}); record a "
                          "redacted copy of it (JPEG or PNG) first")
        return None
    done = scan(item, actor=actor)
    if done.state == Scan.State.FAILED or done.width is None or done.height is None:
        if redacted_copy:
            return None
        raise Blocked(f"faces could not be looked for ({done.reason}); record a redacted "
                      "copy of it first")
    faces = list(Face.objects.filter(item=item))
    waiting = sum(1 for f in faces if f.decision == Face.Decision.AWAITING)
    if waiting:
        faces_await = "face found in it awaits" if waiting == 1 else "faces found in it await"
        raise Blocked(f"{waiting:,} {faces_await} an analyst's decision on the item page")
    return ForPackage(tuple(f.box for f in faces if f.decision == Face.Decision.CONFIRMED),
                      (done.width, done.height))
