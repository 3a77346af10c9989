"""The legal brief."""

from __future__ import annotations

from pathlib import Path

import click

from dhakira.cli._common import (
    CommandError,
    cli_language,
    fail_cleanly,
    main,
    passphrase_option,
    speaking,
    unlock,
    vault_option,
)


@main.command()
@vault_option
@passphrase_option
@click.option("--list-charges", is_flag=True, help="List the charges (id, crime, title) and stop.")
@click.option("--charge", "charge_id", help="The charge to render, e.g. CH-0001.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the PDF.")
@click.option("--lang", type=click.Choice(["en", "ar"]), default=None,
              help="The brief's language; by default the language of messages (DHAKIRA_LANG, "
                   "else LC_ALL, LC_MESSAGES or LANG: Arabic if it starts with 'ar').")
@fail_cleanly
def brief(vault: Path, passphrase_file: Path | None, list_charges: bool, charge_id: str | None,
          out: Path | None, lang: str | None) -> None:
    """Render the brief of a charge as a tagged PDF: narrative, elements, patterns, annex.

    Items are cited by id, SHA-256 and vetting status; no person or source is named.

    Example: dhakira brief --vault ./vault --charge CH-0001 --out annex.pdf --lang ar
    """
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if not list_charges and not (charge_id and out):
        with speaking():  # before the vault: the words alone
            raise CommandError(_("give --list-charges, or --charge ID and --out FILE.pdf"), 64)
    unlock(vault, passphrase_file)

    from dhakira.apps.law import brief as legal_brief
    from dhakira.apps.law.services import get_charge, latest_estimate

    with speaking():
        if list_charges:  # titles in the reader's language
            for uid, crime_id, title in legal_brief.list_charges():
                click.echo(f"{uid}\t{crime_id}\t{title}")
            return
        assert charge_id is not None and out is not None
        lang = lang or cli_language()
        done = legal_brief.render_brief_document(get_charge(charge_id), lang=lang,
                                                 estimate=latest_estimate())
        out.write_bytes(done.pdf)
        annex = done.pages - done.main_pages
        click.echo(_("Wrote %(path)s (%(language)s): %(main)s, then %(annex)s.") % {
            "path": out, "language": _("Arabic") if lang == "ar" else _("English"),
            "main": ngettext("%(n)s page of brief", "%(n)s pages of brief",
                             done.main_pages) % {"n": done.main_pages},
            "annex": ngettext("%(n)s page of annex", "%(n)s pages of annex", annex)
            % {"n": annex}})
