"""Named errors of the estimation core."""

from collections.abc import Mapping
from typing import Any

from dhakira.errors import DhakiraError


class EstimateError(DhakiraError):
    """Base class of every error raised by :mod:`dhakira.core.counting`.

    The message is English (the core has no catalogue). A refusal a reader may meet (too few
    or too many lists for a method) also carries ``code`` and ``params``, as the counting
    app's errors do, so that a shell can say it again in the reader's language:
    ``too_few_lists`` and ``too_many_lists`` (``method``; ``lists``, how many; ``limit``, the
    most the method takes, for too many).
    """

    def __init__(self, message: str, *, code: str = "",
                 params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})


class TableError(EstimateError):
    """A capture table is malformed (bad pattern, negative count, wrong total)."""


class ModelError(EstimateError):
    """A log-linear model cannot be fitted as asked (unknown list, non-identifiable term)."""
