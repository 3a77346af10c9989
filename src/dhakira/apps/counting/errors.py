"""Named errors of the counting app."""

from dhakira.errors import DhakiraError


class CountingError(DhakiraError):
    """Base class of every error raised by :mod:`dhakira.apps.counting`.

    A refusal the reader may meet in either language also carries ``code`` and ``params``:
    what :func:`dhakira.apps.counting.texts.refusal` words again in the active language. The
    message is in the language active where it was raised; an estimate job (run in a thread,
    in the server's language) keeps the code and values, so each reader of its page, and the
    command line, say it in the reader's language.
    """


class DefinitionError(CountingError):
    """A list or strata definition is malformed (unknown dimension, bad JSON)."""


class NoResolutionError(CountingError):
    """No linkage run exists, so victims cannot be counted as resolved people."""


class ResolutionError(CountingError):
    """A resolution file cannot be read (not JSON, bad person ids)."""
