"""Named errors of the dossier."""

from dhakira.errors import DhakiraError


class DossierError(DhakiraError):
    """A dossier operation cannot be done as asked."""


class NotCleared(DossierError):
    """The user is not cleared for the compartment of a protected field."""


class UnknownProtectedField(DossierError):
    """No protected field of that name is registered for the model."""


class NotAuthenticated(DossierError):
    """A user name and password did not match an active account."""

    exit_code = 2


class AccountRefused(DossierError):
    """An account change or an approval is refused (weak password, role, unsettled account)."""

    exit_code = 64
