"""Comparable keys: both scripts land in one Latin consonant-skeleton key space.

The key is not a transliteration to show anyone: it keeps consonants in broad classes
(kh→h, q→k, dh→d, th→t, sh→x, ...), drops vowels and articles, and joins compound names
(ʿAbd al-Rahman, Nur al-Din) into one word, so that spelling variants meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dhakira.core.names._shape import shape
from dhakira.core.names._units import fold_word, has_arabic, is_article, split_units, split_words
from dhakira.core.names.errors import EmptyNameError
from dhakira.core.names.parse import parse_name

__all__ = ["latin_key", "name_key", "part_keys", "part_readings", "romanise", "text_key"]


@lru_cache(maxsize=1 << 16)
def _unit_key(display: str) -> str:
    # Texts repeat their words: keying a long text is mostly cache hits.
    return shape(display).key


# The key of a unit with no consonant (آية, Aya); a key keyed again keeps it.
_NO_CONSONANT = "~"
_NO_CONSONANT_WORD = re.compile(r"(?<!\S)~(?!\S)")


def _keys(text: str, *, want: str | None) -> str:
    parts = _NO_CONSONANT_WORD.split(text) if _NO_CONSONANT in text else [text]
    if len(parts) > 1:  # split_words drops "~" as punctuation: key around a lone "~"
        keep = want in (None, "latn")  # the mark is Latin-script, as every key is
        out = []
        for i, part in enumerate(parts):
            if i and keep:
                out.append(_NO_CONSONANT)
            if key := _keys(part, want=want):
                out.append(key)
        return " ".join(out)
    keys = []
    for display, _ in split_units(split_words(text)):
        arabic = has_arabic(display)
        if want is None or (want == "arab") == arabic:
            keys.append(_unit_key(display))
    return " ".join(keys)


@lru_cache(maxsize=1 << 18)
def name_key(text: str) -> str:
    """Key a name written in Arabic script, Latin script or a mix of both.

    Args:
        text: a name (or part of one).

    Returns:
        Space-separated unit keys; each unit is keyed in its own script.

    Examples:
        >>> name_key("محمد علي حسين")
        'mhmd l hsn'
        >>> name_key("Muhammad Ali Husayn") == name_key("محمد علي حسين")
        True
        >>> name_key("Abdul Rahman") == name_key("عبد الرحمن") == name_key("Abdulrahman")
        True
    """
    return _keys(text, want=None)


def text_key(text: str, *, script: str | None = None) -> str:
    """Key the name-like units of a long text, as :func:`name_key` does, without caching it.

    Used to find a name written in the other script anywhere in a text: look for the name's
    key, on unit boundaries, in the key of the text's words of the other script.

    Args:
        text: any text (a report, a file's contents).
        script: ``"arab"`` or ``"latn"`` to key only the words of that script; None for all.

    Returns:
        Space-separated unit keys.

    Examples:
        >>> key = name_key("نور هادي العبيدي")
        >>> f" {key} " in f" {text_key('Witness Noor Hadi al-Obaidi left.', script='latn')} "
        True
    """
    return _keys(text, want=script)


def romanise(text: str) -> str:
    """Key the Arabic-script words of text as a comparable Latin consonant key.

    This is a matching key, not a readable transliteration. Latin-script words are ignored;
    use :func:`name_key` for mixed text.

    Args:
        text: a name in Arabic script.

    Returns:
        Space-separated unit keys ('' when there is no Arabic word).

    Examples:
        >>> romanise("مُحَمَّد")
        'mhmd'
        >>> romanise("خالد الجبوري")
        'hld jbr'
        >>> romanise("نور الدين") == romanise("نورالدين")
        True
    """
    return _keys(text, want="arab")


def latin_key(text: str) -> str:
    """Key the Latin-script words of text in the same key space as :func:`romanise`.

    Casefolds and strips accents; drops al-/el-/ul-/ad-/ar-/as-/ash- articles; folds ou/oo/ee,
    kh→h, gh→g, dh→d, th→t, q→k; collapses double letters; drops vowels.

    Args:
        text: a name in a Latin transliteration.

    Returns:
        Space-separated unit keys ('' when there is no Latin word).

    Examples:
        >>> latin_key("Mohammed") == latin_key("Muhammad") == latin_key("Mhmd")
        True
        >>> latin_key("al-Jubouri"), latin_key("el-Juburi"), latin_key("Al Jabouri")
        ('jbr', 'jbr', 'jbr')
        >>> latin_key("Abd al-Rahman") == latin_key("Abdurrahman")
        True
    """
    return _keys(text, want="latn")


# A kunya is one part, keyed apart from plain names ("Abu Ali" is not a prefix of "Bilal").
_KUNYA_MARK = {"m": "abu-", "f": "umm-"}


@lru_cache(maxsize=1 << 16)
def part_keys(text: str) -> tuple[str, ...]:
    """The keys of a name's parts, in order and each once: what the name-part index holds.

    A part is one unit of :func:`~dhakira.core.names.parse_name` (given name, each name of the
    nasab, each nisba, the kunya), so compounds stay one part: عبد الله, Abd al-Rahman,
    al-Jubouri, Abu Ali. bin/ibn and honorifics are not parts; a bare article is none.
    Queries are keyed the same way, so the order of the parts and the script do not matter.

    Args:
        text: a name, or a search query.

    Returns:
        The part keys ('' parts dropped); empty when the text holds no name.

    Examples:
        >>> part_keys("عبد الله يوسف الجبوري")
        ('bdl', 'ysf', 'jbr')
        >>> part_keys("Jabouri Abdullah") == part_keys("عبد الله الجبوري")[::-1]
        True
        >>> part_keys("Sheikh Abu Ali bin Khalid al-Tikriti")
        ('abu-l', 'hld', 'tkrt')
    """
    return tuple(dict.fromkeys(key for key, _others in _part_readings(text)))


# A written letter whose sound two key classes share: Latin "th" is ث (t) or ذ, the Latin
# spelling of ذ (dh, d): Munthir is منذر, Thanoon ذنون. The search reads such a part both ways.
_LATIN_TH = re.compile("th", re.IGNORECASE)


def part_readings(text: str) -> tuple[tuple[str, ...], ...]:
    """For each of :func:`part_keys`, in the same order, that key and the keys of the other
    ways the part may be read: a Latin "th" also as the ذ that Iraqi spellings write so
    (Munthir, Thanoon: منذر, ذنون), an Arabic ذ also as a Latin "th" would key it. The stored
    keys are :func:`part_keys`'; a search looks for any reading of each query part.

    Args:
        text: a name, or a search query.

    Returns:
        One tuple per part key, its own key first.

    Examples:
        >>> part_readings("Munthir al-Jubouri")
        (('mntr', 'mndr'), ('jbr',))
        >>> part_readings("منذر") == (('mndr', 'mntr'),)
        True
    """
    merged: dict[str, list[str]] = {}
    for key, others in _part_readings(text):
        found = merged.setdefault(key, [key])
        found += [k for k in others if k not in found]
    return tuple(tuple(keys) for keys in merged.values())


def _part_readings(text: str) -> list[tuple[str, list[str]]]:
    """(key, other readings' keys) of each part of ``text``, '' parts dropped."""
    try:
        parsed = parse_name(text)
    except EmptyNameError:
        return []
    units = [u for u in (parsed.ism, *parsed.nasab, *parsed.nisba) if u is not None]
    out: list[tuple[str, list[str]]] = []
    if parsed.kunya is not None and parsed.kunya_name is not None:
        mark = _KUNYA_MARK.get(parsed.kunya_gender or "", "")
        out.append((mark + _part_key(parsed.kunya_name),
                    [mark + k for k in _other_keys(parsed.kunya_name)]))
    for unit in units:
        if all(is_article(fold_word(w)) for w in unit.split()):
            continue
        out.append((_part_key(unit), _other_keys(unit)))
    return [(key, [k for k in others if k and k != key]) for key, others in out if key]


def _part_key(unit: str) -> str:
    return name_key(unit).replace(" ", "")


def _other_keys(unit: str) -> list[str]:
    """The keys of the unit's other readings (see :func:`part_readings`)."""
    if has_arabic(unit):
        return [_part_key(unit.replace("ذ", "ث"))] if "ذ" in unit else []
    return [_part_key(_LATIN_TH.sub("dh", unit))] if _LATIN_TH.search(unit) else []
