"""Named errors of the vetting app; each refusal is also a custody entry."""

from dhakira.core.vetting.errors import VettingError


class Refused(VettingError):
    """A vetting action the acting user may not take (role, scope, expiry, consent).

    ``why`` is the refusal's kind as recorded in custody (``role``, ``outside scope``,
    ``expired``, ``revoked``, ``not visible``, ``no consent``, ``not assignee``, ``no grant``):
    pages show a message in the reader's language chosen by it.
    """

    exit_code = 64

    def __init__(self, message: str, why: str = "") -> None:
        super().__init__(message)
        self.why = why
