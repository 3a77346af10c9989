"""The plain records an export is made of: what the Django side reads out of the dossier
(already through the consent gate and redaction) and what a reader parses back.

Every record is a frozen dataclass of strings, numbers and tuples, so two exports of the same
records compare equal, and a :class:`Bundle` is sorted by id: the output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """A place of the gazetteer: its id, its names in both languages, and coordinates
    (already coarsened by the redaction policy, or None)."""

    id: str
    name_en: str
    name_ar: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Date:
    """A date as the dossier keeps it: the words as written, the calendar they were read in,
    EDTF, and the ISO bounds (``YYYY-MM-DD`` or empty when unknown)."""

    text: str = ""
    calendar: str = ""
    edtf: str = ""
    earliest: str = ""
    latest: str = ""


@dataclass(frozen=True)
class Person:
    """A victim, a perpetrator, or a person a report names.

    ``id`` is the dossier id (``P-000012``) or, under a policy that hides who people are,
    the per-export code; ``names`` is then empty. ``role`` is the person's part in the
    export: ``victim``, ``perpetrator`` or ``person``.
    """

    id: str
    role: str
    names: tuple[str, ...] = ()
    sex: str = ""
    age: int | None = None
    counting_unit: str = "individual"


@dataclass(frozen=True)
class Event:
    """An event: the frame acts belong to."""

    id: str
    title: str
    description: str = ""
    date: Date = field(default_factory=Date)
    place: Place | None = None
    violation_status: str = ""


@dataclass(frozen=True)
class Act:
    """One act done to one victim in one event (the ESF unit of analysis)."""

    id: str
    event: str
    victim: str
    act_type: str
    method: str = ""
    result: str = ""
    stated_reason: str = ""
    date: Date = field(default_factory=Date)
    place: Place | None = None


@dataclass(frozen=True)
class Involvement:
    """A perpetrator's (or an unnamed unit's) part in an act."""

    id: str
    act: str
    degree: str
    perpetrator: str = ""
    perpetrator_type: str = ""
    certainty: str = ""
    unit_en: str = ""
    unit_ar: str = ""


@dataclass(frozen=True)
class Information:
    """A report's metadata (ESF Information): which source (by code name only), when
    received, and what it is about. The report's words are not part of an export.

    ``compartment`` is the report's own (``sources``, ``sogi``…, or empty): a report only
    people cleared for it may read stays so when it is imported into another vault.
    """

    id: str
    source: str
    received: str
    channel: str = ""
    language: str = ""
    connection: str = ""
    material_type: str = ""
    credibility: int | None = None
    events: tuple[str, ...] = ()
    acts: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    compartment: str = ""


@dataclass(frozen=True)
class Bundle:
    """Everything one export holds, each kind sorted by id."""

    events: tuple[Event, ...] = ()
    acts: tuple[Act, ...] = ()
    persons: tuple[Person, ...] = ()
    involvements: tuple[Involvement, ...] = ()
    information: tuple[Information, ...] = ()

    def sorted(self) -> Bundle:
        """The same records, each kind sorted by id (and each record's lists sorted)."""
        def by_id(items: tuple) -> tuple:  # type: ignore[type-arg]
            return tuple(sorted(items, key=lambda r: r.id))

        info = tuple(Information(**{**i.__dict__, "events": tuple(sorted(i.events)),
                                    "acts": tuple(sorted(i.acts)),
                                    "persons": tuple(sorted(i.persons))})
                     for i in self.information)
        return Bundle(events=by_id(self.events), acts=by_id(self.acts),
                      persons=by_id(self.persons), involvements=by_id(self.involvements),
                      information=by_id(info))


__all__ = ["Act", "Bundle", "Date", "Event", "Information", "Involvement", "Person", "Place"]
