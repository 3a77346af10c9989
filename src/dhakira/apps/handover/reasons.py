"""Why an item is left out of a package, in the reader's language (the web's package check and
``dhakira package`` say the same words, through the catalogue).

The gate and the planner (:mod:`dhakira.apps.handover.gate`, :mod:`dhakira.apps.handover.build`) keep
their reasons in English, as the disclosure log and the package summary record them; this
module only words them for a reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dhakira.apps.handover.gate import ConsentCheck

_PERSON = re.compile(r"^P-(\d{6}): ")
_REPORT = re.compile(r"^its report (I-\d+) is blocked$")
_PARENT = re.compile(r"^its family parent (EV-\d+) is blocked$")
_COMPARTMENT = re.compile(r"^restricted to the (\S+) compartment; the acting user is not cleared$")
# An evidence file's reasons (:mod:`dhakira.apps.handover._evidence`, faces' ``Blocked``).
_HITS = re.compile(r"^holds a protected name or value \(([\d,]+) hits?\)$")
_FACES = re.compile(r"^([\d,]+) faces? found in it awaits? an analyst's decision on the item page$")
_REDACT_FIRST = "record a redacted derived copy of it first"
# The note a reason carries when the decision was recorded on another mention of the person
# (gate.recorded_on; build._unveiled's words for one the reader may not see).
_RECORDED_ON = re.compile(r"recorded on (P-\d+), the same person")
_RECORDED_ELSEWHERE = "recorded on another record of the same person"


def why(check: ConsentCheck) -> str:
    """The gate's reason for one person, in the reader's language."""
    if check.why == "other_recipient":
        return _("no consent for this recipient (consent for this use was given to %(others)s)"
                 ) % {"others": ", ".join(check.others)}
    # Only the one reason is translated: a wide check words a few thousand of them.
    if check.why == "absent":
        return _("no consent for this use")
    if check.why == "refused":
        return _("consent refused")
    if check.why == "withdrawn":
        return _("consent withdrawn")
    if check.why == "ask_again":
        return _("consent to be asked again")
    return check.reason


def in_words(reasons: list[str], checks: dict[int, ConsentCheck]) -> list[tuple[str, str]]:
    """(person uid or '', reason in the reader's language) for each of an item's reasons.
    A decision recorded on another mention of the person says so, as the English reason does
    (without it, a mention on which nothing was recorded read "consent withdrawn")."""
    out = []
    for reason in reasons:
        found = _PERSON.match(reason)
        check = checks.get(int(found.group(1))) if found else None
        if check is None:
            out.append(("", _other(reason)))
            continue
        said = why(check)
        if other := _RECORDED_ON.search(reason):
            said += " " + _("(recorded on %(uid)s, the same person)") % {"uid": other.group(1)}
        elif _RECORDED_ELSEWHERE in reason:
            said += " " + _("(recorded on another record of the same person)")
        out.append((check.person, said))
    return out


def _other(reason: str) -> str:
    if found := _REPORT.match(reason):
        return _("its report %(uid)s is blocked") % {"uid": found.group(1)}
    if found := _PARENT.match(reason):
        return _("its family parent %(uid)s is blocked") % {"uid": found.group(1)}
    if found := _COMPARTMENT.match(reason):
        return _("restricted to the %(compartment)s compartment; the acting user is not "
                 "cleared") % {"compartment": found.group(1)}
    if found := _HITS.match(reason):
        n = int(found.group(1).replace(",", ""))
        return ngettext("holds a protected name or value (%(n)s hit)",
                        "holds a protected name or value (%(n)s hits)", n) % {"n": f"{n:,}"}
    if found := _FACES.match(reason):
        n = int(found.group(1).replace(",", ""))
        return ngettext("%(n)s face found in it awaits an analyst's decision on the item page",
                        "%(n)s faces found in it await an analyst's decision on the item page",
                        n) % {"n": f"{n:,}"}
    if reason == _REDACT_FIRST:
        return _("record a redacted derived copy of it first")
    return reason


#: How many left-out items a check names under each reason; the rest are counted ("and K
#: more"). A wide selection on the demo left about 6,100 items out: one page naming them all
#: took five seconds to answer and could not be read.
FIRST = 20


@dataclass(frozen=True)
class Group:
    """The items left out for one reason.

    Attributes:
        words: the reason in the reader's language, without any item's or person's id.
        count: how many items are left out for it (an item with two reasons is in two groups).
        first: the first :data:`FIRST` of them (uid order), each with all its reasons as
            :func:`in_words` words them.
    """

    words: str
    count: int
    first: tuple[tuple[str, list[tuple[str, str]]], ...]

    @property
    def more(self) -> int:
        """How many items of the group are counted but not named."""
        return self.count - len(self.first)


def _kind(reason: str, checks: dict[int, ConsentCheck]) -> str:
    """One reason's kind in the reader's language, with no id in it (ids are what differ
    between items; the kind is what a legal officer counts)."""
    found = _PERSON.match(reason)
    if found and (check := checks.get(int(found.group(1)))) is not None:
        return why(check)
    if _REPORT.match(reason):
        return _("its report is blocked")
    if _PARENT.match(reason):
        return _("its family parent is blocked")
    if _HITS.match(reason):
        return _("holds a protected name or value")
    if _FACES.match(reason):
        return _("faces found in it await an analyst's decision on the item page")
    return _other(reason)


def grouped(blocked: Mapping[str, list[str]], checks: dict[int, ConsentCheck], *,
            first: int = FIRST) -> list[Group]:
    """The left-out items grouped by reason, the commonest reason first, each group naming
    its first ``first`` items (uid order) and counting the rest.

    Args:
        blocked: uid -> the planner's reasons (English), as :class:`build.Plan` holds them.
        checks: person pk -> consent check, to word the consent reasons.
        first: how many items each group names.
    """
    members: dict[str, list[str]] = {}
    for uid in sorted(blocked):
        for kind in dict.fromkeys(_kind(r, checks) for r in blocked[uid]):
            members.setdefault(kind, []).append(uid)
    return [Group(words=kind, count=len(uids),
                  first=tuple((uid, in_words(blocked[uid], checks)) for uid in uids[:first]))
            for kind, uids in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
