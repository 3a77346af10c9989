"""The faces core (issue 20, item 3): a drawn face is found where it is, in the upright frame;
a picture too large is refused before it is decoded; blurring leaves only a few mean colours
where the face was and nothing else changed."""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from tests.faces import drawn

from dhakira.apps.evidence import render
from dhakira.core import faces
from dhakira.core.faces import Box, FacesError, TooLarge


def _centre(box: Box) -> tuple[float, float]:
    return box.x + box.w / 2, box.y + box.h / 2


def _near(box: Box, point: tuple[int, int], tolerance: float = 20) -> bool:
    cx, cy = _centre(box)
    return abs(cx - point[0]) <= tolerance and abs(cy - point[1]) <= tolerance


@pytest.mark.parametrize("data", [drawn.face_png(), drawn.face_jpeg()], ids=["png", "jpeg"])
def test_a_drawn_face_is_found_where_it_is(data: bytes) -> None:
    found = faces.detect(data)
    assert (found.width, found.height) == (400, 400)
    [box] = found.boxes
    assert _near(box, (200, 200)) and 150 <= box.w <= 260


def test_no_face_is_found_in_a_scene_without_one() -> None:
    assert faces.detect(drawn.no_face_png()).boxes == ()


def test_boxes_are_in_the_upright_frame_of_a_turned_photo() -> None:
    upright = drawn.scene(100, faces=((150, 150), (450, 160)), canvas=(600, 320))
    stored = drawn.encoded(upright, "JPEG", orientation=6)
    assert Image.open(io.BytesIO(stored)).size == (320, 600)  # stored on its side
    found = faces.detect(stored)
    assert (found.width, found.height) == (600, 320)
    assert len(found.boxes) == 2
    assert any(_near(b, (150, 150)) for b in found.boxes)
    assert any(_near(b, (450, 160)) for b in found.boxes)


def _wide_png(width: int, height: int = 2) -> bytes:
    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, "PNG")
    return out.getvalue()


def test_a_50000_pixel_wide_picture_is_refused_with_its_size() -> None:
    with pytest.raises(TooLarge, match="50000 × 2 pixels.*at most 20,000 pixels a side"):
        faces.detect(_wide_png(50_000))
    with pytest.raises(TooLarge):
        faces.blur(_wide_png(50_000), [])


def test_the_limited_child_refuses_it_too_and_reads_a_face() -> None:
    with pytest.raises(render.NotRenderable, match="50000 × 2 pixels"):
        render.faces(_wide_png(50_000))
    with pytest.raises(render.NotRenderable, match="not a picture"):
        render.faces(b"%PDF-1.4 not a picture")
    found = faces.found_from_json(render.faces(drawn.face_jpeg()).decode())
    assert len(found.boxes) == 1 and _near(found.boxes[0], (200, 200))


def test_the_childs_answer_is_checked() -> None:
    with pytest.raises(FacesError, match="reaches outside"):
        faces.found_from_json('{"width": 10, "height": 10, "detector": "x", "boxes": [[5, 5, 9, 9]]}')
    with pytest.raises(FacesError, match="cannot be read"):
        faces.found_from_json("no json")


def _pixels(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_a_blurred_face_is_found_no_more_and_nothing_outside_it_changes() -> None:
    data = drawn.face_png()
    [box] = faces.detect(data).boxes
    out = faces.blur(data, [box])
    assert faces.detect(out).boxes == ()
    before, after = _pixels(data), _pixels(out)
    grown = box.grown(faces.MARGIN, 400, 400)
    changed = [(x, y) for x in range(400) for y in range(400)
               if before.getpixel((x, y)) != after.getpixel((x, y))]
    assert changed, "the face was not touched"
    assert all(grown.x <= x < grown.x + grown.w and grown.y <= y < grown.y + grown.h
               for x, y in changed)
    # Where the face was, the eyes and mouth are gone: the region is nearly one tone.
    inner = after.crop((box.x + box.w // 4, box.y + box.h // 3, box.x + 3 * box.w // 4,
                        box.y + 2 * box.h // 3)).convert("L")
    low, high = inner.getextrema()
    assert high - low < 60


def test_blurring_keeps_no_metadata_and_the_format() -> None:
    data = drawn.face_jpeg(orientation=6)
    out = faces.blur(data, [Box(100, 100, 50, 50)])
    img = Image.open(io.BytesIO(out))
    assert img.format == "JPEG" and not img.getexif() and img.size == (400, 400)


def test_a_box_outside_the_picture_is_refused() -> None:
    with pytest.raises(FacesError, match="reaches outside"):
        faces.blur(drawn.face_png(), [Box(390, 10, 20, 20)])
    with pytest.raises(FacesError, match="empty"):
        faces.blur(drawn.face_png(), [Box(10, 10, 0, 20)])


def test_boxes_found_in_one_frame_are_scaled_to_a_smaller_copy() -> None:
    small = drawn.scene(200).resize((100, 100))  # the face around (50, 50)
    out = faces.blur(drawn.encoded(small), [Box(100, 100, 200, 200)], frame=(400, 400))
    changed = _pixels(out).getpixel((50, 50)) != small.getpixel((50, 50))
    untouched = _pixels(out).getpixel((2, 2)) == small.getpixel((2, 2))
    assert changed and untouched


@settings(max_examples=40, deadline=None)
@given(width=st.integers(1, 40), height=st.integers(1, 40), grey=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_only_the_cells_mean_colours_survive_blurring(width: int, height: int, grey: bool,
                                                       seed: int) -> None:
    """Irreversible by construction: shuffle the pixels inside each cell of the grid (another
    picture with the same means) and the blurred region is the same to the bit."""
    rng = random.Random(seed)
    mode = "L" if grey else "RGB"
    first = Image.frombytes(mode, (width, height),
                            bytes(rng.randrange(256) for _ in range(width * height * len(mode))))
    second = first.copy()
    xs, ys = faces.cell_edges(width), faces.cell_edges(height)
    for top, bottom in zip(ys, ys[1:], strict=False):
        for left, right in zip(xs, xs[1:], strict=False):
            spots = [(x, y) for x in range(left, right) for y in range(top, bottom)]
            values = [first.getpixel(p) for p in spots]
            rng.shuffle(values)
            for p, v in zip(spots, values, strict=True):
                second.putpixel(p, v)
    assert len(xs) - 1 <= faces.CELLS and len(ys) - 1 <= faces.CELLS
    assert faces._obliterate(first).tobytes() == faces._obliterate(second).tobytes()


def test_boxes_found_on_the_original_are_not_used_on_a_cropped_copy() -> None:
    picture = Image.open(io.BytesIO(drawn.face_png()))
    w, h = picture.size
    cropped = io.BytesIO()
    picture.crop((0, 0, w, h // 2)).save(cropped, "PNG")
    with pytest.raises(FacesError, match="resized"):
        faces.blur(cropped.getvalue(), [Box(10, 10, 20, 20)], frame=(w, h))
    halved = io.BytesIO()
    picture.resize((w // 2, h // 2)).save(halved, "PNG")
    assert faces.blur(halved.getvalue(), [Box(10, 10, 20, 20)], frame=(w, h))
