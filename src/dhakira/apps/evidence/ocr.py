"""Optical character recognition of photos, scans and image-only PDF pages (Arabic and English).

Tesseract (the Debian ``tesseract-ocr`` package with its Arabic and English data) is run as a
program, ``tesseract stdin stdout``: the page image goes in through a pipe and the text comes
back through one, so no page image is ever written to disk, encrypted or not. The Python
bindings were not used: ``pytesseract`` writes every image to a temporary file, and
``tesserocr`` must be compiled against the library's headers for each Python.

The image Tesseract reads is never the original: a photo is first decoded and re-encoded
upright from its pixels, and a PDF page drawn by ``pdftoppm``, both in the limited child
processes of :mod:`dhakira.apps.evidence.render`. Tesseract itself runs under ``prlimit``
(address space, processor seconds, no core dump, no file it may write) with one thread, and
is killed at a wall-clock deadline.

Bounds, each refused or cut with a message that says so:

- an image wider or taller than :data:`MAX_SIDE` pixels, or over :data:`MAX_PIXELS`, is not
  read (a 50,000-pixel-wide panorama is no page);
- a PDF is read up to :data:`MAX_PAGES` pages and :data:`MAX_SECONDS` of wall-clock time; the
  pages left unread are named in the result.

No Django here.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import time
from dataclasses import dataclass

from dhakira.apps.evidence import render
from dhakira.apps.evidence.extract import Unreadable

__all__ = ["LANGUAGES", "MAX_PAGES", "MAX_PIXELS", "MAX_SECONDS", "MAX_SIDE", "PAGE_SIDE",
           "Ocr", "available", "image_text", "pdf_text", "tesseract_version"]

LANGUAGES = "ara+eng"
# Pages, not panoramas: a 15000×12000 scan is read (reduced first); a 50,000-pixel-wide
# image is not. The pixel bound is the renderer's, which decodes it.
MAX_SIDE = 20_000
MAX_PIXELS = render.MAX_PIXELS
# PDF pages are drawn with their longer side this many pixels (200 dpi for A4), and larger
# photos are reduced to it: Tesseract's Arabic model drops whole lines of text printed at
# 300 dpi (measured with Amiri at 14 pt: one line in three lost at 300 dpi, none at 200).
PAGE_SIDE = 2339
PAGE_DPI = 200
MAX_PAGES = 200
MAX_SECONDS = 1800.0
MIB = 1024 * 1024
# Per page: Tesseract with both languages loaded uses 150-400 MiB on a 300 dpi page.
_MEMORY = 1536 * MIB
_CPU_SECONDS = 120


@dataclass(frozen=True)
class Ocr:
    """The text read, and what was read: pages (from 1) and the reason any were left out."""

    text: str
    operation: str
    pages: tuple[int, ...] = ()
    left_out: str = ""


def available() -> bool:
    """Whether Tesseract, and ``prlimit`` to bound it, are installed."""
    return shutil.which("tesseract") is not None and shutil.which("prlimit") is not None


@functools.cache
def tesseract_version() -> str:
    """``tesseract/5.3.0``, for the operation recorded with each OCR copy."""
    try:
        done = subprocess.run(["tesseract", "--version"], capture_output=True, timeout=30,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "tesseract"
    first = (done.stdout or done.stderr).decode("utf-8", "replace").split("\n", 1)[0].split()
    return f"tesseract/{first[1]}" if len(first) > 1 else "tesseract"


def _operation(what: str) -> str:
    return f"OCR ({tesseract_version()}, {LANGUAGES}{what})"


def image_text(data: bytes, width: int | None = None, height: int | None = None) -> Ocr:
    """The text of a photo or scan.

    Args:
        data: the original's bytes.
        width, height: its size as intake read it from the header, if known.

    Raises:
        Unreadable: the image is too large to read, cannot be decoded, or Tesseract failed
            or went over a limit; the message says which.
    """
    _check_size(width, height)
    side = max(width or 0, height or 0) or PAGE_SIDE
    try:
        picture = render.image(data, max_side=min(side, PAGE_SIDE))
    except render.NotRenderable as exc:
        raise Unreadable(f"OCR: {exc}") from None
    return Ocr(_tesseract(picture.data), _operation(""), (1,))


def _check_size(width: int | None, height: int | None) -> None:
    if width is None or height is None:
        return
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise Unreadable(f"OCR: the image is {width}×{height} pixels; OCR reads images of up "
                         f"to {MAX_SIDE} pixels a side and {MAX_PIXELS // 1_000_000} megapixels "
                         "(crop or split it to have it read); the original is kept")


def pdf_text(data: bytes, pages: list[int], total: int) -> Ocr:
    """The text of the named pages of a PDF (those with no text of their own), in order.

    At most :data:`MAX_PAGES` pages and :data:`MAX_SECONDS` seconds; the result names what
    was left out. A page that cannot be drawn or read is skipped and named too.

    Raises:
        Unreadable: not one page could be read.
    """
    started = time.monotonic()
    texts: list[str] = []
    read: list[int] = []
    failed: list[int] = []
    why = ""
    for page in pages:
        if len(read) + len(failed) >= MAX_PAGES:
            why = f"a limit of {MAX_PAGES} pages a file"
            break
        if time.monotonic() - started > MAX_SECONDS:
            why = f"a limit of {int(MAX_SECONDS)} s a file"
            break
        try:
            picture = render.pdf_page(data, page, max_side=PAGE_SIDE)
            text = _tesseract(picture.data, dpi=PAGE_DPI)
        except (render.NotRenderable, Unreadable):
            failed.append(page)
            continue
        read.append(page)
        if text.strip():
            texts.append(text)
    if not read:
        raise Unreadable(pages_unread(len(pages)))
    done = set(read) | set(failed)
    unread = [p for p in pages if p not in done]
    notes = []
    if unread:
        notes.append(f"pages {_ranges(unread)} not read ({why})")
    if failed:
        notes.append(f"pages {_ranges(failed)} could not be drawn or read")
    left_out = "; ".join(notes)
    what = f", pages {_ranges(read)} of {total}" + (f"; {left_out}" if left_out else "")
    return Ocr("\n\n".join(texts), _operation(what), tuple(read), left_out)


def pages_unread(n: int) -> str:
    """Why no text was read from a PDF's ``n`` pages without text, in English (kept as the
    reason; :func:`dhakira.apps.evidence.labels.reason_words` says it in the reader's
    language)."""
    if n == 1:
        return "OCR: the page without text could not be read"
    return f"OCR: the {n:,} pages without text could not be read"


def _ranges(pages: list[int]) -> str:
    """``1–3, 7`` for [1, 2, 3, 7]."""
    out: list[str] = []
    start = prev = pages[0]
    for page in [*pages[1:], None]:
        if page is not None and page == prev + 1:
            prev = page
            continue
        out.append(f"{start}–{prev}" if prev != start else str(start))
        if page is not None:
            start = prev = page
    return ", ".join(out)


def _tesseract(image: bytes, *, dpi: int | None = None) -> str:
    """Tesseract's text for one image, piped in and out, bounded.

    Raises:
        Unreadable: Tesseract is missing, failed, or went over a limit.
    """
    if not available():
        raise Unreadable("OCR: Tesseract is not installed (the tesseract-ocr package)")
    argv = ["prlimit", f"--as={_MEMORY}", f"--cpu={_CPU_SECONDS}", "--core=0", "--fsize=0",
            "tesseract", "stdin", "stdout", "-l", LANGUAGES, "--psm", "3"]
    if dpi:
        argv += ["--dpi", str(dpi)]
    # One thread: the processing step is one of several processes sharing the processors,
    # and a page's time limit then means the same on every machine.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "OMP_THREAD_LIMIT": "1"}
    wall = 3 * _CPU_SECONDS + 30
    try:
        done = subprocess.run(argv, input=image, capture_output=True, env=env, timeout=wall,
                              check=False)
    except subprocess.TimeoutExpired:
        raise Unreadable(f"OCR took longer than {wall} s; stopped") from None
    if done.returncode != 0:
        if done.returncode < 0:
            raise Unreadable(f"OCR went over its memory or time limit (signal "
                             f"{-done.returncode})")
        raise Unreadable(f"OCR failed (tesseract exit status {done.returncode})")
    return done.stdout.decode("utf-8", "replace").replace("\f", "").strip()
