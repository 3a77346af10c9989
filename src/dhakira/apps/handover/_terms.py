"""What must be redacted from a package, and what the leak scan must not find in it.

Source identities, contacts and exact addresses are protected values
(:mod:`dhakira.apps.dossier.protected`). The package builder reads them here for one purpose only,
to remove them and to prove they were removed; the values never enter the package, the log or
the ledger. The read is recorded once per package as a ``read_protected`` custody entry.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from dhakira.apps.dossier import access, protected
from dhakira.apps.dossier.models import NameVariant, Source
from dhakira.apps.evidence import identifying
from dhakira.core.handover import FULL, RedactionPolicy, Redactor, pseudonym_codes
from dhakira.core.handover.redact import Level, phone_keys
from dhakira.core.ids import PERSON, SOURCE
from dhakira.core.names import shortened

# Removed whatever the policy: identifying values and contacts (never names of free text).
_IDENTIFYING = ("identity", "contact", "address")
# The scrub pass removes blocked persons and addresses under every policy, coordinates untouched.
SCRUB = RedactionPolicy(Level.ANONYMISED, coordinate_precision=None)


@dataclass(frozen=True)
class Terms:
    """Names and values to redact, the codes to use, and the leak scan's forbidden strings.

    Attributes:
        names: key (person or source uid) -> variants, redacted per policy.
        roles: key -> role for codes and tokens.
        blocked: person uid -> variants, removed under every policy.
        addresses: exact addresses and contacts, removed under every policy.
        phones: the phone numbers contacts hold (:func:`phone_keys`), removed however written.
        codes: per-package codes for every person and source key.
        forbidden: strings that must appear in no byte of the package.
    """

    names: Mapping[str, list[str]]
    roles: Mapping[str, str]
    blocked: Mapping[str, list[str]]
    addresses: tuple[str, ...]
    phones: tuple[str, ...]
    codes: Mapping[str, str]
    forbidden: tuple[str, ...]
    secret: bytes
    _compiled: dict[RedactionPolicy, tuple[Redactor, Redactor]] = dataclasses.field(
        default_factory=dict, compare=False, repr=False)

    def ref(self, key: str, policy: RedactionPolicy) -> str:
        """How a person or source is named in the package's records."""
        if key.startswith("P-") and policy.level is Level.FULL:
            return key
        return self.codes.get(key, "")

    def redact(self, text: str, policy: RedactionPolicy) -> str:
        """Scrub blocked persons and addresses, then apply the policy to names and sources."""
        if not text:
            return text
        scrub, apply = self._redactors(policy)
        return apply.redact(scrub.redact(text).text).text

    def _redactors(self, policy: RedactionPolicy) -> tuple[Redactor, Redactor]:
        """The package's two redactors, compiled on first use and reused for every text."""
        if policy not in self._compiled:
            scrub = Redactor(names=self.blocked, policy=SCRUB, package_secret=self.secret,
                             addresses=self.addresses, phones=self.phones)
            apply = Redactor(names=self.names, policy=policy, package_secret=self.secret,
                             roles=self.roles, codes=self.codes)
            self._compiled[policy] = (scrub, apply)
        return self._compiled[policy]


def _variants(person_pks: Iterable[int] | None) -> dict[str, list[str]]:
    rows = NameVariant.objects.all() if person_pks is None else \
        NameVariant.objects.filter(person_id__in=list(person_pks))
    out: dict[str, list[str]] = {}
    for pid, text in rows.values_list("person_id", "text"):
        out.setdefault(PERSON.format(pid), []).append(text)
    return out


def _unreadable(actor: str) -> dict[str, list[str]]:
    """Names ``actor`` may not read, by person uid: those given by a report restricted to a
    compartment they are not cleared for (a name is as restricted as the report that gave it),
    less any text a name they may read also holds (another report gave it openly)."""
    rows = list(access.hidden_names(access.readable_compartments_of(actor) or ())
                .values_list("pk", "person_id", "text"))
    if not rows:
        return {}
    open_texts = set(NameVariant.objects.filter(text__in={text for _, _, text in rows})
                     .exclude(pk__in=[pk for pk, _, _ in rows]).values_list("text", flat=True))
    out: dict[str, list[str]] = {}
    for _pk, pid, text in rows:
        if text not in open_texts:
            out.setdefault(PERSON.format(pid), []).append(text)
    return out


def _with_short_forms(variants: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Each person's names and the shorter forms prose uses for them («رنا الحديدي» for
    «رنا فاضل عباس الحديدي», :func:`dhakira.core.names.shortened`), to redact."""
    return {uid: list(dict.fromkeys([*texts, *(f for t in texts for f in shortened(t))]))
            for uid, texts in variants.items()}


def _protected(actor: str, now: datetime | None) -> tuple[dict[str, list[str]], list[str]]:
    """Source identities by source uid, and every identifying value (contacts, addresses, and
    the names, addresses and serials in evidence metadata: a native PDF still carries its
    author)."""
    identities: dict[str, list[str]] = {}
    values: list[str] = []
    for owner, field, value in protected.values_for_redaction(
            actor=actor, fields=(*_IDENTIFYING, identifying.PEOPLE),
            reason="redaction and leak check of a package", now=now):
        if owner.startswith("S-") and field == "identity":
            identities.setdefault(owner, []).append(value)
        elif field == identifying.PEOPLE:
            values += identifying.names_in(json.loads(value))
        else:
            values.append(value)
    return identities, values


def gather(*, policy: RedactionPolicy, roles: Mapping[str, str], blocked: Iterable[int],
           secret: bytes, actor: str, now: datetime | None = None) -> Terms:
    """Collect the package's redaction terms.

    Under ``pseudonymised`` and ``anonymised`` every person of the dossier is protected (a
    report may name someone it is not linked to); under ``full`` only persons whose consent
    blocks them. Names ``actor`` may not read (given by reports of a compartment they are not
    cleared for) are removed and forbidden under every policy, as a blocked person's are.
    Sources (code name and identity) are protected under every policy. The names of the
    package's own persons and of blocked persons are also redacted in their shorter forms
    (given name and family name, given name and father, ...); the leak scan looks for those
    forms under ``pseudonymised`` and ``anonymised``, where every name is redacted, and for
    the names as recorded under ``full``, where a shorter form may be another person's name
    that goes.

    Args:
        policy: the package's redaction policy.
        roles: person uid -> role in this package (victim, perpetrator, witness, person).
        blocked: primary keys of persons whose material may not go (no override).
        secret: the package secret keying the codes.
        actor: who builds the package (the protected read is recorded in their name).
        now: the time of the custody entry.
    """
    recorded = _variants(blocked)
    for uid, texts in _unreadable(actor).items():
        recorded[uid] = list(dict.fromkeys([*recorded.get(uid, []), *texts]))
    blocked_names = _with_short_forms(recorded)
    everyone = _variants(None) if policy.level is not FULL.level else {}
    # The package's own persons in their shorter forms too (a report names its victim so);
    # not the whole dossier's, whose forms would cost a parse of every name for each package.
    everyone |= _with_short_forms({uid: everyone[uid] for uid in roles if uid in everyone})
    identities, values = _protected(actor, now)
    names: dict[str, list[str]] = dict(everyone)
    all_roles = {pid: roles.get(pid, "person") for pid in names}
    # A source's identity also in the shorter forms prose uses («وليد الشرابي» for «وليد
    # إلياس الشرابي»): redacted and forbidden under every policy, as the identity is, but a
    # shorter form that is the recorded name of someone in the dossier ("Ahmed Ali") is taken
    # for theirs: as the source's it would hide a victim's name under the source's code.
    full = {uid: list(texts) for uid, texts in identities.items()}
    identities = _with_short_forms(identities)
    shorter = {t for uid, texts in identities.items() for t in texts if t not in full[uid]}
    taken = set(NameVariant.objects.filter(text__in=shorter).values_list("text", flat=True))
    identities = {uid: [t for t in texts if t in full[uid] or t not in taken]
                  for uid, texts in identities.items()}
    for source in Source.objects.values_list("pk", "code_name"):
        uid = SOURCE.format(source[0])
        names[uid] = [source[1], *identities.get(uid, [])]
        all_roles[uid] = "source"
    person_keys = list(roles) + list(names)
    codes = pseudonym_codes(person_keys, package_secret=secret,
                            roles={**{k: roles.get(k, "person") for k in person_keys},
                                   **all_roles})
    phones = tuple(dict.fromkeys(k for v in values for k in phone_keys(v)))
    forbidden = [v for vs in recorded.values() for v in vs]
    forbidden += [v for vs in names.values() for v in vs] + values + list(phones)
    return Terms(names=names, roles=all_roles, blocked=blocked_names,
                 addresses=tuple(v for v in values if v.strip()), phones=phones, codes=codes,
                 forbidden=tuple(dict.fromkeys(f for f in forbidden if f.strip())), secret=secret)
