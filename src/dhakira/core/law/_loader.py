"""Reading, validating and caching the catalogue YAML: :func:`load_catalogue` and
:func:`load_catalogue_from` (exported by :mod:`dhakira.core.law`)."""

from __future__ import annotations

import functools
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from dhakira.core.law.catalogue import (
    CRIME_CATEGORIES,
    DATA_DIR,
    ELEMENT_TYPES,
    EVIDENCE_CATEGORIES,
    BearsOn,
    Catalogue,
    Crime,
    Element,
    LiabilityMode,
    Routing,
)
from dhakira.core.law.errors import CatalogueError

FILES = ("elements.yaml", "crimes.yaml", "liability.yaml")


def read_catalogue(directory: Path) -> Catalogue:
    """Read the three YAML files in ``directory`` and return a validated catalogue."""
    docs = [_read_yaml(directory / name) for name in FILES]
    try:
        catalogue = _build(*docs)
        problems = validate(catalogue)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        # A value of the wrong shape (a list where a mapping belongs, a mapping as a tag).
        raise CatalogueError(f"malformed catalogue entry in {directory}: {exc!r:.200}") from None
    if problems:
        raise CatalogueError("invalid element catalogue:\n  " + "\n  ".join(problems))
    return catalogue


def _build(elements_doc: dict[str, Any], crimes_doc: dict[str, Any],
           liability_doc: dict[str, Any]) -> Catalogue:
    elements = [_element(raw) for raw in _entries(elements_doc, "elements")]
    crimes = [_crime(raw) for raw in _entries(crimes_doc, "crimes")]
    modes = [_mode(raw) for raw in _entries(liability_doc, "modes")]
    return Catalogue(
        version=str(elements_doc.get("version", "unversioned")),
        elements=MappingProxyType(_unique(elements, "element")),
        crimes=MappingProxyType(_unique(crimes, "crime")),
        modes=MappingProxyType(_unique(modes, "mode of liability")),
        ground_tags=_strs(crimes_doc, "ground_tags"),
        involvement_degrees=_strs(liability_doc, "involvement_degrees"),
    )


def _entries(doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = doc.get(key) or []
    if not isinstance(value, list) or not all(isinstance(raw, dict) for raw in value):
        raise ValueError(f"{key} must be a list of mappings")
    return value


def validate(catalogue: Catalogue) -> list[str]:
    """Return every consistency problem in a catalogue (empty when valid)."""
    problems: list[str] = []
    for element in catalogue.elements.values():
        problems += _element_problems(element, catalogue)
    for crime in catalogue.crimes.values():
        problems += _crime_problems(crime, catalogue)
    for mode in catalogue.modes.values():
        unknown = set(mode.from_involvement_degrees) - set(catalogue.involvement_degrees)
        if unknown:
            problems.append(f"{mode.id}: involvement degrees not in the catalogue: "
                            f"{sorted(unknown)}")
    cycle = find_cycle({e.id: e.requires for e in catalogue.elements.values()})
    if cycle:
        problems.append("requires has a cycle: " + " -> ".join(cycle))
    return problems


def find_cycle(graph: dict[str, tuple[str, ...]]) -> list[str]:
    """Return one cycle in ``graph`` as a path of ids (first id repeated at the end), or []."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in graph:
        if state.get(start):
            continue
        path: list[str] = [start]
        stack = [iter(graph.get(start, ()))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph.get(nxt, ())))
    return []


def _element_problems(element: Element, catalogue: Catalogue) -> list[str]:
    problems = []
    if element.element_type not in ELEMENT_TYPES:
        problems.append(
            f"{element.id}: element_type {element.element_type!r} not in {ELEMENT_TYPES}"
        )
    for dep in element.requires:
        if dep not in catalogue.elements:
            problems.append(f"{element.id}: requires unknown element {dep!r}")
    bad_categories = set(element.evidence_category) - set(EVIDENCE_CATEGORIES)
    if bad_categories:
        problems.append(f"{element.id}: unknown evidence_category {sorted(bad_categories)}")
    bad_tags = set(element.bears_on.ground_tags) | {tag for tag, _ in element.ground_notes}
    bad_tags -= set(catalogue.ground_tags)
    if bad_tags:
        problems.append(f"{element.id}: ground tags not in the catalogue: {sorted(bad_tags)}")
    if not element.text_en.strip() or not element.text_ar.strip():
        problems.append(f"{element.id}: text_en and text_ar are both required")
    return problems


def _crime_problems(crime: Crime, catalogue: Catalogue) -> list[str]:
    problems = []
    if crime.category not in CRIME_CATEGORIES:
        problems.append(f"{crime.id}: category {crime.category!r} not in {CRIME_CATEGORIES}")
    if not crime.elements:
        problems.append(f"{crime.id}: a crime needs at least one element")
    for element_id in (*crime.elements, *crime.contextual):
        if element_id not in catalogue.elements:
            problems.append(f"{crime.id}: unknown element {element_id!r}")
    routing = crime.routing
    tags = set(routing.requires_ground_tags_any) | set(routing.excluded_ground_tags)
    if tags - set(catalogue.ground_tags):
        problems.append(
            f"{crime.id}: routing names ground tags not in the catalogue: "
            f"{sorted(tags - set(catalogue.ground_tags))}"
        )
    if not crime.name_en.strip() or not crime.name_ar.strip():
        problems.append(f"{crime.id}: name_en and name_ar are both required")
    return problems


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            doc = yaml.safe_load(handle)
    except FileNotFoundError:
        raise CatalogueError(f"catalogue file {path} is missing") from None
    except UnicodeDecodeError:
        raise CatalogueError(f"catalogue file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise CatalogueError(f"catalogue file {path} cannot be read ({exc.strerror})") from None
    except (yaml.YAMLError, RecursionError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CatalogueError(f"catalogue file {path} is not valid YAML: {first}") from None
    if not isinstance(doc, dict):
        raise CatalogueError(f"catalogue file {path} must hold a mapping at the top level")
    return doc


def _unique(entries: list[Any], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in entries:
        if entry.id in out:
            raise CatalogueError(f"duplicate {what} id {entry.id!r}")
        out[entry.id] = entry
    return out


def _strs(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key) or ()
    if not isinstance(value, list | tuple) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
        raise ValueError(f"{raw.get('id')}: {key} must be a list of names")
    return tuple(str(v) for v in value)


def _element(raw: dict[str, Any]) -> Element:
    bears = raw.get("bears_on") or {}
    return Element(
        id=str(raw["id"]),
        instrument=str(raw["instrument"]),
        article=str(raw["article"]),
        element_type=str(raw["element_type"]),
        text_en=" ".join(str(raw["text_en"]).split()),
        text_ar=" ".join(str(raw["text_ar"]).split()),
        requires=_strs(raw, "requires"),
        evidence_category=_strs(raw, "evidence_category"),
        bears_on=BearsOn(
            *(_strs(bears, k) for k in ("act_types", "methods", "grounds", "ground_tags"))
        ),
        verify_against_official=bool(raw.get("verify_against_official", False)),
        corroboration_required=bool(raw.get("corroboration_required", True)),
        ground_notes=tuple(
            (str(k), " ".join(str(v).split())) for k, v in (raw.get("ground_notes") or {}).items()
        ),
    )


def _crime(raw: dict[str, Any]) -> Crime:
    routing = raw.get("routing") or {}
    return Crime(
        id=str(raw["id"]),
        name_en=str(raw["name_en"]),
        name_ar=str(raw["name_ar"]),
        instrument=str(raw["instrument"]),
        article=str(raw["article"]),
        category=str(raw["category"]),
        elements=_strs(raw, "elements"),
        contextual=_strs(raw, "contextual"),
        routing=Routing(
            requires_ground_tags_any=_strs(routing, "requires_ground_tags_any"),
            excluded_ground_tags=_strs(routing, "excluded_ground_tags"),
            requires_protected_group=bool(routing.get("requires_protected_group", False)),
            requires_act_types_any=_strs(routing, "requires_act_types_any"),
        ),
        verify_against_official=bool(raw.get("verify_against_official", False)),
    )


def _mode(raw: dict[str, Any]) -> LiabilityMode:
    return LiabilityMode(
        id=str(raw["id"]),
        article=str(raw["article"]),
        name_en=str(raw["name_en"]),
        name_ar=str(raw["name_ar"]),
        text_en=" ".join(str(raw["text_en"]).split()),
        text_ar=" ".join(str(raw["text_ar"]).split()),
        from_involvement_degrees=_strs(raw, "from_involvement_degrees"),
        kind=str(raw.get("kind", "mode")),
        genocide_only=bool(raw.get("genocide_only", False)),
        verify_against_official=bool(raw.get("verify_against_official", False)),
    )


@functools.lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """Load, validate and cache the catalogue shipped in ``dhakira/core/law/data``.

    Returns:
        The same frozen :class:`Catalogue` on every call.

    Raises:
        CatalogueError: if the shipped data is inconsistent.
    """
    return load_catalogue_from(DATA_DIR)


def load_catalogue_from(directory: Path | str) -> Catalogue:
    """Load and validate a catalogue from a directory (not cached; for tests and drafts).

    Args:
        directory: a folder holding ``elements.yaml``, ``crimes.yaml`` and ``liability.yaml``.

    Returns:
        A validated :class:`Catalogue`.

    Raises:
        CatalogueError: if a file is missing or malformed, an id is dangling or duplicated,
            or ``requires`` has a cycle.
    """
    return read_catalogue(Path(directory))
