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
    from dhakira.apps.faces.services import scan_pending

    report = scan_pending(actor=actor)
    for uid, reason in report.failed:
        click.echo(f"faces not looked for: {uid}: {reason}", err=True)
    click.echo(f"looked at {report.looked} picture(s): {report.found} face(s) found to decide, "
               f"{len(report.failed)} failed")
    if report.failed:
        raise CommandError(f"{len(report.failed)} picture(s) could not be looked at; see above")
