"""Field kits: the device cards, enrolment and revocation, and sync bundles both ways."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def _write_new(path: Path, data: bytes) -> None:
    _refuse_existing(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _refuse_existing(path: Path) -> None:
    """Refuse to write over ``path``, in the reader's language."""
    if path.exists():
        with speaking():
            raise CommandError(_("%(path)s exists already; give a new file") % {"path": path}, 73)


def _counts(counts: dict[str, int], none: str) -> str:
    """``3 people, 1 report``: how many records of each kind, each kind (the bundle format's
    name, ``fieldkit.records.KINDS``) a noun in the form its number takes in the active
    language; ``none`` when there are none. In the active language's list separator."""
    from dhakira.apps.dossier.models import comma

    return comma().join(_kind_counted(k, n) for k, n in sorted(counts.items())) or none


def _kind_counted(kind: str, n: int) -> str:
    """``n`` records of ``kind`` ("1 person", "3 people"; Arabic's six forms, standing alone
    in a list). A kind this table does not know is said as the bundle names it."""
    from django.utils.translation import npgettext

    said = {
        "source": lambda: npgettext("records of a kind", "%(n)s source", "%(n)s sources", n),
        "person": lambda: npgettext("records of a kind", "%(n)s person", "%(n)s people", n),
        "event": lambda: npgettext("records of a kind", "%(n)s event", "%(n)s events", n),
        "act": lambda: npgettext("records of a kind", "%(n)s act", "%(n)s acts", n),
        "report": lambda: npgettext("records of a kind", "%(n)s report", "%(n)s reports", n),
        "consent": lambda: npgettext("records of a kind", "%(n)s consent record",
                                     "%(n)s consent records", n),
        "evidence": lambda: npgettext("records of a kind", "%(n)s evidence item",
                                      "%(n)s evidence items", n),
    }.get(kind)
    return said() % {"n": f"{n:,}"} if said else f"{n:,} {kind}"


def _administrator(as_user: str, password_file: Path | None) -> str:
    from dhakira.apps.dossier import accounts

    acting = authenticate_actor(as_user, password_file)
    accounts.require_administrator(acting)
    return str(acting.get_username())


@main.group()
def device() -> None:
    """Field kits at the office: export a vault's card, enrol, list and revoke devices."""


@device.command("export")
@vault_option
@passphrase_option
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the card (public keys only).")
@fail_cleanly
def device_export(vault: Path, passphrase_file: Path | None, out: Path) -> None:
    """Write this vault's public card: its key id, signing key and sealing key.

    On the office vault the card is what `dhakira init --field-kit --hq CARD` takes; on a
    kit it is what the office enrols. It holds public keys only; check the fingerprint it
    prints with the other side by another channel.

    Example: dhakira device export --vault ./office --out office.card
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import keys
    from dhakira.core.handover import verify as verifier

    made = keys.card()
    _write_new(out, made.to_json().encode())
    with speaking():
        click.echo(_("wrote %(path)s: key id %(key)s, fingerprint %(fingerprint)s") % {
            "path": out, "key": made.key_id, "fingerprint": verifier.fingerprint(made.public_key)})


@device.command("enrol")
@vault_option
@passphrase_option
@click.option("--card", "card_path", required=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The kit's card, from `dhakira device export` on the kit.")
@click.option("--label", required=True, help="A name for the device, e.g. kit-mosul-1.")
@click.option("--as", "as_user", required=True, help="The administrator enrolling it.")
@actor_password_option
@fail_cleanly
def device_enrol(vault: Path, passphrase_file: Path | None, card_path: Path, label: str,
                 as_user: str, password_file: Path | None) -> None:
    """Enrol a field kit at the office so that its bundles are accepted (in custody).

    Example: dhakira device enrol --vault ./office --card kit1.card --label kit-1 --as amal
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import keys, office
    from dhakira.core.handover import verify as verifier

    with speaking():  # the refusals (not an administrator, a bad card) too
        actor = _administrator(as_user, password_file)
        made = keys.read_card(card_path)
        office.enrol(made, label=label, actor=actor)
        click.echo(_("enrolled %(label)s: key id %(key)s, fingerprint %(fingerprint)s") % {
            "label": label, "key": made.key_id,
            "fingerprint": verifier.fingerprint(made.public_key)})


@device.command("list")
@vault_option
@passphrase_option
@fail_cleanly
def device_list(vault: Path, passphrase_file: Path | None) -> None:
    """List enrolled devices: name, key id, enrolled, revoked, last bundle merged, conflicts.

    Example: dhakira device list --vault ./office
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit.models import Device, Origin

    for d in Device.objects.all():
        revoked = d.revoked_at.isoformat() if d.revoked_at else "-"
        conflicts = Origin.objects.filter(device=d, conflict=True, reviewed=False).count()
        click.echo(f"{d.label}\t{d.key_id}\tenrolled {d.enrolled_at.isoformat()}\t"
                   f"revoked {revoked}\tlast bundle {d.last_seq}\tconflicts {conflicts}")


def _parse_time(text: str) -> datetime:
    if text == "now":
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        with speaking():  # before the vault: the words alone
            raise CommandError(_("--at '%(at)s': give a time like 2026-12-01T18:00:00Z, or now")
                               % {"at": text}, 64) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@device.command("revoke")
@vault_option
@passphrase_option
@click.option("--label", required=True, help="The device's name (or key id).")
@click.option("--at", "at", default="now", show_default=True,
              help="From when (ISO 8601, UTC unless stated): bundles made later are refused "
                   "and kept in quarantine. Give the last time the kit was known safe.")
@click.option("--as", "as_user", required=True, help="The administrator revoking it.")
@actor_password_option
@fail_cleanly
def device_revoke(vault: Path, passphrase_file: Path | None, label: str, at: str, as_user: str,
                  password_file: Path | None) -> None:
    """Revoke a field kit (lost, seized, or retired), from a stated time (in custody).

    Example: dhakira device revoke --vault ./office --label kit-1 --at 2026-12-01T18:00Z --as amal
    """
    when = _parse_time(at)
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import office

    with speaking():
        made = office.revoke(label, at=when, actor=_administrator(as_user, password_file))
        click.echo(_("revoked %(label)s from %(when)s") % {"label": made.label,
                                                            "when": when.isoformat()})
        if late := office.merged_after(made, when):
            from django.utils.translation import ngettext

            click.echo(ngettext(
                "%(label)s's bundle %(seqs)s, merged already, says it was made after that "
                "time: review what it brought (its records came in as any bundle's did)",
                "%(label)s's bundles %(seqs)s, merged already, say they were made after that "
                "time: review what they brought (their records came in as any bundle's did)",
                len(late)) % {"label": made.label, "seqs": ", ".join(map(str, late))},
                err=True)


@main.group()
def sync() -> None:
    """Field kits: pack a bundle on a kit, receive it at the office, receive the acknowledgement."""


@sync.command("pack")
@vault_option
@passphrase_option
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the bundle.")
@click.option("--as", "as_user", required=True, help="The documenter packing it.")
@actor_password_option
@fail_cleanly
def sync_pack(vault: Path, passphrase_file: Path | None, out: Path, as_user: str,
              password_file: Path | None) -> None:
    """On a field kit: seal everything the office has not acknowledged into one bundle.

    The bundle is signed with the kit's key and sealed to the office's: carry it by any
    channel. Only the office opens it; whoever carries it learns its size and when it went.

    Example: dhakira sync pack --vault ./kit --out kit-1.bundle --as rana
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import kit

    with speaking():
        actor = authenticate_actor(as_user, password_file).get_username()
        _refuse_existing(out)
        made = kit.pack(actor=actor)
        _write_new(out, made.sealed)
        click.echo(_("wrote %(path)s: bundle %(seq)s, records: %(counts)s, files: %(files)s, "
                     "custody entries: %(custody)s, size in bytes: %(bytes)s") % {
            "path": out, "seq": made.seq, "counts": _counts(made.records, _("no records")),
            "files": made.blobs, "custody": made.custody_entries, "bytes": len(made.sealed)})


@sync.command("receive")
@vault_option
@passphrase_option
@click.argument("bundle", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--ack-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="At the office: where to write the acknowledgement for the kit.")
@click.option("--as", "as_user", required=True, help="Who receives it (a user who may write).")
@actor_password_option
@fail_cleanly
def sync_receive(vault: Path, passphrase_file: Path | None, bundle: Path, ack_out: Path | None,
                 as_user: str, password_file: Path | None) -> None:
    """At the office, merge a kit's bundle; on a kit, take the office's acknowledgement
    or reference data.

    The office verifies the device, signature, hashes and the kit's custody chain; a bundle
    that fails is refused with one line, nothing merged, the refusal kept in custody. On a
    kit, what the office acknowledged is deleted; what it has not received is kept; places,
    units, recipients and source code names it lacks are added.

    Example: dhakira sync receive --vault ./office kit-1.bundle --ack-out kit-1.ack --as amal
    """
    unlock(vault, passphrase_file)
    with speaking():
        _receive(bundle, ack_out, authenticate_actor(as_user, password_file))


def _receive(bundle: Path, ack_out: Path | None, actor: Any) -> None:
    """``sync receive`` on an unlocked vault, in the active language."""
    from dhakira.apps.fieldkit.models import KitState

    data = bundle.read_bytes()
    if KitState.objects.exists():
        from dhakira.apps.fieldkit import kit

        done = kit.receive(data, actor=actor.get_username())
        if isinstance(done, kit.ReferenceResult):
            click.echo(_("reference data %(seq)s from the office: added %(added)s") % {
                "seq": done.seq, "added": _counts(done.added, "")})
            return
        click.echo(ngettext(
            "acknowledgement of bundle %(seq)s: purged %(purged)s; %(n)s acknowledged "
            "record kept because newer records need it",
            "acknowledgement of bundle %(seq)s: purged %(purged)s; %(n)s acknowledged "
            "records kept because newer records need them", done.kept) % {
            "seq": done.seq, "purged": _counts(done.purged, _("nothing")), "n": done.kept})
        return
    if ack_out is None:
        raise CommandError(_("give --ack-out FILE: where to write the acknowledgement"), 64)
    _refuse_existing(ack_out)
    from dhakira.apps.fieldkit import office

    result = office.receive(data, actor=actor)
    _write_new(ack_out, result.ack)
    click.echo(_("merged bundle %(seq)s of %(device)s: %(counts)s; already held: %(held)s, "
                 "conflicts flagged: %(conflicts)s, custody entries linked: %(custody)s; wrote "
                 "%(path)s") % {
        "seq": result.seq, "device": result.device,
        "counts": _counts(result.merged, _("no new records")), "held": result.already_held,
        "conflicts": result.conflicts, "custody": result.custody_entries, "path": ack_out})


@sync.command("ack")
@vault_option
@passphrase_option
@click.option("--label", required=True, help="The device's name (or key id).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@fail_cleanly
def sync_ack(vault: Path, passphrase_file: Path | None, label: str, out: Path) -> None:
    """At the office: write again the acknowledgement of a device's last merged bundle.

    Example: dhakira sync ack --vault ./office --label kit-1 --out kit-1.ack
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import office

    with speaking():
        _write_new(out, office.ack_for(label))
        click.echo(_("wrote %(path)s") % {"path": out})


@sync.command("reference")
@vault_option
@passphrase_option
@click.option("--label", required=True, help="The device's name (or key id).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "as_user", required=True, help="Who sends it (a user who may write).")
@actor_password_option
@fail_cleanly
def sync_reference(vault: Path, passphrase_file: Path | None, label: str, out: Path, as_user: str,
                   password_file: Path | None) -> None:
    """At the office: seal reference data for a kit (places, units, recipients, source code
    names; never a person, a report or who a source is).

    Example: dhakira sync reference --vault ./office --label kit-1 --out kit-1.ref --as amal
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import office

    with speaking():
        actor = authenticate_actor(as_user, password_file).get_username()
        _refuse_existing(out)
        sealed, counts = office.reference_bundle(label, actor=actor)
        _write_new(out, sealed)
        click.echo(_("wrote %(path)s: %(counts)s") % {"path": out, "counts": _counts(counts, "")})


@sync.group("quarantine")
def quarantine() -> None:
    """At the office: bundles of revoked kits made after their revocation time, kept sealed
    in quarantine; look at them and accept or reject each (in custody)."""


def _quarantine_id(text: str) -> int:
    from dhakira.apps.fieldkit.quarantine import parse_id

    return parse_id(text)


def _size(n: int | None) -> str:
    """A held file's size, or that it is missing, in the active language."""
    return _("file missing") if n is None else _("%(n)s bytes") % {"n": n}


@quarantine.command("list")
@vault_option
@passphrase_option
@click.option("--all", "show_all", is_flag=True, help="Show decided bundles too.")
@fail_cleanly
def quarantine_list(vault: Path, passphrase_file: Path | None, show_all: bool) -> None:
    """List the bundles held in quarantine: id, device, when made and received, size, why.

    Example: dhakira sync quarantine list --vault ./office
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import quarantine as held_bundles

    rows = held_bundles.held(decided=show_all)
    if not rows:
        with speaking():
            click.echo(_("no bundle waits in quarantine"))
    for h in rows:  # a table, for programs too: its words stay as they are
        revoked = h.revoked_at.isoformat() if h.revoked_at else "-"
        state = (f"{h.review.choice} by {h.review.decided_by}" if h.review else "waiting")
        click.echo(f"{h.uid}\t{h.device} ({h.key_id})\tbundle {h.seq}\tmade {h.made_at}\t"
                   f"received {h.received_at.isoformat()}\t"
                   f"{'file missing' if h.size is None else f'{h.size} bytes'}\t"
                   f"{h.reason}: made after the revocation time {revoked}\t{state}")


@quarantine.command("show")
@vault_option
@passphrase_option
@click.argument("bundle_id")
@fail_cleanly
def quarantine_show(vault: Path, passphrase_file: Path | None, bundle_id: str) -> None:
    """Say what a quarantined bundle holds: counts, kinds and stable ids, never a value.

    The bundle is opened in memory; the file stays sealed on disk.

    Example: dhakira sync quarantine show --vault ./office Q-000004
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import quarantine as held_bundles

    with speaking():
        _show(held_bundles.contents(_quarantine_id(bundle_id)))


def _show(seen: Any) -> None:
    """What a quarantined bundle holds, in the active language (its records' lines are a
    table: kind, stable id, status, as the bundle names them)."""
    h = seen.held
    click.echo(_("%(bundle)s: bundle %(seq)s of %(device)s (%(key)s), made %(made)s, received "
                 "%(received)s, %(size)s, sha256 %(sha256)s") % {
        "bundle": h.uid, "seq": h.seq, "device": h.device, "key": h.key_id, "made": h.made_at,
        "received": h.received_at.isoformat(), "size": _size(h.size),
        "sha256": h.sealed_sha256})
    if h.review is not None:
        click.echo((_("accepted by %(user)s at %(when)s: %(reason)s")
                    if h.review.choice == "accepted" else
                    _("rejected by %(user)s at %(when)s: %(reason)s")) % {
            "user": h.review.decided_by, "when": h.review.decided_at.isoformat(),
            "reason": h.review.reason})
    click.echo(_("records: %(counts)s; protected values (not shown): %(protected)s; files: "
                 "%(files)s, size in bytes: %(bytes)s; custody entries the office does not "
                 "hold: %(custody)s") % {
        "counts": _counts(seen.counts, _("no records")), "protected": seen.protected_values,
        "files": seen.files, "bytes": seen.file_bytes, "custody": seen.custody_entries})
    for line in seen.records:
        click.echo(f"  {line.kind}\t{line.gid}\t{line.status.replace('_', ' ')}")
    if seen.hidden:
        click.echo("  " + ngettext("%(n)s record in compartments not listed",
                                   "%(n)s records in compartments not listed", seen.hidden)
                   % {"n": seen.hidden})
    if seen.would_refuse:
        click.echo(_("accepting it would be refused: %(why)s") % {"why": seen.would_refuse})


@quarantine.command("accept")
@vault_option
@passphrase_option
@click.argument("bundle_id")
@click.option("--reason", required=True, help="Why the office trusts this bundle (kept in custody).")
@click.option("--as", "as_user", required=True, help="Who decides (a user who may write).")
@actor_password_option
@fail_cleanly
def quarantine_accept(vault: Path, passphrase_file: Path | None, bundle_id: str, reason: str,
                      as_user: str, password_file: Path | None) -> None:
    """Merge a quarantined bundle exactly as `sync receive` would, but for the revocation.

    A bundle that would be refused for another reason (replayed, altered, for another office)
    still is. The decision, who made it and why are in custody. No acknowledgement is
    written: the kit is revoked (`dhakira sync ack` writes one if the office wants to).

    Example: dhakira sync quarantine accept --vault ./office Q-000004 --reason "kit was with us" --as amal
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import quarantine as held_bundles

    with speaking():
        actor = authenticate_actor(as_user, password_file)
        result = held_bundles.accept(_quarantine_id(bundle_id), reason=reason, actor=actor)
        click.echo(_("accepted and merged bundle %(seq)s of %(device)s: %(counts)s; already "
                     "held: %(held)s, conflicts flagged: %(conflicts)s, custody entries linked: "
                     "%(custody)s") % {
            "seq": result.seq, "device": result.device,
            "counts": _counts(result.merged, _("no new records")), "held": result.already_held,
            "conflicts": result.conflicts, "custody": result.custody_entries})


@quarantine.command("reject")
@vault_option
@passphrase_option
@click.argument("bundle_id")
@click.option("--reason", required=True, help="Why the office does not take it (kept in custody).")
@click.option("--as", "as_user", required=True, help="Who decides (a user who may write).")
@actor_password_option
@fail_cleanly
def quarantine_reject(vault: Path, passphrase_file: Path | None, bundle_id: str, reason: str,
                      as_user: str, password_file: Path | None) -> None:
    """Reject a quarantined bundle: nothing merged, the sealed file kept, in custody.

    Example: dhakira sync quarantine reject --vault ./office Q-000004 --reason "made after the seizure" --as amal
    """
    unlock(vault, passphrase_file)
    from dhakira.apps.fieldkit import quarantine as held_bundles

    with speaking():
        actor = authenticate_actor(as_user, password_file)
        made = held_bundles.reject(_quarantine_id(bundle_id), reason=reason, actor=actor)
        click.echo(_("rejected %(bundle)s; its sealed file stays in quarantine")
                   % {"bundle": f"Q-{made.bundle_id:06d}"})
