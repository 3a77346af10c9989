"""Named errors of the vetting app; each refusal is also a custody entry."""

from dhakira.core.vetting.errors import VettingError


class Refused(VettingError):
    """A vetting action the acting user may not take (role, scope, expiry, consent)."""

    exit_code = 64
