"""Shared helpers for custody tests: fixed keys, a fixed clock, and a chain builder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dhakira.core.custody import CustodyEntry, Signer, append, sign
from dhakira.core.custody.entry import UnsignedEntry

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# Synthetic test keys only; never used outside tests.
HOUSE = Signer.from_private_bytes(bytes(range(1, 33)))
INTRUDER = Signer.from_private_bytes(bytes(range(101, 133)))
KEYS = {HOUSE.key_id: HOUSE.public_key_bytes()}


def build_chain(n: int = 6, signer: Signer = HOUSE, start: datetime = T0) -> list[CustodyEntry]:
    """Build ``n`` entries, one minute apart, by a synthetic documenter."""
    entries: list[CustodyEntry] = []
    for i in range(n):
        prev = entries[-1] if entries else None
        entries.append(
            append(
                prev,
                signer,
                actor="rana",
                action="intake" if i % 2 == 0 else "read_protected",
                subject=f"EV-{i + 1:06d}",
                detail={"step": i + 1},
                now=start + timedelta(minutes=i),
            )
        )
    return entries


def resign(entry: CustodyEntry, signer: Signer, **changes: object) -> CustodyEntry:
    """Change fields and recompute hash and signature, as an intruder with a key would."""
    fields = {name: getattr(entry, name) for name in UnsignedEntry.__dataclass_fields__}
    fields.update(changes)
    return sign(UnsignedEntry(**fields), signer)  # type: ignore[arg-type]


def problems_of(report) -> set[tuple[int, str]]:
    return {(p.seq, p.kind) for p in report.problems}
