"""Similarity of two name units: skeleton agreement times vowel-gap agreement."""

from __future__ import annotations

from functools import lru_cache

from jellyfish import jaro_winkler_similarity

from dhakira.names import _tables as t
from dhakira.names._shape import Gap, Shape, shape

# Penalties for vowel evidence that contradicts: a long vowel one side cannot have (strong),
# a long vowel written where the other script writes none (weak), short vowels of different
# classes in two Latin spellings (mild: Yousef / Yusuf are the same name).
STRONG = 0.55
WEAK = 0.7
MILD = 0.92
FLOOR = 0.2
# Jaro-Winkler on short skeletons is generous; below this it says nothing.
JW_FLOOR = 0.7
COARSE_MATCH = 0.9
_COARSE = str.maketrans(t.COARSE_FOLD)


def _arabic_classes(gap: Gap) -> frozenset[str]:
    # Alef maqsura ("ai") and final ya are interchangeable in Arabic spelling.
    return frozenset("i" if c == "ai" else c for c in gap.classes)


def _cross_gap(ar: Gap, la: Gap) -> float:
    if la.empty:
        return 1.0
    if any(not (set(c) & la.classes) for c in ar.classes):
        return STRONG
    if ar.empty and la.long:
        return WEAK
    return 1.0


def _gap_penalty(a: Gap, b: Gap, scripts: tuple[str, str], onset: bool) -> float:
    if scripts == ("arab", "arab"):
        return 1.0 if _arabic_classes(a) == _arabic_classes(b) else STRONG
    if scripts == ("latn", "latn"):
        if a.empty or b.empty or a.classes & b.classes:
            return 1.0
        return STRONG if (onset or a.long or b.long) else MILD
    return _cross_gap(a, b) if scripts[0] == "arab" else _cross_gap(b, a)


def _vowel_factor(sa: Shape, sb: Shape) -> float:
    if len(sa.gaps) != len(sb.gaps):
        return 1.0
    scripts = (sa.script, sb.script)
    factor = 1.0
    for k, (ga, gb) in enumerate(zip(sa.gaps, sb.gaps, strict=True)):
        factor *= _gap_penalty(ga, gb, scripts, onset=k == 0)
    return max(factor, FLOOR)


def _skeleton_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a.translate(_COARSE) == b.translate(_COARSE):
        return COARSE_MATCH
    jw = jaro_winkler_similarity(a, b)
    return max(0.0, (jw - JW_FLOOR) / (1.0 - JW_FLOOR))


@lru_cache(maxsize=1 << 18)
def unit_similarity(a: str, b: str) -> tuple[float, str]:
    """Score two name units in [0, 1] with a short reason ('' when they agree)."""
    sa, sb = shape(a), shape(b)
    base = _skeleton_similarity(sa.key, sb.key)
    if base == 0.0:
        return 0.0, f"consonants differ ({sa.key} / {sb.key})"
    vowels = _vowel_factor(sa, sb)
    reasons = []
    if base < 1.0:
        reasons.append(f"consonants differ ({sa.key} / {sb.key})")
    if vowels < 1.0:
        reasons.append("vowels differ")
    return round(base * vowels, 4), ", ".join(reasons)
