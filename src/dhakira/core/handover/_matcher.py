"""Find name variants in text, robust to harakat, letter forms, clitics and case.

Matching runs on the normalised text; each hit is mapped back to a span of the original so
that everything around a name survives byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from dhakira.core.handover._arabic import is_dropped, normalise, normalise_with_map

# Attached Arabic clitics: a conjunction (wa/fa), a preposition (bi/li/ka) and the article.
# li + al- assimilates to "ll" ("للعبيدي"), handled by a variant without the alef.
_PREFIX = "(?:[\u0648\u0641]?(?:[\u0628\u0643\u0644]?\u0627\u0644|[\u0628\u0643\u0644])?)"
_AL = "\u0627\u0644"


@dataclass(frozen=True)
class Hit:
    """A name found in the original text: ``text[start:end]`` belongs to ``key``."""

    start: int
    end: int
    key: str


# Spaces, hyphens and apostrophes inside a name vary freely ("al-Obaidi", "Al Obaidi",
# "Abd al-Karim", "عبد الله"/"عبدالله"); inside a compiled name they match any of these or none.
_SEPARATORS = " -'\u2019\u02bf\u02be`"
# Non-Latin-1 separators as literals: a class holding them costs ~0.3 ms to compile, and a
# package's matcher holds one per separator of every name.
_SEP_CLASS = "(?:[ \\-'`]|\u2019|\u02bf|\u02be)?"
_JOINERS = ("\u0639\u0628\u062f", "\u0627\u0628\u0648")  # عبد، ابو: often written joined


def _key(form: str) -> str:
    return "".join(ch for ch in form if ch not in _SEPARATORS)


def _variant_forms(variant: str) -> set[str]:
    form = normalise(variant)
    if not form:
        return set()
    forms = {form}
    for joiner in _JOINERS:  # "عبدالله" also matches "عبد الله" and the reverse
        forms.add(re.sub(rf"{joiner}(?=\S)", joiner + " ", form))
    for f in list(forms):
        if f.startswith(_AL) and len(f) > 3:
            forms.add(f[1:])  # after li-: "ل" + "لعبيدي"
    return forms


_SEP = ""  # trie token for "a separator or none" (no literal token is empty)
_END = "\x00"  # trie key marking that a form ends at this node


def _tokens(form: str) -> list[str]:
    """A form as trie tokens: its letters, with one ``_SEP`` per run of separators."""
    parts = [p for p in re.split(f"[{re.escape(_SEPARATORS)}]+", form) if p]
    tokens: list[str] = []
    for index, part in enumerate(parts):
        if index:
            tokens.append(_SEP)
        tokens.extend(part)
    return tokens


_Trie = dict[str, "_Trie"]


def _emit(node: _Trie) -> tuple[str, int]:
    """Render a trie as a regex; return it with the length of the longest form below.

    A flat alternation of thousands of names is tried name by name at every word start and
    takes seconds to compile; the trie tries one letter at a time. Where a form ends and a
    longer one continues, the continuation is a greedy optional group, so the longer wins;
    among siblings the branch holding the longest form is tried first.
    """
    branches = []
    for key, child in node.items():
        if key == _END:
            continue
        pattern, depth = _emit(child)
        head = _SEP_CLASS if key == _SEP else re.escape(key)
        branches.append((-depth - 1, key != _SEP, key, head + pattern))
    if not branches:
        return "", 0
    branches.sort()
    alts = [b[3] for b in branches]
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return (f"(?:{body})?" if _END in node else body), -branches[0][0]


class NameMatcher:
    """Compiled matcher for a mapping of key -> list of variants; build once, reuse.

    A form claimed by two keys maps to the key ``"?"``, so callers can treat it as ambiguous.
    """

    def __init__(self, variants: Mapping[str, Sequence[str]]) -> None:
        owner: dict[str, str] = {}
        trie: _Trie = {}
        for key, names in variants.items():
            for name in names:
                for form in _variant_forms(name):
                    k = _key(form)
                    if not k:
                        continue
                    owner[k] = key if owner.get(k, key) == key else "?"
                    node = trie
                    for token in _tokens(form):
                        node = node.setdefault(token, {})
                    node[_END] = {}
        self._owner = owner
        if not owner:
            self._regex: re.Pattern[str] | None = None
            return
        self._regex = re.compile(rf"(?<!\w){_PREFIX}(?P<name>{_emit(trie)[0]})(?!\w)")

    def find(self, text: str) -> Iterator[Hit]:
        """Yield non-overlapping hits in ``text``, leftmost and longest first."""
        if self._regex is None:
            return
        norm, positions = normalise_with_map(text)
        for match in self._regex.finditer(norm):
            start, end = match.span("name")
            orig_start = positions[start]
            orig_end = positions[end - 1] + 1
            # Marks typed after the last letter (tanwin, shadda) belong to the name.
            while orig_end < len(text) and is_dropped(text[orig_end]):
                orig_end += 1
            yield Hit(orig_start, orig_end, self._owner[_key(match.group("name"))])
