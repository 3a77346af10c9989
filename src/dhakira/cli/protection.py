"""Lock now, and the purge of perishable protection details."""

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

    pid = lockdown.read_pid(vault)
    image = lockdown.image_of(pid) if pid is not None else None
    pid = lockdown.send_lock(vault)
    if image is None:  # no /proc: nothing to watch
        click.echo(f"Sent the lock signal to the server of {vault} (pid {pid}).")
    elif lockdown.restarted(pid, image):
        click.echo(f"Locked: the server of {vault} (pid {pid}) dropped the key and restarted "
                   "without it.")
    else:
        raise CommandError(f"sent the lock signal to the server of {vault} (pid {pid}), but it "
                           f"did not restart within {lockdown.RESTART_SECONDS:.0f} s: check it")


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
    actor = authenticate_actor(actor, password_file).get_username()
    from dhakira.apps.protection import purge

    result = purge.purge_expired(actor=actor)
    n = sum(plan.total for plan in result.plans)
    click.echo(f"purged {n} perishable detail(s) from {len(result.plans)} case(s)")
