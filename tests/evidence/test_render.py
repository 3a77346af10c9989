"""Pictures drawn from originals (issue 17, finding 5): upright, downscaled, without a byte of
the original's metadata, in a limited child process that gives up on hostile files."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from tests.evidence import files, hostile

from dhakira.apps.evidence import render

pytestmark = pytest.mark.backend_independent


def _open(picture: render.Picture) -> Image.Image:
    return Image.open(io.BytesIO(picture.data))


def test_a_photo_is_drawn_without_any_of_its_metadata() -> None:
    original = files.jpeg_with_author_and_gps(artist="Qzxartist", owner="Qzxowner",
                                              serial="SN-QZX")
    picture = render.image(original)
    assert picture.content_type == "image/jpeg"
    for secret in (b"Qzxartist", "Qzxartist".encode("utf-16-le"), b"Qzxowner", b"SN-QZX",
                   b"TestCam", b"Exif"):
        assert secret in original or secret == b"Exif"
        assert secret not in picture.data
    shown = _open(picture)
    assert shown.size == (8, 8) and not shown.getexif()


def test_a_large_photo_is_downscaled_and_kept_upright() -> None:
    image = Image.new("RGB", (3000, 2000), "green")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was held upright, the pixels lie sideways
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    shown = _open(render.image(out.getvalue(), max_side=1600))
    assert shown.size == (1067, 1600)


def test_a_transparent_png_stays_a_png() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (5, 4), (255, 0, 0, 0)).save(out, "PNG")
    picture = render.image(out.getvalue())
    assert picture.content_type == "image/png" and _open(picture).mode == "RGBA"


def test_one_pdf_page_is_drawn_and_a_missing_page_is_said() -> None:
    picture = render.pdf_page(files.pdf_bytes(), 1, max_side=800)
    assert picture.content_type == "image/png"
    assert max(_open(picture).size) == 800
    assert b"Test Author" not in picture.data and b"Synthetic report" not in picture.data
    with pytest.raises(render.NotRenderable, match="no such page"):
        render.pdf_page(files.pdf_bytes(), 2)
    with pytest.raises(render.NotRenderable, match="no page 0"):
        render.pdf_page(files.pdf_bytes(), 0)


def test_a_png_claiming_400_million_pixels_is_refused_not_decoded() -> None:
    with pytest.raises(render.NotRenderable, match="claims 20000×20000 pixels"):
        render.image(hostile.png_claiming(20_000, 20_000))


def test_a_child_over_its_time_is_stopped() -> None:
    slow = render.Limits(memory=1024 * render.MIB, cpu_seconds=1, wall_seconds=0.3)
    with pytest.raises(render.NotRenderable, match="longer than|over a limit"):
        render.pdf_page(hostile.slow_pdf(3_000_000), 1, limits=slow)


def test_a_child_over_its_memory_is_stopped_and_a_genuine_scan_is_drawn() -> None:
    scan = hostile.genuine_png(12_000, 12_000)
    small = render.Limits(memory=64 * render.MIB, cpu_seconds=30, wall_seconds=60)
    with pytest.raises(render.NotRenderable, match="more memory than allowed"):
        render.image(scan, limits=small)
    assert _open(render.image(scan)).size == (1600, 1600)


def test_damaged_and_foreign_bytes_are_refused_in_a_line() -> None:
    with pytest.raises(render.NotRenderable, match="cannot be drawn"):
        render.pdf_page(b"%PDF-1.4 nothing else", 1)
    with pytest.raises(render.NotRenderable, match="not an image"):
        render.image(b"plain text, no picture")


def test_the_child_may_write_no_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The limit that keeps plaintext off the disk holds in the child and in the tool it
    # becomes: a write to a file fails, a write to the pipe goes through.
    target = tmp_path / "spill"
    out = render._run(["exec", "sh", "-c", f"cat > {target}; echo drawn"], b"plaintext", None)
    assert out == b"drawn\n"
    assert target.read_bytes() == b""
