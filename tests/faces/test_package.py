"""Faces blurred in the hand-over copy (issue 20, item 3): a picture whose faces await a
decision does not go; once confirmed, the package carries a copy that differs where the face
was (and where it found a face, the detector finds none), while the original's blob, and so
its hash, is untouched."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageChops, ImageStat
from tests.faces import drawn
from tests.handover.conftest import listed

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence.intake import Collection, blob_store, derive, ingest_stream
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.faces import services
from dhakira.apps.faces.models import Face
from dhakira.apps.handover import build as hb
from dhakira.apps.handover import select
from dhakira.core import faces
from dhakira.core.faces import Box

pytestmark = pytest.mark.django_db


def _take(data: bytes, name: str) -> EvidenceItem:
    return ingest_stream(io.BytesIO(data), name=name, origin="usb", collection=Collection(
        collector="rana", method="handed over"))


def _package(item: EvidenceItem, out: Path, cast: dict[str, object],
             policy: str = "full") -> hb.Result:
    return hb.build(hb.Request(selection=select.select(f"item:{item.uid}"),
                               recipient=listed("Investigative Mechanism"), purpose="share_icc",
                               policy=policy, out_dir=out), user=cast["layla"])


def _stored(item: EvidenceItem) -> tuple[str, bytes]:
    """The plaintext's hash and the encrypted blob file's bytes, as they are on disk."""
    plain = b"".join(blob_store().open_stream(item.sha256))
    files = sorted(p for p in (Path(settings.VAULT_DIR) / "blobs").rglob("*") if p.is_file())
    return hashlib.sha256(plain).hexdigest(), b"".join(p.read_bytes() for p in files)


def _region_change(a: Image.Image, b: Image.Image, box: Box) -> float:
    area = (box.x, box.y, box.x + box.w, box.y + box.h)
    diff = ImageChops.difference(a.crop(area).convert("L"), b.crop(area).convert("L"))
    return ImageStat.Stat(diff).mean[0]


@pytest.mark.parametrize("fmt, orientation", [("JPEG", None), ("PNG", None), ("JPEG", 6)],
                         ids=["jpeg", "png", "jpeg-turned"])
def test_a_confirmed_face_is_blurred_in_the_package_and_the_original_is_untouched(
        cast, tmp_path, fmt: str, orientation: int | None) -> None:  # type: ignore[no-untyped-def]
    upright = drawn.scene(100, faces=((150, 150), (450, 160)), canvas=(600, 320))
    data = drawn.encoded(upright, fmt, orientation=orientation)
    item = _take(data, f"scene.{fmt.lower()}")
    before = _stored(item)
    assert before[0] == item.sha256 == hashlib.sha256(data).hexdigest()

    first = _package(item, tmp_path / "first", cast)  # looked at by the build itself, held
    assert first.plan.blocked[item.uid] == [
        "2 faces found in it await an analyst's decision on the item page"]
    assert not any(item.uid in path for path in first.package.files)
    # The look the build made is at or before the custody head its manifest names.
    head = json.loads(first.package.manifest_path.read_text())["custody_head"]["seq"]
    look = next(e for e in LedgerEntry.objects.filter(subject=item.uid, action="other")
                if e.detail.get("kind") == "faces_detected")
    assert look.seq <= head
    found = list(Face.objects.filter(item=item))
    assert len(found) == 2
    left, right = sorted(found, key=lambda f: f.x)
    services.decide(left, actor="samir", confirmed=True)
    services.decide(right, actor="samir", confirmed=False)  # say a poster: kept as it is

    res = _package(item, tmp_path / "pkg", cast)
    [shipped] = [data for path, data in res.package.files.items()
                 if path.startswith(f"files/{item.uid}.")]
    copy = Image.open(io.BytesIO(shipped)).convert("RGB")
    assert copy.size == (600, 320) and not Image.open(io.BytesIO(shipped)).getexif()
    # Where the confirmed face was, the copy is changed beyond any re-encoding's noise;
    # the rejected one is as it was.
    assert _region_change(upright, copy, left.box) > 25
    assert _region_change(upright, copy, right.box) < 3
    boxes = faces.detect(shipped).boxes
    assert not any(b.x < 300 for b in boxes), "the blurred face is still found"
    assert any(b.x >= 300 for b in boxes)
    # The original: the same plaintext hash, the same encrypted bytes on disk.
    assert _stored(item) == before
    item.refresh_from_db()
    assert item.sha256 == before[0]
    kinds = [e.detail.get("kind") for e in LedgerEntry.objects.filter(subject=item.uid)]
    assert kinds.count("faces_detected") == 1 and kinds.count("face") == 2


def test_a_picture_that_cannot_be_looked_at_does_not_go(cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new("RGB", (20_001, 3)).save(out, "PNG")
    item = _take(out.getvalue(), "strip.png")
    res = _package(item, tmp_path / "pkg", cast)
    [reason] = res.plan.blocked[item.uid]
    assert reason.startswith("faces could not be looked for (the picture is 20001 × 3 pixels")
    assert not any(item.uid in path for path in res.package.files)
    # An analyst's redacted copy (made by hand) then goes in its place.
    small = io.BytesIO()
    Image.new("RGB", (200, 1), "grey").save(small, "PNG")
    small.seek(0)
    derive(item, kind="redacted", actor="samir", operation="cropped by hand", stream=small)
    item = EvidenceItem.objects.prefetch_related("derived").get(pk=item.pk)
    res = _package(item, tmp_path / "again", cast)
    assert item.uid not in res.plan.blocked
    assert any(path.startswith(f"files/{item.uid}.") for path in res.package.files)


def test_a_picture_without_faces_goes_as_before(cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    item = _take(drawn.no_face_png(), "house.png")
    res = _package(item, tmp_path / "pkg", cast)
    assert f"files/{item.uid}.png" in res.package.files
    assert not Face.objects.filter(item=item).exists()


def test_a_picture_faces_are_not_looked_for_in_does_not_go_as_it_is(cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    gif = io.BytesIO()
    Image.open(io.BytesIO(drawn.face_png())).convert("P").save(gif, "GIF")
    item = _take(gif.getvalue(), "scene.gif")
    assert item.mime == "image/gif"
    res = _package(item, tmp_path / "pkg", cast)
    [reason] = res.plan.blocked[item.uid]
    assert reason.startswith("faces cannot be looked for in this kind of picture (image/gif)")
    copy = io.BytesIO()
    Image.new("RGB", (40, 40), "grey").save(copy, "PNG")
    copy.seek(0)
    derive(item, kind="redacted", actor="samir", operation="faces painted over", stream=copy)
    item = EvidenceItem.objects.prefetch_related("derived").get(pk=item.pk)
    assert item.uid not in _package(item, tmp_path / "again", cast).plan.blocked
