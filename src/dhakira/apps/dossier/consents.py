"""Recording consent: one new version per scope, as given, never an edit in place.

A person may consent (or refuse) for several uses at once, for one recipient from the managed
list or for any recipient of that use, themself or through a relative, a guardian, or the
informant on their behalf. Each scope's chain gets a new version superseding its last.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dhakira.apps.custody import store
from dhakira.apps.dossier.models import Consent, Person, Recipient


@dataclass(frozen=True)
class Given:
    """What was given: the decision for some uses, to whom, by whom, when and how."""

    scopes: tuple[str, ...]
    decision: str
    recipient: Recipient | None = None
    given_by: str = "self"
    relationship: str = ""
    obtained_at: datetime | None = None
    obtained_by: str = ""
    method: str = "oral_recorded"
    note: str = ""


# The keys whose rows the caller holds as saved instances (read or just written; Django
# refuses to save a row naming an unsaved one): ``full_clean`` would ask the database about
# each, per row, and check the unique versions again, most of a report's consent cost. The
# database's foreign keys and unique constraints still hold every insert, and each version
# is its chain's next, read in the same transaction.
_HELD = ["person", "recipient", "recorded_by", "supersedes"]


def _last(persons: list[Person], scopes: list[str],
          recipient: Recipient | None) -> dict[tuple[int, str], Consent]:
    """The last version of each (person, scope) chain for ``recipient``, in one query (a
    report's victims are asked about together, not one query per person and scope)."""
    last: dict[tuple[int, str], Consent] = {}
    for consent in Consent.objects.filter(person__in=persons, scope__in=scopes,
                                          recipient=recipient).order_by("version"):
        last[(consent.person_id, consent.scope)] = consent
    return last


def record(persons: Iterable[Person], given: Given, *, actor: AbstractBaseUser, now: datetime,
           log: bool = True) -> list[Consent]:
    """Record ``given`` for each person and scope as the next version of its chain.

    Args:
        log: write one custody entry per person (the report intake logs the report instead).

    Raises:
        ValidationError: no scope, a bad scope, decision or giver, or a relative without the
            relationship; nothing was written.
    """
    made = []
    persons = list(persons)
    scopes = _scopes(given)
    with transaction.atomic():
        chains = _last(persons, scopes, given.recipient)
        for person in persons:
            mine = []
            for scope in scopes:
                row = _version(person, scope, given, chains.get((person.pk, scope)),
                               actor=actor, now=now)
                row.save()
                chains[(person.pk, scope)] = row  # a person named twice gets the next version
                mine.append(row)
            if log:
                store.record(actor=actor.get_username(), action="consent",
                             subject=person.uid, now=now, detail={
                                 "consents": " ".join(str(c.pk) for c in mine),
                                 "scopes": " ".join(c.scope for c in mine),
                                 "recipient": given.recipient.uid if given.recipient else "any",
                                 "decision": given.decision, "given_by": given.given_by})
            made += mine
    return made


def first_versions(persons: Iterable[Person], given: Given, *, actor: AbstractBaseUser,
                   now: datetime) -> list[Consent]:
    """The first version of each scope's chain for persons who have none yet (the victims of
    a report being written), checked as :func:`record` checks them and not yet written.

    For the report intake, which builds these before its transaction and inserts them inside
    it, with the report's custody entry (the persons may be unsaved until then).

    Raises:
        ValidationError: as :func:`record`; nothing is written either way.
    """
    scopes = _scopes(given)
    return [_version(person, scope, given, None, actor=actor, now=now)
            for person in persons for scope in scopes]


def _scopes(given: Given) -> list[str]:
    if not given.scopes:
        raise ValidationError(_("Choose at least one use the consent covers."))
    return list(dict.fromkeys(given.scopes))


def _version(person: Person, scope: str, given: Given, last: Consent | None, *,
             actor: AbstractBaseUser, now: datetime) -> Consent:
    """The next version of one chain (the first when ``last`` is None), checked."""
    row = Consent(person=person, scope=scope, recipient=given.recipient,
                  decision=given.decision, given_by=given.given_by,
                  relationship=given.relationship.strip(),
                  version=last.version + 1 if last else 1, supersedes=last,
                  obtained_at=given.obtained_at or now,
                  obtained_by=given.obtained_by or actor.get_username(),
                  method=given.method, note=given.note, recorded_by=actor)
    row.full_clean(exclude=_HELD)
    return row


def current(person: Person) -> list[Consent]:
    """The latest version of each of the person's chains (scope, recipient), newest first."""
    latest: dict[tuple[str, int | None], Consent] = {}
    for c in person.consents.select_related("recipient").order_by("version", "pk"):
        latest[(c.scope, c.recipient_id)] = c
    return sorted(latest.values(), key=lambda c: (c.obtained_at, c.pk), reverse=True)
