"""The element catalogue: crimes, their elements and modes of liability, loaded from YAML.

Element texts are paraphrases of the ICC Elements of Crimes, never quotations; see
``docs/law.md``. The catalogue is read-only data: :func:`load_catalogue` returns the same
frozen object on every call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dhakira.core.law.errors import (
    UnknownCrimeError,
    UnknownElementError,
    UnknownGroundTagError,
    UnknownLiabilityModeError,
)

ELEMENT_TYPES = ("conduct", "consequence", "circumstance", "mental", "contextual")
CRIME_CATEGORIES = ("cah", "genocide", "war_crime")
EVIDENCE_CATEGORIES = ("crime_base", "contextual", "linkage")
DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class BearsOn:
    """Vocabulary codes whose presence in an act makes it relevant to an element."""

    act_types: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    grounds: tuple[str, ...] = ()
    ground_tags: tuple[str, ...] = ()

    def matches_act(self, act_type: str | None, method: str | None) -> bool:
        """Return True if the act type or the method is listed."""
        return (act_type is not None and act_type in self.act_types) or (
            method is not None and method in self.methods
        )

    def matches(
        self,
        act_type: str | None,
        method: str | None,
        ground: str | None,
        ground_tags: Iterable[str],
    ) -> bool:
        """Return True if any of the act's codes is listed."""
        if self.matches_act(act_type, method):
            return True
        if ground is not None and ground in self.grounds:
            return True
        return bool(set(ground_tags) & set(self.ground_tags))

    def to_dict(self) -> dict[str, list[str]]:
        """Return a JSON-ready dict."""
        return {
            "act_types": list(self.act_types),
            "methods": list(self.methods),
            "grounds": list(self.grounds),
            "ground_tags": list(self.ground_tags),
        }


@dataclass(frozen=True)
class Element:
    """One element of a crime (a paraphrase; check against the official text)."""

    id: str
    instrument: str
    article: str
    element_type: str
    text_en: str
    text_ar: str
    requires: tuple[str, ...] = ()
    evidence_category: tuple[str, ...] = ()
    bears_on: BearsOn = field(default_factory=BearsOn)
    verify_against_official: bool = False
    # ICC Rule 63(4): False marks elements (sexual violence) where a single origin must
    # never be presented as a legal bar.
    corroboration_required: bool = True
    ground_notes: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "id": self.id,
            "instrument": self.instrument,
            "article": self.article,
            "element_type": self.element_type,
            "text_en": self.text_en,
            "text_ar": self.text_ar,
            "requires": list(self.requires),
            "evidence_category": list(self.evidence_category),
            "bears_on": self.bears_on.to_dict(),
            "verify_against_official": self.verify_against_official,
            "corroboration_required": self.corroboration_required,
            "ground_notes": dict(self.ground_notes),
        }


@dataclass(frozen=True)
class Routing:
    """When an act may be proposed as a candidate for a crime."""

    requires_ground_tags_any: tuple[str, ...] = ()
    excluded_ground_tags: tuple[str, ...] = ()
    requires_protected_group: bool = False
    requires_act_types_any: tuple[str, ...] = ()

    def admits(self, act_type: str | None, ground_tags: frozenset[str], protected: bool) -> bool:
        """Return True if an act with these attributes may route to the crime."""
        if ground_tags & set(self.excluded_ground_tags):
            return False
        if self.requires_protected_group and not protected:
            return False
        if self.requires_ground_tags_any and not ground_tags & set(self.requires_ground_tags_any):
            return False
        return not self.requires_act_types_any or act_type in self.requires_act_types_any

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "requires_ground_tags_any": list(self.requires_ground_tags_any),
            "excluded_ground_tags": list(self.excluded_ground_tags),
            "requires_protected_group": self.requires_protected_group,
            "requires_act_types_any": list(self.requires_act_types_any),
        }


@dataclass(frozen=True)
class Crime:
    """A crime: its own elements and the contextual elements it also needs."""

    id: str
    name_en: str
    name_ar: str
    instrument: str
    article: str
    category: str
    elements: tuple[str, ...]
    contextual: tuple[str, ...] = ()
    routing: Routing = field(default_factory=Routing)
    verify_against_official: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "id": self.id,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "instrument": self.instrument,
            "article": self.article,
            "category": self.category,
            "elements": list(self.elements),
            "contextual": list(self.contextual),
            "routing": self.routing.to_dict(),
            "verify_against_official": self.verify_against_official,
        }


@dataclass(frozen=True)
class LiabilityMode:
    """A mode of liability (arts. 25, 28) or the default mental element (art. 30)."""

    id: str
    article: str
    name_en: str
    name_ar: str
    text_en: str
    text_ar: str
    from_involvement_degrees: tuple[str, ...] = ()
    kind: str = "mode"
    genocide_only: bool = False
    verify_against_official: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "id": self.id,
            "article": self.article,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "text_en": self.text_en,
            "text_ar": self.text_ar,
            "from_involvement_degrees": list(self.from_involvement_degrees),
            "kind": self.kind,
            "genocide_only": self.genocide_only,
            "verify_against_official": self.verify_against_official,
        }


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The validated, read-only catalogue. Build it with :func:`load_catalogue`."""

    version: str
    elements: Mapping[str, Element]
    crimes: Mapping[str, Crime]
    modes: Mapping[str, LiabilityMode]
    ground_tags: tuple[str, ...]
    involvement_degrees: tuple[str, ...] = ()

    def element(self, element_id: str) -> Element:
        """Return one element.

        Raises:
            UnknownElementError: if the id is not in the catalogue.
        """
        try:
            return self.elements[element_id]
        except KeyError:
            raise UnknownElementError(f"no element {element_id!r} in the catalogue") from None

    def crime(self, crime_id: str) -> Crime:
        """Return one crime.

        Raises:
            UnknownCrimeError: if the id is not in the catalogue.
        """
        try:
            return self.crimes[crime_id]
        except KeyError:
            known = ", ".join(self.crimes)
            raise UnknownCrimeError(f"no crime {crime_id!r}; known crimes: {known}") from None

    def mode(self, mode_id: str) -> LiabilityMode:
        """Return one mode of liability.

        Raises:
            UnknownLiabilityModeError: if the id is not in the catalogue.
        """
        try:
            return self.modes[mode_id]
        except KeyError:
            raise UnknownLiabilityModeError(f"no mode of liability {mode_id!r}") from None

    def elements_for(self, crime_id: str) -> tuple[Element, ...]:
        """Return every element a crime needs: its own first, then the contextual ones.

        Raises:
            UnknownCrimeError: if the crime id is not in the catalogue.
        """
        crime = self.crime(crime_id)
        return tuple(self.elements[e] for e in (*crime.elements, *crime.contextual))

    def candidate_crimes(
        self,
        act_type: str | None,
        method: str | None = None,
        ground_tags: Iterable[str] = (),
        *,
        protected_group: bool = False,
    ) -> list[str]:
        """Propose the crimes an act may support, in catalogue order.

        A crime is proposed when one of its own elements bears on the act type or method and
        its routing admits the act's ground tags. Sexual orientation and gender identity never
        route to genocide; genocide needs a religious/ethnic/national/racial ground *and*
        ``protected_group=True``. This is a suggestion for analysts, not a legal finding.

        Args:
            act_type: the act's type code (e.g. ``killing``).
            method: the method code (e.g. ``thrown_from_height``), if any.
            ground_tags: the ground tags the perpetrator attributed (e.g. ``sexual_orientation``).
            protected_group: True if the victims' group is asserted to be a national,
                ethnical, racial or religious group (genocide).

        Returns:
            Crime ids.

        Raises:
            UnknownGroundTagError: if a ground tag is not in the catalogue.
        """
        tags = self.check_ground_tags(ground_tags)
        return [
            crime.id
            for crime in self.crimes.values()
            if crime.routing.admits(act_type, tags, protected_group)
            and any(self.elements[e].bears_on.matches_act(act_type, method) for e in crime.elements)
        ]

    def candidate_elements(
        self,
        act_type: str | None,
        method: str | None = None,
        ground_tags: Iterable[str] = (),
        *,
        ground: str | None = None,
        protected_group: bool = False,
    ) -> list[str]:
        """Propose the elements an act bears on, across its candidate crimes, without repeats.

        Args:
            act_type: the act's type code.
            method: the method code, if any.
            ground_tags: the ground tags the perpetrator attributed.
            ground: the stated charge/ground code (e.g. ``sodomy``), if any.
            protected_group: as in :meth:`candidate_crimes`.

        Returns:
            Element ids, in catalogue order of the crimes, own elements before contextual.

        Raises:
            UnknownGroundTagError: if a ground tag is not in the catalogue.
        """
        tags = self.check_ground_tags(ground_tags)
        found: dict[str, None] = {}
        for crime_id in self.candidate_crimes(
            act_type, method, tags, protected_group=protected_group
        ):
            for element in self.elements_for(crime_id):
                if element.bears_on.matches(act_type, method, ground, tags):
                    found.setdefault(element.id, None)
        return list(found)

    def modes_for_degree(self, degree: str) -> list[str]:
        """Return the modes of liability a HURIDOCS MT18 degree of involvement suggests."""
        return [m.id for m in self.modes.values() if degree in m.from_involvement_degrees]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of the whole catalogue."""
        return {
            "version": self.version,
            "ground_tags": list(self.ground_tags),
            "involvement_degrees": list(self.involvement_degrees),
            "elements": [e.to_dict() for e in self.elements.values()],
            "crimes": [c.to_dict() for c in self.crimes.values()],
            "modes": [m.to_dict() for m in self.modes.values()],
        }

    def check_ground_tags(self, ground_tags: Iterable[str]) -> frozenset[str]:
        """Return the tags as a frozenset.

        Raises:
            UnknownGroundTagError: if a tag is not in the catalogue.
        """
        tags = frozenset(ground_tags)
        unknown = sorted(tags - set(self.ground_tags))
        if unknown:
            raise UnknownGroundTagError(
                f"ground tags not in the catalogue: {unknown}; use one of "
                f"{list(self.ground_tags)}"
            )
        return tags
