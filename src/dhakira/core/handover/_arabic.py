"""A small Arabic/Latin matching normaliser that remembers where each character came from.

Redaction must find a name however it was typed, yet leave every other character of the
original untouched; so the normaliser returns, for each output character, the index of the
original character it came from.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from dhakira.core.bidi import is_arabic
from dhakira.core.names import normalise_arabic

TATWEEL = "\u0640"
# Letters that NFKD leaves alone but that people type interchangeably.
_FOLD = {
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0629": "\u0647",  # ta marbuta -> ha
    "\u0649": "\u064a",  # alef maqsura -> ya
    "\u06cc": "\u064a",  # Farsi yeh -> ya
    "\u06a9": "\u0643",  # keheh -> kaf
    "\u06be": "\u0647",  # heh doachashmee -> ha
    "\u06c1": "\u0647",  # heh goal -> ha
}
_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Extended Arabic-Indic digits


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """Return the matching form of one character ('' when it carries nothing to match).

    Arabic goes through :func:`dhakira.core.names.normalise_arabic` first, so redaction folds
    exactly as names and search do; the local folds below are a superset for other scripts.
    """
    out = []
    for part in unicodedata.normalize("NFKD", normalise_arabic(ch) if is_arabic(ch) else ch):
        # Combining marks: harakat, shadda, madda/hamza above/below, Latin accents.
        if unicodedata.category(part) == "Mn" or part == TATWEEL:
            continue
        out.append(_FOLD.get(part, part))
    return "".join(out).casefold()


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise ``text`` for matching and map each output character to its source index.

    Args:
        text: any Unicode text.

    Returns:
        ``(normalised, positions)`` where ``positions[i]`` is the index in ``text`` of the
        character that produced ``normalised[i]``. Whitespace runs become one space.
    """
    chars: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            chars.append(" ")
            positions.append(index)
            continue
        for out in _fold_char(ch):
            chars.append(out)
            positions.append(index)
    return "".join(chars), positions


_SPACES = re.compile(r"\s+")
_SPACE_RUNS = re.compile(r" {2,}")


def fold(text: str) -> str:
    """The matching form of ``text`` without the position map: for scanning megabytes.

    Same folding as :func:`normalise_with_map`; whitespace runs (also those that only dropped
    marks separate) become one space.

    Examples:
        >>> fold("زَيْنَب  الـعُبَيدى")
        'زينب العبيدي'
    """
    return _SPACE_RUNS.sub(" ", _SPACES.sub(" ", text).translate(_FOLD_TABLE))


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character (C-speed after)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def normalise(text: str) -> str:
    """Return the matching form of ``text`` (see :func:`normalise_with_map`), trimmed."""
    return normalise_with_map(text)[0].strip()


def is_dropped(ch: str) -> bool:
    """True for characters the normaliser removes (marks and tatweel)."""
    return _fold_char(ch) == "" and not ch.isspace()


