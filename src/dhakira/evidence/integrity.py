"""`dhakira verify`: the custody chain, every blob, and every item against its intake entry.

Nothing is trusted: the chain is re-hashed and its signatures checked with the
installation's public key; every blob is decrypted and re-hashed; every item's hash and
size are compared with what was signed at intake; every blob referenced must exist and
no unreferenced blob may. Each problem names the item uid and/or ledger seq.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dhakira import custody
from dhakira.evidence.intake import blob_store
from dhakira.evidence.models import DerivedCopy, EvidenceItem, pk_for, uid_for
from dhakira.ledger import store
from dhakira.vault.errors import BlobIntegrityError, BlobNotFound

__all__ = ["IntegrityProblem", "IntegrityReport", "verify_vault"]


@dataclass(frozen=True)
class IntegrityProblem:
    """One mismatch: what kind, a sentence, and where (item uid and/or ledger seq)."""

    kind: str
    message: str
    item: str | None = None
    seq: int | None = None

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

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_vault() -> IntegrityReport:
    """Check the whole vault; return every problem found (never stops at the first)."""
    entries = list(store.entries())
    chain = custody.verify_chain(entries, store.public_keys())
    problems = [IntegrityProblem(f"ledger {p.kind}", p.message, seq=p.seq)
                for p in chain.problems]
    problems += _check_items(entries)
    blob_problems, blobs, size = _check_blobs()
    problems += blob_problems
    return IntegrityReport(tuple(problems), len(entries), EvidenceItem.objects.count(), blobs,
                           size)


def _check_items(entries: list[custody.CustodyEntry]) -> list[IntegrityProblem]:
    intakes: dict[str, list[custody.CustodyEntry]] = defaultdict(list)
    for entry in entries:
        if entry.action == "intake":
            intakes[entry.subject].append(entry)
    problems = []
    items = EvidenceItem.objects.order_by("pk").values_list("pk", "sha256", "size")
    seen = set()
    for pk, sha256, size in items.iterator(chunk_size=2000):
        uid = uid_for(pk)
        seen.add(uid)
        found = intakes.get(uid)
        if not found:
            problems.append(IntegrityProblem("no intake entry", "the item has no intake entry "
                                             "in the custody ledger", item=uid))
            continue
        entry = found[0]
        if entry.subject_hash != sha256:
            problems.append(IntegrityProblem(
                "hash mismatch", f"the item says sha256 {sha256[:16]}…, the intake entry "
                f"signed {str(entry.subject_hash)[:16]}…", item=uid, seq=entry.seq))
        if entry.detail.get("size") != size:
            problems.append(IntegrityProblem(
                "size mismatch", f"the item says {size} bytes, the intake entry signed "
                f"{entry.detail.get('size')}", item=uid, seq=entry.seq))
    for subject, found in intakes.items():
        if subject not in seen and pk_for(subject) is not None:
            problems.append(IntegrityProblem("missing item", "an intake entry names an item "
                                             "that is not in the vault", item=subject,
                                             seq=found[0].seq))
    return problems


def _check_blobs() -> tuple[list[IntegrityProblem], int, int]:
    blobs = blob_store()
    users: dict[str, list[str]] = defaultdict(list)
    for pk, sha256 in EvidenceItem.objects.values_list("pk", "sha256").iterator():
        users[sha256].append(uid_for(pk))
    for pk, sha256 in DerivedCopy.objects.exclude(blob_sha256="").values_list("pk", "blob_sha256"):
        users[sha256].append(f"DC-{pk:06d}")
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
                                             item=", ".join(uids)))
        except (BlobIntegrityError, ValueError):
            problems.append(IntegrityProblem(
                "blob altered", "the encrypted original fails authentication (altered, "
                "truncated or swapped)", item=", ".join(uids)))
    for name in blobs.iter_names():
        if name not in expected_names:
            problems.append(IntegrityProblem("unreferenced blob", f"blob file {name} belongs "
                                             "to no item"))
    return problems, len(users), size
