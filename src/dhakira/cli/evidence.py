"""Evidence intake, verification of the vault, and search."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from dhakira.cli._common import (
    EXIT_INTEGRITY,
    CommandError,
    actor_password_option,
    authenticate_actor,
    fail_cleanly,
    in_readers_words,
    main,
    passphrase_option,
    speaking,
    unlock,
    vault_option,
)


@main.command()
@vault_option
@passphrase_option
@click.option("--collector", required=True,
              help="The user who collected the material, proven by their web password.")
@actor_password_option
@click.option("--method", default="file copy", show_default=True, help="How it was collected.")
@click.option("--compartment", default="", type=click.Choice(["", "sources", "sogi", "protection",
                                                              "addresses"]),
              help="Restrict the items to users cleared for this compartment.")
@click.option("--graphic", is_flag=True, help="Mark the items as graphic content.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@fail_cleanly
def ingest(vault: Path, passphrase_file: Path | None, collector: str, password_file: Path | None,
           method: str, compartment: str, graphic: bool, paths: tuple[Path, ...]) -> None:
    """Take files, folders, zip archives, .eml and .mbox into the evidence locker.

    Intake preserves each original (hash, encrypted blob, collection record, metadata,
    custody entry); the text of documents is then extracted, stored as a derived copy and
    indexed for search before the command ends. If that step is interrupted, the items
    wait as pending and the next ingest (or dhakira process) picks them up.

    An interrupted ingest is resumed by running it again: files already taken in from the
    same path by the same collector, method and compartment are skipped, with no second
    receipt. If the disk fills up, the batch under way is undone and every file not taken
    in is named; free space and run it again.

    Example: dhakira ingest --vault ./vault --collector amal ./from-informant/
    """
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    unlock(vault, passphrase_file)
    authenticate_actor(collector, password_file)
    from dhakira.apps.evidence.errors import DiskFull
    from dhakira.apps.evidence.intake import Collection, ingest_paths

    try:
        report = ingest_paths(paths, collection=Collection(
            collector=collector, method=method, compartment=compartment, graphic=graphic))
    except DiskFull as full:
        _echo_intake(full.report)
        with speaking():
            for name in full.left_out:
                click.echo(_("not taken in: %(name)s") % {"name": name}, err=True)
        raise CommandError(in_readers_words(full), full.exit_code) from None
    _echo_intake(report)
    if report.failures:
        with speaking():
            raise CommandError(ngettext("%(n)s file not taken in; see above",
                                        "%(n)s files not taken in; see above",
                                        len(report.failures)) % {"n": len(report.failures)})
    if report.text_failures:
        with speaking():
            raise CommandError(_kept_without_text(len(report.text_failures)))


def _echo_intake(report: Any) -> None:
    """What an ingest took in, held already, skipped and failed, in the reader's language."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from dhakira.apps.evidence.labels import reason_words

    with speaking():
        for failure in report.failures:
            click.echo(_("failed: %(name)s: %(reason)s") % {
                "name": failure.name, "reason": reason_words(failure.reason)}, err=True)
    _echo_text_failures(report.text_failures)
    _echo_text_failures(report.text_notices, partly=True)
    figures = {"n": len(report.items), "held": len(report.duplicates),
               "failed": len(report.failures), "skipped": len(report.received)}
    with speaking():
        if report.received:
            click.echo(ngettext(
                "took in %(n)s item (%(held)s already held), %(failed)s failed, %(skipped)s "
                "skipped (already taken in from the same path)",
                "took in %(n)s items (%(held)s already held), %(failed)s failed, %(skipped)s "
                "skipped (already taken in from the same path)", len(report.items)) % figures)
        else:
            click.echo(ngettext("took in %(n)s item (%(held)s already held), %(failed)s failed",
                                "took in %(n)s items (%(held)s already held), %(failed)s failed",
                                len(report.items)) % figures)


def _echo_text_failures(failures: Iterable[Any], *, partly: bool = False) -> None:
    from dhakira.apps.evidence.labels import reason_words
    from dhakira.apps.evidence.models import EvidenceItem, pk_for

    failures = list(failures)
    names = dict(EvidenceItem.objects.filter(pk__in=[pk_for(f.name) for f in failures])
                 .values_list("pk", "original_name"))
    from django.utils.translation import gettext as _

    for failure in failures:
        name = names.get(pk_for(failure.name))
        item = f"{failure.name} ({name})" if name else failure.name
        with speaking():
            said = (_("text read in part: %(item)s: %(reason)s (the original is kept)") if partly
                    else _("text not extracted: %(item)s: %(reason)s (the original is kept)"))
            click.echo(said % {"item": item, "reason": reason_words(failure.reason)}, err=True)


@main.command()
@vault_option
@passphrase_option
@click.option("--ocr-missing", is_flag=True,
              help="Also read by OCR the photos, scans and PDFs OCR has not read: taken in "
                   "before OCR existed, or whose OCR failed.")
@click.option("--ocr-older", is_flag=True,
              help="With --ocr-missing: also read again those an older Tesseract read (the "
                   "new text is added beside the old).")
@fail_cleanly
def process(vault: Path, passphrase_file: Path | None, ocr_missing: bool,
            ocr_older: bool) -> None:
    """Extract, store and index the text of items whose intake left it pending.

    dhakira ingest runs this itself; run it after an interrupted ingest. After an upgrade,
    --ocr-missing makes the photos and scans already in the vault searchable: each text read
    is a derived copy with its custody entry. Run it again after an interruption; when
    nothing is left to read it reads nothing and says so.

    Example: dhakira process --vault ./vault --ocr-missing
    """
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if ocr_older and not ocr_missing:
        with speaking():  # before the vault: the words alone
            raise CommandError(_("--ocr-older goes with --ocr-missing"), 64)
    unlock(vault, passphrase_file)
    from dhakira.apps.evidence.errors import OcrUnavailable
    from dhakira.apps.evidence.processing import ocr_missing as waiting
    from dhakira.apps.evidence.processing import process_ocr, process_pending

    report = process_pending()
    _echo_text_failures(report.failures)
    _echo_text_failures(report.notices, partly=True)
    with speaking():
        click.echo(ngettext("processed %(n)s item, %(failed)s failed",
                            "processed %(n)s items, %(failed)s failed", report.done)
                   % {"n": report.done, "failed": len(report.failures)})
    failed = len(report.failures)
    if ocr_missing:
        if not waiting(older=ocr_older).exists():
            with speaking():
                click.echo(_("OCR: nothing to read (every photo, scan and PDF has been read by "
                             "OCR)"))
        else:
            try:
                read = process_ocr(older=ocr_older)
            except OcrUnavailable as exc:
                raise CommandError(in_readers_words(exc)) from None
            _echo_text_failures(read.failures)
            _echo_text_failures(read.notices, partly=True)
            with speaking():
                click.echo(ngettext("OCR: read %(n)s item, %(failed)s failed",
                                    "OCR: read %(n)s items, %(failed)s failed", read.done)
                           % {"n": read.done, "failed": len(read.failures)})
            failed += len(read.failures)
    if failed:
        with speaking():
            raise CommandError(_kept_without_text(failed))


def _kept_without_text(n: int) -> str:
    """How many items were kept without their text (``ingest``, ``process``), in the active
    language."""
    from django.utils.translation import ngettext

    return ngettext("%(n)s item kept without its text; see above",
                    "%(n)s items kept without their text; see above", n) % {"n": n}


@main.command()
@vault_option
@passphrase_option
@fail_cleanly
def verify(vault: Path, passphrase_file: Path | None) -> None:
    """Verify the record: has anything recorded been altered or lost?

    Recomputes the custody chain and its signatures, re-hashes every blob and checks every
    evidence item against it. For the health of the vault's storage (the database file and
    the key slots), run `dhakira check`.

    Example: dhakira verify --vault ./vault
    """
    unlock(vault, passphrase_file)
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from dhakira.apps.counting.texts import count
    from dhakira.apps.evidence.integrity import verify_vault
    from dhakira.cli._words import problem_text

    report = verify_vault()
    with speaking():  # each problem in the reader's words (its code and values)
        for problem in report.problems:
            click.echo(_("problem: %(problem)s") % {"problem": problem_text(problem)}, err=True)
        if report.problems:
            n = len(report.problems)
            raise CommandError(ngettext("%(n)s integrity problem found",
                                        "%(n)s integrity problems found", n) % {"n": count(n)},
                               EXIT_INTEGRITY)
        for line in _verified(report):
            click.echo(line)


def _verified(report: Any) -> list[str]:
    """What ``dhakira verify`` says of a vault that verifies (an :class:`dhakira.apps.evidence.
    integrity.IntegrityReport` without problems), in the active language: each count in its
    own words ("1 blobs" read wrong, and Arabic has six plural forms), grouped by thousands
    as the other commands group theirs."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from dhakira.apps.counting.texts import count

    lines = [_("ok: %(entries)s, %(items)s, %(blobs)s (%(bytes)s) verified") % {
        "entries": ngettext("%(n)s ledger entry", "%(n)s ledger entries",
                            report.entries) % {"n": count(report.entries)},
        "items": ngettext("%(n)s item", "%(n)s items", report.items) % {
            "n": count(report.items)},
        "blobs": ngettext("%(n)s blob", "%(n)s blobs", report.blobs) % {
            "n": count(report.blobs)},
        "bytes": ngettext("%(n)s byte", "%(n)s bytes",
                          report.bytes_checked) % {"n": count(report.bytes_checked)}}]
    for label, key_id, entries in report.devices:
        lines.append(ngettext(
            "ok: device %(label)s (%(key)s): %(entries)s custody entry verified under its "
            "own key",
            "ok: device %(label)s (%(key)s): %(entries)s custody entries verified under its "
            "own key", entries) % {"label": label, "key": key_id, "entries": count(entries)})
    if report.unclaimed:
        lines.append(ngettext(
            "note: %(n)s blob written in the last hour belongs to no item yet: a write in "
            "progress, or left by an interrupted one (dhakira repair removes those once "
            "they are an hour old)",
            "note: %(n)s blobs written in the last hour belong to no item yet: a write in "
            "progress, or left by an interrupted one (dhakira repair removes those once "
            "they are an hour old)", report.unclaimed) % {"n": count(report.unclaimed)})
    return lines


@main.command()
@vault_option
@passphrase_option
@click.option("--actor", required=True,
              help="The user who runs the repair (recorded in the custody ledger), proven by "
                   "their web password.")
@actor_password_option
@click.option("--older-than", "minutes", default=60, show_default=True,
              type=click.IntRange(0, None),
              help="Only remove what was left alone this many minutes. 0 only when nothing "
                   "else (server, ingest) writes to the vault.")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
@fail_cleanly
def repair(vault: Path, passphrase_file: Path | None, actor: str, password_file: Path | None,
           minutes: int, dry_run: bool) -> None:
    """Remove what an interrupted ingest, upload or crash left behind.

    That is encrypted blobs no item names and partial (.tmp-*.part) files under blobs/.
    Each removal is printed and the whole is logged in the custody ledger; nothing that
    an item or derived copy names is ever removed. Run dhakira verify afterwards.

    Example: dhakira repair --vault ./vault --actor amal --dry-run
    """
    unlock(vault, passphrase_file)
    authenticate_actor(actor, password_file)
    from dhakira.apps.evidence.integrity import repair as repair_vault

    report = repair_vault(actor=actor, older_than=minutes * 60.0, dry_run=dry_run)
    with speaking():
        for left in report.removed:
            click.echo(_removed(left, dry_run=dry_run))
        click.echo(_repaired(dry_run=dry_run, blobs=len(report.blobs),
                             partial=len(report.partial), young=report.kept_young,
                             minutes=minutes))


def _removed(left: Any, *, dry_run: bool) -> str:
    """One leftover a repair removes, in the active language: its kind, file name and size."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    values = {"name": left.name, "size": ngettext("%(n)s byte", "%(n)s bytes",
                                                  left.size) % {"n": f"{left.size:,}"}}
    if left.partial:
        said = (_("would remove partial file %(name)s (%(size)s)") if dry_run
                else _("removed partial file %(name)s (%(size)s)"))
    else:
        said = (_("would remove unreferenced blob %(name)s (%(size)s)") if dry_run
                else _("removed unreferenced blob %(name)s (%(size)s)"))
    return said % values


def _repaired(*, dry_run: bool, blobs: int, partial: int, young: int, minutes: int) -> str:
    """What a repair removed, in the active language: each count with its noun in the form that
    number takes ("1 partial file", "2 partial files"; Arabic's six forms), then the sentence."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    counts = {
        "blobs": ngettext("%(n)s unreferenced blob", "%(n)s unreferenced blobs",
                          blobs) % {"n": f"{blobs:,}"},
        "partial": ngettext("%(n)s partial file", "%(n)s partial files",
                            partial) % {"n": f"{partial:,}"}}
    if blobs and partial:
        said = (_("would remove %(blobs)s and %(partial)s") if dry_run
                else _("removed %(blobs)s and %(partial)s")) % counts
    elif blobs or partial:  # a count of none is not said ("(0)" in Arabic's form for zero)
        said = (_("would remove %(what)s") if dry_run else _("removed %(what)s")) % {
            "what": counts["blobs" if blobs else "partial"]}
    else:
        said = _("nothing to remove: no unreferenced blob and no partial file")
    if not young:
        return said
    return _("%(removed)s; %(young)s") % {"removed": said, "young": ngettext(
        "%(n)s leftover newer than %(minutes)s left alone",
        "%(n)s leftovers newer than %(minutes)s left alone", young) % {
        "n": f"{young:,}",
        "minutes": ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": f"{minutes:,}"}}}


@main.command()
@vault_option
@passphrase_option
@click.option("--user", "username", default=None,
              help="Search as USER, with their clearances; without it restricted items are hidden.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Earliest date.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Latest date.")
@click.option("--place", default="", help="Place name (Arabic or English, part of it).")
@click.option("--type", "kind", default="", help="information, evidence, or a MIME type part.")
@click.option("--source", default="", help="Source code name.")
@click.option("--reindex", is_flag=True, help="Rebuild the index first (after a bulk load).")
@click.argument("query")
@fail_cleanly
def search(vault: Path, passphrase_file: Path | None, username: str | None, limit: int,
           date_from: Any, date_to: Any, place: str, kind: str, source: str, reindex: bool,
           query: str) -> None:
    """Search reports and evidence text; print one JSON object per result.

    stdout holds the results only (one JSON object a line, nothing when nothing is found);
    how many there were, 0 included, is said on stderr.

    Example: dhakira search --vault ./vault --limit 5 "الحسبة"
    """
    unlock(vault, passphrase_file)
    import json

    from dhakira.apps.search import services as evidence_search

    if reindex:
        evidence_search.rebuild()
    cleared = evidence_search.clearances_of(username) if username else []
    filters = evidence_search.Filters(date_from=date_from.date() if date_from else None,
                                      date_to=date_to.date() if date_to else None,
                                      place=place, type=kind, source=source)
    hits = 0
    for hit in evidence_search.search(query, cleared=cleared, filters=filters, limit=limit):
        click.echo(json.dumps(hit.as_json(), ensure_ascii=False))
        hits += 1
    from django.utils.translation import ngettext

    with speaking():  # an empty stdout alone did not say whether the search had run
        click.echo(ngettext("%(n)s result", "%(n)s results", hits) % {"n": hits}, err=True)


@main.command()
@vault_option
@passphrase_option
@click.option("--translator", required=True,
              help="The user who made the translation, proven by their web password.")
@actor_password_option
@click.option("--language", required=True, help="The language of the translation (ar, en, ku, ckb, …).")
@click.option("--text-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The translation as UTF-8 text (stored as the copy's text and searchable).")
@click.option("--file", "as_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The translation as a file of any kind (stored encrypted as the copy).")
@click.argument("uid")
@fail_cleanly
def translate(vault: Path, passphrase_file: Path | None, translator: str,
              password_file: Path | None, language: str, text_file: Path | None,
              as_file: Path | None, uid: str) -> None:
    """Record a translation of evidence item UID as a derived copy (docs/evidence.md).

    The original is never changed. The copy's custody entry names who, when, the original
    and the copy's SHA-256; its text is indexed for search like extracted text.

    Example: dhakira translate --vault ./vault --translator rana --language en
    --text-file ./EV-000012.en.txt EV-000012
    """
    unlock(vault, passphrase_file)
    user = authenticate_actor(translator, password_file)
    from dhakira.apps.evidence import translations

    if bool(text_file) == bool(as_file):
        raise CommandError("give the translation with --text-file or with --file (one of the two)", 64)
    try:
        if text_file is not None:
            try:
                text = text_file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise CommandError(f"{text_file} is not UTF-8 text; give it with --file", 64) from None
            copy = translations.add_translation(user, uid.strip().upper(), language=language, text=text)
        else:
            assert as_file is not None
            copy = translations.add_translation(user, uid.strip().upper(), language=language,
                                                data=as_file.read_bytes(), file_name=as_file.name)
    except translations.TranslationError as exc:
        raise CommandError(str(exc), exc.exit_code) from None
    click.echo(f"Recorded {copy.uid}: translation of {uid.strip().upper()} into "
               f"{copy.language} by {translator}")
