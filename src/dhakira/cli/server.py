"""The office server: its certificate (``dhakira tls``, ``serve``'s HTTPS options) and second factors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dhakira.cli._common import (
    CommandError,
    actor_password_option,
    fail_cleanly,
    gettext_noop,
    main,
    passphrase_option,
    said,
    speaking,
    unlock,
    vault_option,
)

_ROLES = click.Choice(["administrator", "documenter", "analyst", "legal", "viewer"])


def tls_pair(vault: Path, cert: Path | None, key: Path | None, self_signed: bool,
             fd: int | None, host: str) -> Any:
    """The certificate and key ``serve`` was given before the vault opens (None for plain HTTP).

    ``--tls-self-signed`` answers a placeholder here: the vault's pair is unsealed after unlock
    (:func:`vault_pair`); only the settings need to know now that HTTPS is coming.
    """
    from dhakira.apps.web import tls

    if fd is not None:
        return tls.from_fd(fd)
    # Said before the vault is open, which serve then opens: said(), not speaking().
    if (cert is None) != (key is None):
        raise CommandError(said(gettext_noop("--tls-cert and --tls-key go together")), 64)
    if cert is not None and self_signed:
        raise CommandError(said(gettext_noop(
            "choose --tls-cert/--tls-key or --tls-self-signed, not both")), 64)
    if cert is not None and key is not None:
        try:
            return tls.load_files(cert, key)
        except ValueError as exc:
            raise CommandError(str(exc), 64) from exc
    return tls.Pair(b"") if self_signed else None


def vault_pair(vault: Path, host: str) -> Any:
    """The vault's own certificate, made for ``host`` now if it has none (vault unlocked)."""
    from dhakira.apps.web import tls

    pair = tls.load_from_vault(vault)
    if pair is None:
        pair = tls.make_self_signed(_names(host, ()))
        tls.save_to_vault(vault, pair)
        with speaking():
            click.echo(_("Made a certificate for %(names)s; its key is sealed in %(folder)s.")
                       % {"names": ", ".join(_names(host, ())), "folder": vault / "tls"})
    return pair


def _names(host: str, extra: tuple[str, ...]) -> list[str]:
    wildcard = {"0.0.0.0", "::", ""}
    names = [n for n in (host, *extra) if n not in wildcard]
    return list(dict.fromkeys(names or ["localhost", "127.0.0.1"]))


@main.group()
def tls() -> None:
    """The vault's own HTTPS certificate (for `dhakira serve --tls-self-signed`)."""


@tls.command("make")
@vault_option
@passphrase_option
@click.option("--name", "names", multiple=True, required=True,
              help="A host name or IP address people will type to reach the server (repeatable).")
@fail_cleanly
def make(vault: Path, passphrase_file: Path | None, names: tuple[str, ...]) -> None:
    """Make (or replace) the vault's certificate and print its SHA-256 fingerprint.

    The private key is kept sealed under the vault's key, never as plaintext on disk. Give
    the fingerprint to everyone who will connect, by a channel other than the network the
    server is on, so they can check it the first time their browser shows the certificate.
    Restart `dhakira serve` to use a new certificate.

    Example: dhakira tls make --vault ./vault --name dhakira.office.lan --name 192.0.2.10
    """
    from dhakira.apps.web import tls as core

    unlock(vault, passphrase_file)
    pair = core.make_self_signed(_names("", names))
    core.save_to_vault(vault, pair)
    with speaking():
        click.echo(_("Made a certificate for %(names)s.") % {"names": ", ".join(_names("", names))})
        click.echo(_("SHA-256 fingerprint: %(fingerprint)s")
                   % {"fingerprint": core.fingerprint(pair.cert_pem)})


@tls.command("show")
@vault_option
@fail_cleanly
def show(vault: Path) -> None:
    """Print the SHA-256 fingerprint of the vault's certificate (no passphrase needed).

    Example: dhakira tls show --vault ./vault
    """
    from dhakira.apps.web import tls as core

    cert = vault / "tls" / "cert.pem"
    with speaking():  # no vault is opened: the words alone
        if not cert.exists():
            raise CommandError(_("%(vault)s has no certificate; make one with `dhakira tls "
                                 "make`") % {"vault": vault}, 1)
        click.echo(_("SHA-256 fingerprint: %(fingerprint)s")
                   % {"fingerprint": core.fingerprint(cert.read_bytes())})


@main.group("two-step")
def two_step() -> None:
    """Second factors of web accounts: require them of a role, reset a user's.

    They protect web logins only. The CLI acts on the server's machine with the vault
    passphrase and the acting user's web password (--password-file): a secret kept in a file
    next to another is not a second factor, so the CLI asks for none (docs/server.md).
    """


@two_step.command("require")
@vault_option
@passphrase_option
@click.option("--role", required=True, type=_ROLES, help="The role whose users must enrol.")
@click.option("--off", is_flag=True, help="Stop requiring it (devices already enrolled stay).")
@click.option("--as", "as_user", required=True, help="The administrator making the change.")
@actor_password_option
@fail_cleanly
def two_step_require(vault: Path, passphrase_file: Path | None, role: str, off: bool,
                     as_user: str, password_file: Path | None) -> None:
    """Require a second factor of every user of ROLE at their next page (recorded in custody).

    Example: dhakira two-step require --vault ./vault --role administrator --as amal
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.twofactor import services
    from dhakira.cli.vault import _acting_administrator

    with speaking():
        changed = services.set_required(role, not off,
                                        actor=_acting_administrator(as_user, password_file))
        if off:
            said_now = (_("Two-step login is no longer required for %(role)s.") if changed else
                        _("Two-step login was already no longer required for %(role)s; nothing "
                          "changed."))
        else:
            said_now = (_("Two-step login is required for %(role)s.") if changed else
                        _("Two-step login was already required for %(role)s; nothing changed."))
        click.echo(said_now % {"role": role})


@two_step.command("reset")
@vault_option
@passphrase_option
@click.option("--username", required=True, help="Whose second factor is removed.")
@click.option("--as", "as_user", required=True, help="The administrator making the change.")
@actor_password_option
@fail_cleanly
def two_step_reset(vault: Path, passphrase_file: Path | None, username: str, as_user: str,
                   password_file: Path | None) -> None:
    """Remove a user's authenticator, recovery codes and passkeys (a lost phone); in custody.

    They log in with their password alone and, if their role requires it, enrol again.

    Example: dhakira two-step reset --vault ./vault --username rana --as amal
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.twofactor import services
    from dhakira.cli.vault import _account, _acting_administrator

    with speaking():
        acting = _acting_administrator(as_user, password_file)
        removed = services.reset(_account(username), actor=acting)
        click.echo(ngettext("Removed %(n)s second-factor device of %(user)s.",
                            "Removed %(n)s second-factor devices of %(user)s.", removed)
                   % {"n": removed, "user": username})
