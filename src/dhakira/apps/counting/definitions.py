"""What counts as a list and what as a stratum: analyst settings as plain data.

Both definitions round-trip through JSON (``to_json``/``from_json``) so that a run records
exactly how its capture histories were built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dhakira.apps.counting.errors import DefinitionError

__all__ = ["LIST_DIMENSIONS", "STRATA_DIMENSIONS", "ListDefinition", "StrataDefinition"]

# What a list can be: the report's source network (default), the source itself (an
# organisation or informant keeps its own list), the report's type of material, its channel.
LIST_DIMENSIONS = ("network", "organisation", "material_type", "channel")
STRATA_DIMENSIONS = ("year", "half_year", "district", "act_type", "sex")


def _settings(unknown: set[str]) -> str:
    """``setting ['x']`` or ``settings ['x', 'y']``: the unknown keys of a definition."""
    return f"{'setting' if len(unknown) == 1 else 'settings'} {sorted(unknown)}"


@dataclass(frozen=True)
class ListDefinition:
    """How reports are grouped into the lists of a capture table.

    Attributes:
        by: one of ``LIST_DIMENSIONS``.
        include: the values that are lists, in table order; empty means every value found
            (sorted). Reports with other or blank values are on no list.
        merge: value -> list name, to combine several values into one list.
    """

    by: str = "network"
    include: tuple[str, ...] = ()
    merge: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.by not in LIST_DIMENSIONS:
            raise DefinitionError(f"lists by {self.by!r}? use one of {', '.join(LIST_DIMENSIONS)}")
        object.__setattr__(self, "include", tuple(str(v) for v in self.include))
        object.__setattr__(self, "merge", MappingProxyType(
            {str(k): str(v) for k, v in dict(self.merge).items()}))

    def list_of(self, value: str) -> str | None:
        """Return the list a report with this value belongs to, or None."""
        if not value or (self.include and value not in self.include):
            return None
        return self.merge.get(value, value)

    def order(self, found: set[str]) -> tuple[str, ...]:
        """Return the list names in table order, given the names found in the data."""
        if self.include:
            return tuple(dict.fromkeys(self.merge.get(v, v) for v in self.include))
        return tuple(sorted(found))

    def to_json(self) -> dict[str, Any]:
        """Return the definition as JSON-ready data."""
        return {"by": self.by, "include": list(self.include), "merge": dict(self.merge)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> ListDefinition:
        """Read a definition from :meth:`to_json` data, or from a bare dimension name.

        Raises:
            DefinitionError: on unknown keys or dimensions.
        """
        if isinstance(data, str):
            return cls(by=data)
        unknown = set(data) - {"by", "include", "merge"}
        if unknown:
            raise DefinitionError(f"unknown list {_settings(unknown)}")
        return cls(by=str(data.get("by", "network")), include=tuple(data.get("include", ())),
                   merge=dict(data.get("merge", {})))


@dataclass(frozen=True)
class StrataDefinition:
    """How resolved victims are split into strata, each estimated separately.

    Attributes:
        by: dimensions from ``STRATA_DIMENSIONS``; empty means one stratum, ``"all"``.
    """

    by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "by", tuple(self.by))
        bad = [d for d in self.by if d not in STRATA_DIMENSIONS]
        if bad:
            raise DefinitionError(
                f"strata by {bad}? use any of {', '.join(STRATA_DIMENSIONS)}")
        if len(set(self.by)) != len(self.by) or {"year", "half_year"} <= set(self.by):
            raise DefinitionError("name each stratum dimension once (and year or half_year)")

    def to_json(self) -> dict[str, Any]:
        """Return the definition as JSON-ready data."""
        return {"by": list(self.by)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> StrataDefinition:
        """Read a definition from :meth:`to_json` data, or ``"year,district"`` text.

        Raises:
            DefinitionError: on unknown keys or dimensions.
        """
        if isinstance(data, str):
            parts = [p.strip() for p in data.split(",") if p.strip() and p.strip() != "none"]
            return cls(by=tuple(parts))
        unknown = set(data) - {"by"}
        if unknown:
            raise DefinitionError(f"unknown strata {_settings(unknown)}")
        return cls(by=tuple(str(d) for d in data.get("by", ())))
