"""Named errors of protection casework."""

from dhakira.errors import DhakiraError


class ProtectionError(DhakiraError):
    """A protection-casework action cannot be done as asked."""


class InvalidTransition(ProtectionError):
    """The workflow does not allow moving a case from one status to another."""


class SealedCase(ProtectionError):
    """A sealed case is opened only after a second cleared user approved the request."""


class NotAllowed(ProtectionError):
    """The user may not do this (views turn it into a 404 so nothing leaks)."""
