"""The office's side: enrol and revoke devices, receive their bundles, acknowledge them.

Receiving checks everything before writing anything (:func:`dhakira.core.sync.open_bundle`, then
the device's state and its custody chain); a refusal writes only its own custody entry and a
row saying why. A merge is one transaction (with the blobs it stores): a receive killed
half-way leaves nothing of that bundle, and receiving it again completes it. Every record
becomes a new row whose custody entry names its stable id, version and device; an id already
held with other content is a new version, flagged as a conflict when the kit had not seen the
office's latest version. The device's own custody entries are kept exactly as signed, and an
entry in the office's chain anchors the device chain's head at each bundle.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier import access
from dhakira.apps.fieldkit import keys
from dhakira.apps.fieldkit.models import (
    Device,
    DeviceEntry,
    KitState,
    Origin,
    QuarantineReview,
    Received,
)
from dhakira.apps.fieldkit.records import KINDS, MODELS, create, link_names
from dhakira.core import custody
from dhakira.core.custody._canonical import parse_timestamp
from dhakira.core.sync import bundle as sync_bundle
from dhakira.core.sync.errors import BundleRefused, SyncError
from dhakira.core.sync.ids import split_global_id

__all__ = ["Acceptance", "ReceiveResult", "ack_bundle", "enrol", "quarantine_path", "receive",
           "revoke", "verify_devices"]

QUARANTINE = "quarantine"
STALL_ENV = "DHAKIRA_TEST_SYNC_STALL"  # see _stall_for_tests


@dataclass(frozen=True)
class ReceiveResult:
    device: str
    seq: int
    merged: dict[str, int]
    already_held: int
    conflicts: int
    custody_entries: int
    ack: bytes


@dataclass(frozen=True)
class Acceptance:
    """A quarantined bundle that someone at the office decided to merge after all, and why.

    Only :func:`dhakira.apps.fieldkit.quarantine.accept` makes one, after checking that
    ``held`` waits in quarantine and that the file is the one received. With it,
    :func:`receive` skips the revocation check and nothing else: a replayed, altered or
    misaddressed bundle is refused as it would be without it.
    """

    held: Received
    reason: str
    actor: str


def quarantine_path(sealed_sha256: str) -> Path:
    """Where the office keeps a quarantined bundle: sealed, under the vault, by its SHA-256."""
    return Path(settings.VAULT_DIR) / QUARANTINE / f"{sealed_sha256}.age"


def _not_a_kit() -> None:
    if KitState.objects.exists():
        raise SyncError("this vault is a field kit; devices are enrolled at the office",
                        code="kit_not_office")


def enrol(made: keys.Card, *, label: str, actor: str, now: datetime | None = None) -> Device:
    """Register a kit's card (from `dhakira device export` on the kit); logged in custody."""
    _not_a_kit()
    if made.key_id == keys.signer().key_id:
        raise SyncError("that card is this vault's own", code="card_own")
    if Device.objects.filter(key_id=made.key_id).exists():
        raise SyncError(f"device {made.key_id} is enrolled already", code="device_enrolled",
                        params={"device": made.key_id})
    if Device.objects.filter(label=label).exists():
        raise SyncError(f"a device is named {label!r} already; choose another name",
                        code="device_label_taken", params={"label": label})
    now = now or datetime.now(UTC)
    with transaction.atomic():
        device = Device.objects.create(label=label, key_id=made.key_id,
                                       public_key=made.public_key.hex(),
                                       recipient=made.recipient, enrolled_at=now,
                                       enrolled_by=actor)
        store.record(actor=actor, action="other", subject=f"device:{made.key_id}",
                     detail={"enrolled": label}, now=now)
    return device


def revoke(label: str, *, at: datetime, actor: str) -> Device:
    """Revoke a device from ``at``: its bundles made after that time are refused (those
    merged already are named by :func:`merged_after`)."""
    device = _device(label)
    with transaction.atomic():
        Device.objects.filter(pk=device.pk).update(revoked_at=at)
        store.record(actor=actor, action="other", subject=f"device:{device.key_id}",
                     detail={"revoked_from": custody._canonical.format_timestamp(at)})
    device.refresh_from_db()
    return device


def merged_after(device: Device, at: datetime) -> list[int]:
    """The sequence numbers of the device's bundles merged already that say they were made
    after ``at``: a revocation dated back (the kit was seized before anyone knew) reaches
    them only by a person's review of what they brought."""
    late = []
    for seq, made in (Received.objects.filter(device=device, outcome="merged")
                      .order_by("seq").values_list("seq", "made_at")):
        when = parse_timestamp(made)
        if seq is not None and when is not None and when > at:
            late.append(seq)
    return late


def _device(label: str) -> Device:
    found = Device.objects.filter(label=label).first() or Device.objects.filter(
        key_id=label).first()
    if found is None:
        raise SyncError(f"no device {label!r}; see `dhakira device list`", code="no_device",
                        params={"label": label})
    return found


def _refused(sealed_sha: str, exc: BundleRefused, *, actor: str, device: Device | None = None,
             seq: int | None = None, made_at: str = "",
             outcome: str = "refused") -> None:
    with transaction.atomic():
        Received.objects.create(sealed_sha256=sealed_sha, device=device, seq=seq,
                                made_at=made_at, received_at=datetime.now(UTC),
                                outcome=outcome, reason=exc.kind)
        store.record(actor=actor, action="other", subject=f"bundle:{sealed_sha[:16]}",
                     subject_hash=sealed_sha,
                     detail={"refused": exc.kind, "device": device.key_id if device else "",
                             "seq": seq})


def receive(sealed: bytes, *, actor: AbstractBaseUser,
            accepting: Acceptance | None = None) -> ReceiveResult:
    """Verify and merge a kit's bundle; return what was done and the acknowledgement to send.

    ``accepting``: a quarantined bundle accepted at review (see :class:`Acceptance`); its
    decision and custody entry are written in the merge's transaction.

    Raises:
        BundleRefused: the one reason it was refused; nothing was merged, the refusal is
            in custody.
    """
    import hashlib

    _not_a_kit()
    name = actor.get_username()
    sealed_sha = hashlib.sha256(sealed).hexdigest()
    me = keys.signer()
    devices = {d.key_id: d for d in Device.objects.all()}
    try:
        opened = sync_bundle.open_bundle(
            sealed, identity=keys.identity(), receiver=me.key_id,
            public_key_of=lambda k: bytes.fromhex(devices[k].public_key) if k in devices else None)
    except BundleRefused as exc:
        _refused(sealed_sha, exc, actor=name)
        raise
    m = opened.manifest
    device = devices[m.sender]
    try:
        _admissible(opened, device, sealed_sha, revocation=accepting is None)
        records, entries = _payload(opened, device)
    except BundleRefused as exc:
        outcome = "refused"
        if exc.kind == "revoked":
            outcome = "quarantined"
            held = quarantine_path(sealed_sha)
            held.parent.mkdir(exist_ok=True)
            held.write_bytes(sealed)  # still sealed to the office
        _refused(sealed_sha, exc, actor=name, device=device, seq=m.seq, made_at=m.made_at,
                 outcome=outcome)
        raise
    from dhakira.apps.evidence.intake import atomic_with_blobs

    try:
        with atomic_with_blobs():
            return _merge(opened, device, records, entries, actor, sealed_sha, accepting)
    except BundleRefused as exc:  # a record that cannot be written: all of it rolled back
        _refused(sealed_sha, exc, actor=name, device=device, seq=m.seq, made_at=m.made_at)
        raise


def _admissible(opened: sync_bundle.Bundle, device: Device, sealed_sha: str, *,
                revocation: bool = True) -> None:
    m = opened.manifest
    if m.kind != "pack":
        raise BundleRefused("wrong_kind", "this is an acknowledgement; receive it on the kit",
                            code="bundle_is_ack")
    if Received.objects.filter(sealed_sha256=sealed_sha,
                               outcome="merged").exists() or m.seq <= device.last_seq:
        raise BundleRefused("replay", f"bundle {m.seq} of {device.label} was received before "
                            f"(merged up to {device.last_seq})", code="bundle_replayed",
                            params={"seq": m.seq, "device": device.label,
                                    "last": device.last_seq})
    made = parse_timestamp(m.made_at)
    if made is None:
        raise BundleRefused("malformed", "its time cannot be read", code="bundle_bad_time")
    if revocation and device.revoked_at is not None and made > device.revoked_at:
        raise BundleRefused("revoked", f"{device.label} was revoked from "
                            f"{device.revoked_at.isoformat()}; this bundle says it was made "
                            f"{m.made_at} (kept sealed in quarantine for review)",
                            code="bundle_after_revocation",
                            params={"device": device.label,
                                    "revoked": device.revoked_at.isoformat(),
                                    "made": m.made_at})


def _payload(opened: sync_bundle.Bundle,
             device: Device) -> tuple[list[dict[str, Any]], list[custody.CustodyEntry]]:
    try:
        records = json.loads(opened.files["records.json"])
        entries = [custody.from_dict(e) for e in json.loads(opened.files["custody.json"])]
        for rec in records:
            if rec["kind"] not in KINDS or split_global_id(rec["gid"])[0] != device.key_id:
                raise ValueError("a record of another kind or device")
            if not isinstance(rec["fields"], dict) or not isinstance(rec["seen"], list):
                raise ValueError("fields")
            if rec["kind"] == "evidence" and f"blobs/{rec['fields']['sha256']}" not in opened.files:
                raise ValueError("evidence without its file")
    except (KeyError, ValueError, TypeError, custody.CustodyError, SyncError) as exc:
        raise BundleRefused("malformed", f"its records cannot be read ({exc})",
                             code="bundle_bad_records") from None
    # The device's chain as held, plus what this bundle adds, must verify under its key.
    held = {row.seq: row.data for row in DeviceEntry.objects.filter(device=device)}
    for entry in entries:
        known = held.get(entry.seq)
        if known is not None and known["entry_hash"] != entry.entry_hash:
            raise BundleRefused("broken_chain", f"custody entry {entry.seq} of {device.label} "
                                "differs from the one received before",
                                code="bundle_entry_differs",
                                params={"seq": entry.seq, "device": device.label})
    fresh = [e for e in entries if e.seq not in held]
    chain = [custody.from_dict(d) for _, d in sorted(held.items())] + fresh
    report = custody.verify_chain(chain, {device.key_id: bytes.fromhex(device.public_key)})
    if not report.ok:
        first = report.problems[0]
        raise BundleRefused("broken_chain", f"{device.label}'s custody chain: seq {first.seq}: "
                            f"{first.kind}: {first.message}", code="bundle_chain_broken",
                            params={"device": device.label, "seq": first.seq,
                                    "problem": first.kind})
    return records, fresh


def _resolver(me: str, made: dict[tuple[str, str], int]) -> Any:
    def resolve(kind: str, gid: str | None) -> int | None:
        if not gid:
            return None
        if (kind, gid) in made:
            return made[(kind, gid)]
        last = Origin.objects.filter(gid=gid, kind=kind).order_by("-version").first()
        if last is not None:
            from dhakira.apps.fieldkit.review import current_row

            return current_row(last)  # the older version, when the office decided to keep it
        device, uid = split_global_id(gid)
        if device == me:  # a record made at this office
            pk = int(uid.partition("-")[2])
            return pk if MODELS[kind].objects.filter(pk=pk).exists() else None
        return None

    return resolve


def _merge(opened: sync_bundle.Bundle, device: Device, records: list[dict[str, Any]],
           entries: list[custody.CustodyEntry], actor: AbstractBaseUser,
           sealed_sha: str, accepting: Acceptance | None = None) -> ReceiveResult:
    from dhakira.apps.fieldkit.records import uid_of
    from dhakira.apps.search.services import index_report

    m = opened.manifest
    name = actor.get_username()
    me = keys.signer().key_id
    bundle_row = Received.objects.create(sealed_sha256=sealed_sha, device=device, seq=m.seq,
                                         made_at=m.made_at, received_at=datetime.now(UTC),
                                         outcome="merged", records=len(records))
    made: dict[tuple[str, str], int] = {}
    resolve = _resolver(me, made)
    merged: dict[str, int] = defaultdict(int)
    held, conflicts, planned = 0, 0, []
    if accepting is not None:  # first in the chain: why a revoked kit's bundle was merged
        QuarantineReview.objects.create(bundle=accepting.held, choice="accepted",
                                        reason=accepting.reason, decided_by=accepting.actor,
                                        decided_at=datetime.now(UTC), merged=bundle_row)
        planned.append(store.Planned(actor=accepting.actor, action="decision",
                                     subject=f"bundle:{sealed_sha[:16]}", subject_hash=sealed_sha,
                                     detail={"quarantine": "accepted",
                                             "reason": accepting.reason[:500],
                                             "device": device.key_id, "bundle": m.seq,
                                             "made_at": m.made_at}))
    unheld: set[str] = set()  # a source's protected value the office did not take
    people: list[tuple[int, dict[str, Any]]] = []
    origin = f"field kit {device.label} ({device.key_id}), bundle {m.seq}"
    for rec in sorted(records, key=lambda r: KINDS.index(r["kind"])):
        kind, gid, digest = rec["kind"], rec["gid"], rec["hash"]
        versions = list(Origin.objects.filter(gid=gid).order_by("version"))
        same = [v for v in versions if v.content_hash == digest]
        if same:
            held += 1
            if kind == "source" and same[0].conflict and not same[0].reviewed:
                unheld.add(gid)
            continue
        conflict = bool(versions) and versions[-1].content_hash not in rec["seen"]
        blob = opened.files.get(f"blobs/{rec['fields']['sha256']}") if kind == "evidence" else None
        row, differed = create(kind, rec["fields"], resolve=resolve, blob=blob, actor=actor,
                               origin=origin)
        conflict = conflict or differed
        if differed:
            unheld.add(gid)  # the kit keeps its value until someone reviews the two
        made[(kind, gid)] = row.pk
        Origin.objects.create(gid=gid, version=len(versions) + 1, kind=kind, local_pk=row.pk,
                              content_hash=digest, base_hash=versions[-1].content_hash
                              if versions else "", device=device, bundle=bundle_row,
                              conflict=conflict)
        if kind == "person":
            people.append((row.pk, rec["fields"]))
        if kind == "report":
            index_report(row)  # type: ignore[arg-type]
        merged[kind] += 1
        conflicts += conflict
        planned.append(store.Planned(actor=name, action="new_version",
                                     subject=uid_of(kind, row.pk), subject_hash=digest,
                                     detail={"gid": gid, "version": len(versions) + 1,
                                             "device": device.key_id, "bundle": m.seq,
                                             "conflict": conflict}))
    from dhakira.apps.dossier.models import Person

    for pk, fields in people:
        link_names(Person.objects.get(pk=pk), fields, resolve)
    DeviceEntry.objects.bulk_create([DeviceEntry(device=device, seq=e.seq, data=custody.to_dict(e))
                                     for e in entries])
    head = DeviceEntry.objects.filter(device=device).order_by("-seq").first()
    head_seq, head_hash = (head.seq, head.data["entry_hash"]) if head else (0, "")
    _stall_for_tests()
    planned.append(store.Planned(actor=name, action="other", subject=f"device:{device.key_id}",
                                 subject_hash=head_hash or None,
                                 detail={"bundle": m.seq, "device_head_seq": head_seq,
                                         "device": device.label, "records": len(records)}))
    store.record_many(planned)
    ack = {"bundle_seq": m.seq, "custody_seq": head_seq,
           "records": sorted([r["gid"], r["hash"]] for r in records if r["gid"] not in unheld)}
    Received.objects.filter(pk=bundle_row.pk).update(ack=ack)
    Device.objects.filter(pk=device.pk).update(last_seq=m.seq, ack_seq=m.seq)
    device.refresh_from_db()
    return ReceiveResult(device.label, m.seq, dict(merged), held, conflicts, len(entries),
                         ack_bundle(device))


def _stall_for_tests() -> None:
    """The crash tests' moment: every record written, nothing committed. Only in the test
    suite (DHAKIRA_TESTING=1) and only when asked, a marker file is written and the merge
    waits there to be killed."""
    import os
    import time

    from dhakira.core.vault.keyslots import TESTING_ENV

    marker = os.environ.get(STALL_ENV)
    if marker and os.environ.get(TESTING_ENV) == "1":
        Path(marker).write_text("merging\n")
        time.sleep(120)


def ack_bundle(device: Device) -> bytes:
    """The acknowledgement of the device's last merged bundle, signed and sealed to the kit
    (written again on demand: an acknowledgement lost on the way is simply made anew)."""
    last = Received.objects.filter(device=device, outcome="merged").order_by(
        "-seq").first()
    if last is None or last.ack is None:
        raise SyncError(f"nothing from {device.label} has been merged yet",
                        code="nothing_merged", params={"device": device.label})
    return sync_bundle.seal_bundle(kind="ack", signer=keys.signer(), receiver=device.key_id,
                                   recipient=device.recipient, seq=int(last.seq or 0),
                                   made_at=datetime.now(UTC),
                                   files={"ack.json": json.dumps(last.ack).encode()})


def ack_for(label: str) -> bytes:
    """The acknowledgement of a device's last merged bundle, by its name or key id."""
    return ack_bundle(_device(label))


@dataclass(frozen=True)
class DeviceChain:
    label: str
    key_id: str
    entries: int
    problems: tuple[str, ...]


def verify_devices(office_entries: list[custody.CustodyEntry]) -> list[DeviceChain]:
    """Verify each device's custody chain under its enrolled key, and that every anchor the
    office signed names an entry of it (seq and hash)."""
    anchors: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for entry in office_entries:
        if entry.subject.startswith("device:") and "device_head_seq" in entry.detail:
            anchors[entry.subject[7:]].append((int(entry.detail["device_head_seq"]),
                                               str(entry.subject_hash or "")))
    out = []
    for device in Device.objects.order_by("label"):
        rows = [custody.from_dict(r.data) for r in DeviceEntry.objects.filter(device=device)]
        report = custody.verify_chain(rows, {device.key_id: bytes.fromhex(device.public_key)})
        problems = [f"seq {p.seq}: {p.kind}: {p.message}" for p in report.problems]
        hashes = {e.seq: e.entry_hash for e in rows}
        for seq, digest in anchors.get(device.key_id, []):
            if seq and hashes.get(seq) != digest:
                problems.append(f"the office anchored entry {seq} as {digest[:16]}…, "
                                "which the device chain does not hold")
        out.append(DeviceChain(device.label, device.key_id, len(rows), tuple(problems)))
    return out


def reference_bundle(label: str, *, actor: str) -> tuple[bytes, dict[str, int]]:
    """Reference data for a kit: places, units, recipients and the code names of sources no
    restricted report alone makes known, never a person, report or protected value; signed by
    the office and sealed to the kit."""
    from dhakira.apps.dossier.models import Place, Recipient, Source, Unit

    device = _device(label)
    if device.revoked_at is not None:
        raise SyncError(f"{device.label} is revoked; nothing is sent to it",
                        code="device_revoked", params={"device": device.label})
    data = {
        "places": [list(r) for r in Place.objects.order_by("pk").values_list(
            "name_en", "name_ar", "kind", "latitude", "longitude", "uncertainty_m")],
        "units": [list(r) for r in Unit.objects.order_by("pk").values_list(
            "name_en", "name_ar", "kind")],
        "recipients": [list(r) for r in Recipient.objects.order_by("pk").values_list(
            "code", "name_en", "name_ar", "kind", "public_key")],
        # The office does not know who uses the kit: only the sources any member may know
        # of (not the sender of a restricted e-mail, known only through that report).
        "sources": [list(r) for r in access.sources_readable_in(
            (), Source.objects.order_by("pk")).values_list("code_name", "kind", "reliability")],
    }
    with transaction.atomic():
        seq = device.reference_seq + 1
        Device.objects.filter(pk=device.pk).update(reference_seq=seq)
        counts = {k: len(v) for k, v in data.items()}
        store.record(actor=actor, action="export", subject=f"device:{device.key_id}",
                     detail={"reference": seq, **counts})
    sealed = sync_bundle.seal_bundle(kind="reference", signer=keys.signer(),
                                     receiver=device.key_id, recipient=device.recipient, seq=seq,
                                     made_at=datetime.now(UTC),
                                     files={"reference.json": json.dumps(data).encode()})
    return sealed, counts
