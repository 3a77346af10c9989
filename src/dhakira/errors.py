"""The root of Dhakira's named errors.

Every core package defines its own ``errors.py`` with subclasses of :class:`DhakiraError`.
Messages say what is wrong and, where there is one, how to fix it. The CLI turns any
``DhakiraError`` into one line on stderr and a non-zero exit.
"""


class DhakiraError(Exception):
    """Base class of every error Dhakira raises on purpose."""

    exit_code: int = 1
