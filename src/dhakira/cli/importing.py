"""Spreadsheets and form exports into the dossier; a selection out in others' formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from dhakira.cli._common import (
    WEB_PASSWORD_FOR,
    CommandError,
    actor_password_option,
    authenticate_actor,
    fail_cleanly,
    main,
    passphrase_option,
    read_secret,
    speaking,
    unlock,
    vault_option,
    why_nothing_may_go,
)


@main.command("import")
@vault_option
@passphrase_option
@click.option("--actor", required=True, help="Who imports, proven by their web password.")
@actor_password_option
@click.option("--mapping", "mapping_path", default=None,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The YAML file saying which column holds what (docs/import-export.md); "
                   "not for an ESF JSON document.")
@click.option("--dry-run", is_flag=True, help="Check every row and count; write nothing.")
@click.option("--media", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="The folder of the files the rows name (a KoBo export's attachments).")
@click.option("--sheet-compartment", default="sources", show_default=True,
              type=click.Choice(["sources", "sogi", "protection", "addresses"]),
              help="The compartment the sheet (or the ESF document, the Uwazi files) itself "
                   "is kept in as evidence (always one: it may hold more than the import "
                   "reads).")
@click.argument("table", type=click.Path(exists=True, path_type=Path))
@fail_cleanly
def import_command(vault: Path, passphrase_file: Path | None, actor: str,
                   password_file: Path | None, mapping_path: Path | None, dry_run: bool,
                   media: Path | None, sheet_compartment: str, table: Path) -> None:
    """Import the rows of a CSV, XLSX or ODS table (or a KoBo/ODK export) as reports, or an
    ESF JSON document (a .json file, no --mapping) or the folder of Uwazi CSV files that
    'dhakira export' wrote, as events, acts, people and reports.

    Every row is checked first; each refused row is named with its file, row, column and
    reason, and if any is refused nothing is imported. Otherwise the sheet is kept as
    evidence and every row not imported before becomes a report, all in one transaction,
    each with its custody entry. Importing the same sheet again adds nothing.

    Example: dhakira import --vault ./vault --actor amal --mapping victims.yaml victims.xlsx
    """
    if table.is_dir() or table.suffix.lower() == ".json":
        _import_export(vault, passphrase_file, actor, password_file, mapping_path, dry_run,
                       table, sheet_compartment)
        return
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if mapping_path is None:
        with speaking():  # before the vault: the words alone
            raise CommandError(_("%(table)s: give --mapping MAP.yaml (which column holds what)")
                               % {"table": table.name}, 64)
    from dhakira.core.importing import read_mapping

    mapping = read_mapping(mapping_path)  # a bad mapping fails before the passphrase
    unlock(vault, passphrase_file)
    from dhakira.apps.importing.services import import_table
    from dhakira.apps.importing.texts import reason
    from dhakira.core.importing import Refusal

    user = authenticate_actor(actor, password_file)

    def refused(refusal: Refusal) -> None:
        with speaking():
            where = {"source": refusal.source, "row": refusal.row,
                     "column": repr(refusal.column), "reason": reason(refusal)}
            click.echo((_("refused: %(source)s, row %(row)s, column %(column)s: %(reason)s")
                        if refusal.column else _("refused: %(source)s, row %(row)s: %(reason)s"))
                       % where, err=True)

    outcome = import_table(table, mapping, actor=user, dry_run=dry_run, media=media,
                           on_refusal=refused, sheet_compartment=sheet_compartment)
    figures = {"table": table.name, "rows": outcome.rows, "refused": outcome.refused,
               "new": outcome.new, "already": outcome.already, "sheet": outcome.sheet}
    with speaking():
        if not outcome.ok:
            raise CommandError(ngettext(
                "%(table)s: %(refused)s of %(rows)s row refused; nothing was imported",
                "%(table)s: %(refused)s of %(rows)s rows refused; nothing was imported",
                outcome.rows) % figures)
        if dry_run:
            click.echo(ngettext(
                "%(table)s: %(rows)s row read, none refused; %(new)s would be imported, "
                "%(already)s already imported (dry run: nothing written)",
                "%(table)s: %(rows)s rows read, none refused; %(new)s would be imported, "
                "%(already)s already imported (dry run: nothing written)",
                outcome.rows) % figures)
        else:
            click.echo(ngettext(
                "%(table)s: %(new)s report imported, %(already)s already imported; the "
                "sheet is kept as %(sheet)s",
                "%(table)s: %(new)s reports imported, %(already)s already imported; the "
                "sheet is kept as %(sheet)s", outcome.new) % figures)


def _import_export(vault: Path, passphrase_file: Path | None, actor: str,
                   password_file: Path | None, mapping_path: Path | None, dry_run: bool,
                   document: Path, compartment: str) -> None:
    """An ESF JSON document, or a folder of Uwazi CSV files (``dhakira export``), into the
    dossier, all or nothing."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if mapping_path is not None or dry_run:
        with speaking():  # before the vault: the words alone
            raise CommandError(_("%(document)s: an export takes no --mapping and no --dry-run "
                                 "(it is checked whole before anything is written)")
                               % {"document": document.name}, 64)
    from dhakira.core.exporting import FILES_UWAZI, esf, from_esf, from_uwazi

    # A bad document fails before the passphrase.
    if document.is_dir():
        esf.check_links(from_uwazi({n: (document / n).read_bytes() for n in FILES_UWAZI
                                    if (document / n).is_file()}, document.name), document.name)
    else:
        from_esf(document.read_bytes(), document.name)
    unlock(vault, passphrase_file)
    from dhakira.apps.exporting.esf_in import import_esf, import_uwazi

    user = authenticate_actor(actor, password_file)
    with speaking():  # what Django's validation says of a record, in the reader's language
        done = (import_uwazi if document.is_dir() else import_esf)(document, actor=user,
                                                                   compartment=compartment)
        events, acts = len(done.events), len(done.acts)
        persons, reports = len(done.persons), len(done.reports)
        click.echo(_("%(document)s: %(events)s, %(acts)s, %(persons)s and %(reports)s "
                     "imported; the document is kept as %(kept)s") % {
            "document": document.name,
            "events": ngettext("%(n)s event", "%(n)s events", events) % {"n": events},
            "acts": ngettext("%(n)s act", "%(n)s acts", acts) % {"n": acts},
            "persons": ngettext("%(n)s person", "%(n)s people", persons) % {"n": persons},
            "reports": ngettext("%(n)s report", "%(n)s reports", reports) % {"n": reports},
            "kept": done.document})


@main.command("export")
@vault_option
@passphrase_option
@click.option("--format", "fmt", required=True,
              help="esf (HURIDOCS Events Standard Formats, JSON) or uwazi (CSV, one file per "
                   "template).")
@click.argument("query", required=False)
@click.option("--charge", "charge_id", default=None, help="Export every item assessed for CH-….")
@click.option("--recipient", required=True,
              help="The receiving institution: its code or name in the recipient list.")
@click.option("--purpose", required=True, help="A consent scope, e.g. share_icc.")
@click.option("--policy", default="pseudonymised", show_default=True,
              type=click.Choice(["full", "pseudonymised", "anonymised"]),
              help="Redaction, as for packages: full names people (consent permitting).")
@click.option("--to", "to", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the files into (made if missing; nothing is "
                   "overwritten).")
@click.option("--as", "as_user", required=True, help="Who is exporting.")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The acting user's web password, from FILE; prompted otherwise.")
@fail_cleanly
def export_command(vault: Path, passphrase_file: Path | None, fmt: str, query: str | None,
                   charge_id: str | None, recipient: str, purpose: str, policy: str, to: Path,
                   as_user: str, password_file: Path | None) -> None:
    """Export a selection as HURIDOCS ESF JSON or as Uwazi CSV, for one recipient.

    QUERY is a selection as 'dhakira package --select' takes it (docs/handover.md). The
    package's consent gate and redaction apply: items blocked for the recipient are left out
    and listed with why; protected fields never go. The export is logged (custody and the
    disclosure log, with each file's SHA-256) before its files are written into --to.

    Example: dhakira export --vault ./vault --format esf 'event:E-000012' --recipient ICC-OTP
    --purpose share_icc --policy full --to ./out --as layla
    """
    from dhakira.core.exporting import check_format

    check_format(fmt)  # an unknown format fails before the passphrase
    if bool(query) == bool(charge_id):
        from django.utils.translation import gettext as _

        with speaking():  # before the vault: the words alone
            raise CommandError(_("give exactly one of QUERY and --charge ID"), 64)
    unlock(vault, passphrase_file)
    from dhakira.apps.exporting import services
    from dhakira.apps.handover import auth, select
    from dhakira.cli.handover import _listed

    with speaking():  # the refusals of these steps in the reader's language
        to_whom = _listed(recipient)
        acting = auth.actor(as_user, read_secret(password_file, WEB_PASSWORD_FOR,
                                                 values={"user": as_user}))
        chosen = select.select(query) if query else select.select_charge(str(charge_id))
    with why_nothing_may_go():
        done = services.export(services.ExportRequest(
            selection=chosen, recipient=to_whom, purpose=purpose, policy=policy, fmt=fmt,
            to=to), user=acting)
    _report_export(done)


def _report_export(done: Any) -> None:
    """What was left out and why (in the reader's language, as packages say it), and what
    was written with its SHA-256."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from dhakira.apps.handover.reasons import in_words

    with speaking():
        for uid, reasons in sorted(done.plan.blocked.items()):
            words = "; ".join(f"{who}: {why}" if who else why
                              for who, why in in_words(reasons, done.plan.checks))
            click.echo(_("blocked: %(item)s: %(reasons)s") % {"item": uid, "reasons": words},
                       err=True)
        if done.evidence_left:
            click.echo(ngettext("%(n)s evidence item left out: an export carries records, "
                                "send files with 'dhakira package'",
                                "%(n)s evidence items left out: an export carries records, "
                                "send files with 'dhakira package'", done.evidence_left)
                       % {"n": done.evidence_left}, err=True)
        click.echo(ngettext("%(export)s: %(n)s item exported, %(blocked)s blocked",
                            "%(export)s: %(n)s items exported, %(blocked)s blocked",
                            len(done.shipped)) % {"export": done.export_id, "n": len(done.shipped),
                      "blocked": len(done.plan.blocked)})
        for path, sha in sorted(done.files.items()):
            click.echo(_("wrote %(path)s") % {"path": path} + f" sha256 {sha}")
