"""Find name variants in text, robust to harakat, letter forms, clitics and case.

Matching runs on the normalised text; each hit is mapped back to a span of the original so
that everything around a name survives byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from dhakira.disclosure._arabic import is_dropped, normalise, normalise_with_map

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


def _variant_forms(variant: str) -> set[str]:
    form = normalise(variant)
    if not form:
        return set()
    forms = {form}
    if form.startswith(_AL) and len(form) > 3:
        forms.add(form[1:])  # after li-: "ل" + "لعبيدي"
    return forms


class NameMatcher:
    """Compiled matcher for a mapping of key -> list of variants.

    A form claimed by two keys maps to the key ``"?"``, so callers can treat it as ambiguous.
    """

    def __init__(self, variants: Mapping[str, Sequence[str]]) -> None:
        owner: dict[str, str] = {}
        for key, names in variants.items():
            for name in names:
                for form in _variant_forms(name):
                    owner[form] = key if owner.get(form, key) == key else "?"
        self._owner = owner
        if not owner:
            self._regex: re.Pattern[str] | None = None
            return
        alternation = "|".join(re.escape(f) for f in sorted(owner, key=lambda f: (-len(f), f)))
        self._regex = re.compile(rf"(?<!\w){_PREFIX}(?P<name>{alternation})(?!\w)")

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
            yield Hit(orig_start, orig_end, self._owner[match.group("name")])
