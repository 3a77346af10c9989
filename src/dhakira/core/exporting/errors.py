"""Named errors of :mod:`dhakira.core.exporting`."""

from __future__ import annotations

from dhakira.errors import DhakiraError


class ExportingError(DhakiraError):
    """Base class of the errors raised by :mod:`dhakira.core.exporting`."""


class BadDocument(ExportingError):
    """An ESF document or Uwazi table cannot be read back; the message names the file and
    the record or row."""

    exit_code = 65

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"{source}: {message}")


class UnknownFormat(ExportingError):
    """An export format we do not write; the message names the ones there are."""

    exit_code = 64
