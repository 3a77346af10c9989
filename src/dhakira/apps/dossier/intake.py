"""Saving one report (who said what about whom) in one transaction.

The intake page's forms turn input into a :class:`ReportIn`; :func:`save_report` writes the
Source (when new), Information, Event, Persons with their NameVariants, Acts, Involvements,
Consent versions and linked files, then one custody entry. Bad input raises before anything
is written, and a failure half-way rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

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
)
from dhakira.core.bidi import ARABIC, script_of
from dhakira.core.dates import FuzzyDate, parse_fuzzy_date
from dhakira.core.names import name_key

__all__ = ["ActIn", "FileIn", "PerpetratorIn", "ReportIn", "VictimIn", "backfill_name_keys",
           "new_information", "report_entry", "save_report", "script_of",
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


def text_language(text: str) -> str:
    """'ar' when at least a quarter of the text's characters are Arabic letters, else 'en'.

    For reports whose language nobody stated (an e-mail taken in): a guess, kept editable.
    """
    arabic = len(ARABIC.findall(text))
    return "ar" if arabic * 4 > len(text) else "en"


def new_information(*, created_by: AbstractBaseUser | None, **fields: Any) -> Information:
    """Validate and save a new report's row: the one constructor every way in uses.

    Its custody entry is :func:`report_entry`, written once the report is whole.
    """
    if not fields.get("language"):
        fields["language"] = text_language(str(fields.get("text", "")))
    info = Information(created_by=created_by, **fields)
    info.full_clean()
    info.save()
    return info


def report_entry(info: Information, *, actor: str, now: datetime,
                 detail: dict[str, Any]) -> store.Planned:
    """The custody entry of a new report (``new_version``), with ids and counts only."""
    return store.Planned(actor=actor, action="new_version", subject=info.uid, detail=detail,
                         now=now)


def _source(report: ReportIn) -> Source:
    # Code names match whatever the capitals: "ninawa-05" is NINAWA-05, not a new source.
    source = Source.objects.filter(code_name__iexact=report.source_code).order_by("pk").first()
    if source is None:
        source = Source(code_name=report.source_code, kind=report.source_kind,
                        reliability=report.source_reliability)
        source.full_clean()
        source.save()
    return source


def _place(report: ReportIn) -> Place | None:
    if report.place is not None or not report.place_text:
        return report.place
    # A place the gazetteer lacks is kept as typed, without coordinates, for later review.
    place = Place(name_en=report.place_text, name_ar=report.place_text, kind="site")
    place.full_clean()
    place.save()
    return place


def _person(names: tuple[str, ...], info: Information, **fields: object) -> Person:
    person = Person(**fields)
    person.full_clean()
    person.save()
    for text in names:
        NameVariant.objects.create(person=person, text=text, script=script_of(text),
                                   key=name_key(text), source=info.source, information=info)
    return person


def _event(report: ReportIn, date: FuzzyDate | None) -> Event:
    event = Event(title=report.event_title, place=_place(report))
    if date is not None:
        event.set_date(date)
    event.full_clean()
    event.save()
    return event


def _acts(report: ReportIn, event: Event, victims: list[Person], date: FuzzyDate | None) -> list[Act]:
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
            act.full_clean()
            act.save()
            acts.append(act)
    return acts


def _involvements(report: ReportIn, info: Information, acts: list[Act]) -> list[Person]:
    perpetrators = []
    for spec in report.perpetrators:
        person = _person((spec.name,), info) if spec.name else None
        if person is not None:
            perpetrators.append(person)
        for act in acts:
            inv = Involvement(act=act, perpetrator=person, unit=spec.unit, degree=spec.degree,
                              perpetrator_type=spec.perpetrator_type, certainty=spec.certainty)
            inv.full_clean()
            inv.save()
    return perpetrators


def _consents(report: ReportIn, victims: list[Person], actor: AbstractBaseUser,
              now: datetime) -> None:
    """Each victim's consent as given, by whom: the person, a relative, a guardian or the
    informant on their behalf (the report's custody entry covers it)."""
    if not report.consent_decision:
        return
    from dhakira.apps.dossier import consents

    consents.record(victims, consents.Given(
        scopes=report.consent_scopes, decision=report.consent_decision,
        recipient=report.consent_recipient, given_by=report.consent_given_by,
        relationship=report.consent_relationship, obtained_at=report.received_at,
        obtained_by=actor.get_username()), actor=actor, now=now, log=False)


def _files(report: ReportIn, info: Information, actor: AbstractBaseUser) -> list[str]:
    if not report.files:
        return []
    from dhakira.apps.evidence import intake as evidence_intake

    uids = []
    for upload in report.files:
        collection = evidence_intake.Collection(
            collector=actor.get_username(), method="upload on the report intake page",
            graphic=upload.graphic)
        item = evidence_intake.ingest_stream(upload.stream, name=upload.name,
                                             origin=f"intake of {info.uid}", collection=collection)
        item.information = info
        item.save()
        uids.append(item.uid)
    return uids


def _same_people(report: ReportIn, victims: list[Person], actor: AbstractBaseUser,
                 reason: str, now: datetime) -> None:
    from dhakira.apps.linkage import services  # identity builds on the dossier, not the reverse

    for spec, victim in zip(report.victims, victims, strict=True):
        if spec.same_as is not None:
            services.link_same_person(victim, Person.objects.get(pk=spec.same_as),
                                      actor=actor.get_username(), reason=reason, now=now)


def save_report(report: ReportIn, *, actor: AbstractBaseUser, now: datetime,
                same_reason: str = "the same person, chosen at intake") -> Information:
    """Write one report and everything it mentions, all or nothing, and log it in custody.

    A victim given ``same_as`` is linked to that person (reversibly, see
    :func:`dhakira.apps.linkage.services.link_same_person`), so no duplicate is left unlinked.

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
    from dhakira.apps.evidence.intake import atomic_with_blobs
    from dhakira.apps.search import services as search  # the search app indexes it

    date = (parse_fuzzy_date(report.date_text, default_calendar=report.date_calendar)
            if report.date_text.strip() else None)
    with atomic_with_blobs():
        info = new_information(source=_source(report), received_at=report.received_at,
                               channel=report.channel, language=report.language,
                               credibility=report.credibility, connection=report.connection,
                               material_type=report.material_type, text=report.text,
                               created_by=actor)
        event = _event(report, date)
        victims = [_person(v.names, info, age=v.age, sex=v.sex) for v in report.victims]
        acts = _acts(report, event, victims, date)
        perpetrators = _involvements(report, info, acts)
        _consents(report, victims, actor, now)
        _same_people(report, victims, actor, same_reason, now)
        files = _files(report, info, actor)
        info.events.add(event)
        info.acts.add(*acts)
        info.persons.add(*victims, *perpetrators)
        store.record_many([report_entry(
            info, actor=actor.get_username(), now=now,
            detail={"event": event.uid, "persons": len(victims) + len(perpetrators),
                    "acts": len(acts), "files": " ".join(files)})])
        search.index_report(info)  # now that its place, source and files are all there
    return info


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
