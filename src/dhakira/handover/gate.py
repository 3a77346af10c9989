"""The consent gate: may this person's material go to this recipient for this purpose, now?

Consent is versioned and never edited (:class:`dhakira.dossier.models.Consent`). For each
person the gate reads, live, the latest version of the chain for the purpose (a consent
scope) and the recipient; a recipient-specific chain beats a generic one (recipient left
blank). ``granted`` passes; ``refused``, ``withdrawn``, ``ask_again`` and no consent at all
block, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from dhakira.dossier.models import Consent
from dhakira.handover.errors import HandoverError

_REASONS = {
    Consent.Decision.REFUSED: "consent refused",
    Consent.Decision.WITHDRAWN: "consent withdrawn",
    Consent.Decision.ASK_AGAIN: "consent to be asked again",
}


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
    """

    person: str
    ok: bool
    decision: str
    reason: str
    consent_id: int | None
    version: int
    recipient_specific: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def check_purpose(purpose: str) -> str:
    """Return ``purpose`` if it is a consent scope code.

    Raises:
        HandoverError: it is not in the consent_scopes vocabulary.
    """
    from dhakira.vocabularies import load

    vocab = load("consent_scopes")
    if purpose not in vocab:
        raise HandoverError(f"purpose {purpose!r} is not a consent scope; use one of "
                            f"{', '.join(vocab.codes())}")
    return purpose


def _latest(rows: list[Consent]) -> Consent | None:
    return max(rows, key=lambda c: (c.version, c.pk)) if rows else None


def _check(pk: int, rows: list[Consent], recipient: str) -> ConsentCheck:
    wanted = recipient.strip().casefold()
    specific = _latest([c for c in rows if c.recipient.strip().casefold() == wanted])
    chosen = specific or _latest([c for c in rows if not c.recipient.strip()])
    uid = f"P-{pk:06d}"
    if chosen is None:
        return ConsentCheck(uid, False, "absent", "no consent recorded for this purpose",
                            None, 0, False)
    ok = chosen.decision == Consent.Decision.GRANTED
    reason = "" if ok else _REASONS.get(chosen.decision, f"consent {chosen.decision}")
    if not ok:
        reason += f" (version {chosen.version}, {'for ' + recipient if specific else 'generic'})"
    return ConsentCheck(uid, ok, str(chosen.decision), reason, chosen.pk, chosen.version,
                        specific is not None)


def check_consents(person_pks: Iterable[int], *, recipient: str,
                   purpose: str) -> dict[int, ConsentCheck]:
    """Check each person's current consent for ``recipient`` and ``purpose``.

    Args:
        person_pks: primary keys of the persons whose material is selected.
        recipient: the receiving institution, as named on consent forms.
        purpose: a consent scope code (e.g. ``share_icc``).

    Returns:
        person pk -> :class:`ConsentCheck`.

    Raises:
        HandoverError: the purpose is not a consent scope.
    """
    check_purpose(purpose)
    pks = sorted(set(person_pks))
    by_person: dict[int, list[Consent]] = {pk: [] for pk in pks}
    for consent in Consent.objects.filter(person_id__in=pks, scope=purpose):
        by_person[consent.person_id].append(consent)
    return {pk: _check(pk, rows, recipient) for pk, rows in by_person.items()}
