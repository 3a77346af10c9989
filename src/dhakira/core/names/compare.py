"""Scoring two full names, part by part, in any mix of scripts."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from dhakira.core.names._similarity import unit_similarity
from dhakira.core.names._tables import TABLES_VERSION
from dhakira.core.names._units import (
    fold_word,
    has_arabic,
    is_nasab_marker,
    kunya_gender,
    normalise_arabic,
    split_words,
)
from dhakira.core.names.normalise import normalise
from dhakira.core.names.parse import ParsedName, parse_name

__all__ = ["NameComparison", "compare", "compare_parts"]

WEIGHTS: dict[str, float] = {
    "ism": 0.45,
    "father": 0.25,
    "grandfather": 0.15,
    "nisba": 0.10,
    "kunya": 0.05,
}
# A disagreeing part pulls the whole score down (factor = floor + (1 - floor) * score): the
# same given name and grandfather with a different father are cousins, not one person.
FLOORS: dict[str, float] = {
    "ism": 0.5,
    "father": 0.6,
    "grandfather": 0.75,
    "nisba": 0.6,
    "kunya": 0.8,
}
DROPPED_PART_PENALTY = 0.04
MAX_DROPPED = 3
KUNYA_ONLY_SCORE = 0.5
AGREE, CLOSE = 0.85, 0.6
# The highest score of two names that differ after normalisation: 1.0 means the same name.
BELOW_SAME = 0.99
GENDER_CONTRADICTS = 0.3
_DAUGHTER = frozenset({"bint", "binti", normalise_arabic("بنت")})
# A particle glued to the name after it (Benyoucef, Aboutaleb: بن يوسف, أبو طالب). It is read
# apart only when the other name writes that particle as a word of its own (Ben Youcef, بن
# يوسف, Abu Taleb), so Benjamin, Bennett or Abouna against a name without one stay as written.
_GLUED_PARTICLE = re.compile(r"^(?:(?P<nasab>ben|bin|ibn)|(?P<kunya>abou|abu|abo))[a-z]{3,}$")
# A cheap first look: a word that starts like a glued particle, in any case.
_MAY_BE_GLUED = re.compile(r"(?:^|(?<=[\s\-]))(?:ben|bin|ibn|ab[ou])", re.IGNORECASE)
GLUED_PARTICLE = 0.99  # what reading a glued particle apart costs: never the same name


@dataclass(frozen=True)
class NameComparison:
    """Per-part scores (None when a part is not in both names) and why.

    Attributes:
        score: overall similarity in [0, 1].
        ism, father, grandfather, nisba, kunya: per-part scores.
        explanation: one line per part, for reviewers.
        tables_version: the normalisation tables used.
    """

    score: float
    ism: float | None
    father: float | None
    grandfather: float | None
    nisba: float | None
    kunya: float | None
    explanation: tuple[str, ...]
    tables_version: str = TABLES_VERSION


def _describe(part: str, a: str, b: str, score: float, reason: str) -> str:
    if score >= AGREE:
        text = f"{part} agrees: {a} ≈ {b}"
    elif score >= CLOSE:
        text = f"{part} is close: {a} ~ {b} ({score:.2f})"
    else:
        text = f"{part} differs: {a} ≠ {b} ({score:.2f})"
    return f"{text}; {reason}" if reason and score < AGREE else text


def _pairs(pa: ParsedName, pb: ParsedName) -> dict[str, tuple[object, object]]:
    return {
        "ism": (pa.ism, pb.ism),
        "father": (pa.father, pb.father),
        "grandfather": (pa.grandfather, pb.grandfather),
        "nisba": (pa.nisba or None, pb.nisba or None),
        "kunya": (pa.kunya, pb.kunya),
    }


def _part_score(
    part: str, va: object, vb: object, pa: ParsedName, pb: ParsedName
) -> tuple[float, str]:
    if part == "nisba":
        best = max(
            ((unit_similarity(x, y), x, y) for x in pa.nisba for y in pb.nisba),
            key=lambda item: item[0][0],
        )
        (score, reason), x, y = best
        return score, _describe(part, x, y, score, reason)
    if part == "kunya":
        score, reason = unit_similarity(pa.kunya_name or "", pb.kunya_name or "")
        if pa.kunya_gender != pb.kunya_gender:
            score, reason = score * GENDER_CONTRADICTS, "Abu / Umm differ"
        return score, _describe(part, str(va), str(vb), score, reason)
    score, reason = unit_similarity(str(va), str(vb))
    return score, _describe(part, str(va), str(vb), score, reason)


def _single_units(pa: ParsedName, pb: ParsedName) -> tuple[str, str] | None:
    """The two units when each name is one unit (then roles do not matter)."""
    ua, ub = _only_unit(pa), _only_unit(pb)
    return None if ua is None or ub is None else (ua, ub)


def _only_unit(p: ParsedName) -> str | None:
    # A nasab needs bin/ibn here: "bin Ahmed" is not the name Ahmed.
    units = [u for u in (p.ism, *p.nisba) if u]
    return units[0] if len(units) == 1 and not p.nasab and p.kunya is None else None


@lru_cache(maxsize=1 << 16)
def _normalised(text: str) -> str:
    return normalise(text)


@lru_cache(maxsize=1 << 16)
def _lineage_gender(text: str) -> str | None:
    """'f' when the name says "daughter of" (bint, بنت), 'm' for "son of", else None."""
    for word in split_words(text):
        folded = fold_word(word)
        if is_nasab_marker(folded):
            return "f" if folded in _DAUGHTER else "m"
    return None


def _kunya_only(pa: ParsedName, pb: ParsedName, scores: dict[str, float]) -> float | None:
    """Score when one name is only a kunya (a nom de guerre) and the other is fuller."""
    if (pa.ism is None) == (pb.ism is None):
        return None
    if "kunya" in scores:
        return scores["kunya"] * 0.85
    if pa.kunya or pb.kunya:
        return KUNYA_ONLY_SCORE
    return None


def compare_parts(a: str, b: str) -> NameComparison:
    """Compare two names part by part and explain each part's agreement.

    A particle glued to a name on one side and written apart on the other (Benyoucef / Ben
    Youcef / بن يوسف, Aboutaleb / Abu Talib) is also read apart; the better reading is kept,
    at a small cost, and its last explanation line says so.

    Args:
        a: a name in any script.
        b: another name in any script.

    Returns:
        Per-part scores, the overall score and one explanation line per part.

    Raises:
        EmptyNameError: a or b holds no name word.

    Examples:
        >>> c = compare_parts("محمد علي حسين", "Mohammed Ali")
        >>> c.ism, c.father, c.grandfather
        (0.978489, 0.977185, None)
        >>> c.explanation[0]
        'ism agrees: محمد ≈ Mohammed'
        >>> c.explanation[-1]
        'grandfather only in the first name: حسين'
    """
    best = _compare_parts(a, b)
    for glued, other, first in ((a, b, True), (b, a, False)):
        if _MAY_BE_GLUED.search(glued) is None:
            continue  # most names: no word starts like a particle, nothing to read apart
        for apart in _read_apart(glued, _particles(other)):
            found = _compare_parts(apart, other) if first else _compare_parts(other, apart)
            score = round(min(found.score, BELOW_SAME) * GLUED_PARTICLE, 6)
            if score > best.score:
                line = f"read apart: {glued} as {apart}"
                best = replace(found, score=score, explanation=(*found.explanation, line))
    return best


@lru_cache(maxsize=1 << 16)
def _particles(text: str) -> frozenset[str]:
    """The particles text writes as words of their own: 'nasab' (bin, بن), 'kunya' (Abu)."""
    kinds = set()
    for word in split_words(text)[:-1]:  # a particle stands before a name
        folded = fold_word(word)
        if is_nasab_marker(folded) and folded not in _DAUGHTER:
            kinds.add("nasab")
        elif kunya_gender(folded) == "m":
            kinds.add("kunya")
    return frozenset(kinds)


def _read_apart(text: str, kinds: frozenset[str]) -> tuple[str, ...]:
    """text with its glued particles of the given kinds written apart (none: no reading).

    Two readings when the name after ben / bin / ibn starts with a vowel: the n is the
    particle's alone (Benali: Ben Ali) or also the name's, written once (Benaceur: Ben
    Naceur). An Arabic-script word is never split: Arabic writes بن and أبو apart or glued
    by the name's own spelling (بوتفليقة is one word).
    """
    if not kinds:
        return ()
    plain: list[str] = []
    doubled: list[str] = []
    article: list[str] = []
    for word in split_words(text):
        folded = fold_word(word)
        match = None if has_arabic(word) else _GLUED_PARTICLE.match(folded)
        kind = match.lastgroup if match else None
        if match and kind in kinds and len(folded) == len(word):
            cut = match.end(kind)
            head, rest = word[:cut], word[cut:]
            plain += [head, rest]
            n_too = kind == "nasab" and folded[cut] in "aeiou"
            doubled += [head, word[cut - 1] + rest] if n_too else [head, rest]
            # The article glued too, its l all that is left of it (Benlamri: Ben al-Amri,
            # Aboulkheir: Abou al-Kheir); only a third reading, the plain one is still tried.
            glued_al = folded[cut] == "l" and len(rest) >= 4
            article += [head, "al-" + rest[1:]] if glued_al else [head, rest]
        else:
            plain.append(word)
            doubled.append(word)
            article.append(word)
    if plain == split_words(text):
        return ()
    return tuple(dict.fromkeys(" ".join(words) for words in (plain, doubled, article)))


def _compare_parts(a: str, b: str) -> NameComparison:
    pa, pb = parse_name(a), parse_name(b)
    scores: dict[str, float] = {}
    lines: list[str] = []
    missing: list[str] = []
    for part, (va, vb) in _pairs(pa, pb).items():
        if va and vb:
            scores[part], line = _part_score(part, va, vb, pa, pb)
            lines.append(line)
        elif va or vb:
            side = "first" if va else "second"
            shown = ", ".join(va or vb) if part == "nisba" else (va or vb)  # type: ignore[arg-type]
            missing.append(f"{part} only in the {side} name: {shown}")
    single = None if scores else _single_units(pa, pb)
    if single is not None:
        # One unit each, read as different parts (Elakher / al-Akher): the same unit.
        (ua, ub), (scores["ism"], reason) = single, unit_similarity(*single)
        lines, missing = [_describe("name", ua, ub, scores["ism"], reason)], []
    score = _overall(pa, pb, scores, len(missing))
    return NameComparison(
        score=score,
        ism=scores.get("ism"),
        father=scores.get("father"),
        grandfather=scores.get("grandfather"),
        nisba=scores.get("nisba"),
        kunya=scores.get("kunya"),
        explanation=tuple(lines + missing),
    )


def _overall(pa: ParsedName, pb: ParsedName, scores: dict[str, float], dropped: int) -> float:
    if _normalised(pa.text) == _normalised(pb.text):
        return 1.0
    special = _kunya_only(pa, pb, scores)
    if special is not None:
        return round(special, 6)
    weight = sum(WEIGHTS[p] for p in scores)
    if not weight:
        return 0.0
    mean = sum(WEIGHTS[p] * s for p, s in scores.items()) / weight
    for part, part_score in scores.items():
        mean *= FLOORS[part] + (1.0 - FLOORS[part]) * part_score
    mean -= DROPPED_PART_PENALTY * min(dropped, MAX_DROPPED)
    gender_a, gender_b = _lineage_gender(pa.text), _lineage_gender(pb.text)
    if gender_a and gender_b and gender_a != gender_b:
        mean *= GENDER_CONTRADICTS  # bin / bint: a son and a daughter
    return round(min(BELOW_SAME, max(0.0, mean)), 6)


def compare(a: str, b: str) -> float:
    """Score how likely two names, in any mix of scripts, name the same person.

    Args:
        a: a name in any script.
        b: another name in any script.

    Returns:
        A score in [0, 1]: 1.0 only for the same name after normalisation, just below (about
        0.95-0.99) for known spellings of one name in either script, clearly lower for
        another name on the same consonants, low for a man's and a woman's name.

    Raises:
        EmptyNameError: a or b holds no name word.

    Examples:
        >>> compare("Al-Jubouri", "al jubouri")
        1.0
        >>> 0.95 <= compare("Mohammed", "Muhammad") < 1.0
        True
        >>> compare("محمد علي حسين", "Muhammad Ali Husayn") >= 0.9
        True
        >>> compare("حسين", "حسن") < 0.9
        True
        >>> compare("Sami", "Samia") < 0.3
        True
        >>> compare("محمد علي", "أحمد علي") <= 0.5
        True
        >>> compare("Benyoucef", "بن يوسف") >= 0.9
        True
    """
    return compare_parts(a, b).score
