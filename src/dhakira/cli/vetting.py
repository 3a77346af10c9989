"""``dhakira reviewer``: external reviewers' accounts: add one, list them, revoke one at once."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dhakira.cli._common import (
    WEB_PASSWORD_FOR,
    CommandError,
    actor_password_option,
    fail_cleanly,
    main,
    passphrase_option,
    read_secret,
    speaking,
    unlock,
    vault_option,
)


@main.group("reviewer")
def reviewer() -> None:
    """External reviewers: an outside legal team's time-limited accounts (docs/vetting.md).

    A reviewer sees only the reports of one charge or of a selection, never a protected field
    or protection casework, always logs in with a second factor, and may only record vetting
    decisions and comments. Every page they open is in custody.
    """


@reviewer.command("add")
@vault_option
@passphrase_option
@click.option("--username", required=True)
@click.option("--charge", default=None, help="The charge to review (CH-0001 or 1).")
@click.option("--report", "reports", multiple=True,
              help="A report to review (I-0000012); repeat for a selection. Not with --charge.")
@click.option("--days", type=int, default=14, show_default=True,
              help="How long the access lasts (1 to 90 days).")
@click.option("--as", "as_user", required=True, help="The administrator adding the reviewer.")
@actor_password_option
@click.option("--new-password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The reviewer's web password, from FILE; prompted otherwise.")
@fail_cleanly
def reviewer_add(vault: Path, passphrase_file: Path | None, username: str, charge: str | None,
                 reports: tuple[str, ...], days: int, as_user: str, password_file: Path | None,
                 new_password_file: Path | None) -> None:
    """Add an external reviewer scoped to a charge or to a selection of reports.

    Example: dhakira reviewer add --vault ./vault --as amal --username lawyer.a --charge CH-0001
    --days 14
    """
    unlock(vault, passphrase_file)
    from django.core.exceptions import ValidationError

    from dhakira.apps.law import services as law
    from dhakira.apps.vetting import reviewers
    from dhakira.cli.vault import _acting_administrator

    with speaking():  # the refusals (not an administrator, a weak password) too
        acting = _acting_administrator(as_user, password_file)
        scoped = law.get_charge(charge) if charge else None
        password = read_secret(new_password_file, WEB_PASSWORD_FOR, confirm=True,
                               values={"user": username})
        try:
            grant = reviewers.create_reviewer(acting, username, password, charge=scoped,
                                              selection=reports, days=days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), 64) from None
        until = f"{grant.expires_at:%Y-%m-%d %H:%M}"
        if scoped:
            click.echo(_("Added reviewer %(user)s for %(charge)s until %(until)s UTC; a second "
                         "factor is asked at first login.") % {
                "user": username, "charge": scoped.uid, "until": until})
        else:
            n = len(grant.selection)
            click.echo(ngettext(
                "Added reviewer %(user)s for %(n)s report until %(until)s UTC; a second "
                "factor is asked at first login.",
                "Added reviewer %(user)s for %(n)s reports until %(until)s UTC; a second "
                "factor is asked at first login.", n) % {"user": username, "n": n,
                                                          "until": until})


@reviewer.command("list")
@vault_option
@passphrase_option
@fail_cleanly
def reviewer_list(vault: Path, passphrase_file: Path | None) -> None:
    """List external reviewers: scope, expiry, and whether revoked.

    Example: dhakira reviewer list --vault ./vault
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.vetting import reviewers

    for row in reviewers.listing():
        click.echo("\t".join(row))


@reviewer.command("revoke")
@vault_option
@passphrase_option
@click.option("--username", required=True, help="The reviewer whose access ends now.")
@click.option("--as", "as_user", required=True, help="The administrator revoking it.")
@actor_password_option
@fail_cleanly
def reviewer_revoke(vault: Path, passphrase_file: Path | None, username: str, as_user: str,
                    password_file: Path | None) -> None:
    """End a reviewer's access now (the account is deactivated; recorded in custody).

    Example: dhakira reviewer revoke --vault ./vault --as amal --username lawyer.a
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.vetting import reviewers
    from dhakira.cli.vault import _acting_administrator

    with speaking():
        acting = _acting_administrator(as_user, password_file)
        changed = reviewers.revoke(acting, reviewers.reviewer_named(username))
        click.echo((_("Revoked %(user)s's access.") if changed else
                    _("%(user)s's access was already revoked.")) % {"user": username})
