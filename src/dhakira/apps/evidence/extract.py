"""What a file is and what it says about itself: type sniffing, metadata and text.

The type is sniffed from the content (the ``filetype`` package plus small checks for
text, e-mail, mailboxes and PDF), never from the extension. Metadata and text come from
Pillow (EXIF, GPS), pypdf (PDF information and text), python-docx (DOCX text) and the
standard library (e-mail). A file that claims a type it cannot be read as is refused with
a reason (:class:`Unreadable`).

Intake calls :func:`extract` (type checks and metadata: what preservation needs, and what
refuses a bad file); processing calls :func:`extract_text` later for the types
:func:`has_text` names, so the slow part (reading every page) runs off the intake path.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any, BinaryIO

import filetype

__all__ = ["HEAD_SIZE", "Extracted", "Unreadable", "extract", "extract_text", "has_text",
           "kind_of", "read_metadata", "read_text", "sniff", "tool_versions"]

HEAD_SIZE = 8192
MAX_TEXT_BYTES = 64 * 1024 * 1024
# About a gigapixel: six times a 15000×12000 scan, far beyond any camera.
MAX_IMAGE_PIXELS = 2**30
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EML = "message/rfc822"
MBOX = "application/mbox"
ZIP = "application/zip"
TEXT = "text/plain"
OCTETS = "application/octet-stream"
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]")
# An mbox separator: "From <sender> <asctime date>", ending in a four-digit year.
_MBOX_FROM = re.compile(rb"^From \S+ [^\n]*\d{4}\r?\n")
_MAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"received", b"return-path",
                 b"message-id", b"mime-version", b"delivered-to", b"reply-to", b"cc"}


class Unreadable(Exception):
    """The content is not what it claims to be, or is locked (encrypted)."""


@dataclass(frozen=True)
class Extracted:
    """Metadata and text pulled from one file."""

    metadata: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    extractor: str = ""


@functools.cache  # installed versions do not change under a running process; each look-up scans sys.path
def tool_versions() -> str:
    """The extraction tools and their versions, for the collection record."""
    names = ("pypdf", "python-docx", "pillow", "filetype", "charset-normalizer", "olefile")
    return " ".join(f"{n}/{version(n)}" for n in names)


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sniffed head is still text.
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return True
        # Not UTF-8: text in an Arabic code page (Windows-1256, ISO-8859-6) if detection
        # finds one that reads it as Arabic with almost no control characters. Other legacy
        # code pages are not guessed at: a short binary file reads as some code page too.
        return _legacy_text(head)
    return True


def _legacy_text(head: bytes) -> bool:
    from dhakira.apps.evidence import decoding

    found = decoding.detect_arabic(head)
    if found is None:
        return False
    text = head.decode(found, "replace")
    controls = sum(1 for c in text if (c < " " and c not in "\t\r\n\f") or c == "\ufffd")
    return controls <= len(text) // 100


def _looks_like_mail(head: bytes) -> bool:
    lines = head.replace(b"\r\n", b"\n").split(b"\n", 12)[:12]
    names = {ln.split(b":", 1)[0].lower() for ln in lines if _HEADER_LINE.match(ln)}
    return len(names & _MAIL_HEADERS) >= 2


def sniff(head: bytes) -> str:
    """The MIME type of a file from its first bytes.

    Args:
        head: the first :data:`HEAD_SIZE` bytes (fewer for a short file).

    Returns:
        A MIME type; ``application/octet-stream`` when nothing matches.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return ZIP
    if not _looks_like_text(head):
        return OCTETS
    if _MBOX_FROM.match(head) or (head.startswith(b"From ")
                                   and _looks_like_mail(head.split(b"\n", 1)[-1])):
        return MBOX
    if _looks_like_mail(head):
        return EML
    return TEXT


# Photos and scans whose text processing reads by OCR (what the limited renderer decodes).
OCR_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp",
                        "image/tiff"})
# A PDF page with fewer characters of text than this (a page number at most) is taken for a
# scan and read by OCR.
TEXTLESS_PAGE = 4


def has_text(mime: str, size: int) -> bool:
    """Whether processing extracts text from a file of this type and size (images by OCR)."""
    return mime in (PDF, DOCX) or mime in OCR_IMAGES or (mime == TEXT and size <= MAX_TEXT_BYTES)


def _parsed(mime: str) -> bool:
    """Whether reading this type runs a parser a crafted file could attack."""
    return mime in (PDF, DOCX) or mime.startswith("image/")


def kind_of(mime: str) -> str:
    """A short name of a type's reader, for messages."""
    return {PDF: "PDF", DOCX: "DOCX"}.get(mime, "image" if mime.startswith("image/") else mime)


def extract(stream: BinaryIO, mime: str, size: int) -> Extracted:
    """Metadata of a seekable stream, read according to its sniffed type (no text).

    PDF, DOCX and images are read in a separate process with bounded memory and time
    (:mod:`dhakira.apps.evidence._sandbox`).

    Raises:
        Unreadable: a PDF that is corrupt or encrypted, an image or DOCX that cannot be
            opened as what its content claims, or a file whose reading went over a limit.
    """
    if not _parsed(mime):
        return Extracted()
    from dhakira.apps.evidence import _sandbox

    return _sandbox.read("meta", stream, mime, size)


def extract_text(stream: BinaryIO, mime: str, size: int) -> Extracted:
    """The text of a seekable stream of a type :func:`has_text` accepts (else nothing).

    PDF and DOCX are read in a separate process with bounded memory and time.

    Raises:
        Unreadable: the file cannot be read as its type, or its reading went over a limit.
    """
    if mime in (PDF, DOCX):
        from dhakira.apps.evidence import _sandbox

        return _sandbox.read("text", stream, mime, size)
    return read_text(stream, mime, size)


def read_metadata(stream: BinaryIO, mime: str, size: int) -> Extracted:
    """:func:`extract`, in this process (the sandbox's child calls it)."""
    stream.seek(0)
    try:
        if mime == PDF:
            return _pdf(stream, text=False)
        if mime == DOCX:
            return _docx(stream)
        if mime.startswith("image/"):
            return _image(stream)
        return Extracted()
    finally:
        stream.seek(0)


def read_text(stream: BinaryIO, mime: str, size: int) -> Extracted:
    """:func:`extract_text`, in this process (the sandbox's child calls it for PDF, DOCX)."""
    stream.seek(0)
    try:
        if mime == PDF:
            return _pdf(stream, text=True)
        if mime == DOCX:
            return _docx(stream)
        if mime == TEXT and size <= MAX_TEXT_BYTES:
            from dhakira.apps.evidence import decoding

            decoded = decoding.decode(stream.read())
            return Extracted(text=decoded.text, extractor=decoded.label,
                             metadata={"encoding": decoded.encoding, "decoded": decoded.how})
        return Extracted()
    finally:
        stream.seek(0)


def _pdf(stream: BinaryIO, *, text: bool) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise Unreadable("the PDF is encrypted; ask the sender for an unlocked copy "
                             "or its password")
        info = {str(k).lstrip("/"): str(v) for k, v in (reader.metadata or {}).items()}
        pages = [page.extract_text() or "" for page in reader.pages] if text else []
        count = len(pages) if text else len(reader.pages)
    except Unreadable:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise Unreadable(f"corrupt PDF ({type(exc).__name__})") from None
    meta: dict[str, Any] = {"pdf": info, "pages": count}
    if text:  # the pages that are pictures only (scans), for OCR
        meta["textless"] = [n for n, page in enumerate(pages, 1)
                            if len("".join(page.split())) < TEXTLESS_PAGE]
    return Extracted(metadata=meta, text="\n".join(pages), extractor=f"pypdf/{version('pypdf')}")


def _docx(stream: BinaryIO) -> Extracted:
    import docx

    from dhakira.apps.evidence import _archive

    # A DOCX is a zip archive: the same limits as any archive, before python-docx unpacks
    # a part (a 92 KB document once unpacked to 665 MB).
    _archive.members(_archive.open_zip(stream), _archive.DOCUMENT_LIMITS)
    stream.seek(0)
    try:
        document = docx.Document(stream)
    except Exception as exc:  # python-docx raises many unrelated types on bad input
        raise Unreadable(f"corrupt DOCX ({type(exc).__name__})") from None
    props = document.core_properties
    keys = ("author", "last_modified_by", "created", "modified", "title")
    meta = {"docx": {k: str(getattr(props, k)) for k in keys if getattr(props, k, None)}}
    text = "\n".join(p.text for p in document.paragraphs)
    return Extracted(metadata=meta, text=text, extractor=f"python-docx/{version('python-docx')}")


def _image(stream: BinaryIO) -> Extracted:
    from PIL import ExifTags, Image, UnidentifiedImageError

    # Only the header and EXIF are read, never the pixels: a large scan is no bomb here.
    # Pillow's own check would refuse a genuine 15000×12000 scan (the sandbox's child turns
    # it off); this one refuses only sizes no camera or scanner makes (a 100-byte PNG "of"
    # 100000×100000 pixels), which later steps that do decode pixels could not handle.
    try:
        with Image.open(stream) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise Unreadable(f"the image claims {image.width}×{image.height} pixels, over "
                                 f"the limit of {MAX_IMAGE_PIXELS} pixels")
            # Pillow decodes a whole PNG to look for an EXIF chunk after the pixels; one
            # placed there (against the PNG rules) is left unread instead.
            late = image.format == "PNG" and "exif" not in image.info
            exif = Image.Exif() if late else image.getexif()
            meta: dict[str, Any] = {"width": image.width, "height": image.height}
            # The Exif sub-IFD holds the capture dates, and the owner's name and serial numbers
            # that evidence/identifying.py keeps protected.
            items = [*exif.items(), *exif.get_ifd(ExifTags.IFD.Exif).items()]
            tags = {ExifTags.TAGS.get(k, str(k)): _plain(_xp(k, v)) for k, v in items}
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Image.DecompressionBombError:
        raise Unreadable("the image claims more pixels than can be read safely") from None
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise Unreadable(f"the image cannot be opened ({type(exc).__name__})") from None
    if tags:
        meta["exif"] = tags
    if gps:
        meta["gps"] = {ExifTags.GPSTAGS.get(k, str(k)): _plain(v) for k, v in gps.items()}
    return Extracted(metadata=meta, extractor=f"pillow/{version('pillow')}")


def _xp(tag: int, value: object) -> object:
    """Windows' XP* tags (XPTitle … XPSubject) hold UTF-16 text in bytes: show it as text."""
    if 0x9C9B <= tag <= 0x9C9F and isinstance(value, bytes):
        return value.decode("utf-16-le", "replace").rstrip("\x00")
    return value


def _plain(value: object) -> object:
    """A JSON-safe copy of an EXIF value (rationals as strings, bytes as hex)."""
    if isinstance(value, bytes):
        return value[:64].hex()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, int | str | bool) or value is None:
        return value
    return str(value)
