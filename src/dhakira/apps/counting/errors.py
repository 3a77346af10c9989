"""Named errors of the counting app."""

from dhakira.errors import DhakiraError


class CountingError(DhakiraError):
    """Base class of every error raised by :mod:`dhakira.apps.counting`."""


class DefinitionError(CountingError):
    """A list or strata definition is malformed (unknown dimension, bad JSON)."""


class NoResolutionError(CountingError):
    """No linkage run exists, so victims cannot be counted as resolved people."""


class ResolutionError(CountingError):
    """A resolution file cannot be read (not JSON, bad person ids)."""
