"""Verify a custody chain and report every problem found, not only the first."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from dhakira.core.custody._canonical import GENESIS_HASH, parse_timestamp
from dhakira.core.custody.entry import CustodyEntry
from dhakira.core.custody.errors import ChainVerificationError, InvalidKeyError
from dhakira.core.custody.signing import key_id_for, load_public_key

__all__ = ["PROBLEM_KINDS", "ChainProblem", "ChainReport", "verify_chain"]

PROBLEM_KINDS = (
    "edited",  # entry_hash does not match the entry's content
    "bad_signature",  # the signature does not verify under the named key
    "unknown_key",  # signed by a key the verifier was not given
    "broken_link",  # prev_hash is not the previous entry's hash: deletion or insertion
    "gap",  # sequence numbers are missing
    "duplicate_seq",  # two entries claim the same sequence number
    "reordered",  # an entry comes after a later one, or its time goes back
    "truncated",  # the chain ends before the anchored head
    "head_mismatch",  # the entry at the anchored head's seq has another hash
    "malformed",  # a field cannot be read at all (bad seq, timestamp or hex)
)
DEFAULT_CLOCK_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class ChainProblem:
    """One problem, located by the sequence number of the entry where it shows.

    ``message`` is English (what a log keeps); ``code`` (the kind, or a finer word) and
    ``params`` let a shell say it in the reader's language (``dhakira.cli._words``).
    """

    seq: int
    kind: str
    message: str
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of :func:`verify_chain`.

    Attributes:
        problems: every problem found, ordered by seq.
        entries_checked: how many entries were read.
        head: (seq, entry_hash) of the highest-numbered entry, to anchor elsewhere.
    """

    problems: tuple[ChainProblem, ...]
    entries_checked: int
    head: tuple[int, str] | None

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def raise_if_problems(self) -> None:
        """Return None if the chain is sound.

        Raises:
            ChainVerificationError: listing the problems; ``.report`` holds this report.
        """
        if self.problems:
            raise ChainVerificationError(self)


def verify_chain(
    entries: Iterable[CustodyEntry],
    public_keys: Mapping[str, bytes],
    *,
    expected_head: tuple[int, str] | None = None,
    clock_tolerance: timedelta = DEFAULT_CLOCK_TOLERANCE,
) -> ChainReport:
    """Check hashes, signatures, links, order and (optionally) an anchored head.

    Args:
        entries: the ledger in stored order, from seq 1.
        public_keys: key id -> 32 raw Ed25519 public-key bytes; every key that ever
            signed (old keys stay here after a rotation).
        expected_head: (seq, entry_hash) of a head recorded elsewhere (a printed receipt,
            a disclosure package); entries missing up to it are reported as truncation.
        clock_tolerance: how far a timestamp may go back before it counts as reordering.

    Returns:
        A report listing every problem; it does not stop at the first.

    Raises:
        InvalidKeyError: if a public key is malformed or filed under the wrong key id.
    """
    keys = _load_keys(public_keys)
    items = list(entries)
    problems: list[ChainProblem] = []
    for entry in items:
        problems.extend(_check_entry(entry, keys))
    # Entries without a usable seq were reported as malformed; they cannot be placed.
    placed = [e for e in items if _usable_seq(e.seq)]
    problems.extend(_check_order(placed))
    ordered = sorted(placed, key=lambda e: e.seq)
    problems.extend(_check_links(ordered, clock_tolerance))
    if expected_head is not None:
        problems.extend(_check_head(ordered, expected_head))
    problems.sort(key=lambda p: p.seq)
    head = (ordered[-1].seq, ordered[-1].entry_hash) if ordered else None
    return ChainReport(tuple(problems), len(items), head)


def _load_keys(public_keys: Mapping[str, bytes]) -> dict[str, Ed25519PublicKey]:
    loaded = {}
    for key_id, raw in public_keys.items():
        if key_id_for(raw) != key_id:
            raise InvalidKeyError(
                f"public key filed under {key_id!r} has key id {key_id_for(raw)!r}"
            )
        loaded[key_id] = load_public_key(raw)
    return loaded


def _usable_seq(seq: object) -> bool:
    return isinstance(seq, int) and not isinstance(seq, bool) and seq >= 1


def _check_entry(entry: CustodyEntry, keys: Mapping[str, Ed25519PublicKey]) -> list[ChainProblem]:
    if not _usable_seq(entry.seq):
        return [ChainProblem(-1, "malformed", f"sequence number {entry.seq!r} is not >= 1",
                             "chain_bad_seq", {"seq": repr(entry.seq)})]
    seq = entry.seq
    problems = []
    try:
        recomputed = hashlib.sha256(entry.canonical_bytes()).hexdigest()
    except (TypeError, ValueError):
        recomputed = None
    if recomputed != entry.entry_hash:
        problems.append(ChainProblem(seq, "edited", "the content does not match its entry_hash",
                                     "chain_edited"))
    key = keys.get(entry.key_id)
    if key is None:
        problems.append(
            ChainProblem(seq, "unknown_key", f"signed by key {entry.key_id!r}, not a known key",
                         "chain_unknown_key", {"key": entry.key_id})
        )
        return problems
    try:
        key.verify(bytes.fromhex(entry.signature), bytes.fromhex(entry.entry_hash))
    except (InvalidSignature, ValueError, TypeError):
        problems.append(
            ChainProblem(
                seq, "bad_signature", f"the signature does not verify under {entry.key_id}",
                "chain_bad_signature", {"key": entry.key_id})
        )
    return problems


def _check_order(items: list[CustodyEntry]) -> list[ChainProblem]:
    """Judge the stored order: a seq seen twice, or a seq after a higher one."""
    problems = []
    seen: set[int] = set()
    highest = 0
    for entry in items:
        if entry.seq in seen:
            problems.append(
                ChainProblem(entry.seq, "duplicate_seq", f"seq {entry.seq} appears more than once",
                             "chain_duplicate_seq")
            )
        elif entry.seq < highest:
            problems.append(
                ChainProblem(
                    entry.seq, "reordered", f"seq {entry.seq} is stored after seq {highest}",
                    "chain_stored_after", {"highest": highest})
            )
        seen.add(entry.seq)
        highest = max(highest, entry.seq)
    return problems


def _check_links(ordered: list[CustodyEntry], tolerance: timedelta) -> list[ChainProblem]:
    """Walk the entries in seq order: missing numbers, broken links, time going back."""
    problems = []
    prev_seq, prev_hashes = 0, {GENESIS_HASH}
    prev_time: datetime | None = None
    for seq, group_iter in itertools.groupby(ordered, key=lambda e: e.seq):
        group = list(group_iter)
        if seq > prev_seq + 1:
            missing = f"{prev_seq + 1}" if seq == prev_seq + 2 else f"{prev_seq + 1}..{seq - 1}"
            problems.append(ChainProblem(seq, "gap", f"entries {missing} are missing", "chain_gap",
                                         {"missing": missing}))
        times = []
        for entry in group:
            if entry.prev_hash not in prev_hashes:
                problems.append(
                    ChainProblem(seq, "broken_link", f"prev_hash does not match entry {seq - 1}",
                                 "chain_broken_link", {"previous": seq - 1})
                )
            when = parse_timestamp(entry.timestamp)
            if when is None:
                problems.append(ChainProblem(seq, "malformed", "the timestamp cannot be read",
                                             "chain_bad_time"))
                continue
            if prev_time is not None and when < prev_time - tolerance:
                problems.append(
                    ChainProblem(seq, "reordered", "its timestamp is earlier than the entry before",
                                 "chain_time_back")
                )
            times.append(when)
        prev_seq, prev_hashes = seq, {e.entry_hash for e in group}
        prev_time = max(times) if times else prev_time
    return problems


def _check_head(ordered: list[CustodyEntry], head: tuple[int, str]) -> list[ChainProblem]:
    head_seq, head_hash = head
    last = ordered[-1].seq if ordered else 0
    if last < head_seq:
        return [
            ChainProblem(
                head_seq,
                "truncated",
                f"the chain ends at seq {last} but the anchored head is seq {head_seq}",
                "chain_truncated", {"last": last, "head": head_seq})
        ]
    if not any(e.seq == head_seq and e.entry_hash == head_hash for e in ordered):
        return [
            ChainProblem(head_seq, "head_mismatch", "the entry does not match the anchored head",
                         "chain_head_mismatch")
        ]
    return []
