"""Named errors of the disclosure core."""

from __future__ import annotations

from dhakira.errors import DhakiraError


class DisclosureError(DhakiraError):
    """Base class of every error the disclosure core raises."""


class PackageError(DisclosureError):
    """A package cannot be built as asked (bad id, duplicate path, already finished)."""


class RedactionError(DisclosureError):
    """Redaction cannot proceed safely (unknown policy, missing secret, unreadable image)."""


class SealError(DisclosureError):
    """A package cannot be sealed to the recipient (bad age public key)."""
