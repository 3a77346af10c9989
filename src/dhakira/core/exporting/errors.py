"""Named errors of :mod:`dhakira.core.exporting`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dhakira.errors import DhakiraError


class ExportingError(DhakiraError):
    """Base class of the errors raised by :mod:`dhakira.core.exporting`."""


class BadDocument(ExportingError):
    """An ESF document or Uwazi table cannot be read back; the message names the file and
    the record or row."""

    exit_code = 65

    def __init__(self, source: str, message: str, *, code: str = "",
                 params: Mapping[str, Any] | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}", code=code,
                         params={**(params or {}), "source": source})


class UnknownFormat(ExportingError):
    """An export format we do not write; the message names the ones there are."""

    exit_code = 64


class SeparatorInValue(ExportingError):
    """A value of a record (a name) holds ``|``, Uwazi's separator of values: it would be read
    back as two. ``record`` is the record's id; the value itself is named in the message only."""

    def __init__(self, record: str, value: str, separator: str) -> None:
        self.record = record
        super().__init__(f"{record}: {value!r} holds {separator!r}, Uwazi's separator of "
                         "values; use the ESF format for it", code="uwazi_separator",
                         params={"record": record, "separator": separator})
