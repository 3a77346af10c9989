"""The legal app's operations: charges, assessments, the matrix and patterns of a charge.

Every change names its actor and writes a custody entry (action ``decision``). The law is
computed by :mod:`dhakira.core.law`; this module only selects from the dossier and records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier import access
from dhakira.apps.dossier.models import Act, Place
from dhakira.apps.law import items as legal_items
from dhakira.apps.law.errors import NotAllowed, UnknownCharge
from dhakira.apps.law.models import Charge, DocumentFlag, ElementAssessment
from dhakira.apps.law.scope import acts_in_scope, ground_tags_of, scope_facts
from dhakira.core import law
from dhakira.core.ids import ASSESSMENT, CHARGE, STAFF
from dhakira.core.law.errors import InvalidChargeError

WRITER_ROLES = access.ANALYSTS
DEMO_CHARGE_TITLE = "CAH persecution (gender / sexual orientation), Ninawa 2014–2017"
# The demo's analyst names the charge in both languages, as the form asks (synthetic data).
DEMO_CHARGE_TITLE_AR = "الاضطهاد جريمةً ضد الإنسانية (النوع الاجتماعي / التوجه الجنسي)، نينوى 2014–2017"
DEMO_VICTIM_GROUP = ("Persons targeted for an attributed sexual orientation or for gender "
                     "reasons")
DEMO_VICTIM_GROUP_AR = ("أشخاص استُهدفوا بسبب توجه جنسي نُسب إليهم أو لأسباب تتعلق بالنوع "
                        "الاجتماعي")
AUTO_NOTE = ("Automatic: proposed from the ground the perpetrators attributed "
             "(sexual orientation); review before relying on it.")


def can_write(user: AbstractBaseUser) -> bool:
    """Whether ``user`` may define charges and record assessments."""
    return access.has_role(user, WRITER_ROLES)


def require_writer(user: AbstractBaseUser) -> None:
    """Raise :class:`NotAllowed` unless ``user`` may change legal analysis."""
    if not can_write(user):
        raise NotAllowed("only legal staff, analysts and administrators may change legal analysis")


def get_charge(charge_id: str | int) -> Charge:
    """Return a charge by ``CH-0001``, ``1`` or primary key.

    Raises:
        UnknownCharge: no such charge.
    """
    try:
        charge = Charge.objects.filter(pk=CHARGE.parse_loose(str(charge_id))).first()
    except ValueError:
        charge = None
    if charge is None:
        raise UnknownCharge(f"no charge {charge_id!r}; list them with `dhakira brief --list-charges`",
                            code="no_charge", params={"charge": str(charge_id)})
    return charge


def create_charge(actor: AbstractBaseUser, *, crime_id: str, title: str, **scope: Any) -> Charge:
    """Define a charge and record the decision in the custody ledger.

    Args:
        actor: the user defining it (must be a writer).
        crime_id: a crime of the catalogue, e.g. ``CAH-PERSECUTION``.
        title: a short title in English (may be empty when ``title_ar`` is given).
        **scope: ``title_ar`` (the title in Arabic), ``places``, ``perpetrators``, ``units``
            (iterables of rows), ``date_from``, ``date_to``, ``victim_group``,
            ``victim_group_ar``, ``ground_tags``.

    Raises:
        NotAllowed: the actor may not write.
        UnknownCrimeError, UnknownGroundTagError, InvalidChargeError: from the core.
    """
    require_writer(actor)
    catalogue = law.load_catalogue()
    catalogue.crime(crime_id)
    tags = sorted(catalogue.check_ground_tags(scope.get("ground_tags") or ()))
    title_ar = (scope.get("title_ar") or "").strip()
    title = title.strip()
    if not (title or title_ar):
        raise InvalidChargeError("a charge needs a title in at least one language")
    law.Charge(id="new", crime_id=crime_id, title=title or title_ar, date_from=scope.get("date_from"),
               date_to=scope.get("date_to"))  # checks the date range
    with transaction.atomic():
        charge = Charge.objects.create(
            crime_id=crime_id, title=title, title_ar=title_ar, date_from=scope.get("date_from"),
            date_to=scope.get("date_to"), victim_group=scope.get("victim_group") or "",
            victim_group_ar=scope.get("victim_group_ar") or "",
            ground_tags=tags, created_by=actor)  # type: ignore[misc]
        charge.places.set(scope.get("places") or [])
        charge.perpetrators.set(scope.get("perpetrators") or [])
        charge.units.set(scope.get("units") or [])
        store.record(actor=actor.get_username(), action="decision", subject=charge.uid,
                     detail={"decision": "define_charge", "crime": crime_id, "ground_tags": ",".join(tags)})
    return charge


def record_assessment(actor: AbstractBaseUser, charge: Charge, *, item_uid: str, element_id: str,
                      stance: str, standard: str, reviewed_at: date | None = None,
                      note: str = "", now: datetime | None = None) -> ElementAssessment:
    """Record that an item supports or undermines an element of the charge; the actor reviews.

    Raises:
        NotAllowed: the actor may not write.
        UnknownItem: the item is not in the dossier.
        UnknownElementError: the element is not part of the charged crime.
        BeyondReasonableDoubtRefused, StandardOfProofError, InvalidAssessmentError: from the core.
    """
    planned = PlannedAssessment(item_uid=item_uid, element_id=element_id, stance=stance,
                                standard=standard, reviewed_at=reviewed_at, note=note)
    return record_assessments(actor, charge, [planned], now=now)[0]


@dataclass(frozen=True)
class PlannedAssessment:
    """One assessment to record with :func:`record_assessments` (as :func:`record_assessment`
    takes it)."""

    item_uid: str
    element_id: str
    stance: str
    standard: str
    reviewed_at: date | None = None
    note: str = ""


def record_assessments(actor: AbstractBaseUser, charge: Charge,
                       planned: Sequence[PlannedAssessment], *,
                       now: datetime | None = None) -> list[ElementAssessment]:
    """Record several assessments of ``charge`` at once, each checked as
    :func:`record_assessment` checks it and each with its own custody entry.

    Every one is checked before any is written: one refused, none recorded. The items are
    looked up together and the rows and entries written in bulk, so a charge's thousand
    assessments (the demo's) cost a few queries, not a few per assessment.

    Raises:
        The errors of :func:`record_assessment`, for the first assessment refused.
    """
    require_writer(actor)
    uids = legal_items.items_exist([p.item_uid for p in planned], reader=actor)
    today = (now or datetime.now(UTC)).date()
    rows = []
    for p, uid in zip(planned, uids, strict=True):
        when = p.reviewed_at or today
        core = law.Assessment(item_id=uid, element_id=p.element_id, stance=p.stance,
                              standard_claimed=p.standard,  # type: ignore[arg-type]
                              reviewer=actor.get_username(), reviewed_at=when, note=p.note)
        _check_element(charge, p.element_id)
        rows.append(ElementAssessment(
            charge=charge, item_kind=legal_items.kind_of(uid)[0], item_uid=uid,
            element_id=p.element_id, stance=core.stance,
            standard_claimed=core.standard_claimed.value, reviewer=actor, reviewed_at=when,
            note=p.note))
    with transaction.atomic():
        made = ElementAssessment.objects.bulk_create(rows)
        store.record_many([_decision(actor, row) for row in made])
    return made


def _check_element(charge: Charge, element_id: str) -> None:
    catalogue = law.load_catalogue()
    if element_id not in {e.id for e in catalogue.elements_for(charge.crime_id)}:
        raise law.catalogue.UnknownElementError(
            f"{element_id} is not an element of {charge.crime_id}; pick one from the matrix")


def _decision(actor: AbstractBaseUser, row: ElementAssessment) -> store.Planned:
    """The custody entry of a recorded assessment."""
    return store.Planned(actor=actor.get_username(), action="decision", subject=row.uid,
                         detail={"decision": "assess", "charge": row.charge.uid,
                                 "item": row.item_uid, "element": row.element_id,
                                 "stance": row.stance, "standard": row.standard_claimed})


def flag_document(actor: AbstractBaseUser, item_uid: str, note: str = "") -> DocumentFlag:
    """Flag an item as a document that shows a policy (idempotent).

    Raises:
        NotAllowed, UnknownItem.
    """
    require_writer(actor)
    uid = legal_items.item_exists(item_uid, reader=actor)
    with transaction.atomic():
        flag, created = DocumentFlag.objects.get_or_create(
            item_kind=legal_items.kind_of(uid)[0], item_uid=uid,
            defaults={"note": note, "flagged_by": actor})
        if created:
            store.record(actor=actor.get_username(), action="decision", subject=uid,
                         detail={"decision": "flag_policy_document"})
    return flag


def core_charge(charge: Charge) -> law.Charge:
    """The pure core's view of a charge (ids only)."""
    return law.Charge(
        id=charge.uid, crime_id=charge.crime_id, title=charge.title or charge.title_ar,
        place_ids=tuple(p.uid for p in charge.places.all()), date_from=charge.date_from,
        date_to=charge.date_to, victim_group=charge.victim_group or charge.victim_group_ar,
        perpetrator_ids=tuple([p.uid for p in charge.perpetrators.all()]
                              + [u.uid for u in charge.units.all()]),
        ground_tags=tuple(charge.ground_tags or ()))


def matrix_for(charge: Charge, reader: Any = None, *, staff_ids: bool = False,
               hashes: bool = True) -> law.ProofMatrix:
    """Build the proof matrix of a charge from its assessments and their items' lineage.

    Only assessments citing items ``reader`` may read count; ``reader`` None is the public
    (a brief leaving the vault): items with no compartment only. With ``staff_ids`` reviewers
    are named by pseudonymous staff id (``U-000007``), as in anything that leaves the vault;
    otherwise by user name. Without ``hashes`` reports and acts carry no SHA-256 (the web
    pages show none; the brief does).
    """
    from django.contrib.auth import get_user_model

    # Plain rows: a charge has thousands of assessments, and model instances cost most.
    name = f"reviewer__{get_user_model().USERNAME_FIELD}"
    rows = list(charge.assessments.order_by("pk").values_list(
        "item_uid", "element_id", "stance", "standard_claimed", "reviewer_id", name,
        "reviewed_at", "note"))
    readable = access.readable_uids(reader, {r[0] for r in rows})
    rows = [r for r in rows if r[0] in readable]
    assessments = [law.Assessment(item_id=uid, element_id=element, stance=stance,
                                  standard_claimed=standard,  # type: ignore[arg-type]
                                  # staff_ids: as dhakira.apps.dossier.staff.staff_id names them
                                  reviewer=STAFF.format(reviewer_pk) if staff_ids else username,
                                  reviewed_at=reviewed_at, note=note)
                   for uid, element, stance, standard, reviewer_pk, username, reviewed_at, note
                   in rows]
    found = _readable_lineage(legal_items.load_items((r[0] for r in rows), hashes=hashes),
                              reader, known=readable)
    return law.build_matrix(core_charge(charge), law.load_catalogue(), found.values(), assessments)


def _readable_lineage(found: dict[str, law.Item], reader: Any,
                      known: set[str] | frozenset[str] = frozenset()) -> dict[str, law.Item]:
    """``found`` without the items ``reader`` may not read, also cut from every lineage.

    An item whose origins are all hidden counts as its own origin: the reader's matrix counts
    independent origins among what the reader may see, never more. ``known``: uids already
    found readable by :func:`access.readable_uids` for ``reader`` (the assessed items): only
    the others (their lineage) are looked up.
    """
    readable = {uid for uid in found if uid in known} | access.readable_uids(
        reader, [uid for uid in found if uid not in known])
    out = {}
    for uid, item in found.items():
        if uid not in readable:
            continue
        kept = tuple(d for d in item.derived_from if d in readable)
        # A copy only when the lineage was cut: most items keep theirs (thousands per charge).
        out[uid] = item if len(kept) == len(item.derived_from) else replace(item, derived_from=kept)
    return out


def patterns_for(charge: Charge, *, min_cluster: int = 3) -> law.PatternSummary:
    """Summarise the acts in the charge's scope."""
    return law.pattern_summary(scope_facts(charge), min_cluster=min_cluster)


def candidate_crimes_for(act: Act) -> list[str]:
    """The crimes the catalogue proposes for an act, from its type, method and grounds."""
    return law.load_catalogue().candidate_crimes(act.act_type, act.method or None,
                                                 ground_tags_of(act.grounds or []))


def policy_documents(reader: Any = None) -> list[DocumentFlag]:
    """The items flagged as documents that show a policy which ``reader`` may read
    (``None``: the public, items with no compartment)."""
    flags = list(DocumentFlag.objects.all())
    readable = access.readable_uids(reader, {f.item_uid for f in flags})
    return [f for f in flags if f.item_uid in readable]


@dataclass(frozen=True)
class EstimatedTotal:
    """An estimate of all victims, documented or not, from :mod:`dhakira.core.counting`.

    ``run_id`` names the saved run it comes from; the brief then reads the run itself (its
    verdict, sentence, linkage and sensitivity). None when unbounded.
    """

    point: int | None
    lower: int | None
    upper: int | None
    method: str
    interval: str = "95%"
    run_id: int | None = None
    withheld: str = ""  # a run from a resolution file exists, labelled so; no figures given


def latest_estimate() -> EstimatedTotal | None:
    """The latest saved estimate of all victims made from the dossier's own linkage, if any.

    An estimate that is not usable is returned too: the brief says why it is not usable. A run
    made from a ``--resolution`` file (a demo's truth file) is never the brief's number: when
    the only runs are such, the result has no figures and ``withheld`` names the latest run's
    label (as the Counting page shows it), so the brief says why no estimate is given.
    """
    from dhakira.apps.counting.services import latest_dossier_run, latest_run, summary_for_brief

    run = latest_dossier_run()
    if run is None:
        other = latest_run()
        if other is None:
            return None
        return EstimatedTotal(point=None, lower=None, upper=None, method=other.method,
                              withheld=other.resolution)
    summary = summary_for_brief(run)
    if summary is None:
        return None
    low, high = summary["interval"]
    return EstimatedTotal(point=_rounded(summary["estimate"]), lower=_rounded(low),
                          upper=_rounded(high), method=summary["method_name"], run_id=run.pk)


def _rounded(value: float | None) -> int | None:
    return None if value is None else round(value)


def ensure_demo_charge(actor: AbstractBaseUser, *, now: datetime | None = None) -> Charge:
    """Define the demo's persecution charge once, with automatic assessments.

    Each act in scope whose attributed grounds carry ``sexual_orientation`` is assessed as
    supporting the persecution elements it bears on (standard ``credible_allegation``,
    reviewer ``actor``). Calling it again returns the existing charge unchanged.

    Raises:
        NotAllowed: the actor may not write.
    """
    existing = Charge.objects.filter(title=DEMO_CHARGE_TITLE).first()
    if existing:
        return existing
    ninawa = Place.objects.filter(kind="governorate", name_en__icontains="Ninawa")
    with transaction.atomic():
        charge = create_charge(actor, crime_id="CAH-PERSECUTION", title=DEMO_CHARGE_TITLE,
                               title_ar=DEMO_CHARGE_TITLE_AR, places=list(ninawa),
                               date_from=date(2014, 6, 1), date_to=date(2017, 12, 31),
                               ground_tags=["gender", "sexual_orientation"],
                               victim_group=DEMO_VICTIM_GROUP,
                               victim_group_ar=DEMO_VICTIM_GROUP_AR)
        record_assessments(actor, charge, [
            PlannedAssessment(item_uid=act, element_id=element_id, stance="supports",
                              standard="credible_allegation", note=AUTO_NOTE)
            for act, element_id in _auto_pairs(charge)], now=now)
    return charge


def _auto_pairs(charge: Charge) -> Iterable[tuple[str, str]]:
    catalogue = law.load_catalogue()
    # Own elements only: contextual ones (a widespread attack) rest on patterns, not one act.
    own = set(catalogue.crime(charge.crime_id).elements)
    for act in acts_in_scope(charge):
        tags = ground_tags_of(act.grounds or [])
        if "sexual_orientation" not in tags:
            continue
        ground = act.grounds[0] if act.grounds else None
        for element_id in catalogue.candidate_elements(act.act_type, act.method or None, tags,
                                                        ground=ground):
            if element_id in own:
                yield act.uid, element_id


def assessment_pks(charge: Charge, item_uids: Iterable[str]) -> list[int]:
    """Primary keys of ``charge``'s assessments citing any of ``item_uids`` (for vetting)."""
    return list(charge.assessments.filter(item_uid__in=sorted(set(item_uids)))
                .values_list("pk", flat=True))


def assessments_by_pk(pks: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Assessment pk -> its uid, charge pk, item, element and stance (for vetting comments)."""
    return {pk: {"uid": ASSESSMENT.format(pk), "charge": charge, "item": item, "element": element,
                 "stance": stance}
            for pk, charge, item, element, stance in ElementAssessment.objects.filter(
                pk__in=list(pks)).values_list("pk", "charge_id", "item_uid", "element_id", "stance")}
