"""Regenerate custody_vectors.json: ``.venv/bin/python tests/vectors/custody/make_custody_vectors.py``.

Ed25519 signatures are deterministic, so the same fixed test key and fixed clock give the
same file every time. The private key is a synthetic test key, published here on purpose.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dhakira.core.custody import CustodyEntry, Signer, append, sign, to_dict
from dhakira.core.custody.entry import UnsignedEntry

HERE = Path(__file__).parent
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
HOUSE_PRIVATE = bytes(range(1, 33))
INTRUDER_PRIVATE = bytes(range(101, 133))
HOUSE = Signer.from_private_bytes(HOUSE_PRIVATE)
INTRUDER = Signer.from_private_bytes(INTRUDER_PRIVATE)

STEPS = [
    ("rana", "intake", "EV-000001", "a" * 64, {"mime": "image/jpeg", "size": 48213}),
    ("rana", "derive", "EV-000002", "b" * 64, {"operation": "translation", "of": "EV-000001"}),
    ("amal", "read_protected", "P-000044/address", None, {"reason": "verification"}),
    ("amal", "consent", "C-000003", None, {"scope": "icc-otp", "status": "granted"}),
    ("رنا", "new_version", "EV-000002", "c" * 64, {"note": "ترجمة مصححة"}),
    ("amal", "export", "PKG-000001", "d" * 64, {"recipient": "investigator-7", "items": 2}),
]


def valid_chain() -> list[CustodyEntry]:
    entries: list[CustodyEntry] = []
    for i, (actor, action, subject, subject_hash, detail) in enumerate(STEPS):
        entries.append(
            append(
                entries[-1] if entries else None,
                HOUSE,
                actor=actor,
                action=action,
                subject=subject,
                subject_hash=subject_hash,
                detail=detail,
                now=T0 + timedelta(minutes=7 * i),
            )
        )
    return entries


def resign(entry: CustodyEntry, signer: Signer, **changes: object) -> CustodyEntry:
    fields = {name: getattr(entry, name) for name in UnsignedEntry.__dataclass_fields__}
    fields.update(changes)
    return sign(UnsignedEntry(**fields), signer)  # type: ignore[arg-type]


def variants(chain: list[CustodyEntry]) -> list[tuple[str, str, list, list, dict]]:
    """(name, how it was made, entries, expected problems, extra verify arguments)."""
    c = list(chain)
    out = []
    out.append(
        ("deleted_entry", "entry 3 removed", c[:2] + c[3:], [[4, "gap"], [4, "broken_link"]], {})
    )
    forged = resign(c[2], INTRUDER, subject="P-000099/address")
    out.append(
        (
            "inserted_entry",
            "a copy of entry 3 with another subject, re-signed with the intruder key, inserted after entry 3",
            c[:3] + [forged] + c[3:],
            [[3, "duplicate_seq"], [3, "unknown_key"]],
            {},
        )
    )
    out.append(
        (
            "reordered_pair",
            "entries 3 and 4 swapped in storage order",
            c[:2] + [c[3], c[2]] + c[4:],
            [[3, "reordered"]],
            {},
        )
    )
    edited = replace(c[1], actor="someone-else")
    out.append(
        (
            "edited_field",
            "entry 2's actor changed, hash and signature kept",
            c[:1] + [edited] + c[2:],
            [[2, "edited"]],
            {},
        )
    )
    rehashed = replace(resign(c[1], HOUSE, actor="someone-else"), signature=c[1].signature)
    out.append(
        (
            "edited_and_rehashed",
            "entry 2's actor changed and entry_hash recomputed, old signature kept",
            c[:1] + [rehashed] + c[2:],
            [[2, "bad_signature"], [3, "broken_link"]],
            {},
        )
    )
    resigned = resign(c[1], INTRUDER, actor="someone-else")
    out.append(
        (
            "resigned_unknown_key",
            "entry 2 edited and re-signed with the intruder key",
            c[:1] + [resigned] + c[2:],
            [[2, "unknown_key"], [3, "broken_link"]],
            {},
        )
    )
    out.append(
        (
            "truncated_tail",
            "entries 5 and 6 removed; verified against the anchored head (6, hash of entry 6)",
            c[:4],
            [[6, "truncated"]],
            {"expected_head": [6, c[5].entry_hash]},
        )
    )
    late = append(
        c[-1], HOUSE, actor="amal", action="lock", subject="VAULT", now=T0 - timedelta(hours=1)
    )
    out.append(
        (
            "timestamp_backwards",
            "a properly signed entry 7 dated before entry 1 (beyond the 5-minute tolerance)",
            c + [late],
            [[7, "reordered"]],
            {},
        )
    )
    return out


def main() -> None:
    chain = valid_chain()
    doc = {
        "description": "Dhakira custody ledger v1 known-answer vectors; see README.md",
        "test_private_key_hex": HOUSE_PRIVATE.hex(),
        "public_keys": {HOUSE.key_id: HOUSE.public_key_bytes().hex()},
        "intruder_public_key_hex": INTRUDER.public_key_bytes().hex(),
        "valid": {
            "name": "valid_chain",
            "entries": [to_dict(e) for e in chain],
            "canonical_utf8": [e.canonical_bytes().decode() for e in chain],
            "expected_problems": [],
        },
        "invalid": [
            {
                "name": n,
                "made_by": how,
                "entries": [to_dict(e) for e in es],
                "expected_problems": exp,
                **extra,
            }
            for n, how, es, exp, extra in variants(chain)
        ],
    }
    (HERE / "custody_vectors.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
