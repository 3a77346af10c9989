"""Similarity of two name units: skeleton agreement times vowel agreement, graded.

1.0 is kept for the same unit after normalisation. Two spellings that say nothing against each
other (Mohammed / Muhammad, محمد / Mohammed) score :data:`KNOWN_SPELLING`. Every piece of
vowel evidence that contradicts lowers the score; the word's edges weigh most, because that is
where different names built on one consonant skeleton differ: Ahmed / Hamed and Sharaf /
Ashraf at the start, Sami / Samia, Armand / Armando and Keith / Keita at the end.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from jellyfish import jaro_winkler_similarity

from dhakira.core.names import _spelling
from dhakira.core.names import _tables as t
from dhakira.core.names._shape import APART, Gap, Shape, shape
from dhakira.core.names._shape import EMPTY_GAP as _EMPTY
from dhakira.core.names.normalise import normalise

# The score of two spellings of one unit that differ after normalisation but agree on
# everything both scripts say: just below the 1.0 of the same spelling.
KNOWN_SPELLING = 0.98
# Below this a blended score that the hand-written rules did not explain says why.
LETTERS_FIT = 0.85
# How far, and from what probability, the learned model may lift the hand-written score.
LIFT, SURE = 0.15, 0.95
# Below this two units name different people (intake and review read it so).
DIFFERENT = 0.6
# Penalties for vowel evidence that contradicts (factors multiplied together).
EDGE = 0.3  # a vowel at the start or end one side has and the other has not (Sami / Samia)
STRONG = 0.55  # a long vowel one side cannot have (حسين / حسن)
DROPPED = 0.75  # an inner vowel written one side only (Fatma / Fatima, Mrabet / Merabet)
# A Latin long vowel or diphthong where Arabic writes none: weak, since French-style ou is any u
# (Boutros / بطرس).
WEAK = 0.95
MILD = 0.85  # short vowels of different classes in two Latin spellings (Hakim / Hakam)
DROPPED_ALEF = 0.5  # an initial alef or ayn no Latin vowel shows (ابراهيم / Brahim)
FLOOR = 0.05
ARTICLE = 0.995  # a Latin article glued on one side only (Elakher / al-Akher)
# French spellings (Maghrebi names), read as what they write: ou before a vowel at the start is
# و as a consonant (Ouardi / Wardi / وردي), c before e / i is s (Youcef / يوسف, Belkacem).
FRENCH = 0.99
EGYPTIAN_G = 0.93  # g written for ج (Gamal / Jamal / جمال)
TH_FOR_DHAL = 0.99  # th written for ذ (Munthir / Mundhir / منذر)
KH = 0.6  # kh / خ against h / ح / ه (Khalid / Halid)
EXTRA_VOWEL = 0.6  # a Latin vowel the Arabic long vowel there does not have (بترا / Petria)
A_AS_E = 0.85  # Arabic long a (ا) written as a short e
# Jaro-Winkler on short skeletons is generous; below this it says nothing.
JW_FLOOR = 0.7
COARSE_MATCH = 0.97  # z for ذ / ظ (Kazim / Kadhim)
_COARSE = str.maketrans(t.COARSE_FOLD)
_LONE_G = re.compile(r"g(?!h)")
_FINAL_VOWEL_H = re.compile(r"[aeiou]h$")
_ARTICLE_FOLD = re.compile("^ال(?=...)")
KNOWN_SPELLINGS: dict[str, tuple[str, ...]] = {}
for _arabic, _spellings in t.KNOWN_SPELLINGS_RAW.items():
    KNOWN_SPELLINGS[_ARTICLE_FOLD.sub("", normalise(_arabic).replace(" ", ""))] = _spellings
# A Latin spelling that fits an Arabic name's letters but none of its known spellings: close
# at most (محمد / Mahmud fits the letters; Mahmud is another name).
UNKNOWN_SPELLING = 0.85
_GLUED_ARTICLE = re.compile(r"^(?:al|el|ul|il)[\s\-']*([a-z]{3,})$")
# The article assimilated to a sun letter and glued, its letter doubled: Ettounsi, Errachidi
# (al-Tunisi, al-Rashidi). The name left must be long enough: Essam, Assad, Ezzat and Attar
# are names of their own, not al-Sam, al-Sad, al-Zat, al-Tar.
_GLUED_SUN_ARTICLE = re.compile(r"^[aeu](?P<sun>sh|ch|th|dh|[tdrszn])(?=(?P=sun)[aeiou][a-z]{2})")
_FRENCH_OU = re.compile(r"(?:^|(?<=[\s\-']))ou(?=[aeiy])")
_FRENCH_C = re.compile(r"c(?=[eiy])")
# Against Arabic only, where the Arabic letters decide: two Latin letters read one by one where
# they would make one sound (Ishak / اسحاق, Azhari / ازهري, Adhami / ادهمي: s h, z h, d h), and
# Italian c before e / i as ch, sc as sh (Francesca / فرانشيسكا, Bartolucci / بارتولوتشي).
_TWO_LETTERS = re.compile(r"(?<=[sztdkgc])(?=h)")
_ITALIAN_C = re.compile(r"s?c+(?=[ei])")
SPELLED_APART = 0.99
# The article's l glued to a name that starts with a vowel (Lamri, Laroussi: العمري, العروسي);
# read so only against an Arabic spelling that writes the article.
_L_ARTICLE = re.compile(r"^l(?=[aeiou][a-z]{3})")
_ARABIC_ARTICLE = re.compile("^ال ?(?=...)")


def _shape(unit: str, keep_final_h: bool = False) -> Shape:
    return shape(unit, keep_final_h, scoring=True)


def _arabic_classes(classes: frozenset[str]) -> frozenset[str]:
    # Alef maqsura ("ai") and final ya are interchangeable in Arabic spelling.
    return frozenset("i" if c == "ai" else c for c in classes)


def _is_silent_e(gap: Gap) -> bool:
    return not gap.long and gap.classes == t.LATIN_VOWEL_CLASSES["e"]


def _latin_pair(a: Gap, b: Gap, edge: str) -> float:
    """Two Latin spellings' vowels in one place; edge is 'start', 'end' or ''."""
    if edge == "end":
        # A final e is silent (Marwane, Amine, Nureddine): Marwan, but not Basila.
        a, b = (_EMPTY if _is_silent_e(g) else g for g in (a, b))
    if a.empty and b.empty:
        return 1.0
    if a.empty or b.empty:
        return EDGE if edge else DROPPED
    if edge == "end" and not (a.last & b.last):
        return EDGE
    # Vowels letter by letter (ai is a then i: Hamaidi is not Hamidi, Ayman is not Iman); a
    # Latin e stands for a or i, so Hussein / Husayn / Hussain still agree.
    steps = _pattern_distance(a.spelled, b.spelled)
    if not steps:
        return MILD if _long_i_against_e(a, b) else 1.0
    if not (a.classes & b.classes) and (edge or a.long or b.long):
        return STRONG
    return float(MILD**steps)


def _long_i_against_e(a: Gap, b: Gap) -> bool:
    """ee / ii against a lone e: Hafeez / Hafez, Rasheed / Rashed (Khalid / Khaled is fine)."""
    return {a.spelled, b.spelled} == {"i", "E"} and (a.long or b.long) and not (a.long and b.long)


def _pattern_distance(a: str, b: str) -> float:
    """Edits between two vowel patterns. E (a Latin e) stands for a or i, and costs half an
    edit against u (Yousef / Yusuf: e is often a schwa)."""
    if a == b:
        return 0.0
    row = [float(j) for j in range(len(b) + 1)]
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], float(i)
        for j, y in enumerate(b, 1):
            cost = _SUBSTITUTION.get(frozenset((x, y)), 1.0)
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + cost)
    return row[-1]


_SUBSTITUTION = {
    **{frozenset(v): 0.0 for v in ("a", "i", "u", "E", "aE", "iE")},
    frozenset("uE"): 0.5,
}


def _cross_pair(ar: Gap, la: Gap, edge: str) -> float:
    """What the Arabic spelling and the Latin one say about the vowels in one place."""
    if edge == "start" and ar.wild:
        return 1.0 if not la.empty else DROPPED_ALEF
    if edge == "end" and not ar.wild:
        if ar.empty:
            return 1.0 if la.empty or _is_silent_e(la) else EDGE
        if la.empty:
            return EDGE
        if not (_arabic_classes(ar.last) & la.last) and not _is_silent_e(la):
            return EDGE
    if edge == "start" and ar.empty and not la.empty:
        return EDGE
    if la.empty:
        return DROPPED if ar.long else 1.0  # ناصر / Nasr: the long a is gone
    # Latin vowel letters are read one by one against Arabic's long vowels: ai is a + i in
    # Naif / نايف and Isma'il / إسماعيل, not only the diphthong of Husain / حسين.
    if any(not (set(c) & la.letters) for c in ar.classes):
        return STRONG
    if ar.empty:
        return WEAK if la.long else 1.0
    if not ar.wild and len(la.spelled) > len(ar.spelled) + 1:
        return EXTRA_VOWEL  # more vowels than one short one before Arabic's long ones (زيد / Zayed)
    if ar.classes == {"a"} and not la.long and la.classes != {"a"}:
        return A_AS_E
    return 1.0


def _arabic_pair(a: Gap, b: Gap, edge: str) -> float:
    if _arabic_classes(a.classes) == _arabic_classes(b.classes) and a.wild == b.wild:
        return 1.0
    if edge == "end" and _arabic_classes(a.classes) == _arabic_classes(b.classes):
        return 1.0  # a final hamza one side only (علاء / علا): spelling, not a new name
    return EDGE if edge else STRONG


def _vowel_factor(sa: Shape, sb: Shape) -> float:
    if len(sa.gaps) != len(sb.gaps):
        return 1.0
    last = len(sa.gaps) - 1
    factor = 1.0
    for k, (ga, gb) in enumerate(zip(sa.gaps, sb.gaps, strict=True)):
        edge = "start" if k == 0 else "end" if k == last else ""
        if sa.script == sb.script == "arab":
            factor *= _arabic_pair(ga, gb, edge)
        elif sa.script == sb.script:
            factor *= _latin_pair(ga, gb, edge)
        elif sa.script == "arab":
            factor *= _cross_pair(ga, gb, edge)
        else:
            factor *= _cross_pair(gb, ga, edge)
    return max(factor, FLOOR)


def _skeleton_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a.translate(_COARSE) == b.translate(_COARSE):
        return COARSE_MATCH
    jw = jaro_winkler_similarity(a, b)
    return max(0.0, (jw - JW_FLOOR) / (1.0 - JW_FLOOR))


def _shapes(unit: str, other: str = "") -> list[tuple[Shape, float]]:
    """The unit's shape and, for a Latin unit, its other readings, each with what it costs:
    without a glued article (also assimilated: Ettounsi), French ou before a vowel as و (w)
    and c before e / i as s, g read as ج, th read as ذ, a final -eh read as a consonant h.
    Against an Arabic unit (other) also: two letters read one by one (Ishak / اسحاق), Italian
    c and sc, and an initial l as the article's when the Arabic has one (Lamri / العمري)."""
    first = _shape(unit)
    if first.script != "latn":
        return [(first, 1.0)]
    against_arabic = bool(other) and _shape(other).script == "arab"
    folded = unicodedata.normalize("NFKD", unit.casefold())
    readings = [(folded, 1.0)]
    match = _GLUED_ARTICLE.match(folded)
    if match:
        readings.append((match.group(1), ARTICLE))
    elif against_arabic and _L_ARTICLE.match(folded) and _ARABIC_ARTICLE.match(normalise(other)):
        readings.append((folded[1:], ARTICLE))  # Lamri, Laroussi: al-Amri, al-Arousi
    elif match := _GLUED_SUN_ARTICLE.match(folded):
        readings.append((folded[match.end():], ARTICLE))  # Essalam: al-Salam
    for french, letter in ((_FRENCH_OU, "w"), (_FRENCH_C, "s")):
        readings += [(french.sub(letter, text), w * FRENCH) for text, w in readings
                     if french.search(text)]
    if _LONE_G.search(folded):
        readings += [(_LONE_G.sub("j", text), w * EGYPTIAN_G) for text, w in readings]
    if "th" in folded:
        readings += [(text.replace("th", "dh"), w * TH_FOR_DHAL) for text, w in readings]
    if against_arabic:
        if _ITALIAN_C.search(folded):
            readings += [(_ITALIAN_C.sub(_italian_c, text), w * FRENCH) for text, w in readings]
        readings += [(text[:m.start()] + APART + text[m.start():], w * SPELLED_APART)
                     for text, w in readings for m in _TWO_LETTERS.finditer(text)]
    shapes = [(first, 1.0)] + [(_shape(text), w) for text, w in readings[1:]]
    if against_arabic and _FINAL_VOWEL_H.search(folded):
        shapes += [(_shape(text, keep_final_h=True), w) for text, w in readings]
    return shapes


def _italian_c(match: re.Match[str]) -> str:
    return "sh" if match.group().startswith("s") else "tch"


def _known(arabic: str) -> tuple[str, ...]:
    return KNOWN_SPELLINGS.get(_ARTICLE_FOLD.sub("", normalise(arabic).replace(" ", "")), ())


def _fine_factor(sa: Shape, sb: Shape) -> float:
    if sa.skeleton != sb.skeleton or sa.fine == sb.fine:
        return 1.0
    return KH ** sum(x != y for x, y in zip(sa.fine, sb.fine, strict=True))


def _score(sa: Shape, sb: Shape) -> tuple[float, float, float]:
    base = _skeleton_similarity(sa.key, sb.key)
    vowels = _vowel_factor(sa, sb) * _fine_factor(sa, sb) if base else 1.0
    return base * vowels, base, vowels


@lru_cache(maxsize=1 << 18)
def _unit_similarity(a: str, b: str) -> tuple[float, str]:
    if normalise(a) == normalise(b):
        return 1.0, ""
    scripts = {_shape(a).script, _shape(b).script}
    if scripts == {"arab", "latn"}:
        arabic, latin = (a, b) if _shape(a).script == "arab" else (b, a)
        known = _known(arabic)
        if known:
            return _through_known(arabic, latin, known)
    return _by_shape(a, b)


def _through_known(arabic: str, latin: str, known: tuple[str, ...]) -> tuple[float, str]:
    """An Arabic name with known spellings against a Latin one: its best known spelling."""
    best = max((_by_shape(s, latin) for s in known), key=lambda r: r[0])
    folded = unicodedata.normalize("NFKD", latin.casefold())
    if _L_ARTICLE.match(folded) and _ARABIC_ARTICLE.match(normalise(arabic)):
        # Lahmad against الأحمد: the known spellings (Ahmad) are the name's, without the l.
        apart = max((_by_shape(s, folded[1:]) for s in known), key=lambda r: r[0])
        best = max(best, (round(apart[0] * ARTICLE, 4), apart[1]), key=lambda r: r[0])
    by_letters, letters_reason = _by_shape(arabic, latin)
    # Both must fit: a known spelling (Hussen) can be near another name (Hasan) that the
    # Arabic letters rule out (حسين has the long i).
    score, reason = min(best[0], by_letters, KNOWN_SPELLING), best[1] or letters_reason
    if by_letters * UNKNOWN_SPELLING > score:
        score, reason = by_letters * UNKNOWN_SPELLING, letters_reason or "not a known spelling"
    return round(score, 4), reason


def _by_shape(a: str, b: str) -> tuple[float, str]:
    if normalise(a) == normalise(b):
        return 1.0, ""
    best = (-1.0, 0.0, 0.0, _shape(a), _shape(b))
    for sa, wa in _shapes(a, b):
        for sb, wb in _shapes(b, a):
            score, base, vowels = _score(sa, sb)
            score *= wa * wb
            if score > best[0]:
                best = (score, base, vowels, sa, sb)
    score, base, vowels, sa, sb = best
    if base == 0.0:
        return 0.0, f"consonants differ ({sa.key} / {sb.key})"
    reasons = []
    if base < 1.0:
        reasons.append(f"consonants differ ({sa.key} / {sb.key})")
    if vowels < 1.0:
        reasons.append("vowels differ")
    return round(KNOWN_SPELLING * score, 4), ", ".join(reasons)


def rule_similarity(a: str, b: str) -> tuple[float, str]:
    """The hand-written score alone, with its reason: one input of :func:`unit_similarity`."""
    return _unit_similarity(a, b) if a <= b else _unit_similarity(b, a)


@lru_cache(maxsize=1 << 18)
def _graded(a: str, b: str) -> tuple[float, str]:
    rule, reason = _unit_similarity(a, b)
    if rule == 1.0 or rule + LIFT < DIFFERENT:
        # Lifted as far as it may go, it would still be another name: the model (most of
        # compare's time on new pairs) cannot change the decision.
        return rule, reason
    p = _spelling.probability(a, b, _shape(a).script, _shape(b).script, rule)
    if p is None:
        return rule, reason
    # The model may always lower the hand-written score, and lift it a little when it is
    # sure: the rules know facts the training lists do not respect (Khalid / Halid, Hakim /
    # Hakam, Omar / Ammar are other names; the lists hold such pairs as spellings).
    lifted = rule + LIFT if p >= SURE else rule
    score = round(min(KNOWN_SPELLING * (1.0 - (1.0 - p) ** 2), lifted, KNOWN_SPELLING), 6)
    if score < LETTERS_FIT and not reason:
        reason = "the letters do not fit one spelling of the other"
    return score, reason


def unit_similarity(a: str, b: str) -> tuple[float, str]:
    """Score two name units in [0, 1] with a short reason ('' when they agree).

    1.0 only when the two units are the same after normalisation. Otherwise the hand-written
    score (known spellings, vowels and consonants that contradict) is blended with how well
    a learned spelling model writes one as the other (:mod:`dhakira.core.names._spelling`); two
    spellings of one name score up to :data:`KNOWN_SPELLING`.
    """
    return _graded(a, b) if a <= b else _graded(b, a)
