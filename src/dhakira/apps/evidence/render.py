"""Evidence shown on screen: photos re-encoded and PDF pages drawn, bytes in, image bytes out.

An original is decoded by a limited child process, never by the web server itself: Pillow
(photos) and poppler's ``pdftoppm`` (one PDF page at a time) are what a crafted file would
attack. The child limits itself before it reads a byte, as the extraction workers of
:mod:`dhakira.apps.evidence._sandbox` do: address space, processor seconds, no core dump and no
file it may write (``RLIMIT_FSIZE`` of 0: a tool that tried to spill to disk is killed). The
original goes in through a pipe and the picture comes out through one: plaintext never
touches the disk. The parent kills a child that has not answered within the wall-clock limit,
and at most :data:`MAX_RENDERING` children run at once.

What comes out is a fresh image made from pixels only, downscaled to :data:`MAX_SIDE`: no
EXIF, GPS, XMP, ICC profile or comment of the original survives, and the visible orientation
is kept.

No Django here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import NoReturn

from dhakira.apps.evidence.errors import EvidenceError

__all__ = ["IMAGE_TYPES", "MAX_RENDER_BYTES", "MAX_SIDE", "PDF", "Limits", "NotRenderable",
           "Picture", "faces", "image", "pdf_page", "renderable"]

MIB = 1024 * 1024
MAX_SIDE = 1600
MAX_RENDER_BYTES = 256 * MIB
MAX_RENDERING = 2
PDF = "application/pdf"
# What Pillow decodes safely enough to show (the sniffed type, not the name's extension).
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp",
                         "image/tiff"})
# Pixels a child may decode: a 20000×13000 scan, not a 100-byte "100000×100000" bomb.
MAX_PIXELS = 260_000_000

_SLOTS = threading.BoundedSemaphore(MAX_RENDERING)


class NotRenderable(EvidenceError):
    """The original cannot be shown as a picture; the message says why in a line."""


@dataclass(frozen=True)
class Picture:
    """A rendered picture: its bytes and their type."""

    data: bytes
    content_type: str


@dataclass(frozen=True)
class Limits:
    """What rendering one original may use."""

    memory: int
    cpu_seconds: int
    wall_seconds: float

    @classmethod
    def for_size(cls, size: int) -> Limits:
        """Room for the interpreter or poppler, the original twice, and a large decoded
        picture; half a minute of processor time plus a second a MiB."""
        cpu = 30 + size // MIB
        return cls(memory=1536 * MIB + 2 * size, cpu_seconds=cpu, wall_seconds=2 * cpu + 15)


def renderable(mime: str) -> bool:
    """Whether an original of sniffed type ``mime`` can be shown as a picture."""
    return mime in IMAGE_TYPES or mime == PDF


def image(data: bytes, *, max_side: int = MAX_SIDE, limits: Limits | None = None) -> Picture:
    """A photo or scan, upright, downscaled to fit ``max_side`` and re-encoded from its
    pixels only (JPEG; PNG when it has transparency).

    Raises:
        NotRenderable: the bytes are no image Pillow reads, or decoding it went over a limit.
    """
    out = _run(["image", str(max_side)], data, limits)
    kind = "image/png" if out.startswith(b"\x89PNG") else "image/jpeg"
    return Picture(out, kind)


def pdf_page(data: bytes, page: int, *, max_side: int = MAX_SIDE,
             limits: Limits | None = None) -> Picture:
    """Page ``page`` (from 1) of a PDF, drawn by ``pdftoppm`` as a PNG fitting ``max_side``.

    Raises:
        NotRenderable: no such page, the PDF is damaged or encrypted, poppler is not
            installed, or drawing it went over a limit.
    """
    if page < 1:
        raise NotRenderable(f"there is no page {page}")
    argv = ["pdftoppm", "-png", "-f", str(page), "-l", str(page), "-scale-to", str(max_side),
            "-singlefile", "-q", "-"]
    out = _run(["exec", *argv], data, limits)
    if not out.startswith(b"\x89PNG"):
        raise NotRenderable(f"page {page} cannot be drawn")
    return Picture(out, "image/png")


def faces(data: bytes, *, limits: Limits | None = None) -> bytes:
    """Faces found in a photo or scan, as :meth:`dhakira.core.faces.Found.to_json` bytes,
    looked for by the same limited child that draws pictures (it decodes the original).

    Raises:
        NotRenderable: the bytes are no picture, it is larger than faces are looked for in,
            or looking went over a limit; the message says which.
    """
    return _run(["faces"], data, limits)


def _run(args: list[str], data: bytes, limits: Limits | None) -> bytes:
    # Imported here, in the parent only: the child imports this module and stays light.
    from dhakira.apps.evidence._sandbox import child_env

    if len(data) > MAX_RENDER_BYTES:
        raise NotRenderable(f"it is larger than {MAX_RENDER_BYTES // MIB} MiB; download it "
                            "to look at it")
    limits = limits or Limits.for_size(len(data))
    command = [sys.executable, "-I", "-B", "-c", _BOOT, str(limits.memory),
               str(limits.cpu_seconds), *args]
    with _SLOTS:
        try:
            done = subprocess.run(command, input=data, capture_output=True, env=child_env(),
                                  timeout=limits.wall_seconds, check=False)
        except subprocess.TimeoutExpired:  # run() has killed it
            raise NotRenderable(f"drawing it took longer than {int(limits.wall_seconds)} s; "
                                "refused as a possible attack") from None
    if done.returncode != 0 or not done.stdout:
        raise NotRenderable(_why(done.returncode, done.stderr))
    return done.stdout


def _why(code: int, stderr: bytes) -> str:
    said = stderr.decode("utf-8", "replace").strip().splitlines()
    if code == 99 and said and "page" in said[-1].lower():
        return "there is no such page"
    if code < 0:
        return f"drawing it went over a limit and was stopped (signal {-code})"
    if said and said[-1].startswith("refused: "):
        return said[-1].removeprefix("refused: ")
    if code == 127:
        return "poppler-utils (pdftoppm) is not installed"
    return f"it cannot be drawn (exit status {code})"


_BOOT = ("import os, sys; sys.path[:0] = os.environ['DHAKIRA_SANDBOX_PATH'].split(os.pathsep); "
         "from dhakira.apps.evidence.render import child_main; child_main(sys.argv[1:])")


def child_main(argv: list[str]) -> None:
    """The child: limit itself, then draw stdin to stdout (or become pdftoppm)."""
    import resource

    memory, cpu, op, *rest = argv
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # pipes only: no file may be written
    resource.setrlimit(resource.RLIMIT_AS, (int(memory), int(memory)))
    resource.setrlimit(resource.RLIMIT_CPU, (int(cpu), int(cpu)))
    if op == "exec":
        try:
            os.execvp(rest[0], rest)
        except FileNotFoundError:
            os._exit(127)
    try:
        if op == "faces":
            sys.stdout.buffer.write(_faces(sys.stdin.buffer.read()))
        else:
            sys.stdout.buffer.write(_draw(sys.stdin.buffer.read(), int(rest[0])))
    except MemoryError:
        _refuse("decoding it needs more memory than allowed; refused as a possible attack")
    except Exception as exc:  # a decoder's own failure on hostile input: say which, in a line
        _refuse(f"it is not an image that can be shown ({type(exc).__name__})")


def _refuse(reason: str) -> NoReturn:
    sys.stderr.write(f"refused: {reason}\n")
    sys.exit(2)


def _faces(data: bytes) -> bytes:
    from dhakira.core.faces import FacesError, detect

    try:
        return detect(data).to_json().encode()
    except FacesError as exc:
        _refuse(str(exc))


def _draw(data: bytes, max_side: int) -> bytes:
    import io

    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = None  # checked below, after a JPEG's draft has reduced it
    with Image.open(io.BytesIO(data)) as img:
        img.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale, cheaply
        if img.width * img.height > MAX_PIXELS:
            _refuse(f"it claims {img.width}×{img.height} pixels, more than can be shown")
        img.thumbnail((max_side, max_side), reducing_gap=2.0)  # square box: before turning
        upright = ImageOps.exif_transpose(img)
        alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        mode = "RGBA" if alpha else "RGB"
        pixels = upright.convert(mode)
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())  # a fresh image: no .info
    out = io.BytesIO()
    if alpha:
        clean.save(out, "PNG")
    else:
        clean.save(out, "JPEG", quality=85)
    return out.getvalue()
