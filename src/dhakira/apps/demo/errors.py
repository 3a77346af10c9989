"""Errors of the demo generator."""

from __future__ import annotations

from dhakira.errors import DhakiraError


class DemoError(DhakiraError):
    """Base of the demo generator's errors."""


class InvalidParameters(DemoError):
    """The requested sizes cannot make a dossier."""
