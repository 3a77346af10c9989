"""What a stored comparison level says, as data a page can put into words (pure).

A candidate pair stores each comparison as (gamma, label): Splink's level number and the
linkage settings' English label ("father keys within 1 edit(s)", "dates within 31 days").
Pages never show either: :func:`read` turns them into a verdict (agrees, close, differs,
missing) and a kind of agreement with its number, which the presentation layer words in the
reader's language. A label this module does not know still gets a verdict from its gamma.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["ALIKE_MIN_FIELDS", "Level", "alike_key", "read"]

#: A pair can join a group decision only if at least this many fields agree, among them the
#: given name and one more name part: two records agreeing on a date and a place but naming
#: nobody (or on "Muhammad" alone) say little.
ALIKE_MIN_FIELDS = 3
_OTHER_NAME_PARTS = frozenset({"father", "grandfather", "nisba", "kunya"})

_KINDS: tuple[tuple[str, str, str], ...] = (
    # (pattern, verdict, kind): the first match wins.
    (r"keys agree, arabic spellings differ", "close", "arabic_spelling"),
    (r"keys agree$", "agrees", "same"),
    (r"keys similar", "close", "similar"),
    (r"within (\d+) edit", "close", "edits"),
    (r"^dates overlap", "agrees", "overlap"),
    (r"^dates within (\d+) days", "close", "days"),
    (r"^same district", "close", "district"),
    (r"^ages within (\d+) years", "close", "years"),
    (r"^same type of act", "close", "act_type"),
    (r"^same ", "agrees", "same"),
)


@dataclass(frozen=True)
class Level:
    """One comparison of a pair, read."""

    field: str
    verdict: str  # "agrees", "close", "differs" or "missing"
    kind: str  # "same", "similar", "edits", "days", ... ("" for differs and missing)
    n: int | None = None


@lru_cache(maxsize=4096)
def read(field: str, gamma: int, label: str, *, age_gap: int = 2) -> Level:
    """Read one stored level.

    ``age_gap`` is the run's smallest age gap: ages within it count as agreeing.

    Examples:
        >>> read("father", 2, "father keys within 1 edit(s)")
        Level(field='father', verdict='close', kind='edits', n=1)
        >>> read("age", 3, "ages within 2 years").verdict, read("sex", -1, "sex missing").verdict
        ('agrees', 'missing')
    """
    if gamma < 0:
        return Level(field, "missing", "")
    if gamma == 0:
        return Level(field, "differs", "")
    text = label.strip().lower()
    for pattern, verdict, kind in _KINDS:
        found = re.search(pattern, text)
        if found:
            n = int(found.group(1)) if found.groups() else None
            if kind == "years" and n is not None and n <= age_gap:
                verdict = "agrees"
            return Level(field, verdict, kind, n)
    return Level(field, "close", "similar")


def alike_key(levels: Mapping[str, Sequence[object]], *, age_gap: int = 2) -> str | None:
    """A key shared by pairs whose every compared field agrees in the same way, else None.

    Pairs with one key can take one decision together; a pair where any compared field is
    only close or differs, where the given name and one more name part do not both agree,
    or where fewer than :data:`ALIKE_MIN_FIELDS` fields agree, has no key.

    Examples:
        >>> alike_key({"ism": [4, "ism keys agree"], "date": [3, "dates overlap"],
        ...            "nisba": [4, "nisba keys agree"], "age": [-1, "age missing in one record"]})
        'age:-1 date:3 ism:4 nisba:4'
        >>> alike_key({"ism": [4, "ism keys agree"], "father": [0, "father differs"],
        ...            "sex": [1, "same sex"], "date": [3, "dates overlap"]}) is None
        True
    """
    agreeing = set()
    for field, (gamma, label) in levels.items():  # type: ignore[misc]
        verdict = read(field, int(gamma), str(label), age_gap=age_gap).verdict  # type: ignore[call-overload]
        if verdict in ("close", "differs"):
            return None
        if verdict == "agrees":
            agreeing.add(field)
    if (len(agreeing) < ALIKE_MIN_FIELDS or "ism" not in agreeing
            or not agreeing & _OTHER_NAME_PARTS):
        return None
    return " ".join(f"{field}:{levels[field][0]}" for field in sorted(levels))

