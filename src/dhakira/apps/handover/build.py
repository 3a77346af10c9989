"""Selection → consent gate → redaction → signed package → leak checks → log → release.

:func:`plan` decides, without writing anything, what may go and what is blocked and why;
:func:`build` carries a plan out. The package (and its zip and sealed copy) is built and
leak-checked in memory: a package that fails a leak check never touches the disk and nothing
is logged. An approved package is written under temporary names without its signature, the
disclosure is logged, and only then is it signed and renamed into place: a build killed at
any point leaves either nothing that verifies, or a logged disclosure.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser

from dhakira.apps.custody import store as ledger
from dhakira.apps.dossier import access, staff
from dhakira.apps.dossier.access import may_read_compartment
from dhakira.apps.dossier.models import Act, Information, Involvement, Recipient
from dhakira.apps.handover import _evidence, _records, _terms, log, summary
from dhakira.apps.handover.errors import BadRequest, HandoverError, Leak, NothingToSend, leaks_found
from dhakira.apps.handover.gate import (
    ConsentCheck,
    check_consents,
    check_purpose,
    recorded_on,
    said_no,
    same_people,
)
from dhakira.apps.handover.models import Disclosure
from dhakira.apps.handover.select import Selection
from dhakira.apps.vetting.record import package_record
from dhakira.core.handover import PackageBuilder, PackageResult, policy_named
from dhakira.core.handover.archive import seal_bytes
from dhakira.core.handover.package import remove_partials, write_file_atomically
from dhakira.core.ids import ACT, EVIDENCE, PERSON, REPORT


@dataclass(frozen=True)
class Request:
    """What to package, for whom, why, and how redacted."""

    selection: Selection
    recipient: Recipient
    purpose: str
    policy: str
    out_dir: Path
    make_zip: bool = False
    seal_to: str = ""
    confidentiality: str = "confidential"
    override_reason: str = ""
    #: a charge (``CH-0001``) whose brief, in Arabic and English, the package carries
    brief_of: str = ""


@dataclass(frozen=True)
class Plan:
    """What may go (primary keys), what is blocked (uid -> reasons), and each consent check."""

    acts: tuple[int, ...]
    reports: tuple[int, ...]
    evidence: tuple[int, ...]
    blocked: dict[str, list[str]]
    checks: dict[int, ConsentCheck]
    roles: dict[str, str]
    overridden: frozenset[int] = field(default_factory=frozenset)
    #: everyone of the dossier who said no to this use for this recipient (refused, withdrew,
    #: asked to be asked again), every mention of them, selected or not
    said_no: frozenset[int] = field(default_factory=frozenset)

    @property
    def blocked_persons(self) -> set[int]:
        """Persons whose names may not go: those of the selection the gate blocks (less any
        override), and anyone who said no, wherever a text names them."""
        return {pk for pk, c in self.checks.items() if not c.ok and pk not in self.overridden} \
            | (self.said_no - self.overridden)


def nothing_to_send(p: Plan) -> str:
    """Say which it is, in the active language: an empty selection, or a selection whose every
    item is blocked, and the commonest reasons (worded as ``reasons.in_words`` words them)."""
    from django.utils.translation import gettext, ngettext

    from dhakira.apps.handover.reasons import in_words

    if not p.blocked:
        return gettext("the selection is empty: no act, report or evidence item matches it; "
                       "widen the selection")
    reasons: Counter[str] = Counter()
    for why in p.blocked.values():
        # Once per item and reason: several people blocked for the same reason are one reason.
        reasons.update({words for _who, words in in_words(why, p.checks)})
    common = "; ".join(f"{reason} ({n:,})" for reason, n in reasons.most_common(3))
    return ngettext("the one selected item is blocked, so nothing may go; why: %(reasons)s",
                    "every one of the %(n)s selected items is blocked, so nothing may go; the "
                    "commonest reasons: %(reasons)s", len(p.blocked)) % {
        "n": f"{len(p.blocked):,}", "reasons": common}


@dataclass(frozen=True)
class Result:
    """A finished, checked and logged package."""

    disclosure: Disclosure
    package: PackageResult
    plan: Plan
    zip_path: Path | None
    sealed_path: Path | None


def _roles(sel: Selection) -> tuple[dict[str, str], set[int]]:
    """Person uid -> role in the selection, and the persons whose consent the gate checks.

    Perpetrators are named, not asked: a person whose only part in the selection is as a
    perpetrator is not gated. Victims and persons named in reports are.
    """
    roles: dict[str, str] = {}
    victims = set(Act.objects.filter(pk__in=sel.acts).values_list("victim_id", flat=True))
    perps = set(Involvement.objects.filter(act_id__in=sel.acts, perpetrator__isnull=False)
                .values_list("perpetrator_id", flat=True))
    named = set(Information.persons.through.objects.filter(information_id__in=sel.reports)
                .values_list("person_id", flat=True))
    ever_perps = set(Involvement.objects.filter(perpetrator_id__in=named)
                     .values_list("perpetrator_id", flat=True))
    for pk in named:
        roles[PERSON.format(pk)] = "perpetrator" if pk in ever_perps else "person"
    for pk in perps:
        roles[PERSON.format(pk)] = "perpetrator"
    for pk in victims:
        roles[PERSON.format(pk)] = "victim"
    return roles, victims | (named - ever_perps - perps)


def _cleared(user: AbstractBaseUser, compartments: Iterable[str]) -> dict[str, bool]:
    """compartment -> whether ``user`` may read it, asked once per compartment (asking once
    per item read the user's profile a few thousand times on a wide selection)."""
    return {c: may_read_compartment(user, c) for c in {"", *compartments}}


def _evidence_blocks(sel: Selection, blocked_reports: set[int], user: AbstractBaseUser,
                     blocked: dict[str, list[str]]) -> tuple[int, ...]:
    if not sel.evidence or not apps.is_installed("dhakira.apps.evidence"):
        return ()
    from dhakira.apps.evidence.models import EvidenceItem

    ok: list[int] = []
    refused: set[int] = set()
    items = list(EvidenceItem.objects.filter(pk__in=sel.evidence).order_by("pk"))
    cleared = _cleared(user, (item.compartment for item in items))
    for item in items:
        reasons = []
        if item.information_id in blocked_reports:
            reasons.append(f"its report I-{item.information_id:07d} is blocked")
        if item.parent_id in refused:
            reasons.append(f"its family parent EV-{item.parent_id:06d} is blocked")
        if not cleared[item.compartment]:
            reasons.append(f"restricted to the {item.compartment} compartment; the acting user "
                           "is not cleared")
        if reasons:
            blocked[item.uid] = reasons
            refused.add(item.pk)
        else:
            ok.append(item.pk)
    return tuple(ok)


def plan(request: Request, *, user: AbstractBaseUser, override: bool = False) -> Plan:
    """Run the consent gate over a selection; write nothing.

    Args:
        request: the package request.
        user: the acting user (their clearances decide restricted evidence).
        override: whether an approved override lets consent-blocked persons through.

    Raises:
        HandoverError: unknown purpose or policy, or a policy the purpose does not allow.
    """
    check_purpose(request.purpose)
    pol = policy_named(request.policy)
    if request.purpose == "media_anonymised" and pol.name != "anonymised":
        raise HandoverError("purpose media_anonymised allows only --policy anonymised",
                            code="media_anonymised_policy")
    sel = request.selection
    roles, gated = _roles(sel)
    checks = check_consents(gated, recipient=request.recipient, purpose=request.purpose)
    overridden = frozenset(pk for pk, c in checks.items() if override and not c.ok)
    stop = {pk for pk, c in checks.items() if not c.ok and pk not in overridden}
    veiled = {PERSON.format(pk) for pk in access.veiled_persons(user)}
    why = {pk: f"P-{pk:06d}: {_unveiled(checks[pk].reason, veiled)}" for pk in stop}
    blocked: dict[str, list[str]] = {}
    acts = []
    for pk, victim in Act.objects.filter(pk__in=sel.acts).values_list("pk", "victim_id"):
        if victim in stop:
            blocked[ACT.format(pk)] = [why[victim]]
        else:
            acts.append(pk)
    reports = []
    through = Information.persons.through.objects.filter(information_id__in=sel.reports)
    named: dict[int, set[int]] = {}
    for info_id, person_id in through.values_list("information_id", "person_id"):
        named.setdefault(info_id, set()).add(person_id)
    compartments = dict(Information.objects.filter(pk__in=sel.reports)
                        .values_list("pk", "compartment"))
    cleared = _cleared(user, compartments.values())
    for pk in sel.reports:
        reasons = [why[p] for p in sorted(named.get(pk, set()) & stop)]
        if not cleared[compartments.get(pk, "")]:
            reasons.append(f"restricted to the {compartments[pk]} compartment; the acting user "
                           "is not cleared")
        if reasons:
            blocked[REPORT.format(pk)] = reasons
        else:
            reports.append(pk)
    blocked_reports = set(sel.reports) - set(reports)
    evidence = _evidence_blocks(sel, blocked_reports, user, blocked)
    # An approved override lets the person's name go: every mention of them, not only the
    # one selected (their other mentions bear the same name).
    mentions = same_people(overridden) if overridden else {}
    kept = {m for pk in overridden for m in mentions[pk]}
    return Plan(acts=tuple(sorted(acts)), reports=tuple(reports), evidence=evidence,
                blocked=blocked, checks=checks, roles=roles, overridden=overridden,
                said_no=said_no(recipient=request.recipient, purpose=request.purpose) - kept)


def _unveiled(reason: str, veiled: set[str]) -> str:
    """``reason`` without the id of a record the reader may not set beside this one (see
    :func:`access.veiled_persons`): "recorded on P-…, the same person" says who it is."""
    for uid in veiled:
        reason = reason.replace(recorded_on(uid), "recorded on another record of the same person")
    return reason


def _pseudonymous(entry: dict[str, object], ids: dict[str, str],
                  tag: Callable[[str], str]) -> dict[str, object]:
    """The entry with every user name (the actor, and any in its detail) as a staff id, and
    nothing that would let a guessed user name be checked: its hash and the hash before it
    as keyed tags (:func:`ledger.tagger`), no signature."""
    out = {k: v for k, v in entry.items() if k not in ("entry_hash", "prev_hash", "signature")}
    out["entry_tag"] = tag(str(entry["entry_hash"]))
    out["prev_tag"] = tag(str(entry["prev_hash"])) if entry.get("prev_hash") else ""
    out["actor"] = ids.get(str(entry["actor"]), staff.UNKNOWN)
    detail = entry.get("detail")
    if isinstance(detail, dict):
        # Not the compartment an intake signs: "sogi" says what the material is about.
        out["detail"] = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in detail.items()
                         if k != "compartment"}
    return out


def _tagged(head: dict[str, object] | None) -> dict[str, object] | None:
    """The chain's head as the manifest carries it: its seq and the tag of its hash (the head
    may be an entry the extract ships)."""
    return None if head is None else {"seq": head["seq"],
                                      "entry_tag": ledger.tag(str(head["entry_hash"]))}


def _custody(builder: PackageBuilder, uids: list[str]) -> None:
    """Each item's custody entries, naming staff by pseudonymous id (never by user name).

    ``entry_tag`` and ``prev_tag`` stand for the hashes of the entry and of the one before it
    as recorded in the vault, which holds the user name: the organisation recomputes them
    from its vault (:func:`ledger.tagger`) to tie the extract to its chain; a recipient cannot
    use them, or a signature, to try guesses of who the staff are.
    """
    rows = ledger.stored_about(uids)
    names = {str(r["actor"]) for r in rows} | {
        v for r in rows if isinstance(r["detail"], dict)
        for v in r["detail"].values() if isinstance(v, str)}
    ids = staff.staff_ids(names)
    tag = ledger.tagger()
    by_item: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_item.setdefault(row["subject"], []).append(_pseudonymous(row, ids, tag))
    for uid in uids:
        if uid in by_item:
            builder.add_custody(uid, by_item[uid])


def _checks(res: PackageResult, terms: _terms.Terms, precision: float | None,
            zipped: bytes | None) -> list[Leak]:
    """Leak-check the package and its zip, both in memory."""
    from dhakira.core.handover import find_fine_coordinates, find_image_metadata, find_leaks

    found: list[Leak] = []
    targets: list[Mapping[str, bytes] | bytes] = [res.files]
    for target in targets + ([zipped] if zipped is not None else []):
        found += [(path, "protected", "") for path, _ in
                  find_leaks(target, list(terms.forbidden))]
        found += [(path, "metadata", what) for path, what in find_image_metadata(target)]
        if precision is not None:
            found += [(path, "coordinates", str(precision)) for path, _ in
                      find_fine_coordinates(target, precision=precision)]
    return found


def _add_briefs(builder: PackageBuilder, charge_uid: str, terms: _terms.Terms,
                now: dt.datetime) -> None:
    """Add the charge's brief in Arabic and English (``brief/<charge>.<lang>.pdf``).

    The brief is made for leaving the vault: items of no compartment only, no person's or
    source's name, staff named by role here whatever ``BRIEF_STAFF`` says. Its words are
    still checked for this package's protected names and values before it goes in, as every
    file's bytes are (a PDF's text is compressed, so the check reads what was rendered).

    Raises:
        LeakFound: a protected name or value is in a brief (nothing is written).
    """
    from dhakira.apps.handover.errors import LeakFound
    from dhakira.apps.law import brief
    from dhakira.apps.law.services import get_charge, latest_estimate
    from dhakira.core.handover import find_leaks

    charge = get_charge(charge_uid)
    estimate = latest_estimate()
    for lang in ("en", "ar"):
        done = brief.render_brief_document(charge, lang=lang, estimate=estimate, now=now,
                                           staff="role")
        words = {f"brief/{charge.uid}.{lang}.pdf": html.unescape(done.html).encode("utf-8")}
        if find_leaks(words, list(terms.forbidden)):
            raise LeakFound(f"nothing was written: the {lang} brief of {charge.uid} holds a "
                            "protected name or value; leave the brief out and tell the "
                            "administrator")
        builder.add_brief(charge.uid, lang, done.pdf)


def _release_paths(request: Request) -> list[Path]:
    """The zip or sealed file written beside the package directory, if any."""
    if request.seal_to:
        return [request.out_dir.with_suffix(".zip.age")]
    return [request.out_dir.with_suffix(".zip")] if request.make_zip else []


def _evidence_items(pks: tuple[int, ...]) -> list[object]:
    if not pks:
        return []
    from dhakira.apps.evidence.models import EvidenceItem

    return list(EvidenceItem.objects.filter(pk__in=pks).prefetch_related("derived"))


def _fill(builder: PackageBuilder, p: Plan, terms: _terms.Terms, request: Request,
          blocked: dict[str, list[str]], actor: str) -> list[str]:
    """Add reports, records and evidence; return the uids of everything shipped."""
    pol = policy_named(request.policy)
    conf = request.confidentiality
    records = _records.add_reports(builder, p.reports, terms, pol, conf)
    _records.add_records(builder, p.acts, records, terms, pol, conf)
    refused = _evidence.add_evidence(builder, _evidence_items(p.evidence), terms, pol, conf,
                                     actor=actor)
    blocked.update(refused)
    shipped = [REPORT.format(pk) for pk in p.reports] + [ACT.format(pk) for pk in p.acts]
    shipped += [EVIDENCE.format(pk) for pk in p.evidence if EVIDENCE.format(pk) not in refused]
    _custody(builder, shipped)
    builder.add_vetting(package_record(shipped))
    return shipped


def build(request: Request, *, user: AbstractBaseUser,
          override_by: AbstractBaseUser | None = None, now: dt.datetime | None = None,
          package_secret: bytes | None = None) -> Result:
    """Build, sign, check and log one package.

    Args:
        request: what to package, for whom and how.
        user: the acting user (authenticated by the caller, see :mod:`dhakira.apps.handover.auth`).
        override_by: the second, authorised user who approved letting consent-blocked
            persons through (see :func:`dhakira.apps.handover.auth.approver`); requires
            ``request.override_reason``.
        now: the time of building (default: now, UTC).
        package_secret: keys the per-package codes (default: 32 fresh random bytes).

    Returns:
        A :class:`Result`; ``result.plan.blocked`` lists what did not go and why.

    Raises:
        NothingToSend: nothing in the selection may go.
        LeakFound: the finished package still held protected material (nothing was written).
        HandoverError: bad purpose, policy or override.
    """
    if override_by is not None and not request.override_reason.strip():
        raise HandoverError("an override needs a reason (--override-reason)",
                            code="override_needs_reason")
    now = now or dt.datetime.now(dt.UTC)
    p = plan(request, user=user, override=override_by is not None)
    if not (p.acts or p.reports or p.evidence):
        from django.utils import translation

        with translation.override("en"):  # the error's own text stays English, as the log's
            said = nothing_to_send(p)
        raise NothingToSend(said, plan=p)
    pol = policy_named(request.policy)
    terms = _terms.gather(policy=pol, roles=p.roles, blocked=p.blocked_persons,
                          secret=package_secret or os.urandom(32), actor=user.get_username(),
                          now=now)
    for leftover in (request.out_dir, *_release_paths(request)):
        remove_partials(leftover)  # what a killed build left beside --out
    _evidence.look_for_faces(_evidence_items(p.evidence), actor=user.get_username())
    package_id = log.next_package_id(now)
    builder = PackageBuilder(
        request.out_dir, package_id=package_id, recipient=request.recipient.name_en,
        purpose=request.purpose, policy=pol, created_at=now,
        signer=ledger.signer(), custody_head=_tagged(ledger.head()))
    blocked = dict(p.blocked)
    shipped = _fill(builder, p, terms, request, blocked, user.get_username())
    if request.brief_of:
        _add_briefs(builder, request.brief_of, terms, now)
    # The recipient is told what was left out, counted by reason, but never of an item of a
    # compartment the builder may not read: not even that one exists.
    readable = access.readable_uids(user, blocked)
    summary.add_summary(builder, shipped=shipped, blocked={
        uid: reasons for uid, reasons in blocked.items() if uid in readable}, header={
        "package_id": package_id, "recipient": request.recipient.name_en,
        "purpose": request.purpose, "policy": pol.name,
        "created_at": now.astimezone(dt.UTC).isoformat(timespec="seconds")})
    res = builder.finish(write=False)
    zipped = res.zip_bytes() if request.make_zip or request.seal_to else None
    leaks = _checks(res, terms, pol.coordinate_precision, zipped)
    if leaks:
        raise leaks_found(leaks, redacted_copy=True)
    sealed_data = seal_bytes(zipped, request.seal_to) if request.seal_to and zipped else None
    final = Plan(acts=p.acts, reports=p.reports, evidence=p.evidence, blocked=blocked,
                 checks=p.checks, roles=p.roles, overridden=p.overridden, said_no=p.said_no)
    for target in _release_paths(request):
        if target.exists():
            raise BadRequest(f"{target} exists already; give a new --out",
                             code="package_target_exists", params={"path": str(target)})
    staged = res.stage()
    try:
        disclosure = log.record(package_id=package_id, package=res, plan=final,
                                request=request, shipped=shipped, user=user,
                                override_by=override_by, now=now)
    except BaseException:
        remove_partials(request.out_dir)
        raise
    # Logged: now release. A crash from here on leaves a logged disclosure, never an unlogged one.
    res.release(staged)
    zip_path = sealed = None
    if sealed_data is not None:
        sealed = write_file_atomically(request.out_dir.with_suffix(".zip.age"), sealed_data)
    elif zipped is not None:
        zip_path = write_file_atomically(request.out_dir.with_suffix(".zip"), zipped)
    return Result(disclosure=disclosure, package=res, plan=final, zip_path=zip_path,
                  sealed_path=sealed)


__all__ = ["Plan", "Request", "Result", "build", "nothing_to_send", "plan"]
