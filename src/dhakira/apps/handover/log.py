"""The disclosure log: recording a package, acknowledgements, and who holds whose material."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier.models import Act, Information, Involvement
from dhakira.apps.handover.errors import HandoverError
from dhakira.apps.handover.gate import check_consents, same_people
from dhakira.apps.handover.models import DisclosedPerson, Disclosure
from dhakira.core import custody
from dhakira.core.handover import PackageResult
from dhakira.core.ids import ACT, REPORT

if TYPE_CHECKING:
    from dhakira.apps.handover.build import Plan, Request


def next_package_id(now: dt.datetime) -> str:
    """``PKG-YYYYMMDD-NNNN``, numbered within the day after every id the log or custody holds.

    An id is taken when its disclosure is logged (before the package is released), so a
    released package's id is never given again.
    """
    from dhakira.apps.custody.models import LedgerEntry

    prefix = f"PKG-{now.astimezone(dt.UTC):%Y%m%d}-"
    used = list(Disclosure.objects.filter(package_id__startswith=prefix)
                .values_list("package_id", flat=True))
    used += LedgerEntry.objects.filter(action="export", subject__startswith=prefix) \
        .values_list("subject", flat=True)
    numbers = [int(u[len(prefix):]) for u in used if u[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _persons(shipped: Iterable[str]) -> set[int]:
    """Every person whose material the shipped items hold."""
    acts = [pk for u in shipped if (pk := ACT.pk_or_none(u)) is not None]
    reports = [pk for u in shipped if (pk := REPORT.pk_or_none(u)) is not None]
    found = set(Act.objects.filter(pk__in=acts).values_list("victim_id", flat=True))
    found |= set(Involvement.objects.filter(act_id__in=acts, perpetrator__isnull=False)
                 .values_list("perpetrator_id", flat=True))
    found |= set(Information.persons.through.objects.filter(information_id__in=reports)
                 .values_list("person_id", flat=True))
    return found


def record(*, package_id: str, package: PackageResult, plan: Plan, request: Request, shipped: list[str],
           user: AbstractBaseUser, override_by: AbstractBaseUser | None,
           now: dt.datetime) -> Disclosure:
    """Write the custody ``export`` entry, the Disclosure row and its DisclosedPerson rows."""
    with transaction.atomic():
        store.record(actor=user.get_username(), action="export",
                     subject=package_id,
                     subject_hash=package.manifest_sha256,
                     detail={"items": " ".join(shipped), "count": len(shipped), "recipient": request.recipient.uid,
                             "purpose": request.purpose, "policy": request.policy,
                             "blocked": " ".join(sorted(plan.blocked)),
                             "override_by": override_by.get_username() if override_by else ""},
                     now=now)
        disclosure = Disclosure.objects.create(
            package_id=package_id, recipient=request.recipient.name_en,
            sent_to=request.recipient,
            purpose=request.purpose, policy=request.policy, selection=request.selection.query,
            created_by=user, created_at=now, manifest_sha256=package.manifest_sha256,
            key_fingerprint=package.key_fingerprint, items=shipped,
            blocked=[{"item": k, "reasons": v} for k, v in sorted(plan.blocked.items())],
            consent_checks=[c.to_dict() for _, c in sorted(plan.checks.items())],
            override_by=override_by, override_reason=request.override_reason.strip(),
            sealed_to=request.seal_to)
        DisclosedPerson.objects.bulk_create([
            DisclosedPerson(disclosure=disclosure, person_id=pk,
                            consent_id=plan.checks[pk].consent_id if pk in plan.checks else None,
                            overridden=pk in plan.overridden)
            for pk in sorted(_persons(shipped))])
    return disclosure



def record_export(*, export_id: str, files: dict[str, str], fmt: str, plan: Plan,
                  request: Request, shipped: list[str], user: AbstractBaseUser,
                  now: dt.datetime) -> Disclosure:
    """Log an export in another format (ESF JSON, Uwazi CSV) in the same log as packages.

    One custody ``export`` entry names the format, the recipient, the items, what was
    blocked, and every file written with its SHA-256 (``files``: name -> hex digest); its
    subject hash is the SHA-256 of the ``sha256  name`` lines, sorted. The Disclosure row
    (no signer: an export is not signed) and its DisclosedPerson rows make the export show
    up in ``dhakira disclosures`` like a package, so a withdrawal finds it.
    """
    import hashlib

    sums = "".join(f"{sha}  {name}\n" for name, sha in sorted(files.items()))
    digest = hashlib.sha256(sums.encode("utf-8")).hexdigest()
    with transaction.atomic():
        store.record(actor=user.get_username(), action="export", subject=export_id,
                     subject_hash=digest,
                     detail={"format": fmt, "items": " ".join(shipped), "count": len(shipped),
                             "recipient": request.recipient.uid, "purpose": request.purpose,
                             "policy": request.policy, "blocked": " ".join(sorted(plan.blocked)),
                             "files": " ".join(f"{n}:{s}" for n, s in sorted(files.items()))},
                     now=now)
        disclosure = Disclosure.objects.create(
            package_id=export_id, recipient=request.recipient.name_en,
            sent_to=request.recipient, purpose=request.purpose, policy=request.policy,
            selection=request.selection.query[:1000], created_by=user, created_at=now,
            manifest_sha256=digest, key_fingerprint="", items=shipped,
            blocked=[{"item": k, "reasons": v} for k, v in sorted(plan.blocked.items())],
            consent_checks=[c.to_dict() for _, c in sorted(plan.checks.items())])
        DisclosedPerson.objects.bulk_create([
            DisclosedPerson(disclosure=disclosure, person_id=pk,
                            consent_id=plan.checks[pk].consent_id if pk in plan.checks else None,
                            overridden=False)
            for pk in sorted(_persons(shipped))])
    return disclosure

def acknowledge(disclosure: Disclosure, *, by: str, at: dt.datetime, method: str,
                recorded_by: AbstractBaseUser) -> Disclosure:
    """Record the recipient's acknowledgement (once).

    Raises:
        HandoverError: already acknowledged, or a missing name or method.
    """
    if disclosure.acknowledged:
        raise HandoverError(f"{disclosure.package_id} is already acknowledged")
    if not by.strip() or not method.strip():
        raise HandoverError("say who at the recipient acknowledged it, and how")
    with transaction.atomic():
        disclosure.acknowledged_by = by.strip()
        disclosure.acknowledged_at = at
        disclosure.acknowledgement_method = method.strip()
        disclosure.acknowledgement_recorded_by = recorded_by  # type: ignore[assignment]
        disclosure.save()
        store.record(actor=recorded_by.get_username(), action="new_version",
                     subject=disclosure.package_id,
                     detail={"acknowledged": True, "method": method.strip()[:200]})
    return disclosure


def holders(person_pk: int) -> list[Disclosure]:
    """Every disclosure that holds material of the person (under any of their mentions),
    newest first."""
    members = same_people([person_pk])[person_pk]
    return list(Disclosure.objects.filter(persons__person_id__in=members).distinct()
                .select_related("sent_to"))


@dataclass(frozen=True)
class Notice:
    """A recipient to tell that a person withdrew the consent a disclosure relied on."""

    person: str
    package_id: str
    recipient: str
    purpose: str
    disclosed_at: dt.datetime
    consent_version: int
    recipient_name: str = ""  # in the reader's language (``recipient``: the name as sent)


def to_notify(person_pk: int | None = None) -> list[Notice]:
    """Disclosures whose person has since withdrawn consent for that recipient and purpose
    (a withdrawal recorded on another mention of the same person counts)."""
    rows = DisclosedPerson.objects.select_related("disclosure__sent_to").order_by("person_id", "pk")
    if person_pk is not None:  # the person under any of their mentions
        rows = rows.filter(person_id__in=same_people([person_pk])[person_pk])
    by_disclosure: dict[int, list[DisclosedPerson]] = {}
    for dp in rows:
        by_disclosure.setdefault(dp.disclosure_id, []).append(dp)
    found: list[tuple[int, int, Notice]] = []
    for dps in by_disclosure.values():  # one gate call per package, not per person
        d = dps[0].disclosure
        if d.sent_to is None:  # every row has one after the migration; a guard, not a case
            continue
        checks = check_consents([dp.person_id for dp in dps], recipient=d.sent_to,
                                purpose=d.purpose)
        for dp in dps:
            now = checks[dp.person_id]
            if now.decision == "withdrawn":
                found.append((dp.person_id, dp.pk, Notice(now.person, d.package_id, d.recipient,
                                                          d.purpose, d.created_at, now.version,
                                                          d.recipient_name)))
    return [notice for _, _, notice in sorted(found, key=lambda f: (f[0], f[1]))]


def logged() -> list[tuple[str, str]]:
    """Every logged package as ``(package id, manifest SHA-256)``, read before the ledger by
    ``dhakira verify`` (a package logged meanwhile has its entry in the chain read after)."""
    return list(Disclosure.objects.order_by("pk").values_list("package_id", "manifest_sha256"))


def not_in_ledger(entries: Iterable[custody.CustodyEntry],
                  packages: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ``packages`` (:func:`logged`) the custody chain does not bear out, as ``(package
    id, code)``: ``missing_export_entry`` when the log lists a package whose ``export`` entry
    is not in the chain (entries removed from its end leave a chain that verifies on its
    own), or ``export_entry_mismatch`` when the manifest hash the log keeps is not the one
    signed."""
    signed = {e.subject: e.subject_hash for e in entries if e.action == "export"}
    out = []
    for package_id, manifest in packages:
        if package_id not in signed:
            out.append((package_id, "missing_export_entry"))
        elif signed[package_id] != manifest:
            out.append((package_id, "export_entry_mismatch"))
    return out


def all_disclosures() -> list[Disclosure]:
    """The whole log, newest first."""
    return list(Disclosure.objects.select_related("sent_to"))
