"""`dhakira verify`: the custody chain, every blob, and every item against its intake entry.

Nothing is trusted: the chain is re-hashed and its signatures checked with the
installation's public key; every blob is decrypted and re-hashed; every item's hash and
size are compared with what was signed at intake; every blob referenced must exist and
no unreferenced blob may. Each problem names the item uid and/or ledger seq.

Another process may write while this runs (the server, an ingest): what it commits meanwhile
is never a problem. Items are read before the ledger (an item's intake entry commits with
it), the blob folder is listed before the references are read again, and a blob no row names
yet counts only once it is older than :data:`GRACE_SECONDS` (a writer stores a batch's blobs
before the rows naming them commit). Until then it is reported as ``unclaimed``; after an
interrupted write, :func:`repair` removes such blobs and partial files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dhakira.apps.custody import store
from dhakira.apps.evidence.intake import blob_store
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem, pk_for, uid_for
from dhakira.core import custody
from dhakira.core.custody._canonical import parse_timestamp
from dhakira.core.ids import DERIVED
from dhakira.core.vault.blobs import Leftover
from dhakira.core.vault.errors import BlobIntegrityError, BlobNotFound

__all__ = ["GRACE_SECONDS", "IntegrityProblem", "IntegrityReport", "RepairReport", "repair",
           "verify_vault"]

# How long a blob may wait for the row naming it. A batch stores its blobs (up to 500 files
# or 256 MiB) before its rows commit: minutes at most, so an hour leaves a wide margin.
GRACE_SECONDS = 3600.0


@dataclass(frozen=True)
class IntegrityProblem:
    """One mismatch: what kind, a sentence, and where (item uid and/or ledger seq).

    ``code`` and ``params`` say it again in the reader's language (the command line's
    ``problem_text``); ``kind`` and ``message`` are the English words.
    """

    kind: str
    message: str
    item: str | None = None
    seq: int | None = None
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        where = " ".join(x for x in (self.item, f"seq {self.seq}" if self.seq else None) if x)
        return f"{self.kind}: {where}: {self.message}" if where else f"{self.kind}: {self.message}"


@dataclass(frozen=True)
class IntegrityReport:
    problems: tuple[IntegrityProblem, ...]
    entries: int
    items: int
    blobs: int
    bytes_checked: int
    unclaimed: int = 0  # blobs no row names yet, younger than the grace period
    devices: tuple[tuple[str, str, int], ...] = ()  # field kits' chains: (name, key id, entries)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_vault(*, grace: float = GRACE_SECONDS) -> IntegrityReport:
    """Check the whole vault; return every problem found (never stops at the first).

    Args:
        grace: seconds a blob no row names may wait for its row before it is a problem.
    """
    # Items first: any item seen has its intake entry committed, so the ledger read next
    # holds it; an entry read for an item committed after the items is looked up again.
    items = list(EvidenceItem.objects.order_by("pk").values_list(*_ITEM_FIELDS)
                 .iterator(chunk_size=2000))
    from dhakira.apps.handover import log as disclosures  # the disclosure log's owner

    packages = disclosures.logged()  # before the ledger too: a package commits with its entry
    entries = list(store.entries())
    chain = custody.verify_chain(entries, store.public_keys())
    problems = [IntegrityProblem(f"ledger {p.kind}", p.message, seq=p.seq, code=p.code,
                                 params=p.params) for p in chain.problems]
    from dhakira.apps.fieldkit.office import (
        verify_devices,  # field kits' chains, each under its key
    )

    devices = verify_devices(entries)
    problems += [IntegrityProblem("device ledger", f"{d.label} ({d.key_id}): {p}")
                 for d in devices for p in d.problems]
    problems += _check_items(items, entries)
    problems += _check_derived(entries)
    problems += _check_public_key()
    problems += [IntegrityProblem(
        "missing entry" if code == "missing_export_entry" else "disclosure altered",
        "the disclosure log lists this package, whose export entry is not in the custody "
        "ledger (entries removed?)" if code == "missing_export_entry" else
        "the disclosure log's manifest hash is not the one its export entry signed",
        item=package, code=code) for package, code in disclosures.not_in_ledger(entries, packages)]
    blob_problems, blobs, size, unclaimed = _check_blobs(grace)
    problems += blob_problems
    return IntegrityReport(tuple(problems), len(entries), len(items), blobs, size, unclaimed,
                           tuple((d.label, d.key_id, d.entries) for d in devices))


# An item's row as read for the check, and what its intake entry signed of each field (a
# field an older entry does not sign is not compared).
_ITEM_FIELDS = ("pk", "sha256", "size", "collector", "collected_at", "mime", "method", "tool",
                "parent_id", "relationship", "duplicate_of_id", "compartment")


def _as_signed(row: tuple[Any, ...]) -> dict[str, object]:
    item = dict(zip(_ITEM_FIELDS, row, strict=True))
    return {"actor": item["collector"], "timestamp": item["collected_at"],
            "mime": item["mime"], "method": item["method"][:200], "tool": item["tool"][:200],
            "parent": uid_for(item["parent_id"]) if item["parent_id"] else None,
            "relationship": item["relationship"] or None,
            "duplicate_of": uid_for(item["duplicate_of_id"]) if item["duplicate_of_id"] else None,
            "compartment": item["compartment"]}


def _record_problems(uid: str, row: tuple[Any, ...],
                     entry: custody.CustodyEntry) -> list[IntegrityProblem]:
    """Where the item's collection record no longer says what its intake entry signed: who
    collected it, when, how, its type, family and compartment (an edit in the database)."""
    signed: dict[str, object] = {"actor": entry.actor, "timestamp": parse_timestamp(
        entry.timestamp), **{k: entry.detail[k] for k in ("mime", "method", "tool", "parent",
                                                           "relationship", "duplicate_of",
                                                           "compartment") if k in entry.detail}}
    held = _as_signed(row)
    return [IntegrityProblem(
        "record altered", f"the item's {name} is {held[name]!r}, the intake entry signed "
        f"{value!r}", item=uid, seq=entry.seq, code="item_record_mismatch",
        params={"field": name, "held": str(held[name]), "signed": str(value)})
        for name, value in signed.items() if held[name] != value]


def _check_derived(entries: list[custody.CustodyEntry]) -> list[IntegrityProblem]:
    """Every derived copy a derive entry names is there, holding what was signed (its text's
    or its file's SHA-256, its kind, who made it); copies of a purged item are gone with it."""
    purged = {e.subject for e in entries if e.action == "purge" and e.detail.get("gid")}
    signed = {str(e.detail["copy"]): e for e in entries
              if e.action == "derive" and e.detail.get("copy") and e.subject not in purged}
    if not signed:
        return []
    held = {DERIVED.format(pk): (blob or _sha256(text), kind, by) for pk, blob, text, kind, by in
            DerivedCopy.objects.values_list("pk", "blob_sha256", "text", "kind", "created_by")
            .iterator(chunk_size=500)}
    problems = []
    for copy, entry in signed.items():
        found = held.get(copy)
        if found is None:
            problems.append(IntegrityProblem(
                "missing copy", "a derive entry names a derived copy that is not in the vault",
                item=copy, seq=entry.seq, code="missing_copy"))
        elif found != (entry.subject_hash, entry.detail.get("kind"), entry.actor):
            problems.append(IntegrityProblem(
                "copy altered", "the derived copy does not hold what its derive entry signed "
                "(its text or file, kind or maker)", item=copy, seq=entry.seq,
                code="copy_altered"))
    return problems


def _check_public_key() -> list[IntegrityProblem]:
    """``signing.pub``, which third parties are given to check the chain and packages, is the
    public half of the key the vault signs with (an edited one made them check nothing)."""
    from django.conf import settings

    from dhakira.core.vault import signing

    try:
        held = signing.public_key_bytes(settings.VAULT_DIR)
    except (OSError, ValueError, TypeError):
        held = b""
    if held == store.signer().public_key_bytes():
        return []
    return [IntegrityProblem("signing key file", f"{signing.PUBLIC_FILE} is not the public half "
                             "of the key the vault signs with; third parties given it would "
                             "check nothing", code="public_key_mismatch",
                             params={"file": signing.PUBLIC_FILE})]


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_items(items: list[tuple[Any, ...]],
                 entries: list[custody.CustodyEntry]) -> list[IntegrityProblem]:
    intakes: dict[str, list[custody.CustodyEntry]] = defaultdict(list)
    purged = set()  # a field kit deletes what the office acknowledged, with a purge entry
    for entry in entries:
        if entry.action == "intake":
            intakes[entry.subject].append(entry)
        elif entry.action == "purge" and entry.detail.get("gid"):
            purged.add(entry.subject)
    problems = []
    seen = set()
    for row in items:
        pk, sha256, size = row[:3]
        uid = uid_for(pk)
        seen.add(uid)
        found = intakes.get(uid)
        if not found:
            problems.append(IntegrityProblem("no intake entry", "the item has no intake entry "
                                             "in the custody ledger", item=uid,
                                             code="no_intake_entry"))
            continue
        entry = found[0]
        if entry.subject_hash != sha256:
            problems.append(IntegrityProblem(
                "hash mismatch", f"the item says sha256 {sha256[:16]}…, the intake entry "
                f"signed {str(entry.subject_hash)[:16]}…", item=uid, seq=entry.seq,
                code="item_hash_mismatch", params={"held": sha256[:16],
                                                   "signed": str(entry.subject_hash)[:16]}))
        if entry.detail.get("size") != size:
            problems.append(IntegrityProblem(
                "size mismatch", f"the item says {size} bytes, the intake entry signed "
                f"{entry.detail.get('size')}", item=uid, seq=entry.seq,
                code="item_size_mismatch", params={"held": size,
                                                   "signed": entry.detail.get("size")}))
        problems += _record_problems(uid, row, entry)
    unseen = {subject: pk_for(subject) for subject in intakes if subject not in seen}
    # Items committed since they were read are there now.
    now_held = set(EvidenceItem.objects.filter(pk__in=[k for k in unseen.values() if k])
                   .values_list("pk", flat=True))
    for subject, key in unseen.items():
        found = intakes[subject]
        if key is not None and key not in now_held and subject not in purged:
            problems.append(IntegrityProblem("missing item", "an intake entry names an item "
                                             "that is not in the vault", item=subject,
                                             seq=found[0].seq, code="missing_item"))
    return problems


def _check_blobs(grace: float) -> tuple[list[IntegrityProblem], int, int, int]:
    blobs = blob_store()
    users: dict[str, list[str]] = defaultdict(list)
    for pk, sha256 in EvidenceItem.objects.values_list("pk", "sha256").iterator():
        users[sha256].append(uid_for(pk))
    for pk, sha256 in DerivedCopy.objects.exclude(blob_sha256="").values_list("pk", "blob_sha256"):
        users[sha256].append(DERIVED.format(pk))
    problems = []
    size = 0
    expected_names = set()
    for sha256, uids in sorted(users.items()):
        try:
            expected_names.add(blobs.blob_name(sha256))
            for chunk in blobs.open_stream(sha256):
                size += len(chunk)
        except BlobNotFound:
            problems.append(IntegrityProblem("missing blob", "the encrypted original is gone",
                                             item=", ".join(uids), code="missing_blob"))
        except (BlobIntegrityError, ValueError):
            problems.append(IntegrityProblem(
                "blob altered", "the encrypted original fails authentication (altered, "
                "truncated or swapped)", item=", ".join(uids), code="blob_altered"))
    # Listed before the references are read again: a blob whose row commits meanwhile is
    # referenced, one stored since is young.
    listed = blobs.unreferenced(expected_names)
    referenced = _referenced_names() if listed else set()
    unclaimed = 0
    for left in listed:
        if left.name in referenced:
            continue
        if left.age < grace:
            unclaimed += 1
            continue
        problems.append(IntegrityProblem("unreferenced blob", f"blob file {left.name} belongs "
                                         "to no item (left by an interrupted write? "
                                         "dhakira repair removes it)",
                                         code="unreferenced_blob", params={"name": left.name}))
    return problems, len(users), size, unclaimed


def _referenced_names() -> set[str]:
    """The keyed file names of every blob a row names, read now."""
    blobs = blob_store()
    shas = set(EvidenceItem.objects.values_list("sha256", flat=True).iterator(chunk_size=5000))
    shas |= set(DerivedCopy.objects.exclude(blob_sha256="").values_list("blob_sha256", flat=True))
    return {blobs.blob_name(sha256) for sha256 in shas}


@dataclass(frozen=True)
class RepairReport:
    """What :func:`repair` removed (or, in a dry run, would remove)."""

    removed: tuple[Leftover, ...]
    kept_young: int  # leftovers younger than the grace period, left alone
    dry_run: bool

    @property
    def blobs(self) -> tuple[Leftover, ...]:
        return tuple(left for left in self.removed if not left.partial)

    @property
    def partial(self) -> tuple[Leftover, ...]:
        return tuple(left for left in self.removed if left.partial)


def repair(*, actor: str, older_than: float = GRACE_SECONDS, dry_run: bool = False,
           now: datetime | None = None) -> RepairReport:
    """Remove what interrupted writes left: blobs no row names and partial (``.tmp-*.part``)
    files, each not written for ``older_than`` seconds; log a custody entry (``other``, step ``repair``).

    Safe while others write, given a grace period longer than a batch takes: a blob a writer
    reuses is touched first and stays. With ``older_than=0``, only when nothing else writes.

    Args:
        actor: who ran it (the custody entry names them).
        older_than: seconds a leftover must have been left alone.
        dry_run: list what would be removed; remove nothing and log nothing.
    """
    blobs = blob_store()
    everything = blobs.leftovers(set(), older_than=float("-inf"))  # listed first
    referenced = _referenced_names()
    candidates = [left for left in everything if left.partial or left.name not in referenced]
    old = [left for left in candidates if left.age >= older_than]
    young = len(candidates) - len(old)
    if dry_run:
        return RepairReport(tuple(old), young, dry_run=True)
    removed = tuple(left for left in old if blobs.remove_leftover(left, older_than=older_than))
    if removed:
        store.record(actor=actor, action="other", subject="vault", detail={
            "step": "repair", "blobs_removed": sum(not left.partial for left in removed),
            # Keyed names: they say which files went, not what was in them.
            "blob_names": " ".join(sorted(left.name for left in removed if not left.partial)),
            "partial_files_removed": sum(left.partial for left in removed),
            "bytes": sum(left.size for left in removed),
            "older_than_seconds": int(older_than)}, now=now or datetime.now(UTC))
    return RepairReport(removed, young, dry_run=False)
