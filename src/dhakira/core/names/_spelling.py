"""How well one spelling of a name unit fits another, by a learned letter-to-letters model.

Each letter of the source spelling writes zero to three letters of the target (ح → h, خ → kh,
ي → i, ee or y, ة → a or ah, Latin ou → u), with letters slipped in between (short vowels
Arabic does not write) and each choice depending on where the letter stands (first, inside,
last). The probabilities were learned from pairs of spellings of one name (see
``bench/_names_train.py``), and are stored in ``data/spelling_model.json``, not in code.

:func:`fit` is the log-likelihood ratio of "the target is a spelling of the source" against
"the target is any Latin name": positive when the target is what the source's letters would
be written as, negative when it has letters the source cannot explain (Samia's final a
against سامي, the o of Shiori against شيري).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

from dhakira.core.names.normalise import normalise_arabic

MAX_EMIT = 3  # letters one source letter may write
MAX_INSERT = 2  # letters slipped in between two source letters
# An emission or insertion the training pairs never showed: possible, very unlikely.
UNSEEN = 1e-7
_NOT_LATIN = re.compile("[^a-z]")
_NOT_ARABIC = re.compile("[^\u0621-\u064a]")
# A leading article says nothing about the name (al-Amin is Amin with the article): dropped
# on both sides when at least three letters remain, glued or not (Alamin, الامين), and in
# its assimilated forms when written apart (ash-Shami, as Salam).
_LATIN_ARTICLE = re.compile(
    r"^(?:(?:al|el|ul|il)[\s\-']*(?=[a-z]{3})|[ae][dtsrzn]h?[\s\-']+(?=[a-z]{3}))"
)
_ARABIC_ARTICLE = re.compile("^ال\\s*(?=[\u0621-\u064a]{3})")
_GLUED_L = re.compile("^l(?=[aeiou][a-z]{3})")


def latin_letters(text: str) -> str:
    """a-z only: casefolded, accents and a leading article dropped, spaces, hyphens and
    apostrophes removed."""
    folded = unicodedata.normalize("NFKD", text.casefold()).strip()
    return _NOT_LATIN.sub("", _LATIN_ARTICLE.sub("", folded))


def arabic_letters(text: str) -> str:
    """Arabic letters only, folded as :func:`dhakira.core.names.normalise_arabic` folds them, a
    leading article dropped."""
    return _NOT_ARABIC.sub("", _ARABIC_ARTICLE.sub("", normalise_arabic(text).strip()))


def position(i: int, n: int) -> str:
    """'b', 'm' or 'e': where a letter (or the gap before it, i in 0..n) stands in n."""
    return "b" if i == 0 else "e" if i >= n - 1 else "m"


def slot_position(i: int, n: int) -> str:
    """'b', 'm' or 'e' for the gap before letter i (i == n: after the last letter)."""
    return "b" if i == 0 else "e" if i == n else "m"


class Model:
    """One direction's probabilities: emissions per (letter, position), insertions per gap,
    and a Latin letter-bigram background model."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.emit: dict[str, dict[str, float]] = data["emit"]
        self.insert: dict[str, dict[str, float]] = data["insert"]
        self.bigram: dict[str, dict[str, float]] = data["bigram"]

    def likelihood(self, source: str, target: str) -> float:
        """P(target | source), summed over every way of writing it (forward algorithm)."""
        n, m = len(source), len(target)
        alpha = [0.0] * (m + 1)
        alpha[0] = 1.0
        for i in range(n + 1):
            alpha = self._step(alpha, target, self.insert[slot_position(i, n)], MAX_INSERT)
            if i == n:
                break
            table = self.emit.get(f"{source[i]}{position(i, n)}", {})
            alpha = self._step(alpha, target, table, MAX_EMIT)
        return alpha[m]

    @staticmethod
    def _step(alpha: list[float], target: str, table: dict[str, float], k_max: int) -> list[float]:
        m = len(target)
        out = [0.0] * (m + 1)
        for j, a in enumerate(alpha):
            if not a:
                continue
            for k in range(min(k_max, m - j) + 1):
                p = table.get(target[j : j + k], UNSEEN)
                out[j + k] += a * p
        return out

    def background(self, target: str) -> float:
        """log P(target) under the Latin letter-bigram model (^ start, $ end)."""
        total, prev = 0.0, "^"
        for ch in (*target, "$"):
            total += math.log(self.bigram.get(prev, {}).get(ch, UNSEEN))
            prev = ch
        return total


@lru_cache(maxsize=1)
def models() -> dict[str, Model]:
    """The stored models: 'arab' (Arabic letters → Latin) and 'latn' (Latin → Latin), each
    with its '_near' twin learned from spellings of the nearest other name."""
    text = resources.files("dhakira.core.names").joinpath("data/spelling_model.json").read_text("utf-8")
    return {name: Model(data) for name, data in json.loads(text)["models"].items()}


def _log(p: float) -> float:
    return math.log(p) if p > 0 else -700.0


@lru_cache(maxsize=1 << 18)
def cross_fit(arabic: str, latin: str) -> tuple[float, float, int]:
    """(fit, nearness, Latin length) of a Latin spelling to an Arabic one.

    Nearness is log P(latin | a spelling of this name) - log P(latin | the nearest spelling
    of another name): the second model learned what near misses look like."""
    source, target = arabic_letters(arabic), latin_letters(latin)
    found = _cross_fit(source, target)
    if _GLUED_L.match(target) and _ARABIC_ARTICLE.match(normalise_arabic(arabic).strip()):
        # The article's l glued to a name that starts with a vowel (Lamri, Lahmed: العمري,
        # الأحمد): the Arabic article is set aside, so the l is too; the better reading wins.
        found = max(found, _cross_fit(source, target[1:]))
    return found


def _cross_fit(source: str, target: str) -> tuple[float, float, int]:
    stored = models()
    same = stored["arab"].likelihood(source, target)
    near = stored["arab_near"].likelihood(source, target)
    return _log(same) - stored["arab"].background(target), _log(same) - _log(near), len(target)


@lru_cache(maxsize=1 << 18)
def latin_fit(a: str, b: str) -> tuple[float, float, int]:
    """(fit, nearness, mean length) of two Latin spellings: means of both directions."""
    x, y = latin_letters(a), latin_letters(b)
    stored = models()
    same, near = stored["latn"], stored["latn_near"]
    fits, nears = [], []
    for s, t in ((x, y), (y, x)):
        p = _log(same.likelihood(s, t))
        fits.append(p - same.background(t))
        nears.append(p - _log(near.likelihood(s, t)))
    return sum(fits) / 2, sum(nears) / 2, (len(x) + len(y)) // 2


def features(fit: float, near: float, length: int, rule: float) -> list[float]:
    """What the blend weighs: the model's fit (whole and per letter), its nearness and the
    hand-written score (see :mod:`dhakira.core.names._similarity`)."""
    return [fit, fit / max(length, 1), min(fit, 0.0), near, near / max(length, 1), rule,
            rule * rule, math.log(max(rule, 1e-3))]


@lru_cache(maxsize=1)
def _blends() -> dict[str, dict[str, list[float]]]:
    text = resources.files("dhakira.core.names").joinpath("data/spelling_model.json").read_text("utf-8")
    blends: dict[str, dict[str, list[float]]] = json.loads(text).get("blend", {})
    return blends


def blend(direction: str, x: list[float]) -> float:
    """The probability that two spellings name one name, from :func:`features` (logistic
    regression fitted on held-apart training pairs); direction is 'arab' or 'latn'."""
    b = _blends()[direction]
    z = b["weights"][-1] + sum(
        w * (v - mu) / sd for w, v, mu, sd in zip(b["weights"], x, b["mean"], b["scale"],
                                                  strict=False))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def probability(a: str, b: str, script_a: str, script_b: str, rule: float) -> float | None:
    """The blend's probability for two units, or None when no model covers the scripts
    (two Arabic spellings: the hand-written score alone decides)."""
    if {script_a, script_b} == {"arab", "latn"}:
        arabic, latin = (a, b) if script_a == "arab" else (b, a)
        return blend("arab", features(*cross_fit(arabic, latin), rule))
    if script_a == script_b == "latn":
        return blend("latn", features(*(latin_fit(a, b) if a <= b else latin_fit(b, a)), rule))
    return None
