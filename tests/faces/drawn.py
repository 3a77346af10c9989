"""Pictures for the faces tests, drawn here: a cartoon face (no real person), and scenes
without one. The face is flat shapes (skin oval, hair, brows, eyes, nose, mouth) softened a
little, which OpenCV's frontal-face cascade finds at every size these tests use."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFilter

SKY = (90, 120, 160)


def scene(size: int = 200, *, faces: tuple[tuple[int, int], ...] = ((200, 200),),
          canvas: tuple[int, int] | None = None) -> Image.Image:
    """A picture with a drawn face of height about ``1.1 * size`` centred at each point."""
    img = Image.new("RGB", canvas or (2 * size, 2 * size), SKY)
    d = ImageDraw.Draw(img)
    for cx, cy in faces:
        w, h = size * 0.42, size * 0.55
        d.ellipse([cx - w, cy - h, cx + w, cy + h], fill=(224, 180, 150))
        d.chord([cx - w - 5, cy - h - 10, cx + w + 5, cy + h * 0.2], 180, 360, fill=(50, 35, 25))
        d.ellipse([cx - w * 0.95, cy - h * 0.55, cx + w * 0.95, cy + h], fill=(224, 180, 150))
        for side in (-1, 1):
            ex = cx + side * w * 0.42
            d.rectangle([ex - w * 0.25, cy - h * 0.28, ex + w * 0.25, cy - h * 0.20],
                        fill=(60, 40, 30))
            d.ellipse([ex - w * 0.2, cy - h * 0.15, ex + w * 0.2, cy - h * 0.02],
                      fill=(250, 250, 250))
            d.ellipse([ex - w * 0.09, cy - h * 0.14, ex + w * 0.09, cy - h * 0.03],
                      fill=(40, 30, 20))
        d.polygon([(cx, cy - h * 0.05), (cx - w * 0.12, cy + h * 0.22),
                   (cx + w * 0.12, cy + h * 0.22)], fill=(200, 150, 120))
        d.ellipse([cx - w * 0.3, cy + h * 0.38, cx + w * 0.3, cy + h * 0.5], fill=(150, 60, 60))
    return img.filter(ImageFilter.GaussianBlur(max(1, size // 80)))


def encoded(img: Image.Image, fmt: str = "PNG", *, orientation: int | None = None) -> bytes:
    """The picture as PNG or JPEG bytes; ``orientation`` stores it turned, with the EXIF tag
    that turns it upright again (6: the camera was held a quarter turn clockwise)."""
    out = io.BytesIO()
    if orientation is None:
        img.save(out, fmt)
        return out.getvalue()
    turned = {6: img.transpose(Image.Transpose.ROTATE_90), 8: img.transpose(Image.Transpose.ROTATE_270),
              3: img.transpose(Image.Transpose.ROTATE_180)}[orientation]
    exif = Image.Exif()
    exif[274] = orientation
    turned.save(out, fmt, exif=exif)
    return out.getvalue()


def face_png(size: int = 200) -> bytes:
    """A 2·size square PNG with one drawn face in the middle."""
    return encoded(scene(size))


def face_jpeg(size: int = 200, *, orientation: int | None = None) -> bytes:
    """A 2·size square JPEG with one drawn face in the middle."""
    return encoded(scene(size), "JPEG", orientation=orientation)


def no_face_png() -> bytes:
    """Sky, a house and a tree: shapes, but no face."""
    img = Image.new("RGB", (400, 300), SKY)
    d = ImageDraw.Draw(img)
    d.rectangle([40, 150, 200, 280], fill=(170, 120, 80))
    d.polygon([(30, 150), (120, 80), (210, 150)], fill=(120, 40, 40))
    d.rectangle([260, 180, 280, 280], fill=(90, 60, 30))
    d.ellipse([220, 100, 320, 200], fill=(40, 120, 50))
    return encoded(img)
