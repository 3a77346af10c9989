"""Leak scanning: is any forbidden string anywhere in a package, names and metadata included?

Used by the leak test of issue 8 (and by anyone checking a package before it leaves). Every
byte is scanned: file names, file contents, and for a zip the raw archive bytes (member
names, comments, extra fields) as well as each member's decompressed content; PDFs also have
their extracted text and metadata scanned, since their text streams are compressed.
"""

from __future__ import annotations

import functools
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO

import ahocorasick

from dhakira.core.bidi import ARABIC as _ARABIC
from dhakira.core.handover._arabic import fold as _norm
from dhakira.core.names import name_key, text_key

# A package on disk (directory or zip), or in memory: path -> bytes, or a zip's bytes.
Package = str | Path | Mapping[str, bytes] | bytes

_CHUNK = 1 << 20
_LATIN = re.compile("[A-Za-z]")
_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


class _Scanner:
    """Every term in every form and encoding in one Aho–Corasick automaton (plus one for the
    normalised forms), so each byte is looked at once whatever the number of terms."""

    def __init__(self, forbidden: Sequence[str]) -> None:
        self.terms = [t for t in dict.fromkeys(forbidden) if t.strip()]
        byte_terms: dict[str, set[str]] = {}
        norm_terms: dict[str, set[str]] = {}
        width = 1
        for term in self.terms:
            norm = _norm(term).strip()
            forms = {term, unicodedata.normalize("NFC", term), unicodedata.normalize("NFD", term),
                     norm} - {""}
            for pat in {f.encode(enc) for f in forms for enc in _ENCODINGS}:
                byte_terms.setdefault(_as_latin1(pat), set()).add(term)
                width = max(width, len(pat))
            if norm:
                norm_terms.setdefault(norm, set()).add(term)
        self._bytes = _automaton(byte_terms)
        self._text = _automaton(norm_terms)
        # Arabic names looked for among the Latin words of a text, Latin names among the Arabic.
        self._keys = {script: _automaton(_key_terms(self.terms, arabic=script == "latn"))
                      for script in ("latn", "arab")}
        self.overlap = width * 4  # normalised matching may skip many marks per letter

    def hits_in_text(self, text: str) -> set[str]:
        return _hits(self._text, _norm(text)) | self.hits_in_bytes(text.encode("utf-8"))

    def hits_in_bytes(self, data: bytes) -> set[str]:
        found = _hits(self._bytes, _as_latin1(data))
        found |= _hits(self._text, _norm(data.decode("utf-8", errors="ignore")))
        text = _as_text(data) if any(self._keys.values()) else None
        for script, automaton in self._keys.items() if text else ():
            present = (_ARABIC if script == "arab" else _LATIN).search(text or "")
            if automaton is not None and present:  # keying a text costs: skip a script not in it
                found |= _hits(automaton, f" {text_key(text or '', script=script)} ")
        return found

    def hits_in_stream(self, stream: IO[bytes]) -> set[str]:
        found: set[str] = set()
        tail = b""
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            found |= self.hits_in_bytes(window)
            tail = window[-self.overlap:]
        return found


def _key_terms(terms: Sequence[str], *, arabic: bool) -> dict[str, set[str]]:
    """Name keys of the Arabic (or Latin) terms that are full names, as `` key `` patterns.

    A name's key is the same in Arabic script and in its Latin transliterations
    (:func:`dhakira.core.names.name_key`: "نور هادي العبيدي" and "Noor Hadi al-Obaidi" both key
    ``nr hd bd``), so a protected name given in one script is also found written in the
    other. Only full names are keyed (three parts and six consonants, or two parts and eight),
    and only across scripts (the exact scan covers the same script): a short consonant
    skeleton would match ordinary words.
    """
    keyed: dict[str, set[str]] = {}
    for term in terms:
        if bool(_ARABIC.search(term)) != arabic:
            continue
        key = name_key(term)
        parts = key.split()
        letters = sum(map(len, parts))
        if "~" not in key and (len(parts) >= 3 and letters >= 6 or
                               len(parts) == 2 and letters >= 8):
            keyed.setdefault(f" {key} ", set()).add(term)
    return keyed


def _as_text(data: bytes) -> str | None:
    """``data`` as UTF-8 text, or None for binary (keying binary would be slow and pointless).

    A chunk of a stream may begin or end inside a character: those few bytes are dropped.
    """
    start = 0
    while start < min(3, len(data)) and 0x80 <= data[start] <= 0xBF:
        start += 1
    body = data[start:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return body[: exc.start].decode("utf-8") if exc.start >= len(body) - 3 else None


def _as_latin1(data: bytes) -> str:
    """Bytes as one character each, ASCII case folded: any encoding's bytes, one automaton."""
    return data.lower().decode("latin-1")


def _automaton(patterns: dict[str, set[str]]) -> ahocorasick.Automaton | None:
    if not patterns:
        return None
    automaton = ahocorasick.Automaton()
    for key, terms in patterns.items():
        automaton.add_word(key, frozenset(terms))
    automaton.make_automaton()
    return automaton


def _hits(automaton: ahocorasick.Automaton | None, text: str) -> set[str]:
    """Every term whose pattern occurs in ``text``, overlapping matches included."""
    if automaton is None:
        return set()
    found: set[str] = set()
    for _end, terms in automaton.iter(text):
        found |= terms
    return found


@functools.lru_cache(maxsize=4)
def _scanner(forbidden: tuple[str, ...]) -> _Scanner:
    """A compiled scanner, reused: one package is scanned as a directory, as a zip and item by
    item with the same thousands of terms, and compiling them takes seconds."""
    return _Scanner(forbidden)


def _pdf_text(data: bytes) -> str:
    """Extracted text and metadata of a PDF ('' if it cannot be parsed)."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        parts = [page.extract_text() or "" for page in reader.pages]
        parts += [str(v) for v in (reader.metadata or {}).values()]
        return "\n".join(parts)
    except Exception:  # a PDF we cannot parse is still byte-scanned
        return ""


def _files(root: Path) -> Iterable[tuple[str, Path]]:
    for dirpath, _dirs, names in os.walk(root):
        for name in sorted(names):
            full = Path(dirpath) / name
            yield full.relative_to(root).as_posix(), full


def _scan_file(scanner: _Scanner, path: Path) -> set[str]:
    with open(path, "rb") as fh:
        found = scanner.hits_in_stream(fh)
        fh.seek(0)
        if fh.read(5) == b"%PDF-":
            found |= scanner.hits_in_text(_pdf_text(path.read_bytes()))
    return found


def _scan_data(scanner: _Scanner, data: bytes) -> set[str]:
    found = scanner.hits_in_stream(io.BytesIO(data))
    if data.startswith(b"%PDF-"):
        found |= scanner.hits_in_text(_pdf_text(data))
    return found


def find_leaks(package_dir_or_zip: Package, forbidden: Sequence[str]) -> list[tuple[str, str]]:
    """Find every forbidden string anywhere in a package directory or zip, on disk or in memory.

    Each term is searched as given, in NFC and NFD, and in its Arabic-normalised form (so
    harakat, alef forms or tatweel do not hide it), encoded UTF-8, UTF-16-LE and UTF-16-BE,
    case-insensitively for Latin letters.

    Args:
        package_dir_or_zip: a package directory, or a zip (or any zip-format archive); or in
            memory, a mapping of path -> bytes, or a zip's bytes.
        forbidden: names, source identities, fine coordinates... that must not appear.

    Returns:
        Sorted ``(path, term)`` pairs; the path is ``<name> (file name)`` for a hit in a
        name and ``<archive>`` for a hit in the zip's own bytes. Empty means clean.
    """
    scanner = _scanner(tuple(forbidden))
    if not scanner.terms:
        return []
    leaks: set[tuple[str, str]] = set()
    if isinstance(package_dir_or_zip, Mapping):
        for rel, data in sorted(package_dir_or_zip.items()):
            leaks |= {(f"{rel} (file name)", t) for t in scanner.hits_in_text(rel)}
            leaks |= {(rel, t) for t in _scan_data(scanner, data)}
        return sorted(leaks)
    if isinstance(package_dir_or_zip, bytes):
        archive: Path | IO[bytes] = io.BytesIO(package_dir_or_zip)
        leaks |= {("<archive>", t) for t in scanner.hits_in_bytes(package_dir_or_zip)}
    else:
        root = Path(package_dir_or_zip)
        if root.is_dir():
            for rel, full in _files(root):
                leaks |= {(f"{rel} (file name)", t) for t in scanner.hits_in_text(rel)}
                leaks |= {(rel, t) for t in _scan_file(scanner, full)}
            return sorted(leaks)
        with open(root, "rb") as fh:
            leaks |= {("<archive>", t) for t in scanner.hits_in_stream(fh)}
        archive = root
    with zipfile.ZipFile(archive) as zf:
        leaks |= {("<archive comment>", t) for t in scanner.hits_in_bytes(zf.comment)}
        for info in zf.infolist():
            leaks |= {(f"{info.filename} (file name)", t)
                      for t in scanner.hits_in_text(info.filename)}
            meta = info.comment + info.extra
            leaks |= {(f"{info.filename} (zip metadata)", t) for t in scanner.hits_in_bytes(meta)}
            with zf.open(info) as member:
                leaks |= {(info.filename, t) for t in scanner.hits_in_stream(member)}
            if info.filename.lower().endswith(".pdf"):
                text = _pdf_text(zf.read(info))
                leaks |= {(info.filename, t) for t in scanner.hits_in_text(text)}
    return sorted(leaks)


def _members(package: Package) -> Iterable[tuple[str, bytes]]:
    """Yield (path, bytes) of every file of a package, on disk or in memory."""
    if isinstance(package, Mapping):
        yield from sorted(package.items())
        return
    if isinstance(package, bytes):
        archive: Path | IO[bytes] = io.BytesIO(package)
    else:
        archive = Path(package)
        if archive.is_dir():
            for rel, full in _files(archive):
                yield rel, full.read_bytes()
            return
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            if not info.is_dir():
                yield info.filename, zf.read(info)


_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"RIFF")
_RAW_MARKERS = {b"Exif\x00\x00": "EXIF", b"http://ns.adobe.com/xap/": "XMP",
                b"<x:xmpmeta": "XMP"}


def _image_metadata(data: bytes) -> set[str]:
    from PIL import ExifTags, Image

    found = {what for marker, what in _RAW_MARKERS.items() if marker in data}
    try:
        with Image.open(io.BytesIO(data)) as img:
            exif = img.getexif()
            if exif:
                found.add("EXIF")
            if exif.get_ifd(ExifTags.IFD.GPSInfo) or ExifTags.Base.GPSInfo in exif:
                found.add("GPS")
            found |= {k.upper() for k in ("icc_profile", "comment", "xmp") if img.info.get(k)}
            if getattr(img, "text", None):
                found.add("TEXT CHUNKS")
    except Exception:  # not an image Pillow reads: the raw markers above still count
        pass
    return found


def find_image_metadata(package_dir_or_zip: Package) -> list[tuple[str, str]]:
    """List images in a package that still carry EXIF, GPS, XMP, ICC, comments or text chunks.

    Returns:
        Sorted ``(path, what)`` pairs; empty means every image is clean.
    """
    found: set[tuple[str, str]] = set()
    for rel, data in _members(package_dir_or_zip):
        if data.startswith(_IMAGE_MAGIC):
            found |= {(rel, what) for what in _image_metadata(data)}
    return sorted(found)


_PAIR = re.compile(r"(?<![\d.])-?\d{1,3}\.(\d+)\s*[,،;]\s*-?\d{1,3}\.(\d+)(?![\d.])")
_KEYED = re.compile(r'"(?:lat|latitude|lon|lng|longitude)"\s*:\s*-?\d{1,3}\.(\d+)', re.I)


def find_fine_coordinates(package_dir_or_zip: Package, *, precision: float) -> list[tuple[str, str]]:
    """List coordinates written with more decimals than ``precision`` (degrees) allows.

    Looks for ``lat, lon`` pairs and JSON ``"lat"/"lon"`` values in every file's UTF-8 text.

    Returns:
        Sorted ``(path, matched text)`` pairs; empty means nothing finer than the policy.
    """
    allowed = max(0, len(f"{precision:.10f}".rstrip("0").split(".")[1]))
    found: set[tuple[str, str]] = set()
    for rel, data in _members(package_dir_or_zip):
        text = data.decode("utf-8", errors="ignore")
        for rx in (_PAIR, _KEYED):
            for m in rx.finditer(text):
                if any(len(g.rstrip("0")) > allowed for g in m.groups()):
                    found.add((rel, m.group(0)))
    return sorted(found)
