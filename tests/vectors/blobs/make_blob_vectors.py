"""Regenerate blob_vectors.json: ``.venv/bin/python tests/vectors/blobs/make_blob_vectors.py``.

The ciphertexts come from ``dhakira.vault.blobs._encrypt_with_salt`` with a fixed key and
salt; tests/vault/test_blobs.py also decrypts them with an independent reimplementation of
the format as documented in docs/custody.md, so a vector is not merely the code agreeing
with itself.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from dhakira.core.vault.blobs import BlobStore, _encrypt_with_salt

DATA_KEY = bytes(range(32))
SALT = bytes(range(32, 64))
HERE = Path(__file__).parent


def pattern(seed: str, length: int) -> bytes:
    """Deterministic filler: SHA-256(seed ‖ counter as 8 bytes big-endian), concatenated."""
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(seed.encode() + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:length])


VALID = [
    # name, plaintext spec, store full ciphertext hex?
    ("empty", {"hex": ""}, True),
    ("abc", {"hex": b"abc".hex()}, True),
    ("arabic_text", {"hex": "شاهد ١٢".encode().hex()}, True),
    ("one_kib", {"pattern": "dhakira-1k", "length": 1024}, True),
    ("exactly_one_chunk", {"pattern": "dhakira-1m", "length": 1024 * 1024}, False),
    ("two_chunks", {"pattern": "dhakira-1m1", "length": 1024 * 1024 + 1}, False),
]

CHUNK_CT = 1024 * 1024 + 16
INVALID = [
    ("flip_bit_in_ciphertext", "abc", {"op": "flip", "offset": 37, "bit": 0}),
    ("flip_bit_in_tag", "abc", {"op": "flip", "offset": -1, "bit": 7}),
    ("flip_bit_in_salt", "abc", {"op": "flip", "offset": 10, "bit": 3}),
    ("wrong_magic", "abc", {"op": "flip", "offset": 0, "bit": 0}),
    ("wrong_version", "abc", {"op": "flip", "offset": 4, "bit": 1}),
    ("truncated_inside_tag", "abc", {"op": "truncate", "length": 37 + 3 + 15}),
    ("header_only", "empty", {"op": "truncate", "length": 37}),
    ("final_chunk_dropped", "two_chunks", {"op": "truncate", "length": 37 + CHUNK_CT}),
    ("byte_appended", "abc", {"op": "append", "hex": "00"}),
    ("chunk_appended", "two_chunks", {"op": "append_copy", "start": 37, "length": 17}),
    ("chunks_reordered", "two_chunks", {"op": "swap_tail", "split": 37 + CHUNK_CT}),
    ("blob_swapped", "abc", {"op": "claim_sha256_of", "other": "arabic_text"}),
]


def plaintext(spec: dict) -> bytes:
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    return pattern(spec["pattern"], spec["length"])


def main() -> None:
    store = BlobStore(HERE, DATA_KEY)
    valid = []
    for name, spec, full in VALID:
        out = io.BytesIO()
        sha, size = _encrypt_with_salt(DATA_KEY, io.BytesIO(plaintext(spec)), out, salt=SALT)
        ct = out.getvalue()
        item = {
            "name": name,
            "plaintext": spec,
            "plaintext_sha256": sha,
            "size": size,
            "blob_name": store.blob_name(sha),
            "ciphertext_length": len(ct),
            "ciphertext_sha256": hashlib.sha256(ct).hexdigest(),
        }
        if full:
            item["ciphertext_hex"] = ct.hex()
        valid.append(item)
    doc = {
        "description": "Dhakira blob format v1 known-answer vectors; see README.md",
        "data_key_hex": DATA_KEY.hex(),
        "salt_hex": SALT.hex(),
        "chunk_size": 1024 * 1024,
        "valid": valid,
        "invalid": [{"name": n, "base": b, "mutation": m} for n, b, m in INVALID],
    }
    (HERE / "blob_vectors.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
