"""The consent gate: may this person's material go to this recipient for this purpose, now?

Consent is versioned and never edited (:class:`dhakira.apps.dossier.models.Consent`). For each
person the gate reads, live, the latest version of the chain for the purpose (a consent
scope) and the recipient, matched by its row in the managed list
(:class:`dhakira.apps.dossier.models.Recipient`), never by spelling; a recipient-specific chain
beats a generic one (any recipient of that use), except that a generic refusal, withdrawal or
request to ask again obtained after the recipient's own version blocks it too ("no longer, to
anyone"). ``granted`` passes; ``refused``, ``withdrawn``, ``ask_again`` and no consent at all
block, with the reason.

A person recorded as several mentions (duplicates the linkage found or reviewers merged) is
one person here: the gate reads the consents of every mention of them, and one refusal or
withdrawal blocks them all. A grant, though, passes only across a join a reviewer made (or
on the mention itself): the model's joins are probable, not certain, and one person's consent
must never let another's material go.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace

from dhakira.apps.dossier.models import Consent, Recipient
from dhakira.apps.handover.errors import BadRequest
from dhakira.core.ids import PERSON

_REASONS = {
    Consent.Decision.REFUSED: "consent refused",
    Consent.Decision.WITHDRAWN: "consent withdrawn",
    Consent.Decision.ASK_AGAIN: "consent to be asked again",
}

#: Why a person is blocked, as a stable code (pages translate it): see :attr:`ConsentCheck.why`.
WHY = ("absent", "other_recipient", "refused", "withdrawn", "ask_again")


@dataclass(frozen=True)
class ConsentCheck:
    """The gate's answer for one person.

    Attributes:
        person: the person's uid (``P-000044``).
        ok: whether their material may go.
        decision: the decision of the consent version used, or ``absent``.
        reason: why it is blocked ('' when ok).
        consent_id: primary key of the consent version used (None when absent).
        version: its version number (0 when absent).
        recipient_specific: whether the version names this recipient (else it is generic).
        why: '' when ok, else one of :data:`WHY`.
        others: when ``why`` is ``other_recipient``, the codes of the recipients the person
            did consent to for this use.
    """

    person: str
    ok: bool
    decision: str
    reason: str
    consent_id: int | None
    version: int
    recipient_specific: bool
    why: str = ""
    others: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def check_purpose(purpose: str) -> str:
    """Return ``purpose`` if it is a consent scope code.

    Raises:
        BadRequest: it is not in the consent_scopes vocabulary.
    """
    from dhakira.core.vocabularies import load

    vocab = load("consent_scopes")
    if purpose not in vocab:
        raise BadRequest(f"purpose {purpose!r} is not a consent scope; use one of "
                            f"{', '.join(vocab.codes())}", code="not_a_consent_scope",
                            params={"purpose": purpose, "scopes": list(vocab.codes())})
    return purpose


def _latest(rows: list[Consent]) -> Consent | None:
    return max(rows, key=lambda c: (c.version, c.pk)) if rows else None


def _obtained(c: Consent) -> tuple[object, object, int]:
    return (c.obtained_at, c.recorded_at, c.pk)


def _check(pk: int, rows: list[Consent], recipient: Recipient) -> ConsentCheck:
    specific = _latest([c for c in rows if c.recipient_id == recipient.pk])
    generic = _latest([c for c in rows if c.recipient_id is None])
    chosen = specific or generic
    if (specific is not None and generic is not None
            and generic.decision != Consent.Decision.GRANTED
            and _obtained(generic) > _obtained(specific)):
        # "No longer, to anyone", said after a grant to this recipient, reaches it too.
        chosen = generic
    uid = PERSON.format(pk)
    if chosen is None:
        # Recipients whose own chain grants it now (a grant since withdrawn is no consent).
        chains: dict[int, list[Consent]] = {}
        for c in rows:
            if c.recipient_id is not None:
                chains.setdefault(c.recipient_id, []).append(c)
        latest = [_latest(chain) for chain in chains.values()]
        others = tuple(sorted({c.recipient.code for c in latest if c is not None
                               and c.decision == Consent.Decision.GRANTED}))
        if others:
            return ConsentCheck(uid, False, "absent", "no consent for this recipient (given "
                                f"to {', '.join(others)} only)", None, 0, False,
                                "other_recipient", others)
        return ConsentCheck(uid, False, "absent", "no consent recorded for this purpose",
                            None, 0, False, "absent")
    ok = chosen.decision == Consent.Decision.GRANTED
    reason = "" if ok else _REASONS.get(chosen.decision, f"consent {chosen.decision}")
    mine = chosen is specific
    if not ok:
        reason += (f" (version {chosen.version}, "
                   f"{'for ' + recipient.code if mine else 'generic'})")
    return ConsentCheck(uid, ok, str(chosen.decision), reason, chosen.pk, chosen.version,
                        mine, "" if ok else str(chosen.decision))


def check_consents(person_pks: Iterable[int], *, recipient: Recipient,
                   purpose: str) -> dict[int, ConsentCheck]:
    """Check each person's current consent for ``recipient`` and ``purpose``.

    Args:
        person_pks: primary keys of the persons whose material is selected.
        recipient: the receiving institution, from the managed list.
        purpose: a consent scope code (e.g. ``share_icc``).

    Returns:
        person pk -> :class:`ConsentCheck`.

    Raises:
        BadRequest: the purpose is not a consent scope.
    """
    check_purpose(purpose)
    pks = sorted(set(person_pks))
    people = same_people(pks)
    everyone = {m for members in people.values() for m in members}
    by_person: dict[int, list[Consent]] = {pk: [] for pk in everyone}
    for consent in (Consent.objects.filter(person_id__in=everyone, scope=purpose)
                    .select_related("recipient")):
        by_person[consent.person_id].append(consent)
    own = {pk: _check(pk, rows, recipient) for pk, rows in by_person.items()}
    # A grant speaks only across a join a reviewer made: the model's join of two different
    # people must not let one pass on the other's consent (a refusal it may pass on).
    reviewed = same_people(pks, reviewed_only=True)
    return {pk: _combine(pk, [own[m] for m in sorted(people[pk])],
                         frozenset(PERSON.format(m) for m in reviewed[pk])) for pk in pks}


def said_no(*, recipient: Recipient, purpose: str) -> frozenset[int]:
    """Every mention of every person of the dossier whose own word blocks ``recipient`` for
    ``purpose``: a refusal, a withdrawal or a request to ask again (not the mere want of a
    consent). A text may name such a person though the selection holds nothing of theirs; a
    package must not, under any policy."""
    asked = set(Consent.objects.filter(scope=purpose).values_list("person_id", flat=True))
    if not asked:
        return frozenset()
    checks = check_consents(asked, recipient=recipient, purpose=purpose)
    no = [pk for pk, c in checks.items() if not c.ok and c.decision != "absent"]
    people = same_people(no)
    return frozenset(m for pk in no for m in people[pk])


def same_people(person_pks: Iterable[int], roles: tuple[str, ...] = ("victim",), *,
                reviewed_only: bool = False) -> dict[int, frozenset[int]]:
    """person pk -> every mention of the same person (itself included), by the one
    resolution of each role (:func:`dhakira.apps.linkage.resolution.resolve`); with
    ``reviewed_only``, by the reviewers' decisions alone."""
    from dhakira.apps.linkage.resolution import resolve

    pks = set(person_pks)
    out: dict[int, frozenset[int]] = {pk: frozenset({pk}) for pk in pks}
    for role in roles if pks else ():
        found = resolve(role, persons=pks, reviewed_only=reviewed_only)
        out = {pk: members | found.members(pk) for pk, members in out.items()}
    return out


def recorded_on(uid: str) -> str:
    """The note a person's reason carries when the decision was recorded on another record
    of the same person (a package plan words it otherwise for a record the reader may not
    see beside this one)."""
    return f"recorded on {uid}, the same person"


# Which blocking decision speaks for a person recorded as several mentions (see _combine).
_BLOCKING_ORDER: dict[str, int] = {str(Consent.Decision.WITHDRAWN): 0,
                                   str(Consent.Decision.REFUSED): 1,
                                   str(Consent.Decision.ASK_AGAIN): 2}


def _combine(pk: int, checks: list[ConsentCheck], may_grant: frozenset[str]) -> ConsentCheck:
    """One person recorded as several mentions: a refusal, withdrawal or request to ask
    again recorded on any of them blocks; else a grant passes, recorded on this mention or
    on one a reviewer joined to it (``may_grant``: uids), never on one the model alone
    joined.

    Of several blocking decisions a withdrawal is the one named (then a refusal, then a
    request to ask again), this mention's own first among equals: a withdrawal must reach the
    disclosure log's notices whichever mention it was recorded on, even when this mention
    holds its own "ask again"."""
    uid = PERSON.format(pk)
    mine = next(c for c in checks if c.person == uid)
    blocking = [c for c in checks if not c.ok and c.decision != "absent"]
    if blocking:
        chosen = min(blocking, key=lambda c: (_BLOCKING_ORDER.get(c.decision, len(_BLOCKING_ORDER)),
                                              c.person != uid))
    else:
        chosen = next((c for c in checks if c.ok and c.person == uid), None) or next(
            (c for c in checks if c.ok and c.person in may_grant), mine)
    if chosen is mine:
        return mine
    reason = chosen.reason
    if reason:  # inside the brackets: a package's summary keeps only "consent withdrawn"
        note = recorded_on(chosen.person)
        reason = f"{reason[:-1]}; {note})" if reason.endswith(")") else f"{reason} ({note})"
    return replace(chosen, person=uid, reason=reason)
