"""A selection out as HURIDOCS ESF JSON or Uwazi CSV, through the package's one gate.

The selection (:mod:`dhakira.apps.handover.select`), the consent gate and the redaction terms
are the hand-over's own (:func:`dhakira.apps.handover.build.plan`,
:func:`dhakira.apps.handover._terms.gather`): an item the gate blocks for the recipient is
left out and listed with why, exactly as ``dhakira package`` lists it. What goes is read into
the plain records of :mod:`dhakira.core.exporting`, written in memory, leak-checked with the
package's checks, logged (one custody ``export`` entry with every file's SHA-256, and the
disclosure log), and only then written into the folder asked for, or, for the web page,
handed back in memory (``to=None``) to be sent as a download.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser

from dhakira.apps.dossier import access
from dhakira.apps.dossier.models import Act, Information, NameVariant, Person, Recipient
from dhakira.apps.dossier.models import Place as PlaceRow
from dhakira.apps.exporting.errors import ExportError
from dhakira.apps.handover import _terms, build, log
from dhakira.apps.handover.errors import NothingToSend, leaks_found
from dhakira.apps.handover.select import Selection
from dhakira.core import exporting as ex
from dhakira.core.handover import (
    FULL,
    RedactionPolicy,
    coarsen,
    find_fine_coordinates,
    find_leaks,
    policy_named,
)
from dhakira.core.handover.package import write_file_atomically
from dhakira.core.ids import ACT, EVENT, PERSON, REPORT

ESF_FILE = "esf.json"


@dataclass(frozen=True)
class ExportRequest:
    """What to export, in which format, for whom, why, how redacted, and where to (a folder,
    or None: the files are only handed back, for a download)."""

    selection: Selection
    recipient: Recipient
    purpose: str
    policy: str
    fmt: str
    to: Path | None


@dataclass(frozen=True)
class Exported:
    """A finished, checked and logged export."""

    export_id: str
    files: dict[Path, str]  # path written -> its SHA-256 (none when ``to`` was None)
    plan: build.Plan
    shipped: list[str]
    evidence_left: int  # evidence items of the selection: files go in packages, not here
    contents: dict[str, bytes]  # file name -> its bytes, as logged


class _Reader:
    """Reads what the plan lets go into plain records, redacted under the policy."""

    def __init__(self, p: build.Plan, terms: _terms.Terms, policy: RedactionPolicy,
                 user: AbstractBaseUser) -> None:
        self.plan, self.terms, self.policy, self.user = p, terms, policy, user
        self.blocked = p.blocked_persons

    def ref(self, pk: int) -> str:
        uid = PERSON.format(pk)
        if pk in self.blocked:  # never a blocked person's id: their per-export code
            return self.terms.codes.get(uid, "")
        return self.terms.ref(uid, self.policy)

    def text(self, value: str) -> str:
        return self.terms.redact(value, self.policy)

    def place(self, row: PlaceRow | None) -> ex.Place | None:
        if row is None:
            return None
        lat = lon = None
        if row.latitude is not None and row.longitude is not None:
            lat, lon = coarsen(row.latitude, row.longitude, self.policy)
        return ex.Place(id=row.uid, name_en=row.name_en, name_ar=row.name_ar, lat=lat, lon=lon)

    def date(self, obj: object) -> ex.Date:
        a, b = getattr(obj, "date_earliest", None), getattr(obj, "date_latest", None)
        return ex.Date(text=self.text(getattr(obj, "date_text", "")),
                       calendar=getattr(obj, "date_calendar", ""),
                       edtf=getattr(obj, "date_edtf", ""),
                       earliest=a.isoformat() if a else "", latest=b.isoformat() if b else "")

    def persons(self, pks: set[int]) -> list[ex.Person]:
        names: dict[int, list[str]] = {}
        if self.policy.level is FULL.level:
            # Only names the acting user may read: a name is as restricted as its report.
            for pid, text in (access.visible_names(self.user, NameVariant.objects.filter(
                    person_id__in=pks - self.blocked)).order_by("pk")
                    .values_list("person_id", "text")):
                names.setdefault(pid, []).append(text)
        # Sex and age only under `full`, with the names: under a policy that hides who people
        # are, a package carries no record per person, and sex and age beside a per-export
        # code (with the place and date of the act) narrow down who it is.
        named = self.policy.level is FULL.level
        return [ex.Person(id=self.ref(p.pk), role=self.plan.roles.get(p.uid, "person"),
                          names=tuple(dict.fromkeys(names.get(p.pk, []))),
                          sex=p.sex if named else "", age=p.age if named else None,
                          counting_unit=p.counting_unit)
                for p in Person.objects.filter(pk__in=pks).order_by("pk")]

    def bundle(self) -> ex.Bundle:
        p = self.plan
        acts = list(Act.objects.filter(pk__in=p.acts)
                    .select_related("place", "event", "event__place")
                    .prefetch_related("involvements__unit").order_by("pk"))
        reports = list(Information.objects.filter(pk__in=p.reports).select_related("source")
                       .prefetch_related("events__place", "acts", "persons").order_by("pk"))
        # Events only of acts that passed the gate, as a package ships them: the event of a
        # blocked act (its title, place, date) would tell of what the gate held back.
        events = {a.event_id: a.event for a in acts}
        persons = {a.victim_id for a in acts}
        persons |= {i.perpetrator_id for a in acts for i in a.involvements.all()
                    if i.perpetrator_id}
        for info in reports:
            persons |= {q.pk for q in info.persons.all()}
        shipped_acts = {a.pk for a in acts}
        return ex.Bundle(
            events=tuple(ex.Event(id=e.uid, title=self.text(e.title),
                                  description=self.text(e.description), date=self.date(e),
                                  place=self.place(e.place),
                                  violation_status=e.violation_status)
                         for e in events.values()),
            acts=tuple(ex.Act(id=a.uid, event=EVENT.format(a.event_id),
                              victim=self.ref(a.victim_id), act_type=a.act_type,
                              method=a.method, result=a.result,
                              stated_reason=self.text(a.stated_reason), date=self.date(a),
                              place=self.place(a.place)) for a in acts),
            persons=tuple(self.persons(persons)),
            involvements=tuple(
                ex.Involvement(id=f"{a.uid}/{i.pk}", act=a.uid, degree=i.degree,
                               perpetrator=self.ref(i.perpetrator_id) if i.perpetrator_id else "",
                               perpetrator_type=i.perpetrator_type, certainty=i.certainty,
                               unit_en=i.unit.name_en if i.unit else "",
                               unit_ar=i.unit.name_ar if i.unit else "")
                for a in acts for i in a.involvements.all()),
            information=tuple(
                ex.Information(id=n.uid, source=self.terms.ref(n.source.uid, self.policy),
                               received=n.received_at.date().isoformat(), channel=n.channel,
                               language=n.language, connection=n.connection,
                               material_type=n.material_type, credibility=n.credibility,
                               events=tuple(sorted(e.uid for e in n.events.all()
                                                   if e.pk in events)),
                               acts=tuple(sorted(a.uid for a in n.acts.all()
                                                 if a.pk in shipped_acts)),
                               persons=tuple(sorted(self.ref(q.pk) for q in n.persons.all())),
                               compartment=n.compartment)
                for n in reports)).sorted()


def _without(files: dict[str, bytes], names: set[str]) -> dict[str, bytes]:
    """``files`` with each of ``names`` blanked out (longest first), for the leak scan only."""
    if not names:
        return files
    ordered = sorted((n.encode() for n in names if n.strip()), key=len, reverse=True)
    out = {}
    for path, data in files.items():
        for name in ordered:
            data = data.replace(name, b" ")
        out[path] = data
    return out


def _files(fmt: str, bundle: ex.Bundle, meta: dict[str, str]) -> dict[str, bytes]:
    if fmt == "esf":
        return {ESF_FILE: ex.to_esf(bundle, meta=meta)}
    return ex.to_uwazi(bundle)


def export(request: ExportRequest, *, user: AbstractBaseUser,
           now: dt.datetime | None = None) -> Exported:
    """Gate, read, write in memory, leak-check, log, then write the files into ``request.to``
    (if it is None, write nothing: the files are in the result's ``contents``).

    Args:
        request: what to export and where.
        user: the acting user (authenticated by the caller; their clearances count).
        now: the time of the export (default: now, UTC).

    Returns:
        An :class:`Exported`; ``plan.blocked`` lists what was left out and why.

    Raises:
        UnknownFormat: a format we do not write.
        ExportError: a file of the export exists already in the folder.
        NothingToSend: the selection is empty, or every item in it is blocked.
        LeakFound: a written file still held protected material (nothing was written).
        HandoverError: an unknown purpose or policy.
    """
    fmt = ex.check_format(request.fmt)
    now = now or dt.datetime.now(dt.UTC)
    p = build.plan(build.Request(selection=request.selection, recipient=request.recipient,
                                 purpose=request.purpose, policy=request.policy,
                                 out_dir=request.to or Path(".")), user=user)
    if not (p.acts or p.reports):
        if p.evidence:
            raise NothingToSend("the selection holds evidence files only; an export carries "
                                "records (events, acts, people, reports): send files with "
                                "'dhakira package'")
        from django.utils import translation

        with translation.override("en"):  # the error's own text stays English, as the log's
            said = build.nothing_to_send(p)
        raise NothingToSend(said, plan=p)
    pol = policy_named(request.policy)
    terms = _terms.gather(policy=pol, roles=p.roles, blocked=p.blocked_persons,
                          secret=os.urandom(32), actor=user.get_username(), now=now)
    bundle = _Reader(p, terms, pol, user).bundle()
    export_id = log.next_package_id(now)
    meta = {"export": export_id, "recipient": request.recipient.code,
            "purpose": request.purpose, "policy": pol.name,
            "created_at": now.astimezone(dt.UTC).isoformat(timespec="seconds")}
    files = _files(fmt, bundle, meta)
    # A name that goes as an exported person's own (under `full`) is not a leak of a blocked
    # person who bears the same name: refusing stopped the whole export with no record to fix
    # (a package writes a token for it in free text, as the export's texts do). Those exact
    # names are blanked out of what the scan reads, nothing more: the scan still finds a
    # blocked name written otherwise, in another script too (by its key), wherever it is.
    going = {name for person in bundle.persons for name in person.names}
    leaks = [(path, "protected", "")
             for path, _ in find_leaks(_without(files, going), list(terms.forbidden))]
    if pol.coordinate_precision is not None:
        leaks += [(path, "coordinates", str(pol.coordinate_precision))
                  for path, _ in find_fine_coordinates(files, precision=pol.coordinate_precision)]
    if leaks:
        raise leaks_found(leaks, redacted_copy=False)
    targets = {request.to / name: data for name, data in files.items()} if request.to else {}
    for target in targets:
        if target.exists():
            raise ExportError(f"{target} exists already; give another --to folder",
                              code="export_target_exists", params={"path": str(target)})
    sums = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    shipped = [REPORT.format(pk) for pk in p.reports] + [ACT.format(pk) for pk in p.acts]
    log.record_export(export_id=export_id, files=sums, fmt=fmt, plan=p,
                      request=build.Request(selection=request.selection,
                                            recipient=request.recipient,
                                            purpose=request.purpose, policy=pol.name,
                                            out_dir=request.to or Path(".")),
                      shipped=shipped, user=user, now=now)
    # Logged: now write. A crash from here on leaves a logged export, never an unlogged one.
    if request.to is not None:
        request.to.mkdir(parents=True, exist_ok=True)
    written = {write_file_atomically(path, data): sums[path.name]
               for path, data in targets.items()}
    return Exported(export_id=export_id, files=written, plan=p, shipped=shipped,
                    evidence_left=len(p.evidence), contents=files)


__all__ = ["ESF_FILE", "ExportRequest", "Exported", "export"]
