"""The shape of one name unit: a consonant skeleton plus the vowels between consonants.

The skeleton is the cross-script key (``محمد``, ``Mohammed``, ``Muhammad`` → ``mhmd``). The
gaps keep what each script says about vowels, so that names with the same skeleton but
different long vowels (حسين / حسن, Mahmoud / Mohammed) can still be told apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from dhakira.core.names import _tables as t
from dhakira.core.names._units import has_arabic

_HARAKAT: dict[int, None] = {cp: None for lo, hi in t.HARAKAT_RANGES for cp in range(lo, hi + 1)}
_HARAKAT[ord(t.TATWEEL)] = None
_LATIN_TABLE: dict[int, str | None] = {cp: None for cp in range(0x0300, 0x0370)}
_LATIN_TABLE.update({ord(k): (v or None) for k, v in t.LATIN_SPECIAL.items()})
_NON_LETTER = re.compile(r"[^a-z\s\-]")
# Scoring may put APART between two letters that would otherwise be read as one (Ishak against
# اسحاق: s and h, not sh). A private-use character, so that no name typed by a person holds
# it; keys never see it.
APART = "\ue000"
_NON_LETTER_SCORING = re.compile("[^a-z\\s\\-\ue000]")
_DOUBLE = re.compile(r"([b-df-hj-np-tv-z])\1+")
_DIGRAPH = re.compile(r"sch|kh|gh|sh|ch|th|dh|zh|ph|dj|ck|x|c|q|p|v")
# kh is keyed as h (blocking must not miss Halid for Khalid) but kept apart in the fine
# skeleton that scoring reads: "H" stands for kh / خ there.
_DIGRAPH_MAP = {**dict(t.LATIN_DIGRAPHS), **t.LATIN_SINGLE, "x": "ks", "kh": "H"}
# Keys: ʿAbd + an optional article-like syllable (Abdel-, Abdur-). Stored name keys were made
# with this reading; changing it would need every stored key recomputed.
_ABD_KEY = re.compile(r"^abd(?:[aeiou](?:sh|th|dh|[lrsndtz]))?(?P<name>[a-z]{2,})$")
# Scoring: ʿAbd + the article (Abdel-, Abdul-, or assimilated and doubled: Abdur-Rahman,
# Abdes-Salam), or + a linking vowel only (Abdou-, Abdo-Naser, Abdurahman): the rest is the
# name, so Abdonaser is Abd al-Nasir and not ʿAbd + Aser.
_ABD = re.compile(
    r"^abd(?:[aeiou]l|[aeiou](?P<sun>sh|th|dh|[rsndtz])(?=(?P=sun))|[aeiou]{1,2}"
    r"(?=[b-df-hj-np-tv-z]))?(?P<name>[a-z]{2,})$"
)
_DIN = re.compile(r"^([a-z]{2,}?)(?:[aeiu][ld])?(d(?:in|een|ine))$")
_JOINED_AL = re.compile(r"^(?:al|el)([b-df-hj-np-tv-z][a-z]{3,})$")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")


class Gap(NamedTuple):
    """What a script says about the vowels between two consonants."""

    classes: frozenset[str]  # vowel classes present: 'a', 'i', 'u'
    long: bool  # a long vowel or diphthong is written
    wild: bool  # ayn or hamza: any vowel may be heard here
    empty: bool  # nothing written at all
    last: frozenset[str] = frozenset()  # the class of the last vowel written (word endings)
    letters: frozenset[str] = frozenset()  # classes of the letters one by one (ai: a and i)
    spelled: str = ""  # vowels letter by letter, runs collapsed (ai: "ai", ou: "u", e: "E";
    # Arabic: the long vowels written)


class Shape(NamedTuple):
    """A unit's consonant skeleton, its gaps (len(skeleton) + 1) and its script."""

    skeleton: str
    gaps: tuple[Gap, ...]
    script: str
    fine: str = ""  # the skeleton with kh / خ kept apart from h (as "H")

    @property
    def key(self) -> str:
        """The skeleton, or '~' for the rare name with no consonant (آية, Aya)."""
        return self.skeleton or "~"


EMPTY_GAP = _EMPTY = Gap(frozenset(), False, False, True)


class _Acc:
    """Accumulates consonants and the vowel material between them."""

    def __init__(self) -> None:
        self.cons: list[str] = []
        self.fine: list[str] = []
        self.gaps: list[Gap] = []
        self.vowels: list[str] = []
        self.wild = False

    def consonant(self, c: str, close: object, fine: str | None = None) -> None:
        if self.cons and self.cons[-1] == c and not self.vowels and not self.wild:
            return  # a doubled consonant (shadda) is one consonant
        self.gaps.append(close(self))  # type: ignore[operator]
        self.vowels, self.wild = [], False
        self.cons.append(c)
        self.fine.append(fine or c)

    def finish(self, close: object, script: str) -> Shape:
        self.gaps.append(close(self))  # type: ignore[operator]
        return Shape("".join(self.cons), tuple(self.gaps), script, "".join(self.fine))


def _arabic_gap(acc: _Acc) -> Gap:
    classes = frozenset(acc.vowels)
    last = frozenset(acc.vowels[-1]) if acc.vowels else frozenset()
    spelled = _collapse("i" if v == "ai" else v for v in acc.vowels)
    return Gap(classes, bool(classes), acc.wild, not classes and not acc.wild, last, classes,
               spelled)


@lru_cache(maxsize=4096)
def _latin_gap_of(cluster: str) -> Gap:
    if not cluster:
        return _EMPTY
    if len(cluster) == 1:
        classes = t.LATIN_VOWEL_CLASSES[cluster]
        return Gap(classes, False, False, False, classes, classes, _PATTERN[cluster])
    letters = frozenset().union(*(t.LATIN_VOWEL_CLASSES[c] for c in cluster))
    listed = t.LATIN_CLUSTER_CLASSES.get(cluster)
    classes = letters if listed is None else listed
    last = t.LATIN_VOWEL_CLASSES[cluster[-1]] if listed is None else listed
    return Gap(classes, True, False, False, last, letters,
               _collapse(_PATTERN[c] for c in cluster.replace("ee", "i")))


_PATTERN = {"a": "a", "e": "E", "i": "i", "y": "i", "o": "u", "u": "u", "w": "u"}


def _collapse(symbols: Iterable[str]) -> str:
    out: list[str] = []
    for symbol in symbols:
        if not out or out[-1] != symbol:
            out.append(symbol)
    return "".join(out)


def _latin_gap(acc: _Acc) -> Gap:
    return _latin_gap_of("".join(acc.vowels))


def _arabic_words(unit: str, scoring: bool = False) -> list[str]:
    words: list[str] = []
    raws = unicodedata.normalize("NFKC", unit).translate(_HARAKAT).split()
    if scoring and len(raws) > 1 and raws[0] in ("ال", "آل"):
        # آل written apart ("the family of": ال قاسم, Kassem) says no consonant: scoring reads
        # it as the article. Keys keep the letter: stored keys must stay valid.
        raws = raws[1:]
    for raw in raws:
        word = "".join(_ARABIC_LETTER.findall(raw))
        pieces = [word]
        if word.startswith("عبد") and len(word) > 3:
            pieces = ["عبد", word[3:]]
        elif word.endswith("الدين") and len(word) > 5:
            pieces = [word[:-5], "الدين"]
        for piece in pieces:
            if piece[:2] in ("ال", "ٱل") and len(piece) >= 4 and piece not in t.ARABIC_NOT_ARTICLE:
                piece = piece[2:]
            if piece:
                words.append(piece)
    return words


def _arabic_word(acc: _Acc, word: str) -> None:
    last = len(word) - 1
    for i, ch in enumerate(word):
        if ch in t.ARABIC_ALEFS and i == 0 or ch in t.ARABIC_WILD:
            acc.wild = True
        elif ch in t.ARABIC_SEMIVOWELS:
            cons, vowel = t.ARABIC_SEMIVOWELS[ch]
            if i == 0:
                acc.consonant(cons, _arabic_gap)
            else:
                acc.vowels.append(vowel)
        elif ch in t.ARABIC_LONG_VOWELS:
            acc.vowels.append(t.ARABIC_LONG_VOWELS[ch])
        elif ch in t.ARABIC_TA_MARBUTA:
            acc.vowels.append("a")  # not in the key, but heard: Samia, not Sami
        elif ch in t.ARABIC_CONSONANTS:
            if i == last and ch == "ه" and last > 0 and word not in t.ARABIC_KEEP_FINAL_HA:
                acc.vowels.append("a")  # final ha: transliterated as -a/-ah, like ta marbuta
                continue
            acc.consonant(t.ARABIC_CONSONANTS[ch], _arabic_gap, "H" if ch == "خ" else None)


def _latin_words(unit: str, scoring: bool) -> list[str]:
    folded = unicodedata.normalize("NFKD", unit.casefold()).translate(_LATIN_TABLE)
    letters = (_NON_LETTER_SCORING if scoring else _NON_LETTER).sub(" ", folded)
    parts = [p for p in re.split(r"[\s\-]+", letters) if p]
    words: list[str] = []
    for k, part in enumerate(parts):
        is_last = k == len(parts) - 1
        if not is_last and (part in t.LATIN_ARTICLES or part in t.LATIN_ARTICLE_PREFIXES):
            continue
        part = _JOINED_AL.sub(r"\1", part)
        if part in t.LATIN_ABD:
            words.append("abd")
            continue
        m = (_ABD if scoring else _ABD_KEY).match(part)
        if m:
            words.extend(("abd", m.group("name")))
            continue
        m = _DIN.match(part)
        words.extend(m.groups() if m else (part,))
    return words


def _latin_word(acc: _Acc, word: str, keep_final_h: bool = False) -> None:
    word = _DOUBLE.sub(r"\1", word)
    if len(word) > 2 and word[-1] == "h" and word[-2] in t.LATIN_VOWELS and not keep_final_h:
        word = word[:-1]  # -ah/-eh/-ih: ta marbuta or final ha
    word = _DOUBLE.sub(r"\1", _DIGRAPH.sub(lambda m: _DIGRAPH_MAP[m.group()], word))
    for i, ch in enumerate(word):
        if ch in t.LATIN_VOWELS:
            acc.vowels.append(ch)
        elif ch in t.LATIN_SEMIVOWELS:
            if i == 0:
                acc.consonant(t.LATIN_SEMIVOWELS[ch][0], _latin_gap)
            else:
                acc.vowels.append(ch)
        elif ch == APART:
            continue
        elif ch == "H":
            acc.consonant("h", _latin_gap, "H")
        else:
            acc.consonant(ch, _latin_gap)


@lru_cache(maxsize=1 << 18)
def shape(unit: str, keep_final_h: bool = False, scoring: bool = False) -> Shape:
    """The shape of one name unit in either script (Arabic letters win in mixed units).

    A Latin final -ah / -eh is read as ta marbuta (Fatimah); with keep_final_h the h is a
    consonant (Saleh, صالح), which scoring tries too. scoring also reads ʿAbd + a linking
    vowel (Abdonaser). Keys use neither: stored keys must stay valid.
    """
    acc = _Acc()
    if has_arabic(unit):
        for word in _arabic_words(unit, scoring):
            _arabic_word(acc, word)
        return acc.finish(_arabic_gap, "arab")
    words = _latin_words(unit, scoring)
    for k, word in enumerate(words):
        _latin_word(acc, word, keep_final_h and k == len(words) - 1)
    return acc.finish(_latin_gap, "latn")
