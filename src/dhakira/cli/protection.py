"""Lock now, and the purge of perishable protection details."""

from __future__ import annotations

from pathlib import Path

import click
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
@fail_cleanly
def lock(vault: Path) -> None:
    """Make the running `dhakira serve` of this vault drop its key now (no passphrase needed).

    Run on the server's machine, it also clears the unlock form's per-client limits (the
    console override when someone has used up the tries).
    Waits until the server has restarted without the key (it then serves only the unlock
    page), and fails if it does not within a minute.

    Example: dhakira lock --vault ./vault
    """
    from dhakira.apps.vault import lockdown

    with speaking():  # no vault is opened: the words alone
        pid = lockdown.read_pid(vault)
        image = lockdown.image_of(pid) if pid is not None else None
        pid = lockdown.send_lock(vault)
        restarted = image is not None and lockdown.restarted(pid, image)
        said = {"vault": vault, "pid": pid}
        if image is None:  # no /proc: nothing to watch
            click.echo(_("Sent the lock signal to the server of %(vault)s (pid %(pid)s).") % said)
        elif restarted:
            click.echo(_("Locked: the server of %(vault)s (pid %(pid)s) dropped the key and "
                         "restarted without it.") % said)
        else:
            raise CommandError(_("sent the lock signal to the server of %(vault)s (pid "
                                 "%(pid)s), but it did not restart within %(seconds)s s: "
                                 "check it") % {**said, "seconds":
                                                f"{lockdown.RESTART_SECONDS:.0f}"})


@main.command("purge-expired")
@vault_option
@passphrase_option
@click.option("--actor", required=True,
              help="The user who runs the purge (recorded in the custody ledger), proven by "
                   "their web password.")
@actor_password_option
@fail_cleanly
def purge_expired(vault: Path, passphrase_file: Path | None, actor: str,
                  password_file: Path | None) -> None:
    """Purge the perishable details of protection cases closed longer than DHAKIRA_PERISHABLE_DAYS.

    Example: dhakira purge-expired --vault ./vault --actor amal
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.protection import purge

    with speaking():
        actor = authenticate_actor(actor, password_file).get_username()
        result = purge.purge_expired(actor=actor)
        n = sum(plan.total for plan in result.plans)
        click.echo(ngettext("purged %(n)s perishable detail (cases: %(cases)s)",
                            "purged %(n)s perishable details (cases: %(cases)s)", n)
                   % {"n": n, "cases": len(result.plans)})
