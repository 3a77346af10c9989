"""Faces in evidence pictures: look for them in every picture not yet looked at."""

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
    speaking,
    unlock,
    vault_option,
)


@main.command()
@vault_option
@passphrase_option
@click.option("--actor", required=True, help="The user looking, proven by their web password.")
@actor_password_option
@fail_cleanly
def faces(vault: Path, passphrase_file: Path | None, actor: str,
          password_file: Path | None) -> None:
    """Look for faces in every JPEG and PNG item not yet looked at.

    Each face found waits on the item's page for an analyst to confirm it (blurred in every
    hand-over copy) or reject it; a picture with a face awaiting a decision goes into no
    package. Each picture is committed as it is done: an interrupted run is resumed by
    running it again. A picture too large or damaged to look at is named, with the reason.

    Example: dhakira faces --vault ./vault --actor samir
    """
    unlock(vault, passphrase_file)
    authenticate_actor(actor, password_file)
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from dhakira.apps.faces.services import scan_pending

    report = scan_pending(actor=actor)
    with speaking():  # the reasons are the scan's own words
        for uid, reason in report.failed:
            click.echo(_("faces not looked for: %(item)s: %(reason)s") % {"item": uid,
                                                                          "reason": reason},
                       err=True)
        click.echo(ngettext(
            "looked at %(n)s picture; faces found to decide: %(found)s; failed: %(failed)s",
            "looked at %(n)s pictures; faces found to decide: %(found)s; failed: %(failed)s",
            report.looked) % {"n": report.looked, "found": report.found,
                              "failed": len(report.failed)})
        if report.failed:
            n = len(report.failed)
            raise CommandError(ngettext("%(n)s picture could not be looked at; see above",
                                        "%(n)s pictures could not be looked at; see above",
                                        n) % {"n": n})
