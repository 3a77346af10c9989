"""The office's review of quarantined bundles: what a revoked kit sent after its revocation time.

`dhakira sync receive` keeps such a bundle sealed in the vault's ``quarantine/`` folder and
refuses it (``revoked``). Here the office looks at what is held and decides:

* :func:`held` lists them (device, when made and received, size, why);
* :func:`contents` opens one in memory (the file stays sealed on disk) and says what it
  holds by counts, kinds and stable ids; never a field's value, never a protected value;
* :func:`accept` merges it through :func:`dhakira.apps.fieldkit.office.receive`, the same code
  path as any receive, minus the revocation check only: a replayed, altered or misaddressed
  bundle is still refused. The decision and its custody entry are part of the merge's
  transaction;
* :func:`reject` keeps the file and marks it rejected, with a custody entry.

Both decisions need a reason and a user who may write (the roles that decide conflicts).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier import access
from dhakira.apps.fieldkit import keys, office
from dhakira.apps.fieldkit.models import Device, Origin, QuarantineReview, Received
from dhakira.core.custody._canonical import parse_timestamp
from dhakira.core.sync import bundle as sync_bundle
from dhakira.core.sync.errors import BundleRefused, SyncError

__all__ = ["Contents", "Held", "RecordLine", "accept", "contents", "get", "held", "reject",
           "waiting"]

QUARANTINED = Received.Outcome.QUARANTINED
REASON_MAX = 500  # what the custody entry keeps of a reason


@dataclass(frozen=True)
class Held:
    """One bundle in quarantine, as the office knows it without opening it."""

    pk: int
    device: str  # the device's name at the office
    key_id: str
    seq: int | None
    made_at: str  # as the bundle states it (signed by the kit's key)
    received_at: datetime
    revoked_at: datetime | None
    reason: str  # the refusal's kind: always ``revoked`` today
    size: int | None  # bytes of the sealed file; None when the file is missing
    sealed_sha256: str
    review: QuarantineReview | None

    @property
    def uid(self) -> str:
        """How the CLI and the page name it: ``Q-`` and the receipt's number."""
        return f"Q-{self.pk:06d}"

    @property
    def made_at_shown(self) -> str:
        """When the bundle says it was made, to the second in UTC as the page writes times
        (the stated value itself when it is not a time)."""
        when = parse_timestamp(self.made_at)
        return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if when else self.made_at


@dataclass(frozen=True)
class RecordLine:
    """One record of a quarantined bundle: its kind, stable id and what the office holds of it."""

    kind: str
    gid: str
    status: str  # new, new_version (the office holds another version), held (the same)


@dataclass(frozen=True)
class Contents:
    """What a quarantined bundle holds, by counts and ids (no field values)."""

    held: Held
    counts: dict[str, int]
    records: tuple[RecordLine, ...]  # the ones the reader may know of
    hidden: int  # records in compartments the reader is not cleared for (not listed)
    protected_values: int  # how many protected values the records carry (never shown)
    files: int
    file_bytes: int
    custody_entries: int  # the kit's custody entries the office does not hold yet
    would_refuse: str  # why accepting would be refused now ('' when it would merge)
    would_refuse_kind: str  # the refusal's kind, e.g. ``replay`` ('' when it would merge)


def _row(received: Received, device: Device | None, review: QuarantineReview | None) -> Held:
    path = office.quarantine_path(received.sealed_sha256)
    return Held(received.pk, device.label if device else "", device.key_id if device else "",
                received.seq, received.made_at, received.received_at,
                device.revoked_at if device else None, received.reason,
                path.stat().st_size if path.exists() else None, received.sealed_sha256, review)


def held(*, decided: bool = False) -> list[Held]:
    """Bundles waiting in quarantine, oldest first; with ``decided``, the decided ones too.

    A bundle offered twice is one entry (its first receipt); a bundle merged since (by a
    decision, or because its device's revocation time was moved) no longer waits.
    """
    merged = set(Received.objects.filter(outcome=Received.Outcome.MERGED)
                 .values_list("sealed_sha256", flat=True))
    reviews = {r.bundle.sealed_sha256: r for r in
               QuarantineReview.objects.select_related("bundle")}
    out, seen = [], set()
    for received in Received.objects.filter(outcome=QUARANTINED).select_related("device"):
        sha = received.sealed_sha256
        if sha in seen:
            continue
        seen.add(sha)
        review = reviews.get(sha)
        if review is None and sha in merged:
            continue
        if review is not None and not decided:
            continue
        out.append(_row(received, received.device, review))
    return out


def waiting() -> int:
    """How many quarantined bundles wait for a decision."""
    return len(held())


def get(pk: int) -> Held:
    """The quarantined bundle ``pk`` (a receipt's number, as ``Q-000012`` or ``12``), decided
    or not.

    Raises:
        SyncError: no bundle of that number is in quarantine.
    """
    received = Received.objects.filter(pk=pk, outcome=QUARANTINED).select_related(
        "device").first()
    if received is None:
        raise SyncError(f"no bundle Q-{pk:06d} in quarantine; see `dhakira sync quarantine list`")
    review = QuarantineReview.objects.filter(bundle__sealed_sha256=received.sealed_sha256).first()
    return _row(received, received.device, review)


def parse_id(text: str) -> int:
    """The receipt number in what someone typed: ``Q-000012``, ``q-12`` or ``12``.

    Raises:
        SyncError: not such an id.
    """
    rest = text.strip().upper().removeprefix("Q-")
    if not rest.isascii() or not rest.isdigit():
        raise SyncError(f"{text!r} is not a quarantine id like Q-000012")
    return int(rest)


def _sealed(item: Held) -> bytes:
    """The quarantined file's bytes, checked against the SHA-256 recorded when it came.

    Raises:
        BundleRefused: ``altered``: the file is missing or not the bundle received.
    """
    path = office.quarantine_path(item.sealed_sha256)
    if not path.exists():
        raise BundleRefused("altered", f"the quarantined file of {item.uid} is missing")
    sealed = path.read_bytes()
    if hashlib.sha256(sealed).hexdigest() != item.sealed_sha256:
        raise BundleRefused("altered", f"the quarantined file of {item.uid} is not the bundle "
                            "received: it changed on disk since")
    return sealed


def _may_know(user: AbstractBaseUser | AnonymousUser | None, compartment: str) -> bool:
    return not compartment or user is None or access.is_cleared(user, compartment)


def contents(pk: int, user: AbstractBaseUser | AnonymousUser | None = None) -> Contents:
    """Open the quarantined bundle ``pk`` in memory and say what it holds.

    Records of a report or evidence item in a compartment ``user`` is not cleared for are
    counted, not listed (``user`` None: the command line, whose operator holds the vault).

    Raises:
        SyncError: no such bundle; BundleRefused: the file is missing, changed, or does not
            open and verify (it is not opened further).
    """
    item = get(pk)
    sealed = _sealed(item)
    devices = {d.key_id: d for d in Device.objects.all()}
    opened = sync_bundle.open_bundle(
        sealed, identity=keys.identity(), receiver=keys.signer().key_id,
        public_key_of=lambda k: bytes.fromhex(devices[k].public_key) if k in devices else None)
    device = devices[opened.manifest.sender]
    try:
        records = json.loads(opened.files["records.json"])
        entries = json.loads(opened.files["custody.json"])
        kinds = [(str(r["kind"]), str(r["gid"]), str(r["hash"]), r.get("fields") or {})
                 for r in records]
    except (KeyError, ValueError, TypeError, AttributeError):
        raise BundleRefused("malformed", "its records cannot be read") from None
    lines, hidden, protected = [], 0, 0
    for kind, gid, digest, fields in kinds:
        protected += len(fields.get("protected") or []) if isinstance(fields, dict) else 0
        compartment = str(fields.get("compartment") or "") if isinstance(fields, dict) else ""
        if not _may_know(user, compartment):
            hidden += 1
            continue
        versions = set(Origin.objects.filter(gid=gid).values_list("content_hash", flat=True))
        status = "held" if digest in versions else "new_version" if versions else "new"
        lines.append(RecordLine(kind, gid, status))
    held_seqs = set(device.entries.values_list("seq", flat=True))
    fresh = sum(1 for e in entries if isinstance(e, dict) and e.get("seq") not in held_seqs)
    blobs = [(n, s) for n, _, s in opened.manifest.files if n.startswith("blobs/")]
    would, would_kind = "", ""
    try:
        office._admissible(opened, device, item.sealed_sha256, revocation=False)
    except BundleRefused as exc:
        would, would_kind = str(exc), exc.kind
    return Contents(item, dict(Counter(k for k, _, _, _ in kinds)), tuple(lines), hidden,
                    protected, len(blobs), sum(s for _, s in blobs), fresh, would, would_kind)


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise SyncError("give a reason: it is kept in the chain of custody")
    if len(text) > REASON_MAX:  # cut silently, the end of a reason was lost
        raise SyncError(f"the reason is longer than {REASON_MAX} characters; shorten it",
                        code="reason_too_long", params={"most": REASON_MAX})
    return text


def _pending(pk: int, actor: AbstractBaseUser) -> Held:
    if not access.can_write(actor):
        raise SyncError(f"{actor.get_username()} may not decide about quarantined bundles")
    item = get(pk)
    if item.review is not None:
        raise SyncError(f"{item.uid} was {item.review.choice} already, by "
                        f"{item.review.decided_by}")
    if Received.objects.filter(sealed_sha256=item.sealed_sha256,
                               outcome=Received.Outcome.MERGED).exists():
        raise SyncError(f"{item.uid} was merged already")
    return item


def accept(pk: int, *, reason: str, actor: AbstractBaseUser) -> office.ReceiveResult:
    """Merge the quarantined bundle ``pk`` as a normal receive would, recording who and why.

    Raises:
        SyncError: no reason, a user who may not write, no such bundle, decided already.
        BundleRefused: the file changed on disk, or the bundle is refused for a reason other
            than its device's revocation (replayed, altered, another office…); the refusal is
            in custody, nothing is merged, and the bundle still waits.
    """
    why = _reason(reason)
    item = _pending(pk, actor)
    try:
        sealed = _sealed(item)
    except BundleRefused as exc:
        device = Device.objects.filter(key_id=item.key_id).first()
        office._refused(item.sealed_sha256, exc, actor=actor.get_username(), device=device,
                        seq=item.seq, made_at=item.made_at)
        raise
    received = Received.objects.get(pk=item.pk)
    return office.receive(sealed, actor=actor, accepting=office.Acceptance(
        received, why, actor.get_username()))


def reject(pk: int, *, reason: str, actor: AbstractBaseUser) -> QuarantineReview:
    """Mark the quarantined bundle ``pk`` rejected: nothing merged, the sealed file kept, a
    custody entry naming who and why.

    Raises:
        SyncError: no reason, a user who may not write, no such bundle, decided already.
    """
    why = _reason(reason)
    with transaction.atomic():
        item = _pending(pk, actor)
        made = QuarantineReview.objects.create(
            bundle_id=item.pk, choice=QuarantineReview.Choice.REJECTED, reason=why,
            decided_by=actor.get_username(), decided_at=datetime.now(UTC))
        store.record(actor=actor.get_username(), action="decision",
                     subject=f"bundle:{item.sealed_sha256[:16]}", subject_hash=item.sealed_sha256,
                     detail={"quarantine": "rejected", "reason": why, "device": item.key_id,
                             "bundle": item.seq, "made_at": item.made_at})
    return made
