"""Keys nobody can lose: recovery shares, rotating the data key, backups that restore."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dhakira.cli._common import (
    VAULT_PASSPHRASE,
    CommandError,
    fail_cleanly,
    gettext_noop,
    main,
    new_passphrase,
    passphrase_option,
    prompt_secret,
    read_secret,
    said,
    speaking,
    vault_option,
)

NEW_PASSPHRASE_FOR = gettext_noop("New passphrase for %(label)s")


def _record(actor: str, event: str, **detail: Any) -> None:
    from dhakira.apps.custody import store

    store.record(actor=actor, action="other", subject="vault:keys", detail={"event": event, **detail})


def _record_refusals(vault: Path) -> int:
    """Move the recovery refusals noted while the vault was shut into custody."""
    from dhakira.core.vault import recovery

    refusals = recovery.take_refusals(vault)
    for item in refusals:
        _record("recovery:refused", "recovery refused", at=item["at"], reason=item["reason"])
    return len(refusals)


@main.group()
def recovery() -> None:
    """Recovery shares: a key slot that any K of N printed share holders can open together."""


@recovery.command("split")
@vault_option
@passphrase_option
@click.option("--shares", "shares", type=int, required=True, help="How many shares to make (N, at most 16).")
@click.option("--threshold", type=int, required=True, help="How many shares open the vault (K).")
@click.option("--share-file", "share_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write one share to FILE (new, mode 0600); give it N times. Without it the "
                   "shares are printed.")
@click.option("--replace", is_flag=True, help="Revoke the vault's other recovery slots afterwards.")
@fail_cleanly
def recovery_split(vault: Path, passphrase_file: Path | None, shares: int, threshold: int,
                   share_files: tuple[Path, ...], replace: bool) -> None:
    """Add a recovery slot and print its N shares (SLIP-39 words) once; they are never stored.

    Give each share to a different person. Any THRESHOLD of them together can open the
    vault with `dhakira recovery open`; fewer learn nothing. Recorded in custody (N, K and
    the slot id, never a share).

    Example: dhakira recovery split --vault ./vault --shares 5 --threshold 3
    """
    from dhakira.apps.vault import runtime
    from dhakira.core.vault import recovery as rec

    if share_files and len(share_files) != shares:
        with speaking():  # before the vault: the words alone
            raise CommandError(ngettext(
                "give --share-file %(n)s times (once per share), or not at all",
                "give --share-file %(n)s times (once per share), or not at all", shares)
                % {"n": shares}, 64)
    for path in share_files:
        if path.exists():
            with speaking():
                raise CommandError(_("%(path)s exists; shares are written to new files only")
                                   % {"path": path}, 64)
    label = runtime.open_vault(vault, read_secret(passphrase_file, VAULT_PASSPHRASE))
    _record_refusals(vault)
    others = rec.slots(vault)
    slot, words = rec.split_unlocked(vault, shares=shares, threshold=threshold)
    targets: list[Path | None] = list(share_files) if share_files else [None] * shares
    for number, (share, target) in enumerate(zip(words, targets, strict=True), 1):
        with speaking():  # the line above the words starts with "#": not read back
            header = _("# Dhakira recovery share %(number)s of %(shares)s (set %(slot)s); any "
                       "%(threshold)s open the vault.") % {
                "number": number, "shares": shares, "slot": slot.slot_id,
                "threshold": threshold}
        text = f"{header}\n{share}\n"
        if target is None:
            click.echo(text)
            continue
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
    revoked = [s.slot_id for s in others] if replace else []
    for slot_id in revoked:
        rec.revoke(vault, slot_id)
    _record(f"keyslot:{label}", "recovery shares made", slot=slot.slot_id, shares=shares,
            threshold=threshold, revoked=" ".join(revoked))
    with speaking():
        values = {"slot": slot.slot_id, "shares": shares, "threshold": threshold,
                  "revoked": len(revoked)}
        if share_files:
            made = (ngettext("Made recovery slot %(slot)s: %(shares)s shares (written to "
                             "%(shares)s files), any %(threshold)s open the vault. Revoked "
                             "%(revoked)s older recovery slot.",
                             "Made recovery slot %(slot)s: %(shares)s shares (written to "
                             "%(shares)s files), any %(threshold)s open the vault. Revoked "
                             "%(revoked)s older recovery slots.", len(revoked))
                    if revoked else
                    _("Made recovery slot %(slot)s: %(shares)s shares (written to %(shares)s "
                      "files), any %(threshold)s open the vault."))
        else:
            made = (ngettext("Made recovery slot %(slot)s: %(shares)s shares (printed above), "
                             "any %(threshold)s open the vault. Revoked %(revoked)s older "
                             "recovery slot.",
                             "Made recovery slot %(slot)s: %(shares)s shares (printed above), "
                             "any %(threshold)s open the vault. Revoked %(revoked)s older "
                             "recovery slots.", len(revoked))
                    if revoked else
                    _("Made recovery slot %(slot)s: %(shares)s shares (printed above), any "
                      "%(threshold)s open the vault."))
        click.echo(made % values, err=not share_files)


def _read_share_file(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        with speaking():  # before the vault: the words alone
            raise CommandError(_("%(path)s is not UTF-8 text") % {"path": path}, 64) from None
    return " ".join(line for line in lines if not line.lstrip().startswith("#"))


def _prompt_shares(vault: Path) -> list[str]:
    from dhakira.core.vault import recovery as rec

    # Said before the vault is open (read_secret's words, not speaking()'s).
    ask = gettext_noop("Recovery share %(n)s (all its words)")
    first = prompt_secret(said(ask, {"n": 1}))
    needed = rec.threshold_for(vault, first) or 2
    return [first] + [prompt_secret(said(ask, {"n": n})) for n in range(2, needed + 1)]


@recovery.command("open")
@vault_option
@click.option("--share-file", "share_files", multiple=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A file holding one share; give it K times. Without it you are prompted.")
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The new passphrase, from FILE; prompted otherwise.")
@click.option("--label", default="recovered", show_default=True,
              help="Whose the new passphrase slot is.")
@click.option("--check", is_flag=True, help="Only check that the shares open the vault.")
@fail_cleanly
def recovery_open(vault: Path, share_files: tuple[Path, ...], new_passphrase_file: Path | None,
                  label: str, check: bool) -> None:
    """Open the vault with K recovery shares and set a new passphrase slot.

    Wrong, damaged, too few or mixed shares are refused with one line, and the refusal is
    recorded in custody when the vault is next opened.

    Example: dhakira recovery open --vault ./vault --share-file s1 --share-file s2
    --share-file s3
    """
    from dhakira.apps.vault import rekey as rotation
    from dhakira.apps.vault import runtime
    from dhakira.core.vault import keyslots, stamp
    from dhakira.core.vault import recovery as rec
    from dhakira.core.vault.errors import VaultNotFound

    if not vault.is_dir():
        raise VaultNotFound(f"{vault} does not exist", code="no_vault", params={"vault": str(vault)})
    stamp.refuse_newer(vault)
    if rotation.unfinished(vault):
        raise rotation.RekeyUnfinished(f"a rekey of {vault} is unfinished: complete it with "
                                       "`dhakira rekey` first", code="rekey_unfinished",
                                       params={"vault": str(vault)})
    shares = [_read_share_file(p) for p in share_files] if share_files else _prompt_shares(vault)
    slot, key = rec.combine(vault, shares)
    if check:
        del key
        new = None
    else:
        new = new_passphrase(new_passphrase_file, NEW_PASSPHRASE_FOR, values={"label": label})
        keyslots.write_slot(vault, key, new, label=label)
        del key
    if new is None:
        with speaking():  # no vault opened: the words alone
            click.echo(_("The shares open recovery slot %(slot)s of %(vault)s.")
                       % {"slot": slot.slot_id, "vault": vault})
        return
    runtime.open_vault(vault, new)
    _record_refusals(vault)
    _record(f"recovery:{slot.slot_id}", "recovery shares opened the vault", slot=slot.slot_id,
            new_slot=label)
    with speaking():
        click.echo(_("Opened %(vault)s with recovery slot %(slot)s; added key slot "
                     "'%(label)s'.") % {"vault": vault, "slot": slot.slot_id, "label": label})


@recovery.command("list")
@vault_option
@passphrase_option
@fail_cleanly
def recovery_list(vault: Path, passphrase_file: Path | None) -> None:
    """List the recovery slots: id, shares, threshold, when made (never a share).

    Example: dhakira recovery list --vault ./vault
    """
    from dhakira.apps.vault import runtime
    from dhakira.core.vault import recovery as rec

    runtime.open_vault(vault, read_secret(passphrase_file, VAULT_PASSPHRASE))
    refused = _record_refusals(vault)
    for slot in rec.slots(vault):  # a table, for programs too: its words stay as they are
        click.echo(f"{slot.slot_id}\t{slot.threshold} of {slot.shares}\tmade {slot.created}")
    with speaking():
        if refused:
            click.echo(ngettext("%(n)s refused recovery attempt was recorded in custody.",
                                "%(n)s refused recovery attempts were recorded in custody.",
                                refused) % {"n": refused}, err=True)


@recovery.command("revoke")
@vault_option
@passphrase_option
@click.option("--slot", "slot_id", required=True, help="The recovery slot's id (see `recovery list`).")
@fail_cleanly
def recovery_revoke(vault: Path, passphrase_file: Path | None, slot_id: str) -> None:
    """Revoke a recovery slot: its shares open nothing afterwards (recorded in custody).

    Example: dhakira recovery revoke --vault ./vault --slot 0123456789abcdef
    """
    from dhakira.apps.vault import runtime
    from dhakira.core.vault import recovery as rec

    label = runtime.open_vault(vault, read_secret(passphrase_file, VAULT_PASSPHRASE))
    _record_refusals(vault)
    slot = rec.revoke(vault, slot_id)
    _record(f"keyslot:{label}", "recovery slot revoked", slot=slot.slot_id)
    with speaking():
        click.echo(_("Revoked recovery slot %(slot)s.") % {"slot": slot.slot_id})


def _backend() -> str:
    from django.conf import settings

    return "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlcipher"


@main.command()
@vault_option
@passphrase_option
@click.option("--to", "target", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The backup folder (made if missing; outside the vault).")
@fail_cleanly
def backup(vault: Path, passphrase_file: Path | None, target: Path) -> None:
    """Write a consistent, encrypted snapshot of the vault into DIR, while it is in use.

    The database is copied in one read transaction (writers carry on), still encrypted;
    blobs are copied only when DIR does not hold them yet. A manifest of every file, sealed
    under the vault's key, lets `dhakira restore` refuse a changed backup. Recorded in custody.
    On PostgreSQL, dump the database with pg_dump as well (docs/backup.md).

    Example: dhakira backup --vault ./vault --to /media/usb/dhakira-backup
    """
    from dhakira.apps.vault import backup as backups
    from dhakira.apps.vault import runtime

    label = runtime.open_vault(vault, read_secret(passphrase_file, VAULT_PASSPHRASE))
    backend = _backend()
    made = backups.make_unlocked(vault, target, backend=backend)
    _record(f"keyslot:{label}", "backup written", snapshot=made.snapshot_id, files=made.files,
            blobs=made.blobs, new_blobs=made.new_blobs)
    with speaking():
        click.echo(_("Wrote snapshot %(snapshot)s to %(target)s: %(files)s files, %(blobs)s "
                     "blobs (%(new)s new).") % {
            "snapshot": made.snapshot_id, "target": target, "files": made.files,
            "blobs": made.blobs, "new": made.new_blobs})
        if backend == "postgresql":
            click.echo(_("The database is on PostgreSQL and is not in this snapshot: dump it "
                         "with pg_dump now (see docs/backup.md)."), err=True)


@main.command()
@click.option("--from", "source", required=True,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="The backup folder written by `dhakira backup`.")
@click.option("--to", "dest", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the restored vault goes (a new folder).")
@click.option("--snapshot", "snapshot_id", default=None,
              help="The snapshot to restore (a folder name under snapshots/); the newest otherwise.")
@passphrase_option
@fail_cleanly
def restore(source: Path, dest: Path, snapshot_id: str | None, passphrase_file: Path | None) -> None:
    """Rebuild a vault from a backup, after checking every file against the sealed manifest.

    A backup that was changed or is incomplete is refused with one line, and nothing is
    written. The restored vault opens with the passphrases it had when the snapshot was made;
    the restore is recorded in its custody. Run `dhakira verify` on it afterwards.

    Example: dhakira restore --from /media/usb/dhakira-backup --to ./vault-restored
    """
    from dhakira.apps.vault import backup as backups
    from dhakira.apps.vault import runtime

    passphrase = read_secret(passphrase_file,
                             gettext_noop("Vault passphrase (as it was in the backup)"))
    snapshot, backend = backups.restore(source, dest, passphrase, snapshot_id=snapshot_id)
    if backend == "postgresql":
        with speaking():  # no vault opened here: the words alone
            click.echo(_("Restored the files of snapshot %(snapshot)s to %(dest)s. The database "
                         "is on PostgreSQL: restore its dump with pg_restore before using the "
                         "vault (see docs/backup.md).") % {"snapshot": snapshot.name,
                                                           "dest": dest})
        return
    label = runtime.open_vault(dest, passphrase)
    _record(f"keyslot:{label}", "restored from backup", snapshot=snapshot.name)
    with speaking():
        click.echo(_("Restored snapshot %(snapshot)s to %(dest)s; run `dhakira verify --vault "
                     "%(dest)s`.") % {"snapshot": snapshot.name, "dest": dest})


def _open_db(vault: Path) -> Any:
    def open_db(key: bytes) -> None:
        from dhakira.apps.vault import runtime
        from dhakira.core.vault import session

        session.set_key(key)
        runtime.configure(vault)
        from django.db import connections

        connections.close_all()  # the next query opens the database under this key

    return open_db


def _recorded(rekey_id: str) -> bool:
    from dhakira.apps.custody.models import LedgerEntry

    return LedgerEntry.objects.filter(subject="vault:keys", detail__event="rekey finished",
                                      detail__rekey=rekey_id).exists()


@main.command("rekey")
@vault_option
@passphrase_option
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The new passphrase of your key slot, from FILE; prompted otherwise.")
@click.option("--keep-passphrase-file", "keep_files", multiple=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The passphrase of another key slot to keep (its holder is trusted); repeat "
                   "for several. Every slot not named is dropped.")
@fail_cleanly
def rekey_command(vault: Path, passphrase_file: Path | None, new_passphrase_file: Path | None,
                  keep_files: tuple[Path, ...]) -> None:
    """Rotate the data key when a passphrase may have been coerced.

    The database, every blob and the signing key's wrapping are re-encrypted under a new
    random key; your slot gets a new passphrase; only the slots whose passphrases you give
    with --keep-passphrase-file are kept, all others (and recovery slots) are dropped.
    Stop the server first. If it is interrupted, run it again with a passphrase of the old
    or the new slots and it completes; the vault does not open until then. Recorded in custody.

    Example: dhakira rekey --vault ./vault --keep-passphrase-file rana.pass
    """
    from dhakira.apps.vault import rekey as rotation
    from dhakira.core.vault import stamp
    from dhakira.core.vault.errors import VaultNotFound

    if not vault.is_dir():
        raise VaultNotFound(f"{vault} does not exist", code="no_vault", params={"vault": str(vault)})
    stamp.refuse_newer(vault)
    open_db = _open_db(vault)
    if rotation.unfinished(vault):
        passphrase = read_secret(passphrase_file,
                                 gettext_noop("A passphrase of the old or the new key slots"))
        old, new, rekey_id = rotation.keys_for(vault, passphrase)
        click.echo(said(gettext_noop("Completing the unfinished rekey %(rekey)s."),
                        {"rekey": rekey_id}), err=True)
    else:
        operator = read_secret(passphrase_file, gettext_noop("Your current passphrase"))
        fresh = new_passphrase(new_passphrase_file,
                               gettext_noop("New passphrase for your key slot"))
        if fresh == operator:
            raise CommandError(said(gettext_noop(
                "the new passphrase is the old one: choose one nobody could have been forced "
                "to give")), 64)
        keep = tuple(read_secret(f, gettext_noop("Passphrase to keep (%(file)s)"),
                                 values={"file": f}) for f in keep_files)
        actor = f"keyslot:{_label_of(vault, operator)}"
        old, new, rekey_id = rotation.start(
            vault, rotation.Plan(operator, fresh, keep), sqlcipher=_backend_of_env() == "sqlcipher",
            open_db=open_db, record=lambda event, detail: _record(actor, event, **detail))
    done = rotation.finish(vault, old, new, rekey_id, open_db=open_db, recorded=_recorded,
                           record=lambda event, detail: _record(f"rekey:{rekey_id}", event, **detail))
    del old, new
    # Said as before the vault opened: the rekey reopens the database itself, and Django may
    # not have been set up on this vault (speaking() would set it up without one).
    click.echo(said(gettext_noop(
        "Rekeyed %(vault)s: the database, the blobs (%(blobs)s) and the signing key are under "
        "a new key; key slots kept: %(kept)s; passphrase slots dropped: %(dropped)s; recovery "
        "slots dropped: %(recovery)s."), {
        "vault": vault, "blobs": done.blobs, "kept": ", ".join(done.kept),
        "dropped": done.dropped, "recovery": done.recovery_dropped}))
    if done.recovery_dropped:
        click.echo(said(gettext_noop("Make new recovery shares with `dhakira recovery split`.")),
                   err=True)


def _label_of(vault: Path, passphrase: str) -> str:
    from dhakira.core.vault import keyslots

    return keyslots.unlock_slot(vault, passphrase)[0]


def _backend_of_env() -> str:
    """The backend the settings will choose, before Django is set up."""
    return "postgresql" if os.environ.get("DHAKIRA_DATABASE_URL") else "sqlcipher"
