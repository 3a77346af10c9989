"""Named errors of :mod:`dhakira.core.names`."""

from __future__ import annotations

from dhakira.errors import DhakiraError


class NamesError(DhakiraError):
    """Base class of errors raised by dhakira.core.names."""


class EmptyNameError(NamesError, ValueError):
    """The text holds no name: no letters remain after removing punctuation and titles."""

    def __init__(self, text: str) -> None:
        super().__init__(
            f"no name found in {text!r}: give at least one name word "
            "(titles such as Sheikh or الحاج alone are not a name)"
        )
        self.text = text
