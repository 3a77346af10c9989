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


def _variant_forms(variant: str) -> frozenset[str]:
    form = normalise(variant)
    if not form:
        return frozenset()
    forms = {form}
    for joiner in _JOINERS:  # "عبدالله" also matches "عبد الله" and the reverse
        forms.add(re.sub(rf"{joiner}(?=\S)", joiner + " ", form))
    for f in list(forms):
        if f.startswith(_AL) and len(f) > 3:
            forms.add(f[1:])  # after li-: "ل" + "لعبيدي"
    return frozenset(forms)


_SEP = ""  # trie token for "a separator or none" (no literal token is empty)
_END = "\x00"  # trie key marking that a form ends at this node


def _tokens(form: str) -> tuple[str, ...]:
    """A form as trie tokens: its letters, with one ``_SEP`` per run of separators."""
    parts = [p for p in re.split(f"[{re.escape(_SEPARATORS)}]+", form) if p]
    tokens: list[str] = []
    for index, part in enumerate(parts):
        if index:
            tokens.append(_SEP)
        tokens.extend(part)
    return tuple(tokens)


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


#: Characters of text a matcher filters name by name before it compiles its one regex of every
#: name. An export redacts a few hundred short texts (titles, reasons): the few names each could
#: hold are compiled, which is milliseconds, where the regex of a dossier's every name took most
#: of a 64-item export's time. A package redacts thousands of reports: past this many
#: characters the matcher compiles the whole regex once, as it always did.
FILTER_CHARS = 200_000


def _depth(node: _Trie, memo: dict[int, int]) -> int:
    """The length of the longest form below ``node`` (as :func:`_emit` computes it)."""
    found = memo.get(id(node))
    if found is None:
        found = max((1 + _depth(child, memo) for key, child in node.items() if key != _END),
                    default=0)
        memo[id(node)] = found
    return found


def _emit_within(sub: _Trie, full: _Trie, memo: dict[int, int]) -> str:
    """:func:`_emit` of a part of the trie ``full``: its branches in the order the whole trie
    gives them, so that the part's regex finds in a text exactly what the whole one does when
    every form the text could hold is in the part."""
    branches = []
    for key, child in sub.items():
        if key == _END:
            continue
        head = _SEP_CLASS if key == _SEP else re.escape(key)
        branches.append((-_depth(full[key], memo) - 1, key != _SEP, key,
                         head + _emit_within(child, full[key], memo)))
    if not branches:
        return ""
    branches.sort()
    alts = [b[3] for b in branches]
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if _END in sub else body


_STRIP = str.maketrans("", "", _SEPARATORS)
_HEAD = 3  # letters of a key the filter's index is keyed by


class NameMatcher:
    """Compiled matcher for a mapping of key -> list of variants; build once, reuse.

    A form claimed by two keys maps to the key ``"?"``, so callers can treat it as ambiguous.

    The first ``filter_chars`` characters of text are matched against only the forms each
    text could hold (a form's letters, without separators, are a substring of the text's,
    without separators, wherever the regex finds it), compiled as a part of the whole trie in
    the whole trie's order: the hits are the same as the whole regex's. Past that, the whole
    regex is compiled once and used for every text.
    """

    def __init__(self, variants: Mapping[str, Sequence[str]], *,
                 filter_chars: int = FILTER_CHARS) -> None:
        owner: dict[str, str] = {}
        trie: _Trie = {}
        tokens: dict[str, list[tuple[str, ...]]] = {}
        for key, names in variants.items():
            for name in names:
                for form in _variant_forms(name):
                    k = _key(form)
                    if not k:
                        continue
                    owner[k] = key if owner.get(k, key) == key else "?"
                    node = trie
                    path = _tokens(form)
                    tokens.setdefault(k, []).append(path)
                    for token in path:
                        node = node.setdefault(token, {})
                    node[_END] = {}
        self._owner, self._trie, self._tokens = owner, trie, tokens
        # The filter's index: keys by their first three letters (shorter keys apart).
        self._by_head: dict[str, list[str]] = {}
        for k in owner:
            if len(k) >= _HEAD:
                self._by_head.setdefault(k[:_HEAD], []).append(k)
        self._short = {k for k in owner if len(k) < _HEAD}
        self._depths: dict[int, int] = {}
        self._parts: dict[frozenset[str], re.Pattern[str]] = {}
        self._filter_chars = filter_chars
        self._filtered = 0  # characters of text matched through the filter so far
        self._regex: re.Pattern[str] | None = None

    @staticmethod
    def _compile(body: str) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w){_PREFIX}(?P<name>{body})(?!\w)")

    def _pattern(self, norm: str) -> re.Pattern[str] | None:
        """The regex to run over ``norm``: a part of the trie while filtering, else the whole."""
        if self._regex is None and self._filtered + len(norm) > self._filter_chars:
            self._regex = self._compile(_emit(self._trie)[0])
        if self._regex is not None:
            return self._regex
        self._filtered += len(norm)
        keys = self._candidates(norm.translate(_STRIP))
        if not keys:
            return None
        if keys not in self._parts:
            part: _Trie = {}
            for k in keys:
                for path in self._tokens[k]:
                    node = part
                    for token in path:
                        node = node.setdefault(token, {})
                    node[_END] = {}
            self._parts[keys] = self._compile(_emit_within(part, self._trie, self._depths))
        return self._parts[keys]

    def _candidates(self, letters: str) -> frozenset[str]:
        """The keys that are substrings of ``letters`` (a text without separators)."""
        found: set[str] = set()
        by_head, short = self._by_head, self._short
        for i in range(len(letters)):
            bucket = by_head.get(letters[i:i + _HEAD])
            if bucket:
                found.update(k for k in bucket if letters.startswith(k, i))
            if short:
                found.update(k for k in (letters[i:i + 1], letters[i:i + 2]) if k in short)
        return frozenset(found)

    def find(self, text: str) -> Iterator[Hit]:
        """Yield non-overlapping hits in ``text``, leftmost and longest first."""
        if not self._owner:
            return
        norm, positions = normalise_with_map(text)
        regex = self._pattern(norm)
        if regex is None:
            return
        for match in regex.finditer(norm):
            start, end = match.span("name")
            orig_start = positions[start]
            orig_end = positions[end - 1] + 1
            # Marks typed after the last letter (tanwin, shadda) belong to the name.
            while orig_end < len(text) and is_dropped(text[orig_end]):
                orig_end += 1
            yield Hit(orig_start, orig_end, self._owner[_key(match.group("name"))])
