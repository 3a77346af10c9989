"""Lock now, and the purge of perishable protection details."""

from __future__ import annotations

from pathlib import Path

import click

from dhakira.cli._common import (
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

    Example: dhakira lock --vault ./vault
    """
    from dhakira.protection.lockdown import send_lock

    pid = send_lock(vault)
    click.echo(f"Sent the lock signal to the server of {vault} (pid {pid}).")


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
    from dhakira.protection import purge

    result = purge.purge_expired(actor=actor)
    n = sum(plan.total for plan in result.plans)
    click.echo(f"purged {n} perishable detail(s) from {len(result.plans)} case(s)")
