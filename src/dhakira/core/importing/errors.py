"""Named errors of :mod:`dhakira.core.importing`."""

from __future__ import annotations

from dhakira.errors import DhakiraError


class ImportingError(DhakiraError):
    """Base class of the errors raised by :mod:`dhakira.core.importing`."""


class MappingError(ImportingError):
    """The mapping file is wrong: it names the file and what to fix."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        super().__init__(f"{source}: {message}")


class TableError(ImportingError):
    """The table cannot be read at all (not one row could be trusted): file and, where
    known, the row."""

    def __init__(self, source: str, message: str, row: int | None = None) -> None:
        self.source = source
        self.row = row
        where = f"{source}, row {row}" if row is not None else source
        super().__init__(f"{where}: {message}")
