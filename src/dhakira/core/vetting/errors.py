"""Errors of the vetting core."""

from dhakira.errors import DhakiraError


class VettingError(DhakiraError):
    """A vetting step, comment or task that cannot be recorded as asked."""


class OutOfOrder(VettingError):
    """A status change the order of vetting does not allow (e.g. recorded straight to vetted)."""


class UnknownStatus(VettingError):
    """A status that is not one of :data:`dhakira.core.vetting.STATUSES`."""
