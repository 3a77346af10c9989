"""Known-answer vectors: tests/vectors/custody/custody_vectors.json (see its README)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dhakira.core.custody import Signer, from_dict, verify_chain
from dhakira.core.custody.entry import UnsignedEntry, sign

VECTORS = json.loads(
    (Path(__file__).parents[1] / "vectors" / "custody" / "custody_vectors.json").read_text()
)
KEYS = {k: bytes.fromhex(v) for k, v in VECTORS["public_keys"].items()}


def test_the_valid_chain_verifies_and_reproduces_byte_for_byte() -> None:
    valid = VECTORS["valid"]
    entries = [from_dict(d) for d in valid["entries"]]
    assert verify_chain(entries, KEYS).ok
    signer = Signer.from_private_bytes(bytes.fromhex(VECTORS["test_private_key_hex"]))
    for entry, canonical in zip(entries, valid["canonical_utf8"], strict=True):
        assert entry.canonical_bytes() == canonical.encode()
        assert hashlib.sha256(canonical.encode()).hexdigest() == entry.entry_hash
        fields = {n: getattr(entry, n) for n in UnsignedEntry.__dataclass_fields__}
        assert sign(UnsignedEntry(**fields), signer) == entry


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=lambda v: v["name"])
def test_each_invalid_chain_reports_exactly_its_problems(vector: dict) -> None:
    entries = [from_dict(d) for d in vector["entries"]]
    head = tuple(vector["expected_head"]) if "expected_head" in vector else None
    report = verify_chain(entries, KEYS, expected_head=head)  # type: ignore[arg-type]
    expected = {(seq, kind) for seq, kind in vector["expected_problems"]}
    assert {(p.seq, p.kind) for p in report.problems} == expected
    assert expected


def test_there_is_a_vector_for_each_tamper_mode() -> None:
    names = {v["name"] for v in VECTORS["invalid"]}
    assert {
        "deleted_entry",
        "inserted_entry",
        "reordered_pair",
        "edited_field",
        "resigned_unknown_key",
        "truncated_tail",
    } <= names
