"""Creating, opening, checking and serving a vault; key slots and users."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from dhakira.cli._common import (
    EXIT_INTEGRITY,
    NEW_WEB_PASSWORD_FOR,
    VAULT_PASSPHRASE,
    WEB_PASSWORD_FOR,
    CommandError,
    actor_password_option,
    authenticate_actor,
    cli_language,
    fail_cleanly,
    gettext_noop,
    main,
    new_passphrase,
    passphrase_option,
    read_secret,
    said,
    speaking,
    unlock,
    vault_option,
)

# Prompts before the vault is open (said by read_secret in the reader's language).
OPENING_PASSPHRASE = gettext_noop("A passphrase that opens the vault")
NEW_PASSPHRASE_FOR = gettext_noop("New passphrase for %(label)s")

# What `user change` changed (accounts.change's kinds), in the reader's words.
CHANGES = {"role": pgettext_lazy("account change", "role"),
           "clearances": pgettext_lazy("account change", "clearances"),
           "renamed": pgettext_lazy("account change", "renamed"),
           "reactivated": pgettext_lazy("account change", "reactivated"),
           "deactivated": pgettext_lazy("account change", "deactivated")}


@main.command()
@vault_option
@passphrase_option
@click.option("--admin", default="admin", show_default=True, help="User name of the first administrator.")
@click.option("--admin-password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Web password of the administrator, from FILE; prompted otherwise.")
@click.option("--field-kit", is_flag=True, help="Make a field kit that reports to the office "
              "whose card --hq gives (see `dhakira sync`).")
@click.option("--hq", "hq", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The office's card, from `dhakira device export` at the office.")
@fail_cleanly
def init(vault: Path, passphrase_file: Path | None, admin: str, admin_password_file: Path | None,
         field_kit: bool, hq: Path | None) -> None:
    """Create a new, empty, encrypted vault and its first administrator.

    Example: dhakira init --vault ./vault --admin amal
    """
    if field_kit != (hq is not None):
        with speaking():  # before the vault: the words alone
            raise CommandError(_("--field-kit and --hq go together"), 64)
    from dhakira import __version__
    from dhakira.apps.vault import runtime
    from dhakira.core.vault import keyslots, session, stamp

    if vault.exists() and any(vault.iterdir()):
        with speaking():
            raise CommandError(_("%(vault)s is not empty; choose a new directory for the vault")
                               % {"vault": vault}, 64)
    passphrase = new_passphrase(passphrase_file, gettext_noop("New vault passphrase"))
    password = read_secret(admin_password_file, WEB_PASSWORD_FOR, confirm=True,
                           values={"user": admin})
    runtime.configure(vault)
    from dhakira.apps.dossier.accounts import check_new_password, create_user

    with speaking():  # a weak password is refused in the reader's language
        check_new_password(password, admin)  # before anything is written
    office_card = None
    if hq is not None:
        from dhakira.apps.fieldkit.keys import read_card

        office_card = read_card(hq)
    vault.mkdir(parents=True, exist_ok=True)
    session.set_key(keyslots.create(vault, passphrase, label=admin), consume=True)
    runtime.migrate()
    create_user(admin, password, role="administrator", actor=f"keyslot:{admin}",
                clearances=["sources", "sogi", "protection", "addresses"], superuser=True)
    stamp.write(vault, release=__version__)
    with speaking():
        click.echo(_("Created vault %(vault)s with administrator %(admin)s.") % {
            "vault": vault, "admin": admin})
        if office_card is not None:
            from dhakira.apps.fieldkit.kit import become_kit

            click.echo(become_kit(office_card, actor=f"keyslot:{admin}"))


@main.command()
@vault_option
@passphrase_option
@fail_cleanly
def migrate(vault: Path, passphrase_file: Path | None) -> None:
    """Bring a vault made by an earlier release up to this one, and list what was done.

    Back the vault up first. The changes are recorded in custody in the name of the key
    slot that unlocked; running it again on a current vault does nothing.

    Example: dhakira migrate --vault ./vault
    """
    from dhakira.apps.vault import runtime

    label = runtime.open_for_upgrade(vault, read_secret(passphrase_file, VAULT_PASSPHRASE))
    done = runtime.upgrade(vault, actor=f"keyslot:{label}")
    with speaking():
        for step in done:
            click.echo(_("migrated: %(step)s") % {"step": step})
        click.echo((_("%(vault)s is current.") if done else
                    _("%(vault)s was already current; nothing to do.")) % {"vault": vault})


@main.command()
@vault_option
@passphrase_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32),
              help="Serve from this many processes, each with its own threads; the vault "
                   "locks them all at once (see docs/server.md, \"Load\", before raising it).")
# Used by the server itself when it restarts just unlocked: the key, in a pipe.
@click.option("--key-fd", type=int, hidden=True)
# Used by the server itself when it re-executes on lock: start without the key, on the
# listening socket it inherited.
@click.option("--locked", is_flag=True, hidden=True)
@click.option("--listen-fd", type=int, hidden=True)
@click.option("--image", type=int, default=0, hidden=True)  # how many times it re-executed
@click.option("--tls-cert", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Serve HTTPS with this PEM certificate (chain) from the organisation.")
@click.option("--tls-key", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The unencrypted PEM private key of --tls-cert.")
@click.option("--tls-self-signed", is_flag=True,
              help="Serve HTTPS with the vault's own certificate (made now if it has none; "
                   "see `dhakira tls make`).")
@click.option("--tls-fd", type=int, hidden=True)  # the certificate, handed to the locked image
@fail_cleanly
def serve(vault: Path, passphrase_file: Path | None, host: str, port: int, workers: int,
          key_fd: int | None, locked: bool, listen_fd: int | None, image: int,
          tls_cert: Path | None, tls_key: Path | None, tls_self_signed: bool,
          tls_fd: int | None) -> None:
    """Unlock the vault and serve the web app on HOST:PORT.

    When the vault is locked (`dhakira lock`, "Lock now") the server restarts itself
    without the key and serves only the unlock page. With a certificate the server speaks
    HTTPS only: cookies are Secure, HSTS is sent, plain HTTP on that port is refused. It
    prints the certificate's SHA-256 fingerprint, for people to pin. A port another program
    holds is refused in one line, before the passphrase is asked for.

    Example: dhakira serve --vault ./vault --host 192.0.2.10 --port 8443 --tls-self-signed
    """
    from dhakira.cli.server import tls_pair

    pair = tls_pair(vault, tls_cert, tls_key, tls_self_signed, tls_fd, host)
    if listen_fd is None:  # the port is taken before the passphrase is asked for
        listen_fd = _listening(host, port)
    if pair is not None:
        import os

        os.environ["DHAKIRA_HTTPS"] = "1"  # read when the settings load, below
    if locked or key_fd is not None:
        from dhakira.apps.vault import runtime

        runtime.configure(vault)
        if key_fd is not None:  # unlocked in the browser just before this restart
            from dhakira.apps.vault import keypipe

            keypipe.receive(key_fd)
    else:
        unlock(vault, passphrase_file)
    if tls_self_signed:
        from dhakira.cli.server import vault_pair

        pair = vault_pair(vault, host)
    from dhakira.apps.web.server import serve_forever

    serve_forever(host, port, listen_fd=listen_fd, image=image, tls_pair=pair, workers=workers,
                  language=cli_language())


def _listening(host: str, port: int) -> int:
    """The file descriptor of a socket listening on ``host:port``; a port another program
    holds is refused in the reader's language (said before any vault is open)."""
    import errno

    from dhakira.apps.web.server import listen

    try:
        return listen(host, port).detach()
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise CommandError(said(gettext_noop(
            "port %(port)s on %(host)s is in use by another program (another Dhakira server?); "
            "stop it, or choose another port with --port (the demo: make demo PORT=8001)"),
            {"port": port, "host": host})) from None


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
    from dhakira.core.vault import keyslots

    old = read_secret(passphrase_file, gettext_noop("Current passphrase"))
    new = new_passphrase(new_passphrase_file, gettext_noop("New passphrase"))
    slot = keyslots.change_passphrase(vault, old, new)
    with speaking():
        click.echo(_("Changed the passphrase of key slot '%(label)s'.") % {"label": slot.label})


@main.group()
def keyslot() -> None:
    """List, add and remove key slots (one per person who may unlock the vault)."""


@keyslot.command("list")
@vault_option
@passphrase_option
@fail_cleanly
def keyslot_list(vault: Path, passphrase_file: Path | None) -> None:
    """List key slots and whose they are (needs a passphrase that opens the vault).

    Example: dhakira keyslot list --vault ./vault
    """
    from dhakira.core.vault import keyslots

    passphrase = read_secret(passphrase_file, OPENING_PASSPHRASE)
    for slot in keyslots.list_slots(vault, passphrase):
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
    from dhakira.core.vault import keyslots

    existing = read_secret(passphrase_file, OPENING_PASSPHRASE)
    new = new_passphrase(new_passphrase_file, NEW_PASSPHRASE_FOR, values={"label": label})
    keyslots.add_slot(vault, existing, new, label=label)
    with speaking():
        click.echo(_("Added key slot '%(label)s'.") % {"label": label})


@keyslot.command("remove")
@vault_option
@passphrase_option
@click.option("--label", required=True)
@fail_cleanly
def keyslot_remove(vault: Path, passphrase_file: Path | None, label: str) -> None:
    """Remove a key slot (never the last one).

    Example: dhakira keyslot remove --vault ./vault --label rana
    """
    from dhakira.core.vault import keyslots

    keyslots.remove_slot(vault, read_secret(passphrase_file, OPENING_PASSPHRASE), label=label)
    with speaking():
        click.echo(_("Removed key slot '%(label)s'.") % {"label": label})


@main.group()
def user() -> None:
    """Manage the people who log in to the web app."""


_ROLES = click.Choice(["administrator", "documenter", "analyst", "legal", "viewer"])
_COMPARTMENTS = click.Choice(["sources", "sogi", "protection", "addresses"])


def _acting_administrator(as_user: str, password_file: Path | None) -> Any:
    from dhakira.apps.dossier import accounts

    acting = authenticate_actor(as_user, password_file)
    accounts.require_administrator(acting)
    return acting


def _account(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        with speaking():
            raise CommandError(_("no user '%(user)s'; add them with `dhakira user add`")
                               % {"user": username}, 64)
    return user


@user.command("add")
@vault_option
@passphrase_option
@click.option("--username", required=True)
@click.option("--role", required=True, type=_ROLES)
@click.option("--clearance", "clearances", multiple=True, type=_COMPARTMENTS,
              help="A compartment the user may read; repeat for several.")
@click.option("--as", "as_user", required=True, help="The administrator adding the user.")
@actor_password_option
@click.option("--new-password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The new user's web password, from FILE; prompted otherwise.")
@fail_cleanly
def user_add(vault: Path, passphrase_file: Path | None, username: str, role: str,
             clearances: tuple[str, ...], as_user: str, password_file: Path | None,
             new_password_file: Path | None) -> None:
    """Add a web user with a role and clearances (an administrator, proven by password).

    The account is recorded in custody by its id; it cannot approve as a second person
    until DHAKIRA_ACCOUNT_SETTLING_HOURS have passed.

    Example: dhakira user add --vault ./vault --as amal --username rana --role documenter
    --clearance sources
    """
    unlock(vault, passphrase_file)
    from django.core.exceptions import ValidationError

    from dhakira.apps.dossier.accounts import create_user

    password = read_secret(new_password_file, WEB_PASSWORD_FOR, confirm=True,
                           values={"user": username})
    with speaking():  # the refusals (a weak password, a name taken) in the reader's language
        acting = _acting_administrator(as_user, password_file)
        try:
            create_user(username, password, role=role, clearances=list(clearances), actor=acting)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), 64) from None
        click.echo(_("Added %(user)s with the role %(role)s.") % {"user": username, "role": role})


@user.command("list")
@vault_option
@passphrase_option
@fail_cleanly
def user_list(vault: Path, passphrase_file: Path | None) -> None:
    """List the people who may log in: user name, role, clearances, whether they may log in
    now and whether a second factor is set up; one per line, tab-separated.

    Example: dhakira user list --vault ./vault
    """
    unlock(vault, passphrase_file)
    from django.contrib.auth import get_user_model

    from dhakira.apps.dossier.models import Profile, comma
    from dhakira.apps.twofactor.services import has_second_factor

    roles = dict(Profile.objects.values_list("user_id", "role"))
    clearances = dict(Profile.objects.values_list("user_id", "clearances"))
    with speaking() as lang:
        for account in get_user_model().objects.order_by("username"):
            role = roles.get(account.pk) or ("superuser" if account.is_superuser else "—")
            cleared = comma(lang).join(clearances.get(account.pk) or []) or "—"
            state = _("may log in") if account.is_active else _("deactivated")
            second = _("second factor") if has_second_factor(account) else _("no second factor")
            click.echo("\t".join([account.get_username(), role, cleared, str(state),
                                  str(second)]))


@user.command("passwd")
@vault_option
@passphrase_option
@click.option("--username", required=True, help="Whose password changes.")
@click.option("--as", "as_user", required=True,
              help="Who changes it: the user themselves, or an administrator.")
@actor_password_option
@click.option("--new-password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The new web password, from FILE; prompted otherwise.")
@fail_cleanly
def user_passwd(vault: Path, passphrase_file: Path | None, username: str, as_user: str,
                password_file: Path | None, new_password_file: Path | None) -> None:
    """Change a user's web password (recorded in custody).

    A password set by someone else leaves the account unable to approve as a second person
    for DHAKIRA_ACCOUNT_SETTLING_HOURS.

    Example: dhakira user passwd --vault ./vault --username rana --as rana
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.dossier import accounts

    with speaking():  # the refusals (a wrong password, a weak one) in the reader's language
        acting = authenticate_actor(as_user, password_file) if as_user != username else None
        if acting is None:
            acting = accounts.authenticate(username, read_secret(
                password_file, gettext_noop("Current web password for %(user)s"),
                values={"user": username}))
        else:
            accounts.require_administrator(acting)
        target = _account(username)
        accounts.set_password(target, read_secret(new_password_file, NEW_WEB_PASSWORD_FOR,
                                                  confirm=True, values={"user": username}),
                              actor=acting)
        click.echo(_("Changed the web password of %(user)s.") % {"user": username})


@user.command("change")
@vault_option
@passphrase_option
@click.option("--username", required=True, help="Whose account changes.")
@click.option("--as", "as_user", required=True, help="The administrator making the change.")
@actor_password_option
@click.option("--role", default=None, type=_ROLES, help="The new role.")
@click.option("--clearance", "clearances", multiple=True, type=_COMPARTMENTS,
              help="The new set of clearances; repeat for several.")
@click.option("--no-clearances", is_flag=True, help="Withdraw every clearance.")
@click.option("--rename", default=None, help="A new user name.")
@click.option("--deactivate/--reactivate", "deactivate", default=None,
              help="Stop (or allow again) the user's logins.")
@fail_cleanly
def user_change(vault: Path, passphrase_file: Path | None, username: str, as_user: str,
                password_file: Path | None, role: str | None, clearances: tuple[str, ...],
                no_clearances: bool, rename: str | None, deactivate: bool | None) -> None:
    """Change a user's role, clearances, name or whether they may log in (in custody).

    Example: dhakira user change --vault ./vault --as amal --username rana --clearance sources
    --clearance protection
    """
    if clearances and no_clearances:
        with speaking():
            raise CommandError(_("give --clearance or --no-clearances, not both"), 64)
    unlock(vault, passphrase_file)
    from django.core.exceptions import ValidationError

    from dhakira.apps.dossier import accounts

    new_clearances = [] if no_clearances else (list(clearances) if clearances else None)
    with speaking() as lang:
        acting = _acting_administrator(as_user, password_file)
        try:
            made = accounts.change(_account(username), actor=acting, role=role,
                                   clearances=new_clearances, username=rename,
                                   active=None if deactivate is None else not deactivate)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), 64) from None
        if not made:
            click.echo(_("Changed %(user)s: nothing differed.") % {"user": username})
        else:
            from dhakira.apps.dossier.models import comma

            kinds = comma(lang).join(str(CHANGES.get(k, k)) for k in made)
            click.echo(_("Changed %(user)s: %(changes)s.") % {"user": username, "changes": kinds})


@main.command()
@vault_option
@passphrase_option
@fail_cleanly
def check(vault: Path, passphrase_file: Path | None) -> None:
    """Check the vault's storage: does the database file hold together, does every key slot
    read?

    A quick health check of the containers, not of their contents. To find out whether
    anything recorded was altered (custody chain, signatures, evidence hashes), run
    `dhakira verify`.

    Example: dhakira check --vault ./vault
    """
    unlock(vault, passphrase_file)
    from django.utils.translation import ngettext

    from dhakira.apps.web.checks import check_vault

    problems = check_vault(vault)
    with speaking():  # the problems themselves are the check's words
        for problem in problems:
            click.echo(_("problem: %(problem)s") % {"problem": problem}, err=True)
        if problems:
            raise CommandError(ngettext("%(n)s problem found", "%(n)s problems found",
                                        len(problems)) % {"n": len(problems)}, EXIT_INTEGRITY)
        click.echo(_("ok: database and key slots are intact"))
