"""Field kits: the device cards, enrolment and revocation, and sync bundles both ways."""

from __future__ import annotations

from datetime import UTC, datetime
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


def _write_new(path: Path, data: bytes) -> None:
    if path.exists():
        raise CommandError(f"{path} exists already; give a new file", 73)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


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
    click.echo(f"wrote {out}: key id {made.key_id}, fingerprint "
               f"{verifier.fingerprint(made.public_key)}")


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

    actor = _administrator(as_user, password_file)
    made = keys.read_card(card_path)
    office.enrol(made, label=label, actor=actor)
    click.echo(f"enrolled {label}: key id {made.key_id}, fingerprint "
               f"{verifier.fingerprint(made.public_key)}")


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
        raise CommandError(f"--at {text!r}: give a time like 2026-12-01T18:00:00Z, or now",
                           64) from None
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

    made = office.revoke(label, at=when, actor=_administrator(as_user, password_file))
    click.echo(f"revoked {made.label} from {when.isoformat()}")


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

    actor = authenticate_actor(as_user, password_file).get_username()
    if out.exists():
        raise CommandError(f"{out} exists already; give a new file", 73)
    made = kit.pack(actor=actor)
    _write_new(out, made.sealed)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(made.records.items())) or "no records"
    click.echo(f"wrote {out}: bundle {made.seq}, {counts}, {made.blobs} file(s), "
               f"{made.custody_entries} custody entries, {len(made.sealed)} bytes")


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
    from dhakira.apps.fieldkit.models import KitState

    actor = authenticate_actor(as_user, password_file)
    data = bundle.read_bytes()
    if KitState.objects.exists():
        from dhakira.apps.fieldkit import kit

        done = kit.receive(data, actor=actor.get_username())
        if isinstance(done, kit.ReferenceResult):
            added = ", ".join(f"{n} {k}" for k, n in sorted(done.added.items()))
            click.echo(f"reference data {done.seq} from the office: added {added}")
            return
        purged = ", ".join(f"{n} {k}" for k, n in sorted(done.purged.items())) or "nothing"
        click.echo(f"acknowledgement of bundle {done.seq}: purged {purged}; "
                   f"{done.kept} acknowledged record(s) kept because newer records need them")
        return
    if ack_out is None:
        raise CommandError("give --ack-out FILE: where to write the acknowledgement", 64)
    if ack_out.exists():
        raise CommandError(f"{ack_out} exists already; give a new file", 73)
    from dhakira.apps.fieldkit import office

    result = office.receive(data, actor=actor)
    _write_new(ack_out, result.ack)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(result.merged.items())) or "no new records"
    click.echo(f"merged bundle {result.seq} of {result.device}: {counts}; "
               f"{result.already_held} already held, {result.conflicts} conflict(s) flagged, "
               f"{result.custody_entries} custody entries linked; wrote {ack_out}")


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

    _write_new(out, office.ack_for(label))
    click.echo(f"wrote {out}")


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

    actor = authenticate_actor(as_user, password_file).get_username()
    if out.exists():
        raise CommandError(f"{out} exists already; give a new file", 73)
    sealed, counts = office.reference_bundle(label, actor=actor)
    _write_new(out, sealed)
    click.echo(f"wrote {out}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))


@sync.group("quarantine")
def quarantine() -> None:
    """At the office: bundles of revoked kits made after their revocation time, kept sealed
    in quarantine; look at them and accept or reject each (in custody)."""


def _quarantine_id(text: str) -> int:
    from dhakira.apps.fieldkit.quarantine import parse_id

    return parse_id(text)


def _size(n: int | None) -> str:
    return "file missing" if n is None else f"{n} bytes"


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
        click.echo("no bundle waits in quarantine")
    for h in rows:
        revoked = h.revoked_at.isoformat() if h.revoked_at else "-"
        state = (f"{h.review.choice} by {h.review.decided_by}" if h.review else "waiting")
        click.echo(f"{h.uid}\t{h.device} ({h.key_id})\tbundle {h.seq}\tmade {h.made_at}\t"
                   f"received {h.received_at.isoformat()}\t{_size(h.size)}\t"
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

    seen = held_bundles.contents(_quarantine_id(bundle_id))
    h = seen.held
    click.echo(f"{h.uid}: bundle {h.seq} of {h.device} ({h.key_id}), made {h.made_at}, "
               f"received {h.received_at.isoformat()}, {_size(h.size)}, sha256 {h.sealed_sha256}")
    if h.review is not None:
        click.echo(f"{h.review.choice} by {h.review.decided_by} at "
                   f"{h.review.decided_at.isoformat()}: {h.review.reason}")
    counts = ", ".join(f"{n} {k}" for k, n in sorted(seen.counts.items())) or "no records"
    click.echo(f"records: {counts}; {seen.protected_values} protected value(s) (not shown); "
               f"{seen.files} file(s), {seen.file_bytes} bytes; "
               f"{seen.custody_entries} custody entries the office does not hold")
    for line in seen.records:
        click.echo(f"  {line.kind}\t{line.gid}\t{line.status.replace('_', ' ')}")
    if seen.hidden:
        click.echo(f"  {seen.hidden} record(s) in compartments not listed")
    if seen.would_refuse:
        click.echo(f"accepting it would be refused: {seen.would_refuse}")


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

    actor = authenticate_actor(as_user, password_file)
    result = held_bundles.accept(_quarantine_id(bundle_id), reason=reason, actor=actor)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(result.merged.items())) or "no new records"
    click.echo(f"accepted and merged bundle {result.seq} of {result.device}: {counts}; "
               f"{result.already_held} already held, {result.conflicts} conflict(s) flagged, "
               f"{result.custody_entries} custody entries linked")


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

    actor = authenticate_actor(as_user, password_file)
    made = held_bundles.reject(_quarantine_id(bundle_id), reason=reason, actor=actor)
    click.echo(f"rejected Q-{made.bundle_id:06d}; its sealed file stays in quarantine")
