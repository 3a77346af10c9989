"""The field kit's side: become a kit, pack what the office lacks, purge what it holds.

A record is sent while the office has not acknowledged its current content; once an
acknowledgement names it (stable id and content hash), the kit deletes it, with its blobs,
and logs the purge in its custody chain. A record edited after it was packed keeps its row
and goes again, naming the versions it was edited from.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.fieldkit import keys
from dhakira.apps.fieldkit.models import KitState, Shipped
from dhakira.apps.fieldkit.records import MODELS, Outgoing, collect
from dhakira.core.sync import bundle as sync_bundle
from dhakira.core.sync.errors import BundleRefused, SyncError

__all__ = ["AckResult", "PackResult", "ReferenceResult", "become_kit", "pack", "receive", "state",
           "waiting"]


@dataclass(frozen=True)
class PackResult:
    sealed: bytes
    seq: int
    records: dict[str, int]
    blobs: int
    custody_entries: int


@dataclass(frozen=True)
class AckResult:
    seq: int
    purged: dict[str, int]
    kept: int


def state() -> KitState:
    """This kit's state.

    Raises:
        SyncError: this vault is not a field kit.
    """
    found = KitState.objects.first()
    if found is None:
        raise SyncError("this vault is not a field kit (made with `dhakira init --field-kit`)",
                        code="not_a_kit")
    return found


def become_kit(office: keys.Card, *, actor: str) -> str:
    """Make this (new) vault a field kit of ``office``, logged in custody; return a line that
    tells the user what to do next, in the active language."""
    from dhakira.core.handover import verify as verifier

    if KitState.objects.exists():
        raise SyncError("this vault is a field kit already", code="kit_already")
    me = keys.signer()
    if office.key_id == me.key_id:
        raise SyncError("--hq is this vault's own card", code="hq_own_card")
    with transaction.atomic():
        KitState.objects.create(office_key_id=office.key_id,
                                office_public_key=office.public_key.hex(),
                                office_recipient=office.recipient)
        store.record(actor=actor, action="other", subject=f"device:{me.key_id}",
                     detail={"field_kit_of": office.key_id})
    return gettext("It is a field kit of office %(office)s; device key id %(device)s, "
                   "fingerprint %(fingerprint)s. Write its card with `dhakira device export` "
                   "and have the office enrol it.") % {
        "office": office.key_id, "device": me.key_id,
        "fingerprint": verifier.fingerprint(me.public_key_bytes())}


def _shipped_hashes() -> dict[tuple[str, int], set[str]]:
    """Every content each record was packed with: the versions its next edit is made from."""
    out: dict[tuple[str, int], set[str]] = defaultdict(set)
    for kind, pk, digest in Shipped.objects.values_list("kind", "local_pk", "content_hash"):
        out[(kind, pk)].add(digest)
    return out


def pack(*, actor: str, now: datetime | None = None) -> PackResult:
    """Seal one bundle of every record the office has not acknowledged, and the kit's custody
    entries after the last acknowledged one. Logged in custody before the entries are read."""
    kit = state()
    now = now or datetime.now(UTC)
    signer = keys.signer()
    shipped = _shipped_hashes()
    acked = {(k, pk, h) for k, pk, h in Shipped.objects.filter(bundle_seq__lte=kit.acked_seq)
             .values_list("kind", "local_pk", "content_hash")}
    out: list[dict[str, Any]] = []
    blobs: dict[str, bytes] = {}
    counts: dict[str, int] = defaultdict(int)
    rows: list[Shipped] = []
    from dhakira.apps.evidence.intake import blob_store

    store_ = blob_store()
    with transaction.atomic():
        seq = kit.next_seq
        KitState.objects.filter(pk=kit.pk).update(next_seq=seq + 1)
        store.record(actor=actor, action="export", subject=f"sync:{seq}",
                     detail={"to": kit.office_key_id, "kind": "pack"})
        for rec in collect(signer.key_id):
            digest = rec.content_hash
            if (rec.kind, rec.pk, digest) in acked:
                continue  # the office holds this content already
            seen = sorted(shipped.get((rec.kind, rec.pk), set()) - {digest})
            out.append({"kind": rec.kind, "gid": rec.gid, "hash": digest, "seen": seen,
                        "fields": rec.fields})
            counts[rec.kind] += 1
            rows.append(Shipped(kind=rec.kind, local_pk=rec.pk, gid=rec.gid,
                                content_hash=digest, bundle_seq=seq))
            if rec.blob and rec.blob not in blobs:
                blobs[rec.blob] = _read_blob(store_, rec.blob)
        Shipped.objects.bulk_create(rows)
        entries = [store.as_entry(row) for row in
                   LedgerEntry.objects.filter(seq__gt=kit.acked_custody_seq).order_by("seq")]
    from dhakira.core import custody

    files = {"records.json": _dump(out),
             "custody.json": _dump([custody.to_dict(e) for e in entries])}
    files.update({f"blobs/{sha}": data for sha, data in blobs.items()})
    sealed = sync_bundle.seal_bundle(kind="pack", signer=signer, receiver=kit.office_key_id,
                                     recipient=kit.office_recipient, seq=seq, made_at=now,
                                     files=files, meta={"acked_seq": kit.acked_seq})
    return PackResult(sealed, seq, dict(counts), len(blobs), len(entries))


def _read_blob(blob_store: Any, sha256: str) -> bytes:
    import io

    buf = io.BytesIO()
    blob_store.read_to(sha256, buf)
    return buf.getvalue()


def _dump(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def receive(sealed: bytes, *, actor: str) -> AckResult | ReferenceResult:
    """Verify a bundle from the office: an acknowledgement (purge) or reference data."""
    kit = state()
    signer = keys.signer()
    office_key = bytes.fromhex(kit.office_public_key)
    opened = sync_bundle.open_bundle(
        sealed, identity=keys.identity(), receiver=signer.key_id,
        public_key_of=lambda key_id: office_key if key_id == kit.office_key_id else None)
    if opened.manifest.kind == "reference":
        return _take_reference(kit, opened, actor=actor)
    if opened.manifest.kind != "ack":
        raise BundleRefused("wrong_kind", "this is a kit's bundle; receive it at the office",
                             code="bundle_is_kits")
    return _purge(kit, signer, opened, actor=actor)


@dataclass(frozen=True)
class ReferenceResult:
    seq: int
    added: dict[str, int]


def _take_reference(kit: KitState, opened: sync_bundle.Bundle, *, actor: str) -> ReferenceResult:
    """Add the places, units, recipients and source code names the kit lacks (never changes
    or removes one it has)."""
    from dhakira.apps.dossier.models import Place, Recipient, Source, Unit

    seq = opened.manifest.seq
    if seq <= kit.reference_seq:
        raise BundleRefused("replay", f"reference bundle {seq} is not newer than "
                            f"{kit.reference_seq}, the last one taken",
                             code="reference_replayed",
                             params={"seq": seq, "last": kit.reference_seq})
    try:
        data = json.loads(opened.files["reference.json"])
        added = {"places": 0, "units": 0, "recipients": 0, "sources": 0}
        with transaction.atomic():
            for en, ar, kind, lat, lon, unc in data["places"]:
                if not Place.objects.filter(name_en=en, name_ar=ar).exists():
                    Place.objects.create(name_en=en, name_ar=ar, kind=kind, latitude=lat,
                                         longitude=lon, uncertainty_m=unc)
                    added["places"] += 1
            for en, ar, kind in data["units"]:
                if not Unit.objects.filter(name_en=en).exists():
                    Unit.objects.create(name_en=en, name_ar=ar, kind=kind)
                    added["units"] += 1
            for code, en, ar, kind, key in data["recipients"]:
                if not Recipient.objects.filter(code=code).exists():
                    Recipient.objects.create(code=code, name_en=en, name_ar=ar, kind=kind,
                                             public_key=key)
                    added["recipients"] += 1
            for code, kind, reliability in data["sources"]:
                if not Source.objects.filter(code_name__iexact=code).exists():
                    Source.objects.create(code_name=code, kind=kind, reliability=reliability)
                    added["sources"] += 1
            KitState.objects.filter(pk=kit.pk).update(reference_seq=seq)
            store.record(actor=actor, action="other", subject=f"sync:reference:{seq}",
                         detail={"from": kit.office_key_id, **added})
    except (KeyError, ValueError, TypeError):
        raise BundleRefused("malformed", "its reference data cannot be read",
                             code="bundle_bad_reference") from None
    return ReferenceResult(seq, added)


def _purge(kit: KitState, signer: Any, opened: sync_bundle.Bundle, *, actor: str) -> AckResult:
    """Purge every record an acknowledgement names, as it was acknowledged (a record edited
    since is kept and sent again)."""
    try:
        doc = json.loads(opened.files["ack.json"])
        acked_seq, custody_seq = int(doc["bundle_seq"]), int(doc["custody_seq"])
        held = {(str(g), str(h)) for g, h in doc["records"]}
    except (KeyError, ValueError, TypeError):
        raise BundleRefused("malformed", "its acknowledgement cannot be read",
                             code="bundle_bad_ack") from None
    if acked_seq <= kit.acked_seq or acked_seq >= kit.next_seq:
        raise BundleRefused("replay", f"it acknowledges bundle {acked_seq}; this kit has "
                            f"acknowledgements up to {kit.acked_seq} and packed up to "
                            f"{kit.next_seq - 1}", code="ack_replayed",
                             params={"seq": acked_seq, "acked": kit.acked_seq,
                                     "packed": kit.next_seq - 1})
    purged: dict[str, int] = defaultdict(int)
    kept = 0
    from dhakira.apps.evidence.intake import blob_store

    store_ = blob_store()
    doomed_blobs: set[str] = set()
    with transaction.atomic():
        KitState.objects.filter(pk=kit.pk).update(acked_seq=acked_seq,
                                                  acked_custody_seq=max(custody_seq,
                                                                        kit.acked_custody_seq))
        store.record(actor=actor, action="other", subject=f"sync:{acked_seq}",
                     detail={"acknowledged_by": kit.office_key_id, "records": len(held)})
        current = {(r.kind, r.pk): r for r in collect(signer.key_id)}
        # Evidence first, then what refers to people, then people, reports and events; of a
        # source only its protected values go (its code name stays, as reference data).
        for kind in ("evidence", "consent", "act", "person", "report", "event", "source"):
            for (k, pk), rec in sorted(current.items(), key=lambda x: -x[0][1]):
                if k != kind or (rec.gid, rec.content_hash) not in held:
                    continue
                if _delete(rec, doomed_blobs):
                    purged[kind] += 1
                    store.record(actor=actor, action="purge", subject=_uid(rec),
                                 detail={"reason": "held by the office", "gid": rec.gid})
                    Shipped.objects.filter(kind=kind, local_pk=pk).delete()
                else:
                    kept += 1
        _held_as_kept(current, held, acked_seq, signer.key_id)
    from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem

    for sha in doomed_blobs:
        still = EvidenceItem.objects.filter(sha256=sha).exists() or \
            DerivedCopy.objects.filter(blob_sha256=sha).exists()
        if not still and store_.exists(sha):
            store_.delete(sha)
    from dhakira.apps.protection.purge import reclaim

    reclaim()
    return AckResult(acked_seq, dict(purged), kept)


def _held_as_kept(before: dict[tuple[str, int], Outgoing], held: set[tuple[str, str]],
                  acked_seq: int, key_id: str) -> None:
    """A record the office holds but the kit had to keep (a later file of the kit is a
    duplicate of its evidence) has lost its links to what was purged: that is no edit of it,
    and sending it again made the office keep an empty copy as its latest version. Its content
    now is marked as held, so it is not packed again unless it is edited."""
    after = {(r.kind, r.pk): r for r in collect(key_id)}
    Shipped.objects.bulk_create([
        Shipped(kind=r.kind, local_pk=r.pk, gid=r.gid, content_hash=r.content_hash,
                bundle_seq=acked_seq)
        for key, r in after.items()
        if key in before and (before[key].gid, before[key].content_hash) in held
        and r.content_hash != before[key].content_hash])


def _uid(rec: Outgoing) -> str:
    return rec.gid.partition("/")[2]


def _delete(rec: Outgoing, doomed_blobs: set[str]) -> bool:
    """Delete one record's row (and an original's family); False if something still needs it."""
    from dhakira.apps.dossier.models import ProtectedValue

    model = MODELS[rec.kind]
    try:
        with transaction.atomic():
            if rec.kind == "evidence":
                _delete_item(rec.pk, doomed_blobs)
            elif rec.kind == "source":
                ProtectedValue.objects.filter(owner=_uid(rec)).delete()
            else:
                if rec.kind == "person":
                    ProtectedValue.objects.filter(owner=_uid(rec)).delete()
                model.objects.filter(pk=rec.pk).delete()
    except ProtectedError:
        return False
    return True


def _delete_item(pk: int, doomed_blobs: set[str]) -> None:
    from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem

    for child in EvidenceItem.objects.filter(parent_id=pk).values_list("pk", flat=True):
        _delete_item(child, doomed_blobs)
    item = EvidenceItem.objects.get(pk=pk)
    doomed_blobs.add(item.sha256)
    for derived in DerivedCopy.objects.filter(original_id=pk):
        if derived.blob_sha256:
            doomed_blobs.add(derived.blob_sha256)
        derived.delete()
    item.delete()



def waiting() -> int | None:
    """How many records wait to reach the office (None: this vault is not a kit).

    Reads every record the kit holds; a kit holds only what the office lacks, so this stays
    small.
    """
    kit = KitState.objects.first()
    if kit is None:
        return None
    acked = {(k, pk, h) for k, pk, h in Shipped.objects.filter(bundle_seq__lte=kit.acked_seq)
             .values_list("kind", "local_pk", "content_hash")}
    return sum((r.kind, r.pk, r.content_hash) not in acked for r in collect(keys.signer().key_id))
