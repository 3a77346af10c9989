"""Splitting a name into words and into units (compound names kept whole)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dhakira.core.bidi import ARABIC as _ARABIC_RE
from dhakira.core.names import _tables as t
from dhakira.core.names.normalise import normalise_arabic

_LATIN_RE = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# Keep letters, marks, digits, spaces, hyphens and apostrophes; everything else splits words.
_SPLIT_PUNCT = re.compile(r"[^\w\s\-'’ʿʾ‘`]|_")
# Harakat are combining marks, which the word pattern would treat as separators: drop them.
_DROP_MARKS: dict[int, None] = {cp: None for lo, hi in t.HARAKAT_RANGES for cp in range(lo, hi + 1)}
_DROP_MARKS[ord(t.TATWEEL)] = None
_LATIN_FOLD_TABLE: dict[int, str | None] = {cp: None for cp in range(0x0300, 0x0370)}
_LATIN_FOLD_TABLE.update({ord(k): (v or None) for k, v in t.LATIN_SPECIAL.items()})
_DIN = re.compile(r"^(?:[aeiu][ld][-]?)?d?d(?:in|een|ine)$")
_MARKER_HYPHEN = re.compile(r"^(abu|abou|abo|umm|um|bin|ibn|bint|ben)-(.+)$", re.IGNORECASE)

ARABIC_KUNYA = {normalise_arabic(k): v for k, v in t.ARABIC_KUNYA_RAW.items()}
ARABIC_NASAB = frozenset(normalise_arabic(w) for w in t.ARABIC_NASAB_RAW)
ARABIC_HONORIFICS = frozenset(normalise_arabic(w) for w in t.ARABIC_HONORIFICS_RAW)


def has_arabic(text: str) -> bool:
    """Whether text contains any Arabic-script character."""
    return _ARABIC_RE.search(text) is not None


def detect_script(text: str) -> str:
    """Return 'arab', 'latn' or 'mixed' ('latn' also for text with no letters)."""
    arab = has_arabic(text)
    latn = _LATIN_RE.search(text) is not None
    if arab and latn:
        return "mixed"
    return "arab" if arab else "latn"


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """Fold one word for classification: Arabic folded, Latin casefolded without accents."""
    if has_arabic(word):
        return normalise_arabic(word)
    folded = unicodedata.normalize("NFKD", word.casefold()).translate(_LATIN_FOLD_TABLE)
    return folded.strip(".-")


def split_words(text: str) -> list[str]:
    """Split text into display words: punctuation other than hyphen/apostrophe separates."""
    composed = unicodedata.normalize("NFKC", text).translate(_DROP_MARKS)
    cleaned = _SPLIT_PUNCT.sub(" ", composed)
    words: list[str] = []
    for word in cleaned.split():
        word = word.strip("-")
        match = _MARKER_HYPHEN.match(word)
        if match:
            words.extend(match.groups())
        elif word:
            words.append(word)
    return words


def is_article(folded: str) -> bool:
    """A standalone article word (al, el, ال)."""
    return folded in t.LATIN_ARTICLES or folded == t.ARABIC_ARTICLE


def is_abd(folded: str) -> bool:
    """The first word of an ʿAbd compound (Abd, Abdul, عبد)."""
    return folded in t.LATIN_ABD or folded == t.ARABIC_ABD


def is_din(folded: str) -> bool:
    """The second word of an ...-al-Din compound (al-Din, uddin, الدين)."""
    return folded == t.ARABIC_DIN or _DIN.match(folded) is not None


def kunya_gender(folded: str) -> str | None:
    """'m' for Abu/أبو, 'f' for Umm/أم, None for other words."""
    return t.LATIN_KUNYA.get(folded) or ARABIC_KUNYA.get(folded)


def is_nasab_marker(folded: str) -> bool:
    """bin, ibn, bint, بن, ابن, بنت."""
    return folded in t.LATIN_NASAB or folded in ARABIC_NASAB


def is_honorific(folded: str) -> bool:
    """Sheikh, Hajji, Sayyid, Dr, الشيخ, الحاج, ... (also with a Latin article)."""
    if folded in ARABIC_HONORIFICS or folded in t.LATIN_HONORIFICS:
        return True
    head, _, rest = folded.partition("-")
    return head in t.LATIN_ARTICLES and rest in t.LATIN_HONORIFICS


def has_article(folded: str) -> bool:
    """Whether a word carries the article: al-X, el-X, ash-X, Aljubouri, الجبوري."""
    if has_arabic(folded):
        return (folded.startswith(t.ARABIC_ARTICLE) and len(folded) >= 4
                and folded not in t.ARABIC_NOT_ARTICLE)
    head, sep, rest = folded.partition("-")
    if sep and rest:
        return head in t.LATIN_ARTICLES or head in t.LATIN_ARTICLE_PREFIXES
    return is_article(folded) or (
        folded[:2] in ("al", "el") and len(folded) >= 6 and folded[2] not in "aeiouy"
    )


@lru_cache(maxsize=1 << 16)
def _flags(folded: str) -> tuple[bool, bool, bool, bool]:
    """(abd, article, din, marker) for one folded word; cached: names repeat words."""
    marker = bool(kunya_gender(folded)) or is_nasab_marker(folded)
    return is_abd(folded), is_article(folded), is_din(folded), marker


def _unit_end(flags: list[tuple[bool, bool, bool, bool]], i: int) -> int:
    """Index of the last word of the unit starting at word i."""
    n = len(flags)
    abd, article, _, marker = flags[i]
    if marker:
        return i
    j = i
    if (abd or article) and i + 1 < n:
        j = i + 1
        if abd and flags[j][1] and j + 1 < n:
            j += 1
    if j + 1 < n and flags[j + 1][2]:
        j += 1
    elif j + 2 < n and flags[j + 1][1] and flags[j + 2][2]:
        j += 2
    return j


def split_units(words: list[str]) -> list[tuple[str, str]]:
    """Group words into units: (display text, folded first word).

    ʿAbd + name (with an optional separate article), article + name, and name + al-Din are
    each one unit; markers (Abu, bin, ...) are never merged into a compound.
    """
    folds = [fold_word(w) for w in words]
    flags = [_flags(f) for f in folds]
    units: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        j = _unit_end(flags, i)
        units.append((" ".join(words[i : j + 1]), folds[i]))
        i = j + 1
    return units
