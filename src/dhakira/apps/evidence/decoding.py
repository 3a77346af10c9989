"""Bytes to text: the declared charset first, then detection weighted for Arabic code pages.

Mail and text from Iraq and Syria is often not UTF-8: Windows-1256 (the Arabic Windows code
page) and ISO-8859-6 are common, and 8-bit UTF-8 often comes with no declaration at all.
:func:`decode` tries, in order:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. the declared charset (an e-mail part's ``charset=``), if it decodes the bytes strictly;
   a declared US-ASCII on 8-bit bytes is a common lie and is not believed;
3. strict UTF-8;
4. detection by ``charset-normalizer`` restricted to the Arabic code pages
   (:data:`ARABIC_FIRST`), kept when the result reads as Arabic;
5. detection by ``charset-normalizer`` over every code page it knows.

What was used is returned with the text (:attr:`Decoded.label`) so that it can be recorded
with the derived copy. Nothing here raises on bad bytes: when nothing fits, the bytes are
decoded as UTF-8 with replacement characters, and the label says so.

No Django here.
"""

from __future__ import annotations

import codecs
import functools
from dataclasses import dataclass
from importlib.metadata import version

from dhakira.core.bidi import ARABIC

__all__ = ["ARABIC_FIRST", "HOW", "REPLACED", "Decoded", "decode", "detect", "detect_arabic"]

# The code pages tried first, in this order: a short Arabic text is otherwise as likely to be
# taken for Urdu (cp1006) or Central European (cp1250) as for Windows-1256.
ARABIC_FIRST = ("utf_8", "cp1256", "iso8859_6")
# How much of a text detection looks at: charset-normalizer samples larger inputs itself,
# but a bound keeps a 64 MiB file from costing more than a few milliseconds.
_DETECT_BYTES = 256 * 1024
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Decoded:
    """A text and how it was decoded.

    ``encoding`` is the codec's canonical name (``cp1256``, ``iso8859-6``, ``utf-8``);
    ``how`` one of ``bom``, ``declared``, ``utf-8``, ``detected`` or ``fallback``;
    ``replaced`` whether undecodable bytes were replaced (U+FFFD).
    """

    text: str
    encoding: str
    how: str
    replaced: bool = False

    @property
    def label(self) -> str:
        """What was used, in words for the record (``cp1256, detected by charset-normalizer``);
        :func:`dhakira.apps.evidence.labels.operation_label` reads it back for a page."""
        how = HOW[self.how].format(version=_detector_version())
        extra = REPLACED if self.replaced else ""
        return f"{self.encoding}, {how}{extra}"


@functools.cache  # installed versions do not change under a running process; each look-up
def _detector_version() -> str:  # scans sys.path (about a millisecond, every text file read)
    return version("charset-normalizer")


# The words of :attr:`Decoded.label`, kept in English in the record; the pages translate them.
HOW = {"detected": "detected by charset-normalizer/{version}", "declared": "as declared",
       "bom": "byte-order mark", "utf-8": "valid UTF-8", "fallback": "no encoding fits"}
REPLACED = ", undecodable bytes replaced"


_NOT_CHARSETS = frozenset({"unicode-escape", "raw-unicode-escape", "punycode", "idna"})


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    # Only character sets: Python also names transforms (unicode_escape turns a typed
    # backslash-u sequence into a letter the mail never showed; punycode raises its own errors).
    if info.name in _NOT_CHARSETS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` by its declared charset, else by detection (see the module's notes).

    Args:
        data: the bytes.
        declared: the charset the container declares (``windows-1256``), if any.

    Returns:
        The text and how it was decoded; never raises on bad bytes.

    >>> decode("قتل".encode("cp1256"), "windows-1256").text
    'قتل'
    >>> decode("قتل في السوق".encode("utf-8")).how
    'utf-8'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, replaced = _lenient(data, codec)
            return Decoded(text, codecs.lookup(codec).name, "bom", replaced)
    named = _canonical(declared)
    # "us-ascii" is what mail software says when it says nothing: 8-bit bytes prove it wrong.
    if named and not (named == "ascii" and not data.isascii()):
        try:
            return Decoded(data.decode(named), named, "declared")
        except (UnicodeError, LookupError):
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    found = detect(data)
    if found:
        text, replaced = _lenient(data, found)
        return Decoded(text, found, "detected", replaced)
    text, _ = _lenient(data, "utf-8")
    return Decoded(text, "utf-8", "fallback", True)


def detect(data: bytes) -> str | None:
    """The encoding ``charset-normalizer`` finds for ``data``, Arabic code pages first; None
    when nothing reads as text (binary data)."""
    from charset_normalizer import from_bytes

    found = detect_arabic(data)
    if found:
        return found
    best = from_bytes(_sample(data)).best()
    return codecs.lookup(best.encoding).name if best is not None else None


def detect_arabic(data: bytes) -> str | None:
    """The Arabic code page (or UTF-8) ``data`` reads as Arabic in; None if it does not.

    >>> detect_arabic("مكتب الحسبة في الموصل".encode("iso8859_6"))
    'iso8859-6'
    """
    from charset_normalizer import from_bytes

    best = from_bytes(_sample(data), cp_isolation=list(ARABIC_FIRST)).best()
    if best is not None and _reads_as_arabic(str(best)):
        return codecs.lookup(best.encoding).name
    return None


def _sample(data: bytes) -> bytes:
    if len(data) <= _DETECT_BYTES:
        return data
    # Do not cut a multi-byte character in two at the end of the sample.
    return data[:_DETECT_BYTES - 4]


def _reads_as_arabic(text: str) -> bool:
    """Most letters outside ASCII are Arabic (a wrong code page scatters Latin accents
    through the words)."""
    letters = [c for c in text if c.isalpha() and not c.isascii()]
    arabic = sum(1 for c in letters if ARABIC.match(c))
    return bool(letters) and arabic >= 0.5 * len(letters)


def _lenient(data: bytes, codec: str) -> tuple[str, bool]:
    try:
        return data.decode(codec), False
    except UnicodeDecodeError:
        return data.decode(codec, "replace"), True
