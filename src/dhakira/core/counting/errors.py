"""Named errors of the estimation core."""

from dhakira.errors import DhakiraError


class EstimateError(DhakiraError):
    """Base class of every error raised by :mod:`dhakira.core.counting`."""


class TableError(EstimateError):
    """A capture table is malformed (bad pattern, negative count, wrong total)."""


class ModelError(EstimateError):
    """A log-linear model cannot be fitted as asked (unknown list, non-identifiable term)."""
