"""Named errors of :mod:`dhakira.core.importing`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dhakira.errors import DhakiraError


class ImportingError(DhakiraError):
    """Base class of the errors raised by :mod:`dhakira.core.importing`."""


class MappingError(ImportingError):
    """The mapping file is wrong: it names the file and what to fix (``code`` and
    ``params``, with ``source`` among them, for the reader's language)."""

    def __init__(self, source: str, message: str, *, code: str = "",
                 params: Mapping[str, Any] | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}", code=code,
                         params={**(params or {}), "source": source})


class TableError(ImportingError):
    """The table cannot be read at all (not one row could be trusted): file and, where
    known, the row."""

    def __init__(self, source: str, message: str, row: int | None = None, *, code: str = "",
                 params: Mapping[str, Any] | None = None) -> None:
        self.source = source
        self.row = row
        where = f"{source}, row {row}" if row is not None else source
        super().__init__(f"{where}: {message}", code=code,
                         params={**(params or {}), "source": source, "row": row})
