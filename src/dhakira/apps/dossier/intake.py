"""Saving reports (who said what about whom), each batch in one transaction.

The intake page's forms turn input into a :class:`ReportIn`; :func:`save_report` writes the
Source (when new), Information, Event, Persons with their NameVariants, Acts, Involvements,
Consent versions and linked files, then one custody entry. Bad input raises before anything
is written, and a failure half-way rolls everything back. :func:`save_reports` is the same
intake for many reports at once (an import): :func:`save_report` is a batch of one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, router, transaction
from django.db.models import signals

from dhakira.apps.custody import store
from dhakira.apps.dossier.models import (
    Act,
    Event,
    Information,
    Involvement,
    NameVariant,
    Person,
    Place,
    Recipient,
    Source,
    Unit,
    name_part_rows,
)
from dhakira.core.bidi import ARABIC, script_of
from dhakira.core.dates import FuzzyDate, parse_fuzzy_date
from dhakira.core.names import name_key

__all__ = ["ActIn", "FileIn", "PerpetratorIn", "ReportIn", "VictimIn", "backfill_name_keys",
           "new_information", "report_entry", "save_report", "save_reports", "script_of",
           "text_language"]


@dataclass(frozen=True)
class VictimIn:
    names: tuple[str, ...]
    age: int | None = None
    sex: str = ""
    same_as: int | None = None  # an existing person this victim is ("this is the same person")


@dataclass(frozen=True)
class ActIn:
    act_type: str
    victim: int | None = None  # index into ReportIn.victims; None: every victim
    method: str = ""
    result: str = ""
    stated_reason: str = ""
    grounds: tuple[str, ...] = ()  # attributed by the perpetrators, never self-identity
    public_setting: bool | None = None
    announced: bool | None = None
    rights_deprived: tuple[str, ...] = ()


@dataclass(frozen=True)
class PerpetratorIn:
    degree: str
    name: str = ""
    unit: Unit | None = None
    perpetrator_type: str = ""
    certainty: str = "probable"


@dataclass(frozen=True)
class FileIn:
    name: str
    stream: BinaryIO
    graphic: bool = False


@dataclass(frozen=True)
class ReportIn:
    """Everything one report says, already validated by the intake forms."""

    source_code: str
    received_at: datetime
    channel: str
    event_title: str
    # The stored source ``source_code`` names, when the caller read it a moment ago (the
    # intake form does, to check the code): not asked about again. None: looked up here.
    source: Source | None = None
    source_kind: str = "informant"
    source_reliability: str = "f"
    language: str = "ar"
    credibility: int = 6
    connection: str = ""
    material_type: str = ""
    date_text: str = ""
    date_calendar: str = "gregorian"  # how bare numbers in date_text are read ("5/9/1436")
    place: Place | None = None
    place_text: str = ""
    text: str = ""
    consent_decision: str = ""
    consent_scopes: tuple[str, ...] = ()
    consent_recipient: Recipient | None = None
    consent_given_by: str = "self"
    consent_relationship: str = ""
    victims: tuple[VictimIn, ...] = ()
    acts: tuple[ActIn, ...] = ()
    perpetrators: tuple[PerpetratorIn, ...] = ()
    files: tuple[FileIn, ...] = field(default_factory=tuple)
    # Only users cleared for it read the report, its people's names and its files ("" none).
    compartment: str = ""


def text_language(text: str) -> str:
    """'ar' when at least a quarter of the text's characters are Arabic letters, else 'en'.

    For reports whose language nobody stated (an e-mail taken in): a guess, kept editable.
    """
    arabic = len(ARABIC.findall(text))
    return "ar" if arabic * 4 > len(text) else "en"


def _information(*, created_by: AbstractBaseUser | None, known: _Known | None = None,
                 **fields: Any) -> Information:
    """A new report's row, validated and not yet saved (the language guessed if not given)."""
    if not fields.get("language"):
        fields["language"] = text_language(str(fields.get("text", "")))
    info = Information(created_by=created_by, **fields)
    _full_clean(info, known if known is not None else _Known())
    return info


def new_information(*, created_by: AbstractBaseUser | None, **fields: Any) -> Information:
    """Validate and save a new report's row: the one constructor every way in uses.

    Its custody entry is :func:`report_entry`, written once the report is whole.
    """
    info = _information(created_by=created_by, **fields)
    info.save()
    return info


def report_entry(info: Information, *, actor: str, now: datetime,
                 detail: dict[str, Any]) -> store.Planned:
    """The custody entry of a new report (``new_version``), with ids and counts only."""
    return store.Planned(actor=actor, action="new_version", subject=info.uid, detail=detail,
                         now=now)


class _Known:
    """The rows a batch has already checked or written, so each is checked once per batch.

    ``Model.full_clean`` checks a foreign key by asking the database whether the row it names
    exists: one query per key per record, most of a report's cost. A row this batch wrote,
    or one whose key it already checked, is not asked about again (the database's own
    foreign-key constraint still holds every insert to it). Sources are looked up once per
    code name per batch.
    """

    def __init__(self) -> None:
        self.rows: set[tuple[type, object]] = set()
        self.sources: dict[str, Source] = {}

    def add(self, objs: list[Any]) -> None:
        # By the model, not type(o): the web's actor is request.user, a lazy object.
        self.rows.update((o._meta.model, o.pk) for o in objs)


def _full_clean(obj: Any, known: _Known) -> None:
    """``obj.full_clean()``, without asking again about a foreign key ``known`` holds, nor
    about one naming a row of this batch not yet inserted (built before the transaction,
    given its key on insert, before this row's: the database's constraint holds it)."""
    relations = [f for f in obj._meta.concrete_fields if f.is_relation]
    held = [f.name for f in relations if _held(obj, f, known)]
    obj.full_clean(exclude=held or None)
    known.rows.update((f.related_model, v) for f in relations
                      if f.name not in held and (v := getattr(obj, f.attname)) is not None)


def _held(obj: Any, relation: Any, known: _Known) -> bool:
    value = getattr(obj, relation.attname)
    if value is not None:
        return (relation.related_model, value) in known.rows
    other = relation.get_cached_value(obj) if relation.is_cached(obj) else None
    return other is not None and other.pk is None


def _insert(objs: list[Any]) -> None:
    """Insert new rows of one model in one statement per 500, as ``save()`` would each.

    ``bulk_create`` sends no signals; ``pre_save`` and ``post_save`` are sent here for every
    row, so whatever listens to a save (the bidirectional-control guard) sees these rows too.
    """
    if not objs:
        return
    model = type(objs[0])
    using = router.db_for_write(model)
    for obj in objs:
        signals.pre_save.send(sender=model, instance=obj, raw=False, using=using,
                              update_fields=None)
    model.objects.bulk_create(objs, batch_size=500)
    for obj in objs:
        signals.post_save.send(sender=model, instance=obj, created=True, raw=False, using=using,
                               update_fields=None)


def _source(report: ReportIn, known: _Known) -> Source:
    """The report's source, read (before the transaction), or new and checked but unsaved:
    :func:`_settle` inserts it under the write lock, unless another writer did meanwhile."""
    source = known.sources.get(report.source_code)
    if source is None:
        given = report.source
        source = (given if given is not None and given.pk is not None
                  and given.code_name == report.source_code
                  else _stored_source(report.source_code))
        if source is None:
            source = Source(code_name=report.source_code, kind=report.source_kind,
                            reliability=report.source_reliability)
            source.full_clean()
        else:
            known.add([source])
        known.sources[report.source_code] = source
    return source


def _stored_source(code: str) -> Source | None:
    # Code names match whatever the capitals: "ninawa-05" is NINAWA-05, not a new source.
    return Source.objects.filter(code_name__iexact=code).order_by("pk").first()


def _settle(sources: list[Source], places: list[Place]) -> None:
    """Insert the batch's new sources and places, under the write lock.

    A source is looked for again first: another writer may have recorded the same code name
    since it was looked for. Then the batch's unsaved source becomes that row (its key and
    fields), so the rows already built naming it name the stored one.
    """
    for source in sources:
        stored = _stored_source(source.code_name)
        if stored is None:
            source.save()
            continue
        for f in Source._meta.concrete_fields:
            setattr(source, f.attname, getattr(stored, f.attname))
        source._state.adding, source._state.db = False, stored._state.db
    _insert(places)


def _place(report: ReportIn) -> Place | None:
    if report.place is not None or not report.place_text:
        return report.place
    # A place the gazetteer lacks is kept as typed, without coordinates, for later review.
    place = Place(name_en=report.place_text, name_ar=report.place_text, kind="site")
    place.full_clean()
    return place  # inserted by _settle


def _names(names: tuple[str, ...], person: Person, info: Information) -> list[NameVariant]:
    # NameVariant.save() derives the key from the text; these are inserted in bulk, so here.
    return [NameVariant(person=person, text=text, script=script_of(text), key=name_key(text),
                        source=info.source, information=info) for text in names]


def _event(report: ReportIn, date: FuzzyDate | None, known: _Known) -> Event:
    event = Event(title=report.event_title, place=_place(report))
    if date is not None:
        event.set_date(date)
    _full_clean(event, known)
    return event


def _acts(report: ReportIn, event: Event, victims: list[Person], date: FuzzyDate | None,
          known: _Known) -> list[Act]:
    acts = []
    for spec in report.acts:
        targets = victims if spec.victim is None else [victims[spec.victim]]
        for victim in targets:
            act = Act(event=event, victim=victim, act_type=spec.act_type, method=spec.method,
                      result=spec.result, stated_reason=spec.stated_reason, place=event.place,
                      grounds=list(spec.grounds), public_setting=spec.public_setting,
                      announced=spec.announced, rights_deprived=list(spec.rights_deprived))
            if date is not None:
                act.set_date(date)
            _full_clean(act, known)
            acts.append(act)
    return acts


def _involvements(report: ReportIn, acts: list[Act], perpetrators: list[Person | None],
                  known: _Known) -> list[Involvement]:
    rows = []
    for spec, person in zip(report.perpetrators, perpetrators, strict=True):
        for act in acts:
            inv = Involvement(act=act, perpetrator=person, unit=spec.unit, degree=spec.degree,
                              perpetrator_type=spec.perpetrator_type, certainty=spec.certainty)
            _full_clean(inv, known)
            rows.append(inv)
    return rows


def _consents(report: ReportIn, victims: list[Person], actor: AbstractBaseUser,
              now: datetime) -> list[Any]:
    """Each victim's consent as given, by whom: the person, a relative, a guardian or the
    informant on their behalf (the report's custody entry covers it); checked, not saved.
    The victims are new, so each scope's version is the first."""
    if not report.consent_decision:
        return []
    from dhakira.apps.dossier import consents

    return consents.first_versions(victims, consents.Given(
        scopes=report.consent_scopes, decision=report.consent_decision,
        recipient=report.consent_recipient, given_by=report.consent_given_by,
        relationship=report.consent_relationship, obtained_at=report.received_at,
        obtained_by=actor.get_username()), actor=actor, now=now)


def _files(report: ReportIn, info: Information, actor: AbstractBaseUser,
           ready: list[tuple[FileIn, Any]], custody: list[store.Planned],
           read: list[tuple[Any, Any]]) -> list[Any]:
    """Record a report's files (stored already by ``_ready``, but for e-mails and archives)
    as evidence of ``info``; their items. Their custody entries are added to ``custody``;
    each item whose text ``_ready`` read, with that text, to ``read``."""
    if not ready:
        return []
    from dhakira.apps.evidence import intake as evidence_intake

    items = []
    for upload, prepared in ready:
        collection = evidence_intake.Collection(
            collector=actor.get_username(), method="upload on the report intake page",
            graphic=upload.graphic, compartment=report.compartment)
        unit = evidence_intake.record_stream(
            upload.stream, name=upload.name, origin=f"intake of {info.uid}",
            collection=collection, prepared=prepared, information=info, custody=custody)
        if prepared is not None and prepared.read is not None:
            read.append((unit[0], prepared.read))  # written done: its text goes with it
        items += unit
    return items


def _ready(reports: list[ReportIn]) -> list[list[tuple[FileIn, Any]]]:
    """Check, hash, encrypt and store every file of the batch, before the transaction that
    holds the database's write lock (the costly part of a save with files: other writers
    need not wait for it), and read the text of those read without OCR from the stored blob
    (:func:`dhakira.apps.evidence.processing.read_ahead`, kept as ``Prepared.read``; None for
    the others), for that transaction to write too. Refuses the batch at the first bad file.

    A report's file whose bytes it carries already (a file held from a form error and
    chosen again, or chosen twice) is left out: one file, one item. A file already in the
    vault from another report is taken in as before (evidence intake marks the duplicate).
    """
    if not any(r.files for r in reports):
        return [[] for _ in reports]
    from dhakira.apps.evidence import intake as evidence_intake
    from dhakira.apps.evidence import processing

    out = []
    for report in reports:
        seen: set[str] = set()
        files = []
        for file in report.files:
            prepared = evidence_intake.prepare_stream(file.stream, name=file.name)
            digest = prepared.stored.sha256 if prepared is not None else _digest(file.stream)
            if digest not in seen:
                seen.add(digest)
                files.append((file, prepared))
        out.append(files)
    # Every file checked and stored first: a refused one refuses the batch before any is read.
    return [[(file, prepared) if prepared is None else
             (file, replace(prepared, read=processing.read_ahead(
                 prepared.stored.sha256, prepared.checked.mime, prepared.checked.size)))
             for file, prepared in files] for files in out]


def _digest(stream: BinaryIO) -> str:
    """The SHA-256 of a stream (an e-mail or an archive, which is stored later), rewound."""
    stream.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def _same_people(reports: list[ReportIn]) -> dict[int, Person]:
    """The existing persons the batch's victims are said to be, read before the transaction.

    Raises:
        Person.DoesNotExist: one of them is not there (nothing was written).
    """
    wanted = {spec.same_as for r in reports for spec in r.victims if spec.same_as is not None}
    found = Person.objects.in_bulk(wanted) if wanted else {}
    if missing := wanted - found.keys():
        raise Person.DoesNotExist(f"no person with key {min(missing)}")
    return found


def _link_same(report: ReportIn, victims: list[Person], same: dict[int, Person],
               actor: AbstractBaseUser, reason: str, now: datetime) -> None:
    if all(spec.same_as is None for spec in report.victims):
        return  # linkage's import pulls in its whole stack: only when a victim is linked
    from dhakira.apps.linkage import services  # identity builds on the dossier, not the reverse

    for spec, victim in zip(report.victims, victims, strict=True):
        if spec.same_as is not None:
            services.link_same_person(victim, same[spec.same_as],
                                      actor=actor.get_username(), reason=reason, now=now)


@dataclass
class _Rows:
    """One report's rows, built and checked before any of the batch's rows is inserted."""

    report: ReportIn
    info: Information
    event: Event
    victims: list[Person]
    perpetrators: list[Person | None]  # one per PerpetratorIn; None for a unit without a name
    date: FuzzyDate | None
    variants: list[NameVariant] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    consents: list[Any] = field(default_factory=list)
    files: list[Any] = field(default_factory=list)  # its evidence items


def save_report(report: ReportIn, *, actor: AbstractBaseUser, now: datetime,
                same_reason: str = "the same person, chosen at intake") -> Information:
    """Write one report and everything it mentions, all or nothing, and log it in custody.

    A victim given ``same_as`` is linked to that person (reversibly, see
    :func:`dhakira.apps.linkage.services.link_same_person`), so no duplicate is left unlinked.
    The report form's path: :func:`save_reports` with a batch of one.

    Args:
        report: the validated report.
        actor: the user recording it (required: custody never guesses who acted).
        now: the time of recording.
        same_reason: the reason recorded on those links.

    Returns:
        The new Information row.

    Raises:
        django.core.exceptions.ValidationError: a value fails the model's rules; nothing
            was written.
        dhakira.apps.evidence.errors.IntakeRejected: a file could not be taken in; nothing was
            written.
    """
    return save_reports([report], actor=actor, now=now, same_reason=same_reason)[0]


def save_reports(reports: Iterable[ReportIn], *, actor: AbstractBaseUser, now: datetime,
                 same_reason: str = "the same person, chosen at intake") -> list[Information]:
    """Write a batch of reports and everything they mention, all or nothing, in one transaction.

    The one intake (:func:`save_report` is a batch of one); for imports, a batch of a few
    hundred rows. Every row is checked by its model's rules as when saved one at a time, but a
    foreign key is checked once per batch, rows of a kind are inserted together, and the
    search index is written once per batch. Each report still gets its own custody entry,
    saying what it said when reports were saved singly, in the batch's order.

    Files are checked and stored (hashed, encrypted, written) before the transaction, so that
    it holds the write lock for the rows only; a blob stored ahead is removed if the batch is
    then refused. The text of a file read without OCR (plain text, DOCX, ...) is read from
    its blob before the transaction too, and written in it, as a derived copy with its own
    custody entry and search document. The text of the others (pictures and PDFs, which OCR
    may read; e-mails and archives; a file whose reading ahead failed) is read (extraction,
    OCR) and indexed after the transaction, in one of its own; if that fails for lack of
    room or a vault error, the report stays written and its files wait for
    ``dhakira process``.

    Args:
        reports: the validated reports (held in memory: pass a few hundred at a time).
        actor: the user recording them (required: custody never guesses who acted).
        now: the time of recording.
        same_reason: the reason recorded on the links of victims given ``same_as``.

    Returns:
        The new Information rows, in the order of ``reports``.

    Raises:
        django.core.exceptions.ValidationError: a value fails the model's rules; nothing of
            the batch was written.
        dhakira.apps.evidence.errors.IntakeRejected: a file could not be taken in; nothing of
            the batch was written.
    """
    from dhakira.apps.evidence import processing
    from dhakira.apps.evidence.intake import owning_blobs

    reports = list(reports)
    if not reports:
        return []
    known = _Known()
    known.add([actor])
    with owning_blobs():
        # Before the write lock: the files stored, every row built and checked.
        ready = _ready(reports)
        batch = _build(reports, actor=actor, now=now, known=known)
        same = _same_people(reports)
        _write(batch, ready, same, actor=actor, now=now, same_reason=same_reason)
    # After the commit (unless a caller's transaction is still open): reading a file's text
    # may take seconds of OCR, which no other writer should wait for. The texts read ahead
    # were written with the report: their items are done.
    items = [i.pk for r in batch for i in r.files if i.text_status == i.TextStatus.PENDING]
    if items:
        processing.process_items(items)
    return [r.info for r in batch]


def _build(reports: list[ReportIn], *, actor: AbstractBaseUser, now: datetime,
           known: _Known) -> list[_Rows]:
    """Every row of the batch, built and checked by its model's rules, not yet written.

    This is most of a save's work (look-ups, checks, name and search keys), done before
    :func:`_write` takes the write lock. Rows name the rows they depend on as objects,
    unsaved for now: each gets its key when inserted, before the rows naming it.
    """
    batch: list[_Rows] = []
    for report in reports:
        # Rows the forms read from the database a moment ago (a place, a unit, a recipient
        # chosen from a list) are not asked about again; the database's constraints still
        # hold every insert naming them.
        known.add([row for row in (report.place, report.consent_recipient,
                                   *(p.unit for p in report.perpetrators))
                   if row is not None and not row._state.adding])
        date = (parse_fuzzy_date(report.date_text, default_calendar=report.date_calendar)
                if report.date_text.strip() else None)
        info = _information(source=_source(report, known), received_at=report.received_at,
                            channel=report.channel, language=report.language,
                            credibility=report.credibility, connection=report.connection,
                            material_type=report.material_type, text=report.text,
                            compartment=report.compartment, created_by=actor, known=known)
        victims = [Person(age=v.age, sex=v.sex) for v in report.victims]
        perpetrators = [Person() if spec.name else None for spec in report.perpetrators]
        for person in (*victims, *(p for p in perpetrators if p is not None)):
            person.full_clean()
        rows = _Rows(report, info, _event(report, date, known), victims, perpetrators, date)
        rows.variants = [
            *(n for spec, person in zip(report.victims, victims, strict=True)
              for n in _names(spec.names, person, info)),
            *(n for spec, person in zip(report.perpetrators, perpetrators, strict=True)
              if person is not None for n in _names((spec.name,), person, info))]
        rows.acts = _acts(report, rows.event, victims, date, known)
        rows.involvements = _involvements(report, rows.acts, perpetrators, known)
        rows.consents = _consents(report, victims, actor, now)
        batch.append(rows)
    return batch


def _write(batch: list[_Rows], ready: list[list[Any]], same: dict[int, Person], *,
           actor: AbstractBaseUser, now: datetime, same_reason: str) -> None:
    """Insert the rows :func:`_build` made, in one transaction: while it holds the write
    lock it inserts, links the files, writes the texts ``_ready`` read of them and appends
    the custody entries, nothing else."""
    from dhakira.apps.evidence import processing
    from dhakira.apps.search import services as search  # the search app indexes it

    # The search keys of the reports' texts are the costly part of indexing: computed now.
    documents = search.new_report_documents([(r.info, r.event.place) for r in batch])
    parts = name_part_rows([v for r in batch for v in r.variants])
    new_sources = list({id(r.info.source): r.info.source for r in batch
                        if r.info.source.pk is None}.values())
    new_places = [r.event.place for r in batch
                  if r.event.place is not None and r.event.place.pk is None]
    with transaction.atomic():
        _settle(new_sources, new_places)
        _insert([r.info for r in batch])
        _insert([r.event for r in batch])
        _insert([p for r in batch for p in (*r.victims, *r.perpetrators) if p is not None])
        _insert([v for r in batch for v in r.variants])
        _insert(parts)
        _insert([a for r in batch for a in r.acts])
        _insert([i for r in batch for i in r.involvements])
        _insert([c for r in batch for c in r.consents])
        for rows in batch:
            _link_same(rows.report, rows.victims, same, actor, same_reason, now)
        custody: list[store.Planned] = []  # the files' entries, the reports', the texts'
        read: list[tuple[Any, Any]] = []
        for rows, files in zip(batch, ready, strict=True):
            rows.files = _files(rows.report, rows.info, actor, files, custody, read)
        _links(batch)
        derived: list[store.Planned] = []
        texts = processing.record_read(read, now, derived)
        # Now that their reports, places, sources and copies are: in one statement.
        search.add_documents([*documents, *texts])
        # The chain's head last, just before the commit: the entries name the new keys.
        store.record_many([*custody, *(report_entry(
            r.info, actor=actor.get_username(), now=now,
            detail={"event": r.event.uid,
                    "persons": len(r.victims) + sum(p is not None for p in r.perpetrators),
                    "acts": len(r.acts),
                    "files": " ".join(i.uid for i in r.files if i.parent_id is None)})
            for r in batch), *derived])


def _links(batch: list[_Rows]) -> None:
    """Each report's events, acts and persons (Information's many-to-many tables), together."""
    through = Information.events.through, Information.acts.through, Information.persons.through
    events, acts, persons = through
    events.objects.bulk_create([events(information_id=r.info.pk, event_id=r.event.pk)
                                for r in batch], batch_size=500)
    acts.objects.bulk_create([acts(information_id=r.info.pk, act_id=a.pk)
                              for r in batch for a in r.acts], batch_size=500)
    persons.objects.bulk_create([persons(information_id=r.info.pk, person_id=p.pk)
                                 for r in batch for p in (*r.victims, *r.perpetrators)
                                 if p is not None], batch_size=500)


def backfill_name_keys(*, batch: int = 20000) -> int:
    """Give every name variant without a comparison key its key; return how many were keyed.

    Bulk loaders (the demo generator, imports) may leave ``key`` empty; search and the
    "maybe the same person" suggestions need it. One prepared UPDATE per name, by primary
    key (Django's bulk_update builds a CASE over the whole batch, about 50 times slower).
    """
    table = connection.ops.quote_name(NameVariant._meta.db_table)
    column = connection.ops.quote_name(NameVariant._meta.get_field("key").column)
    sql = f"UPDATE {table} SET {column} = %s WHERE id = %s"  # names from the model, not input
    done, last = 0, 0
    while True:
        rows = list(NameVariant.objects.filter(key="", pk__gt=last).order_by("pk")
                    .values_list("pk", "text")[:batch])
        if not rows:
            return done
        last = rows[-1][0]
        keyed = [(key, pk) for pk, text in rows if (key := name_key(text))]  # no letters, no key
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, keyed)
        done += len(keyed)
