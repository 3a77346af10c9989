"""A refused row's reason in the reader's language, for the wizard's page and the command."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dhakira.core.importing import Refusal


def reason(refusal: Refusal) -> str:
    """A refusal's reason in the active language: the core's template looked up in the
    catalogue, its values put in (a reason the catalogue lacks is shown as the core words it)."""
    if refusal.said is None:
        return refusal.reason
    template = _(refusal.said.template)  # the msgids are the core's templates (messages.ALL)
    return template % dict(refusal.said.params) if refusal.said.params else template
