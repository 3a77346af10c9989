"""Spreadsheets and form exports into the dossier; a selection out in others' formats."""

from __future__ import annotations

from pathlib import Path

import click

from dhakira.cli._common import (
    CommandError,
    actor_password_option,
    authenticate_actor,
    fail_cleanly,
    main,
    passphrase_option,
    unlock,
    vault_option,
)


@main.command("import")
@vault_option
@passphrase_option
@click.option("--actor", required=True, help="Who imports, proven by their web password.")
@actor_password_option
@click.option("--mapping", "mapping_path", required=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The YAML file saying which column holds what (docs/import-export.md).")
@click.option("--dry-run", is_flag=True, help="Check every row and count; write nothing.")
@click.option("--media", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="The folder of the files the rows name (a KoBo export's attachments).")
@click.option("--sheet-compartment", default="sources", show_default=True,
              type=click.Choice(["sources", "sogi", "protection", "addresses"]),
              help="The compartment the sheet itself is kept in as evidence (always one: it "
                   "may hold columns the mapping ignores).")
@click.argument("table", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@fail_cleanly
def import_command(vault: Path, passphrase_file: Path | None, actor: str,
                   password_file: Path | None, mapping_path: Path, dry_run: bool,
                   media: Path | None, sheet_compartment: str, table: Path) -> None:
    """Import the rows of a CSV, XLSX or ODS table (or a KoBo/ODK export) as reports.

    Every row is checked first; each refused row is named with its file, row, column and
    reason, and if any is refused nothing is imported. Otherwise the sheet is kept as
    evidence and every row not imported before becomes a report, all in one transaction,
    each with its custody entry. Importing the same sheet again adds nothing.

    Example: dhakira import --vault ./vault --actor amal --mapping victims.yaml victims.xlsx
    """
    from dhakira.core.importing import read_mapping

    mapping = read_mapping(mapping_path)  # a bad mapping fails before the passphrase
    unlock(vault, passphrase_file)
    from dhakira.apps.importing.services import import_table

    user = authenticate_actor(actor, password_file)

    def refused(refusal: object) -> None:
        click.echo(f"refused: {refusal}", err=True)

    outcome = import_table(table, mapping, actor=user, dry_run=dry_run, media=media,
                           on_refusal=refused, sheet_compartment=sheet_compartment)
    if not outcome.ok:
        raise CommandError(f"{table.name}: {outcome.refused} of {outcome.rows} row(s) refused; "
                           "nothing was imported")
    if dry_run:
        click.echo(f"{table.name}: {outcome.rows} row(s) read, none refused; {outcome.new} "
                   f"would be imported, {outcome.already} already imported (dry run: nothing "
                   "written)")
    else:
        click.echo(f"{table.name}: {outcome.new} report(s) imported, {outcome.already} already "
                   f"imported; the sheet is kept as {outcome.sheet}")
