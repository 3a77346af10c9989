"""Named errors of the legal app."""

from dhakira.errors import DhakiraError


class LegalError(DhakiraError):
    """A legal-analysis operation cannot be done as asked."""


class UnknownItem(LegalError):
    """An item uid names no information, act or evidence item in the dossier."""


class UnknownCharge(LegalError):
    """No charge has that id; list them with ``dhakira brief --list-charges``."""


class NotAllowed(LegalError):
    """The user's role may read legal analysis but not change it."""
