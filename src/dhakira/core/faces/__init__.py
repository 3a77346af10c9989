"""Faces in pictures: found by a detector that ships inside its package, blurred for good.

Bytes in, plain values out; no Django. Every box is in the pixels of the picture as a person
sees it: upright (its EXIF orientation applied) and at its full size. That is the frame the
viewer draws and the frame :func:`dhakira.core.handover.strip_image_metadata` hands over, so a
box found, confirmed and blurred means the same pixels at every step.

Detection (:func:`detect`) uses OpenCV's Haar cascade for frontal faces
(``haarcascade_frontalface_default.xml``), which the ``opencv-python-headless`` wheel carries
in ``cv2.data``: nothing is fetched at run time. It runs on a grey copy reduced to
:data:`WORK_SIDE`, so time and memory are bounded by that size, not by the original's; a
picture claiming more than :data:`MAX_SIDE` pixels a side or :data:`MAX_PIXELS` in all is
refused before it is decoded. Decode untrusted bytes in a limited child process
(:mod:`dhakira.apps.evidence.render` does).

Blurring (:func:`blur`) is irreversible by construction: each face region (grown by a margin)
is reduced to a grid of at most :data:`CELLS` × :data:`CELLS` mean colours, and the blocks are
then smoothed. What is left of a face is those few averages; no deblurring brings back
what is not there.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dhakira.core.faces.errors import FacesError, TooLarge

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["CELLS", "DETECTOR", "MAX_PIXELS", "MAX_SIDE", "WORK_SIDE", "Box", "FacesError",
           "Found", "TooLarge", "blur", "boxes_from", "cell_edges", "detect", "found_from_json"]

#: Longest side, in pixels, of a picture faces are looked for in.
MAX_SIDE = 20_000
#: Most pixels of a picture faces are looked for in (a 12000 × 10000 scan).
MAX_PIXELS = 120_000_000
#: Detection runs on a copy whose longest side is at most this.
WORK_SIDE = 1600
#: A blurred face keeps at most CELLS × CELLS mean colours.
CELLS = 4
#: Margin added around a box before blurring, as a share of its width and height: hair, ears
#: and the chin lie outside a detector's box.
MARGIN = 0.2
#: The name recorded with every detection: which model, from which package.
DETECTOR = "opencv haarcascade_frontalface_default"
# Orientations (EXIF 274) that turn the picture a quarter: width and height swap.
_QUARTER_TURNS = frozenset({5, 6, 7, 8})


@dataclass(frozen=True)
class Box:
    """A rectangle in the upright, full-size picture: left, top, width, height in pixels."""

    x: int
    y: int
    w: int
    h: int

    def check(self, width: int, height: int) -> Box:
        """The box itself, if it lies inside a ``width`` × ``height`` picture.

        Raises:
            FacesError: the box is empty or reaches outside the picture.
        """
        if self.w < 1 or self.h < 1 or self.x < 0 or self.y < 0:
            raise FacesError(f"the box {self.as_list()} is empty or starts outside the picture")
        if self.x + self.w > width or self.y + self.h > height:
            raise FacesError(f"the box {self.as_list()} reaches outside the picture "
                             f"({width} × {height} pixels)")
        return self

    def as_list(self) -> list[int]:
        """``[x, y, w, h]``: how a box is written in JSON."""
        return [self.x, self.y, self.w, self.h]

    def as_text(self) -> str:
        """``"x,y,w,h"``: how a box is written in a custody entry (whose values are scalars)."""
        return ",".join(str(v) for v in self.as_list())

    def grown(self, margin: float, width: int, height: int) -> Box:
        """The box grown by ``margin`` of its size on every side, kept inside the picture."""
        dx, dy = round(self.w * margin), round(self.h * margin)
        left, top = max(0, self.x - dx), max(0, self.y - dy)
        right, bottom = min(width, self.x + self.w + dx), min(height, self.y + self.h + dy)
        return Box(left, top, right - left, bottom - top)

    def scaled(self, sx: float, sy: float) -> Box:
        """The box in a picture ``sx`` times as wide and ``sy`` times as tall (outward)."""
        left, top = int(self.x * sx), int(self.y * sy)
        right, bottom = math.ceil((self.x + self.w) * sx), math.ceil((self.y + self.h) * sy)
        return Box(left, top, max(1, right - left), max(1, bottom - top))


@dataclass(frozen=True)
class Found:
    """What :func:`detect` found: the upright picture's size and the face boxes."""

    width: int
    height: int
    boxes: tuple[Box, ...]
    detector: str = DETECTOR

    def to_json(self) -> str:
        """The result as one line of JSON (what the limited child prints)."""
        return json.dumps({"width": self.width, "height": self.height, "detector": self.detector,
                           "boxes": [b.as_list() for b in self.boxes]})


def found_from_json(text: str) -> Found:
    """Read back :meth:`Found.to_json`.

    Raises:
        FacesError: the text is not such a result.
    """
    try:
        raw = json.loads(text)
        width, height = int(raw["width"]), int(raw["height"])
        boxes = tuple(Box(*(int(v) for v in b)).check(width, height) for b in raw["boxes"])
        return Found(width, height, boxes, str(raw["detector"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise FacesError(f"the detector's answer cannot be read ({type(exc).__name__})") from None


def _upright_size(width: int, height: int, orientation: int) -> tuple[int, int]:
    return (height, width) if orientation in _QUARTER_TURNS else (width, height)


def _refuse_large(width: int, height: int) -> None:
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise TooLarge(f"the picture is {width} × {height} pixels; faces are looked for in "
                       f"pictures of at most {MAX_SIDE:,} pixels a side and "
                       f"{MAX_PIXELS // 1_000_000} million pixels in all")


def detect(data: bytes) -> Found:
    """Find frontal faces in a photo or scan (JPEG, PNG, or another type Pillow reads).

    Returns:
        The upright picture's size and one box per face found, largest first.

    Raises:
        TooLarge: the picture claims more pixels than faces are looked for in.
        FacesError: the bytes are not a picture Pillow can read.
    """
    import cv2
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    cv2.setNumThreads(1)  # one core: bounded processor time, and the neighbours keep theirs
    Image.MAX_IMAGE_PIXELS = None  # checked below, from the header, before decoding
    try:
        with Image.open(io.BytesIO(data)) as img:
            orientation = int(img.getexif().get(274, 1) or 1)
            _refuse_large(*img.size)
            width, height = _upright_size(*img.size, orientation)
            img.draft("L", (WORK_SIDE, WORK_SIDE))  # JPEG: decode at a reduced scale
            small = ImageOps.exif_transpose(img.convert("L"))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FacesError(f"it is not a picture that can be read ({type(exc).__name__})") from None
    small.thumbnail((WORK_SIDE, WORK_SIDE))
    grey = cv2.equalizeHist(np.asarray(small, dtype=np.uint8))
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades  # type: ignore[attr-defined]
                                    + "haarcascade_frontalface_default.xml")
    if cascade.empty():
        raise FacesError("the face detector's model is missing from the OpenCV package")
    least = max(20, min(grey.shape) // 40)  # a face smaller than this is not a face to blur
    raw = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5,
                                   minSize=(least, least))
    sx, sy = width / small.width, height / small.height
    boxes = [Box(*(int(v) for v in r)).scaled(sx, sy) for r in raw]
    clamped = [Box(b.x, b.y, min(b.w, width - b.x), min(b.h, height - b.y)) for b in boxes]
    return Found(width, height, tuple(sorted(clamped, key=lambda b: -b.w * b.h)))


def blur(data: bytes, boxes: Iterable[Box], *, frame: tuple[int, int] | None = None) -> bytes:
    """The picture with every box blurred for good, re-encoded from its pixels only.

    Args:
        data: a JPEG or PNG (its EXIF orientation is applied; no metadata survives).
        boxes: face boxes in ``frame``'s pixels.
        frame: the upright size the boxes were found in (default: this picture's own); a
            picture of another size (an analyst's copy, scaled) gets the boxes scaled to it.

    Returns:
        A JPEG (quality 92) or PNG, as the input was.

    Raises:
        FacesError: the bytes are not a readable JPEG or PNG, or a box lies outside the frame.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            if fmt not in ("JPEG", "PNG"):
                raise FacesError(f"cannot blur faces in {fmt} pictures; use JPEG or PNG")
            _refuse_large(*img.size)
            upright = ImageOps.exif_transpose(img)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise FacesError(f"it is not a picture that can be read ({type(exc).__name__})") from None
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "PA") and fmt == "PNG" else "RGB"
    if upright.mode == "L":
        mode = "L"
    pixels = upright.convert(mode)
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())  # fresh image: no .info
    fw, fh = frame or clean.size
    sx, sy = clean.width / fw, clean.height / fh
    # Boxes found on the original fit a copy only if it is the same picture resized: a cropped
    # or padded copy would get its blur in the wrong place and ship the face.
    if boxes and abs(sx - sy) > 0.005 * max(sx, sy):
        raise FacesError(f"the copy ({clean.width}×{clean.height}) is not the picture the faces "
                         f"were found on ({fw}×{fh}) resized; look for faces on the copy itself")
    for box in boxes:
        area = box.check(fw, fh).grown(MARGIN, fw, fh).scaled(sx, sy)
        area = Box(area.x, area.y, min(area.w, clean.width - area.x),
                   min(area.h, clean.height - area.y))
        region = clean.crop((area.x, area.y, area.x + area.w, area.y + area.h))
        clean.paste(_obliterate(region), (area.x, area.y))
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=92)
    else:
        clean.save(out, "PNG")
    return out.getvalue()


def cell_edges(length: int) -> list[int]:
    """Where the cells of a region ``length`` pixels long begin and end (at most CELLS)."""
    cells = max(1, min(CELLS, length))
    return [round(i * length / cells) for i in range(cells + 1)]


def _obliterate(region: Image.Image) -> Image.Image:
    """A region reduced to at most CELLS × CELLS mean colours, the blocks then smoothed.

    Each cell becomes the exact mean of its pixels (one rounding, after summing), so nothing
    of a cell but its mean survives: not the order of its pixels, not its edges.
    """
    import numpy as np
    from PIL import Image, ImageFilter

    arr = np.asarray(region, dtype=np.float64)
    blocks = np.empty(arr.shape, dtype=np.uint8)
    xs, ys = cell_edges(region.width), cell_edges(region.height)
    for top, bottom in zip(ys, ys[1:], strict=False):
        for left, right in zip(xs, xs[1:], strict=False):
            cell = arr[top:bottom, left:right]
            blocks[top:bottom, left:right] = np.rint(cell.mean(axis=(0, 1)))
    radius = max(1.0, min(region.width, region.height) / CELLS / 3)
    return Image.fromarray(blocks, mode=region.mode).filter(ImageFilter.GaussianBlur(radius))


def boxes_from(values: Sequence[Sequence[int]]) -> tuple[Box, ...]:
    """Boxes from ``[x, y, w, h]`` lists (as stored or written in custody)."""
    return tuple(Box(*(int(v) for v in b)) for b in values)
