"""Named errors of :mod:`dhakira.core.dates`."""

from dhakira.errors import DhakiraError


class DatesError(DhakiraError):
    """Base class of the errors raised by :mod:`dhakira.core.dates`."""


class EmptyDateText(DatesError):
    """The date text is empty or only whitespace.

    An empty answer is not a date: store "no date given" as a missing value, not as a
    :class:`~dhakira.core.dates.FuzzyDate`.
    """

    def __init__(self) -> None:
        super().__init__(
            "The date text is empty. Leave the date blank instead of parsing an empty string."
        )


class UnknownCalendar(DatesError):
    """A calendar name other than 'gregorian' or 'hijri' was given."""

    def __init__(self, calendar: str) -> None:
        self.calendar = calendar
        super().__init__(f"Unknown calendar {calendar!r}. Use 'gregorian' or 'hijri'.")


class InvalidFuzzyDate(DatesError):
    """A FuzzyDate was built with inconsistent fields (e.g. earliest after latest)."""
