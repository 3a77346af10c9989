"""A refused row's reason in the reader's language, for the wizard's page and the command."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from dhakira.core.importing import Refusal
from dhakira.core.importing.messages import words


def reason(refusal: Refusal) -> str:
    """A refusal's reason in the active language: the core's template looked up in the
    catalogue, its values put in (a reason the catalogue lacks is shown as the core words it)."""
    if refusal.said is None:
        return refusal.reason
    # The msgids are the core's templates (messages.ALL; a counting one with its plural).
    return words(refusal.said.template, dict(refusal.said.params), gettext, ngettext)
