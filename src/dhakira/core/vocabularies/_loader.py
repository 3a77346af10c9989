"""Read and check the YAML vocabulary files shipped in ``dhakira/core/vocabularies/data``."""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import yaml

from dhakira.core.bidi import ARABIC as _ARABIC
from dhakira.core.vocabularies._model import GROUND_TAGS, Term, Vocabulary
from dhakira.core.vocabularies.errors import InvalidVocabulary, UnknownVocabulary

_CODE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
_HEADER_KEYS = {"vocabulary", "version", "label_en", "label_ar", "terms"}
_TERM_KEYS = {
    "code",
    "en",
    "ar",
    "parent",
    "huridocs",
    "description_en",
    "ground_tags",
    "liability",
}


def _data() -> Any:
    return resources.files("dhakira.core.vocabularies").joinpath("data")


def names() -> list[str]:
    """The names of all shipped vocabularies, sorted.

    >>> "methods" in names()
    True
    """
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in _data().iterdir()
        if entry.name.endswith(".yaml")
    )


@functools.cache
def load(name: str) -> Vocabulary:
    """Load a vocabulary by name (cached: files are read once per process).

    Args:
        name: a name from :func:`names`, e.g. "act_types".

    Returns:
        The frozen :class:`Vocabulary`.

    Raises:
        UnknownVocabulary: no file has that name.
        InvalidVocabulary: the file breaks the format rules.

    >>> load("grounds").get("attributed_sexual_orientation").ground_tags
    ('sexual_orientation', 'gender')
    """
    known = names()
    if name not in known:
        raise UnknownVocabulary(name, known)
    text = _data().joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidVocabulary(name, f"not valid YAML ({exc}).") from exc
    return build(name, raw)


def build(name: str, raw: Any) -> Vocabulary:
    """Check parsed YAML and turn it into a :class:`Vocabulary`.

    Raises:
        InvalidVocabulary: a rule is broken; the message says which.
    """
    if not isinstance(raw, dict) or set(raw) != _HEADER_KEYS:
        raise InvalidVocabulary(
            name, f"the top level needs exactly the keys {sorted(_HEADER_KEYS)}."
        )
    if raw["vocabulary"] != name:
        raise InvalidVocabulary(name, f"'vocabulary' says {raw['vocabulary']!r}, not {name!r}.")
    if not isinstance(raw["terms"], list) or not raw["terms"]:
        raise InvalidVocabulary(name, "'terms' must be a non-empty list.")
    terms = tuple(_term(name, entry) for entry in raw["terms"])
    _check_codes(name, terms)
    return Vocabulary(
        name=name,
        version=str(raw["version"]),
        label_en=_text(name, raw, "label_en"),
        label_ar=_arabic(name, raw, "label_ar"),
        terms=terms,
    )


def _text(name: str, entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidVocabulary(name, f"{key!r} must be non-empty text in {entry!r}.")
    return value.strip()


def _arabic(name: str, entry: dict[str, Any], key: str) -> str:
    value = _text(name, entry, key)
    if not _ARABIC.search(value):
        raise InvalidVocabulary(name, f"{key!r} has no Arabic letters: {value!r}.")
    return value


def _term(name: str, entry: Any) -> Term:
    if not isinstance(entry, dict) or not set(entry) <= _TERM_KEYS:
        raise InvalidVocabulary(
            name, f"a term may only have the keys {sorted(_TERM_KEYS)}: {entry!r}."
        )
    code = _text(name, entry, "code")
    if not _CODE.fullmatch(code):
        raise InvalidVocabulary(name, f"code {code!r} is not snake_case.")
    tags = tuple(entry.get("ground_tags") or ())
    if not set(tags) <= GROUND_TAGS:
        raise InvalidVocabulary(name, f"{code}: ground tags must be among {sorted(GROUND_TAGS)}.")
    optional = {
        k: str(entry[k])
        for k in ("parent", "huridocs", "description_en", "liability")
        if entry.get(k)
    }
    return Term(
        code=code,
        en=_text(name, entry, "en"),
        ar=_arabic(name, entry, "ar"),
        ground_tags=tags,
        **optional,
    )


def _check_codes(name: str, terms: tuple[Term, ...]) -> None:
    seen: set[str] = set()
    for term in terms:
        if term.code in seen:
            raise InvalidVocabulary(name, f"code {term.code!r} appears twice.")
        seen.add(term.code)
    for term in terms:
        if term.parent is not None and term.parent not in seen:
            raise InvalidVocabulary(
                name, f"{term.code}: parent {term.parent!r} is not a code here."
            )
        if term.parent == term.code:
            raise InvalidVocabulary(name, f"{term.code} is its own parent.")
