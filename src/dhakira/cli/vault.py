"""Creating, opening, checking and serving a vault; key slots and users."""

from __future__ import annotations

from pathlib import Path

import click

from dhakira.cli._common import (
    EXIT_INTEGRITY,
    CommandError,
    fail_cleanly,
    main,
    passphrase_option,
    read_secret,
    unlock,
    vault_option,
)


@main.command()
@vault_option
@passphrase_option
@click.option("--admin", default="admin", show_default=True, help="User name of the first administrator.")
@click.option("--admin-password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Web password of the administrator, from FILE; prompted otherwise.")
@fail_cleanly
def init(vault: Path, passphrase_file: Path | None, admin: str, admin_password_file: Path | None) -> None:
    """Create a new, empty, encrypted vault and its first administrator.

    Example: dhakira init --vault ./vault --admin amal
    """
    from dhakira import runtime
    from dhakira.vault import keyslots, session

    if vault.exists() and any(vault.iterdir()):
        raise CommandError(f"{vault} is not empty; choose a new directory for the vault", 64)
    passphrase = read_secret(passphrase_file, "New vault passphrase", confirm=True)
    password = read_secret(admin_password_file, f"Web password for {admin}", confirm=True)
    vault.mkdir(parents=True, exist_ok=True)
    session.set_key(keyslots.create(vault, passphrase, label=admin), consume=True)
    runtime.configure(vault)
    runtime.migrate()
    from dhakira.dossier.accounts import create_user

    create_user(admin, password, role="administrator",
                clearances=["sources", "sogi", "protection", "addresses"], superuser=True)
    click.echo(f"Created vault {vault} with administrator {admin}.")


@main.command()
@vault_option
@passphrase_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
# Used by the server itself when it re-executes on lock: start without the key, on the
# listening socket it inherited.
@click.option("--locked", is_flag=True, hidden=True)
@click.option("--listen-fd", type=int, hidden=True)
@click.option("--image", type=int, default=0, hidden=True)  # how many times it re-executed
@fail_cleanly
def serve(vault: Path, passphrase_file: Path | None, host: str, port: int, locked: bool,
          listen_fd: int | None, image: int) -> None:
    """Unlock the vault and serve the web app on HOST:PORT.

    When the vault is locked (`dhakira lock`, "Lock now") the server restarts itself
    without the key and serves only the unlock page.

    Example: dhakira serve --vault ./vault --port 8000
    """
    if locked:
        from dhakira import runtime

        runtime.configure(vault)
    else:
        unlock(vault, passphrase_file)
    from dhakira.web.server import serve_forever

    serve_forever(host, port, listen_fd=listen_fd, image=image)


@main.command()
@vault_option
@passphrase_option
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Read the new passphrase from FILE; prompted otherwise.")
@fail_cleanly
def passwd(vault: Path, passphrase_file: Path | None, new_passphrase_file: Path | None) -> None:
    """Change the passphrase of your key slot (the data is not re-encrypted).

    Example: dhakira passwd --vault ./vault
    """
    from dhakira.vault import keyslots

    old = read_secret(passphrase_file, "Current passphrase")
    new = read_secret(new_passphrase_file, "New passphrase", confirm=True)
    slot = keyslots.change_passphrase(vault, old, new)
    click.echo(f"Changed the passphrase of key slot {slot.label!r}.")


@main.group()
def keyslot() -> None:
    """List, add and remove key slots (one per person who may unlock the vault)."""


@keyslot.command("list")
@vault_option
@fail_cleanly
def keyslot_list(vault: Path) -> None:
    """List key slots without opening any.

    Example: dhakira keyslot list --vault ./vault
    """
    from dhakira.vault import keyslots

    for slot in keyslots.list_slots(vault):
        click.echo(f"{slot.slot_id}\t{slot.label}\targon2id m={slot.params.memory_kib}KiB "
                   f"t={slot.params.iterations} p={slot.params.parallelism}")


@keyslot.command("add")
@vault_option
@passphrase_option
@click.option("--label", required=True, help="Whose slot this is.")
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@fail_cleanly
def keyslot_add(vault: Path, passphrase_file: Path | None, label: str,
                new_passphrase_file: Path | None) -> None:
    """Add a key slot, proven by a passphrase that already opens the vault.

    Example: dhakira keyslot add --vault ./vault --label rana
    """
    from dhakira.vault import keyslots

    existing = read_secret(passphrase_file, "A passphrase that opens the vault")
    new = read_secret(new_passphrase_file, f"New passphrase for {label}", confirm=True)
    keyslots.add_slot(vault, existing, new, label=label)
    click.echo(f"Added key slot {label!r}.")


@keyslot.command("remove")
@vault_option
@passphrase_option
@click.option("--label", required=True)
@fail_cleanly
def keyslot_remove(vault: Path, passphrase_file: Path | None, label: str) -> None:
    """Remove a key slot (never the last one).

    Example: dhakira keyslot remove --vault ./vault --label rana
    """
    from dhakira.vault import keyslots

    keyslots.remove_slot(vault, read_secret(passphrase_file, "A passphrase that opens the vault"),
                         label=label)
    click.echo(f"Removed key slot {label!r}.")


@main.group()
def user() -> None:
    """Manage the people who log in to the web app."""


@user.command("add")
@vault_option
@passphrase_option
@click.option("--username", required=True)
@click.option("--role", required=True,
              type=click.Choice(["administrator", "documenter", "analyst", "legal", "viewer"]))
@click.option("--clearance", "clearances", multiple=True,
              type=click.Choice(["sources", "sogi", "protection", "addresses"]),
              help="A compartment the user may read; repeat for several.")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The user's web password, from FILE; prompted otherwise.")
@fail_cleanly
def user_add(vault: Path, passphrase_file: Path | None, username: str, role: str,
             clearances: tuple[str, ...], password_file: Path | None) -> None:
    """Add a web user with a role and clearances.

    Example: dhakira user add --vault ./vault --username rana --role documenter --clearance sources
    """
    unlock(vault, passphrase_file)
    from django.core.exceptions import ValidationError

    from dhakira.dossier.accounts import create_user

    password = read_secret(password_file, f"Web password for {username}", confirm=True)
    try:
        create_user(username, password, role=role, clearances=list(clearances))
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages), 64) from None
    click.echo(f"Added {role} {username}.")


@main.command()
@vault_option
@passphrase_option
@fail_cleanly
def check(vault: Path, passphrase_file: Path | None) -> None:
    """Check the database's integrity and every key slot.

    Example: dhakira check --vault ./vault
    """
    unlock(vault, passphrase_file)
    from dhakira.checks import check_vault

    problems = check_vault(vault)
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        raise CommandError(f"{len(problems)} problem(s) found", EXIT_INTEGRITY)
    click.echo("ok: database and key slots are intact")
