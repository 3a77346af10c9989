"""Named errors of the estimation core."""

from dhakira.errors import DhakiraError


class EstimateError(DhakiraError):
    """Base class of every error raised by :mod:`dhakira.core.counting`.

    The message is English (the core has no catalogue). A refusal a reader may meet (too few
    or too many lists for a method) also carries a ``code`` and ``params`` (as every
    :class:`DhakiraError` may), so that a shell can say it again in the reader's language:
    ``too_few_lists`` and ``too_many_lists`` (``method``; ``lists``, how many; ``limit``, the
    most the method takes, for too many).
    """


class TableError(EstimateError):
    """A capture table is malformed (bad pattern, negative count, wrong total)."""


class ModelError(EstimateError):
    """A log-linear model cannot be fitted as asked (unknown list, non-identifiable term)."""


class NoFiniteModel(ModelError):
    """No log-linear model has a finite estimate on a table (zero cells leave the unseen
    unbounded in every model): code ``no_finite_model``. One stratum of several so refused is
    kept as unbounded, as the independence model says it; a whole table is refused."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="no_finite_model")
