"""The :class:`FuzzyDate` value type."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal

from dhakira.core.dates.errors import InvalidFuzzyDate, UnknownCalendar

Calendar = Literal["gregorian", "hijri"]
Precision = Literal["day", "month", "season", "year", "range", "unknown"]
Qualifier = Literal["exact", "approximate", "uncertain", "uncertain_approximate"]

CALENDARS: tuple[str, ...] = ("gregorian", "hijri")
PRECISIONS: tuple[str, ...] = ("day", "month", "season", "year", "range", "unknown")
QUALIFIERS: tuple[str, ...] = ("exact", "approximate", "uncertain", "uncertain_approximate")


@dataclass(frozen=True)
class FuzzyDate:
    """A date as a witness or document gave it, with explicit Gregorian bounds.

    Attributes:
        text: the words as given, verbatim (never normalised).
        calendar: 'gregorian' or 'hijri': the calendar the words were in.
        edtf: an EDTF (ISO 8601-2, level 0/1) string for the bounds, or None when the
            text could not be read.
        earliest: first possible Gregorian day (inclusive); None means open or unknown.
        latest: last possible Gregorian day (inclusive); None means open or unknown.
        precision: 'day', 'month', 'season', 'year', 'range' or 'unknown'.
        qualifier: 'exact', 'approximate' (EDTF ``~``), 'uncertain' (``?``) or
            'uncertain_approximate' (``%``). Qualifiers never widen the bounds.
        hijri: the Hijri value as given ("1436-09-05", "1436-09", "1436"), else None.

    A date with ``precision == 'unknown'`` has no bounds and overlaps nothing:

    >>> d = FuzzyDate("2014-10-21", "gregorian", "2014-10-21",
    ...               dt.date(2014, 10, 21), dt.date(2014, 10, 21), "day")
    >>> d.contains(dt.date(2014, 10, 21))
    True
    """

    text: str
    calendar: Calendar
    edtf: str | None
    earliest: dt.date | None
    latest: dt.date | None
    precision: Precision
    qualifier: Qualifier = "exact"
    hijri: str | None = None

    def __post_init__(self) -> None:
        if self.calendar not in CALENDARS:
            raise UnknownCalendar(self.calendar)
        if self.precision not in PRECISIONS:
            raise InvalidFuzzyDate(
                f"Unknown precision {self.precision!r}; use one of {PRECISIONS}."
            )
        if self.qualifier not in QUALIFIERS:
            raise InvalidFuzzyDate(
                f"Unknown qualifier {self.qualifier!r}; use one of {QUALIFIERS}."
            )
        if self.earliest and self.latest and self.earliest > self.latest:
            raise InvalidFuzzyDate(
                f"earliest {self.earliest} is after latest {self.latest}; swap them."
            )
        if self.precision == "unknown" and (self.earliest or self.latest or self.edtf):
            raise InvalidFuzzyDate("An 'unknown' date carries no bounds and no EDTF value.")
        if self.precision != "unknown" and self.earliest is None and self.latest is None:
            raise InvalidFuzzyDate("A date with no bounds at all must have precision 'unknown'.")

    @property
    def is_known(self) -> bool:
        """True when at least one bound is known."""
        return self.precision != "unknown"

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` lies within the bounds (an open bound admits anything).

        Args:
            day: a Gregorian date.

        Returns:
            False for an unknown date: nothing is known to lie within it.

        >>> from dhakira.core.dates import parse_fuzzy_date
        >>> parse_fuzzy_date("before 2015").contains(dt.date(1990, 1, 1))
        True
        """
        if not self.is_known:
            return False
        if self.earliest is not None and day < self.earliest:
            return False
        return self.latest is None or day <= self.latest

    def overlaps(self, other: FuzzyDate) -> bool:
        """Whether the two dates could refer to a common day.

        Args:
            other: another fuzzy date.

        Returns:
            True when the bound intervals share at least one day; False when either date
            is unknown.

        >>> from dhakira.core.dates import parse_fuzzy_date
        >>> parse_fuzzy_date("late October 2014").overlaps(parse_fuzzy_date("2014-10-2X"))
        True
        >>> parse_fuzzy_date("early October 2014").overlaps(parse_fuzzy_date("2014-10-2X"))
        False
        """
        if not (self.is_known and other.is_known):
            return False
        ends_before = (
            self.latest is not None and other.earliest is not None and self.latest < other.earliest
        )
        starts_after = (
            other.latest is not None and self.earliest is not None and other.latest < self.earliest
        )
        return not (ends_before or starts_after)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings); :meth:`from_dict` reverses it."""
        data = asdict(self)
        for key in ("earliest", "latest"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FuzzyDate:
        """Rebuild a date from :meth:`to_dict` output.

        Args:
            data: a mapping with the field names as keys.

        Returns:
            The equal :class:`FuzzyDate`.

        Raises:
            InvalidFuzzyDate: a field is missing or inconsistent.
        """
        try:
            fields = dict(data)
            for key in ("earliest", "latest"):
                if fields.get(key) is not None:
                    fields[key] = dt.date.fromisoformat(fields[key])
            return cls(**fields)
        except (TypeError, ValueError) as exc:
            raise InvalidFuzzyDate(f"Cannot rebuild a FuzzyDate from {data!r}: {exc}") from exc
