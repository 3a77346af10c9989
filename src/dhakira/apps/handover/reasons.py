"""Why an item is left out of a package, in the reader's language (the web's package check and
``dhakira package`` say the same words, through the catalogue).

The gate and the planner (:mod:`dhakira.apps.handover.gate`, :mod:`dhakira.apps.handover.build`) keep
their reasons in English, as the disclosure log and the package summary record them; this
module only words them for a reader.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from dhakira.apps.handover.gate import ConsentCheck

_PERSON = re.compile(r"^P-(\d{6}): ")
_REPORT = re.compile(r"^its report (I-\d+) is blocked$")
_PARENT = re.compile(r"^its family parent (EV-\d+) is blocked$")
_COMPARTMENT = re.compile(r"^restricted to the (\S+) compartment; the acting user is not cleared$")


def why(check: ConsentCheck) -> str:
    """The gate's reason for one person, in the reader's language."""
    if check.why == "other_recipient":
        return _("no consent for this recipient (consent for this use was given to %(others)s)"
                 ) % {"others": ", ".join(check.others)}
    return {"absent": _("no consent for this use"), "refused": _("consent refused"),
            "withdrawn": _("consent withdrawn"),
            "ask_again": _("consent to be asked again")}.get(check.why, check.reason)


def in_words(reasons: list[str], checks: dict[int, ConsentCheck]) -> list[tuple[str, str]]:
    """(person uid or '', reason in the reader's language) for each of an item's reasons."""
    out = []
    for reason in reasons:
        found = _PERSON.match(reason)
        check = checks.get(int(found.group(1))) if found else None
        out.append((check.person, why(check)) if check else ("", _other(reason)))
    return out


def _other(reason: str) -> str:
    if found := _REPORT.match(reason):
        return _("its report %(uid)s is blocked") % {"uid": found.group(1)}
    if found := _PARENT.match(reason):
        return _("its family parent %(uid)s is blocked") % {"uid": found.group(1)}
    if found := _COMPARTMENT.match(reason):
        return _("restricted to the %(compartment)s compartment; the acting user is not "
                 "cleared") % {"compartment": found.group(1)}
    return reason
