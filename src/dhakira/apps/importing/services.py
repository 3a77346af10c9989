"""Importing a table: check it all, then write it all in one transaction, or nothing.

:func:`import_table` reads the table twice, streaming. The first pass turns every row into a
record or a refusal (file, row, column, reason); one refusal and nothing is written, and the
dry run stops there too, having listed them all. The second pass, inside one transaction,
keeps the sheet itself as evidence (the evidence intake), writes each new row as a report
through the one report intake (:func:`dhakira.apps.dossier.intake.save_reports`, a chunk of
rows at a time, one custody entry each) and remembers each row's keyed fingerprint, so importing the same sheet again,
or a longer version of it, writes only the rows not imported before. The same sheet (the same
bytes) imported again is the evidence item an earlier import kept, not a second receipt of it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from dhakira.apps.custody import store
from dhakira.apps.dossier import intake
from dhakira.apps.dossier.models import Place
from dhakira.apps.importing.models import ImportedRow, ImportRun
from dhakira.core.importing import (
    Mapping,
    Refusal,
    RowRecord,
    TableError,
    check_headers,
    messages,
    open_table,
    received_datetime,
    to_record,
)
from dhakira.core.vault import keys

__all__ = ["KEPT_REFUSALS", "Outcome", "import_table"]

CHUNK = 500  # rows matched against earlier imports per query
KEPT_REFUSALS = 1000  # refusals kept in the outcome; every one is passed to ``on_refusal``
METHOD = "spreadsheet import"


@dataclass
class Outcome:
    """What an import did (or, in a dry run, would do)."""

    table: str
    rows: int = 0  # rows read below the header (empty rows left out)
    refused: int = 0
    refusals: list[Refusal] = field(default_factory=list)  # the first KEPT_REFUSALS
    new: int = 0  # imported (or, in a dry run, to be imported)
    already: int = 0  # imported by an earlier run, skipped
    reports: list[str] = field(default_factory=list)  # the new reports' uids (not in a dry run)
    sheet: str = ""  # the sheet's evidence uid
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused


def import_table(path: Path, mapping: Mapping, *, actor: AbstractBaseUser, dry_run: bool = False,
                 media: Path | None = None, sheet_compartment: str = "sources",
                 now: datetime | None = None,
                 on_refusal: Callable[[Refusal], None] | None = None) -> Outcome:
    """Check every row of ``path`` against ``mapping``; unless ``dry_run`` and if no row is
    refused, import them all in one transaction.

    Args:
        path: a CSV, XLSX or ODS file.
        mapping: from :func:`dhakira.core.importing.read_mapping`.
        actor: who imports (custody names them).
        dry_run: check and count only; nothing is written.
        media: the folder of the files rows name in their ``media`` column (a KoBo export's
            attachments); each is taken in as evidence attached to its row's report.
        sheet_compartment: the compartment the sheet is kept in as evidence; ``sources`` by
            default, for a sheet may hold what its mapping ignores (an informant's phone).
        now: the time of the import (default: the clock).
        on_refusal: called with each refusal as it is found (the CLI prints them).

    Returns:
        The outcome. Refusals do not raise: ``outcome.ok`` is False and nothing was written.

    Raises:
        TableError: the table cannot be read (format, macros, duplicate headers, damage).
        MappingError: the mapping and the table's columns disagree.
    """
    now = now or datetime.now(UTC)
    outcome = Outcome(table=path.name, dry_run=dry_run)
    if not sheet_compartment:  # the sheet may hold what the mapping ignores (a phone number)
        raise ValueError("the sheet is kept in a compartment (sources, sogi, protection or "
                         "addresses), never in none")
    files = _media_index(media) if media is not None else {}
    for item in _records(path, mapping, outcome, files, sheet_compartment):
        if isinstance(item, Refusal):
            outcome.refused += 1
            if len(outcome.refusals) < KEPT_REFUSALS:
                outcome.refusals.append(item)
            if on_refusal is not None:
                on_refusal(item)
    if outcome.refused:
        return outcome
    outcome.rows = 0
    from dhakira.apps.evidence.intake import atomic_with_blobs

    with atomic_with_blobs():
        run = _begin(path, actor, now, dry_run, sheet_compartment, outcome)
        places: dict[str, Place] = {}
        for chunk in _chunks(_records(path, mapping, outcome, files, sheet_compartment)):
            fresh = []
            for record, fingerprint, occurrence, seen in _match(chunk, run):
                if seen is not None:
                    outcome.already += 1
                else:
                    fresh.append((record, fingerprint, occurrence))
            uids = ([""] * len(fresh) if dry_run
                    else _save([r for r, _, _ in fresh], actor, now, places, files))
            ImportedRow.objects.bulk_create([
                ImportedRow(fingerprint=fingerprint, occurrence=occurrence, report=uid,
                            first_run=run, last_run=run, row=record.row)
                for (record, fingerprint, occurrence), uid in zip(fresh, uids, strict=True)],
                batch_size=500)
            outcome.new += len(fresh)
            outcome.reports.extend(uid for uid in uids if uid)
        run.imported, run.already = outcome.new, outcome.already
        run.save(update_fields=["imported", "already"])
        if dry_run:
            transaction.set_rollback(True)  # the bookkeeping was only to count
        else:
            store.record(actor=actor.get_username(), action="other", subject=outcome.sheet,
                         detail={"event": "import", "imported": outcome.new,
                                 "already": outcome.already}, now=now)
    return outcome


def _records(path: Path, mapping: Mapping, outcome: Outcome, files: dict[str, Path | None],
             sheet_compartment: str) -> Iterator[RowRecord | Refusal]:
    with open_table(path, sheet=mapping.sheet, header_row=mapping.header_row,
                    encoding=mapping.encoding) as table:
        check_headers(table.headers, mapping, table.name)
        for row in table.rows():
            outcome.rows += 1
            record = to_record(row, table.headers, mapping, table.name)
            if isinstance(record, RowRecord) and record.media:
                record = _media_refusal(record, files, table.name, mapping) or record
            if (isinstance(record, RowRecord) and record.compartment
                    and record.compartment != sheet_compartment):
                # The sheet is kept whole: a row of another compartment would be readable by
                # whoever may read the sheet's.
                why = messages.said(messages.SHEET_ELSEWHERE, row=record.compartment,
                                    sheet=sheet_compartment)
                record = Refusal(table.name, record.row,
                                 mapping.column_of("compartment") or "compartment", str(why), why)
            yield record


def _media_index(folder: Path) -> dict[str, Path | None]:
    """Every file under ``folder`` by its name; ``None`` for a name found twice (ambiguous)."""
    if not folder.is_dir():
        raise TableError(folder.name, "the media folder does not exist",
                         code="media_folder_missing")
    found: dict[str, Path | None] = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            found[name] = None if name in found else Path(root) / name
    return found


def _media_refusal(record: RowRecord, files: dict[str, Path | None], table: str,
                   mapping: Mapping) -> Refusal | None:
    column = mapping.column_of("media") or "media"
    for name in record.media:
        for template, refused in ((messages.MEDIA_MISSING, name not in files),
                                  (messages.MEDIA_TWICE, files.get(name, "") is None)):
            if refused:
                why = messages.said(template)
                return Refusal(table, record.row, column, str(why), why)
    return None


def _begin(path: Path, actor: AbstractBaseUser, now: datetime, dry_run: bool,
           compartment: str, outcome: Outcome) -> ImportRun:
    sheet, sha = "", ""
    if not dry_run:
        from dhakira.apps.evidence import intake as evidence_intake

        with path.open("rb") as stream:
            sha = hashlib.file_digest(stream, "sha256").hexdigest()
        # Kept by an earlier import: a user importing the same sheet again expects the sheet
        # already held, not a second receipt of it (with its own text copy and search hit).
        sheet = (ImportRun.objects.filter(sheet_sha256=sha).exclude(sheet="").order_by("pk")
                 .values_list("sheet", flat=True).first()) or ""
        if not sheet:
            with path.open("rb") as stream:
                item = evidence_intake.ingest_stream(
                    stream, name=path.name, origin=f"import of {path.name}"[:1000],
                    collection=evidence_intake.Collection(
                        collector=actor.get_username(), method=METHOD,
                        compartment=compartment),
                    now=now)
            sheet, sha = item.uid, item.sha256
        outcome.sheet = sheet
    run = ImportRun(sheet=sheet, sheet_sha256=sha, file_name=path.name[:500],
                    actor=actor.get_username(), at=now)
    run.save()
    return run


def _fingerprint(record: RowRecord) -> str:
    # Keyed: a bare hash of a row could be matched against guessed names and dates.
    return keys.mac(keys.IMPORT_ROW, record.canonical()).hex()


def _chunks(records: Iterator[RowRecord | Refusal]) -> Iterator[list[RowRecord]]:
    chunk: list[RowRecord] = []
    for record in records:
        assert isinstance(record, RowRecord)  # the first pass refused nothing
        chunk.append(record)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _match(chunk: list[RowRecord], run: ImportRun
           ) -> Iterator[tuple[RowRecord, str, int, ImportedRow | None]]:
    """Each record with its fingerprint, its occurrence in this run's sheet and the row an
    earlier run imported it as (None: new). One query per chunk; a row met again is marked as met by
    this run, so the next equal row of the sheet counts as the next occurrence."""
    prints = [_fingerprint(r) for r in chunk]
    known: dict[tuple[str, int], ImportedRow] = {}
    used: dict[str, int] = {}
    for row in ImportedRow.objects.filter(fingerprint__in=set(prints)).only(
            "pk", "fingerprint", "occurrence", "last_run_id"):
        known[row.fingerprint, row.occurrence] = row
        if row.last_run_id == run.pk:
            used[row.fingerprint] = used.get(row.fingerprint, 0) + 1
    met: list[ImportedRow] = []
    for record, fingerprint in zip(chunk, prints, strict=True):
        occurrence = used.get(fingerprint, 0)
        used[fingerprint] = occurrence + 1
        seen = known.get((fingerprint, occurrence))
        if seen is not None:
            seen.last_run_id = run.pk
            met.append(seen)
        yield record, fingerprint, occurrence, seen
    ImportedRow.objects.bulk_update(met, ["last_run"], batch_size=500)


MAX_OPEN_MEDIA = 64  # media files held open at once: a batch is written before more are opened


def _save(records: list[RowRecord], actor: AbstractBaseUser, now: datetime,
          places: dict[str, Place], files: dict[str, Path | None]) -> list[str]:
    """Write ``records`` as reports through the report intake, a batch at a time; their uids."""
    uids: list[str] = []
    start = 0
    while start < len(records):
        end, opened = start, 0
        while end < len(records) and (end == start
                                      or opened + len(records[end].media) <= MAX_OPEN_MEDIA):
            opened += len(records[end].media)
            end += 1
        with ExitStack() as stack:
            reports = [_report(record, stack, places, files) for record in records[start:end]]
            uids.extend(info.uid for info in intake.save_reports(reports, actor=actor, now=now))
        start = end
    return uids


def _report(record: RowRecord, stack: ExitStack, places: dict[str, Place],
            files: dict[str, Path | None]) -> intake.ReportIn:
    """The report a row says, its media files opened on ``stack``."""
    words = " ".join((record.text, *record.victim_names, record.place, record.event_title))
    acts = (intake.ActIn(act_type=record.act_type, method=record.method,
                         result=record.result),) if record.act_type else ()
    perpetrators = (intake.PerpetratorIn(degree=record.perpetrator_degree,
                                          name=record.perpetrator_name),
                    ) if record.perpetrator_name else ()
    attached = tuple(intake.FileIn(name=name, stream=stack.enter_context(
        open(files[name] or "", "rb"))) for name in record.media)  # noqa: SIM115 (the stack closes it)
    return intake.ReportIn(
        source_code=record.source, received_at=received_datetime(record.received_at),
        channel=record.channel, event_title=record.event_title,
        language=intake.text_language(words), date_text=record.date_text,
        date_calendar=record.date_calendar, place=_place(record.place, places),
        text=record.text,
        victims=(intake.VictimIn(names=record.victim_names, age=record.victim_age,
                                 sex=record.victim_sex),)
        if (record.victim_names or acts) else (),
        acts=acts, perpetrators=perpetrators, files=attached, compartment=record.compartment)


def _place(text: str, places: dict[str, Place]) -> Place | None:
    """The gazetteer's place of that name, or one made once per import for a name it lacks
    (kept as written, without coordinates, for review), never one per row."""
    if not text:
        return None
    if text not in places:
        place = (Place.objects.filter(Q(name_en__iexact=text) | Q(name_ar=text))
                 .order_by("pk").first())
        if place is None:
            place = Place(name_en=text, name_ar=text, kind="site")
            place.full_clean()
            place.save()
        places[text] = place
    return places[text]
