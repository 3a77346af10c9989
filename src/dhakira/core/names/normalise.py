"""The one text normalisation used for names *and* full-text search.

Indexed text and queries must go through the same function (:func:`search_key` /
:func:`search_tokens`); otherwise ``المعلّم`` and ``المعلم`` do not meet.
"""

from __future__ import annotations

import re
import unicodedata

from dhakira.core.names._tables import (
    ARABIC_DIGITS,
    ARABIC_FOLD,
    HARAKAT_RANGES,
    LATIN_SPECIAL,
    TATWEEL,
)

__all__ = ["normalise", "normalise_arabic", "normalise_latin", "search_key", "search_tokens"]

# Anything that is not a letter, digit or space becomes a space; apostrophes are removed first
# (Sa'id -> said) by LATIN_SPECIAL so they never split a word.
_PUNCT = re.compile(r"[^\w\s]|_")


def _build_arabic_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for lo, hi in HARAKAT_RANGES:
        for cp in range(lo, hi + 1):
            table[chr(cp)] = ""
    table[TATWEEL] = ""
    table.update(ARABIC_FOLD)
    table.update(ARABIC_DIGITS)
    return table


def _char_class(chars: object) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")  # type: ignore[attr-defined]


# str.translate with a dict costs a lookup per character; a regex that only visits the few
# characters that change is several times faster on names, which rarely carry marks.
_ARABIC_TABLE = _build_arabic_table()
_ARABIC_RE = _char_class(_ARABIC_TABLE)
_LATIN_SPECIAL_RE = _char_class(LATIN_SPECIAL)
_COMBINING = re.compile("[\u0300-\u036f]")


def _arabic_sub(match: re.Match[str]) -> str:
    return _ARABIC_TABLE[match.group()]


def _latin_sub(match: re.Match[str]) -> str:
    return LATIN_SPECIAL[match.group()]


# Clitic prefixes stripped by search_tokens, longest first: conjunction + preposition + article.
_CLITICS: tuple[str, ...] = tuple(
    sorted(
        {c + p + "ال" for c in ("", "و", "ف") for p in ("", "ب", "ك")}
        | {c + "لل" for c in ("", "و", "ف")},
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 3


def normalise_arabic(text: str) -> str:
    """Fold Arabic script to the form used for matching and search.

    NFKC; strip harakat, superscript alef, Quranic marks and tatweel; fold alef forms to ا,
    alef maqsura to ي, ta marbuta to ه, hamza carriers ؤ/ئ to و/ي; drop standalone ء; map
    Persian/Urdu ک/ی to ك/ي and Arabic-Indic digits to ASCII; collapse whitespace.

    Args:
        text: any text; non-Arabic characters pass through unchanged.

    Returns:
        The folded text.

    Examples:
        >>> normalise_arabic("المُعَلِّم")
        'المعلم'
        >>> normalise_arabic("أحمد  إبراهيم آل مصطفى")
        'احمد ابراهيم ال مصطفي'
        >>> normalise_arabic("فاطمة  ١٩٨٠ ـــ")
        'فاطمه 1980'
    """
    folded = _ARABIC_RE.sub(_arabic_sub, unicodedata.normalize("NFKC", text))
    return " ".join(folded.split())


def normalise_latin(text: str) -> str:
    """Fold Latin script: casefold, strip accents, drop punctuation, collapse whitespace.

    Apostrophes and ayn/hamza marks (ʿ ʾ ’) are removed without a space (Sa'id → said);
    hyphens and other punctuation become spaces (al-Jubouri → al jubouri).

    Args:
        text: any text.

    Returns:
        The folded text.

    Examples:
        >>> normalise_latin("  Ḥusayn al-Jubūrī ")
        'husayn al juburi'
        >>> normalise_latin("Sa'id, ZOË")
        'said zoe'
    """
    folded = text.casefold()
    if not folded.isascii():
        # NFC again so that Arabic letters NFKD split (أ → ا + hamza above) are whole again.
        folded = unicodedata.normalize(
            "NFC", _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
        )
    folded = _LATIN_SPECIAL_RE.sub(_latin_sub, folded)
    return " ".join(_PUNCT.sub(" ", folded).split())


def normalise(text: str) -> str:
    """Normalise text that may mix Arabic and Latin script.

    Args:
        text: any text.

    Returns:
        Arabic folded as in :func:`normalise_arabic`, Latin as in :func:`normalise_latin`.

    Examples:
        >>> normalise("Witness: أحمد (Ahmed) — المُعلّم")
        'witness احمد ahmed المعلم'
    """
    return normalise_latin(normalise_arabic(text))


def _strip_clitics(token: str) -> str:
    # Until nothing more comes off: «الالتحاق» loses its article and then the root-initial
    # ال of «التحاق», as «التحاق» itself does, so the two meet and a key keys to itself.
    stripped = True
    while stripped:
        stripped = False
        for prefix in _CLITICS:
            if token.startswith(prefix) and len(token) - len(prefix) >= _MIN_STEM:
                token, stripped = token[len(prefix) :], True
                break
    return token


def search_tokens(text: str) -> list[str]:
    """Split text into normalised search tokens with light Arabic clitic stripping.

    A leading article ال, or ال preceded by و/ف and/or ب/ك, or لل, is removed when at least
    three letters remain, and again until none is left to remove: a root-initial ال
    («التحاق», «التزام») goes too, so the word meets its form with the article.
    Bare و/ف/ب/ل/ك are not stripped: too many names begin with them.

    Args:
        text: indexed text or a query; both must use this function.

    Returns:
        The tokens, in order.

    Examples:
        >>> search_tokens("والمعلّم بالمدرسة للطلاب")
        ['معلم', 'مدرسه', 'طلاب']
        >>> search_tokens("Café al-Jubouri")
        ['cafe', 'al', 'jubouri']
        >>> search_tokens("الله")
        ['الله']
        >>> search_tokens("التحاق الالتحاق")
        ['تحاق', 'تحاق']
    """
    return [_strip_clitics(t) for t in normalise(text).split()]


def search_key(text: str) -> str:
    """Return the normalised copy of text to store for full-text indexing.

    Args:
        text: the text to index, or a query.

    Returns:
        ``" ".join(search_tokens(text))``.

    Examples:
        >>> search_key("شهادة الحاجّة فاطمة") == search_key("شهاده الحاجة فاطمه")
        True
    """
    return " ".join(search_tokens(text))
