"""Tests of the encrypted, content-addressed blob store (dhakira.core.vault.blobs)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tracemalloc
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from dhakira.core.vault.blobs import BlobStore, StoredBlob, _encrypt_with_salt
from dhakira.core.vault.errors import BlobIntegrityError, BlobNotFound, InvalidBlobRequest

MIB = 1024 * 1024
HEADER = 37
CT_CHUNK = MIB + 16
VECTORS = Path(__file__).parents[1] / "vectors" / "blobs" / "blob_vectors.json"


@pytest.fixture
def key() -> bytes:
    return bytes(range(100, 132))


@pytest.fixture
def store(tmp_path: Path, key: bytes) -> BlobStore:
    return BlobStore(tmp_path, key)


def put(store: BlobStore, data: bytes) -> StoredBlob:
    return store.put_stream(io.BytesIO(data))


def read(store: BlobStore, sha256: str) -> bytes:
    out = io.BytesIO()
    store.read_to(sha256, out)
    return out.getvalue()


def blob_path(store: BlobStore, tmp_path: Path, sha256: str) -> Path:
    name = store.blob_name(sha256)
    return tmp_path / "blobs" / name[:2] / name


def rewrite(path: Path, change) -> None:
    path.write_bytes(change(path.read_bytes()))


def flip(data: bytes, offset: int, bit: int = 0) -> bytes:
    buf = bytearray(data)
    buf[offset] ^= 1 << bit
    return bytes(buf)


# --- round trips and storage -------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, MIB, MIB + 1, 5 * MIB])
def test_it_round_trips_files_of_boundary_sizes(store: BlobStore, size: int) -> None:
    data = os.urandom(size)
    stored = put(store, data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == size
    assert stored.created is True
    assert read(store, stored.sha256) == data
    assert store.verify_blob(stored.sha256) is None


def test_it_stores_the_same_bytes_once(store: BlobStore) -> None:
    data = os.urandom(3000)
    first = put(store, data)
    second = put(store, data)
    assert (first.created, second.created) == (True, False)
    assert first.blob_name == second.blob_name
    assert list(store.iter_names()) == [first.blob_name]


def test_it_names_files_by_keyed_hash_not_by_content_hash(tmp_path: Path) -> None:
    data = b"a widely circulated propaganda video"
    a = BlobStore(tmp_path / "a", bytes(32)).put_stream(io.BytesIO(data))
    b = BlobStore(tmp_path / "b", bytes([1]) * 32).put_stream(io.BytesIO(data))
    assert a.blob_name != a.sha256
    assert a.blob_name != b.blob_name  # another vault's key gives another name
    names = [p.name for p in (tmp_path / "a").rglob("*")]
    assert not any(a.sha256 in name for name in names)
    assert (tmp_path / "a" / "blobs" / a.blob_name[:2] / a.blob_name).is_file()


def test_it_leaves_no_plaintext_on_disk(store: BlobStore, tmp_path: Path) -> None:
    secret = "اسم الشاهد السري: مثال اصطناعي".encode() * 50
    stored = put(store, secret)
    on_disk = blob_path(store, tmp_path, stored.sha256).read_bytes()
    assert secret[:40] not in on_disk
    assert on_disk[:4] == b"DHKB"


def test_it_uses_a_fresh_salt_for_every_file(tmp_path: Path, key: bytes) -> None:
    data = b"same bytes"
    one = BlobStore(tmp_path / "1", key)
    two = BlobStore(tmp_path / "2", key)
    put(one, data)
    put(two, data)
    raw = [next((tmp_path / d / "blobs").rglob("*/*")).read_bytes() for d in ("1", "2")]
    assert raw[0][5:37] != raw[1][5:37]


def test_it_removes_the_temp_file_when_the_stream_fails(store: BlobStore, tmp_path: Path) -> None:
    class Failing(io.RawIOBase):
        calls = 0

        def read(self, n: int = -1) -> bytes:
            self.calls += 1
            if self.calls > 3:
                raise OSError("device unplugged")
            return b"x" * n

    with pytest.raises(OSError, match="unplugged"):
        store.put_stream(Failing())  # type: ignore[arg-type]
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []


def test_it_removes_partial_files_left_by_a_crash(store: BlobStore, tmp_path: Path) -> None:
    stored = put(store, b"kept")
    (tmp_path / "blobs" / ".tmp-crashed.part").write_bytes(b"half a file")
    assert store.remove_partial_files() == 1
    assert [p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == [stored.blob_name]


def test_reingesting_the_same_bytes_repairs_a_damaged_blob(
    store: BlobStore, tmp_path: Path
) -> None:
    data = os.urandom(5000)
    stored = put(store, data)
    rewrite(blob_path(store, tmp_path, stored.sha256), lambda b: flip(b, 100))
    again = put(store, data)
    assert again.created is True
    assert read(store, stored.sha256) == data


def test_it_skips_temp_files_when_listing(store: BlobStore, tmp_path: Path) -> None:
    stored = put(store, b"one")
    (tmp_path / "blobs" / ".tmp-abc.part").write_bytes(b"partial")
    assert list(store.iter_names()) == [stored.blob_name]


def test_it_deletes_a_blob(store: BlobStore) -> None:
    stored = put(store, b"to be purged")
    store.delete(stored.sha256)
    assert not store.exists(stored.sha256)
    with pytest.raises(BlobNotFound):
        store.delete(stored.sha256)


def test_it_reports_a_missing_blob_by_sha256(store: BlobStore) -> None:
    missing = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(BlobNotFound, match=missing):
        store.open_stream(missing)


@pytest.mark.parametrize("bad", [b"", bytes(31), bytes(33), "0" * 32])
def test_it_rejects_a_data_key_that_is_not_32_bytes(tmp_path: Path, bad) -> None:
    with pytest.raises(InvalidBlobRequest, match="32 bytes"):
        BlobStore(tmp_path, bad)


@pytest.mark.parametrize("bad", ["", "ABC", "A" * 64, "g" * 64, "0" * 63])
def test_it_rejects_a_malformed_sha256(store: BlobStore, bad: str) -> None:
    with pytest.raises(InvalidBlobRequest, match="64 lowercase hex"):
        store.verify_blob(bad)


# --- tampering ---------------------------------------------------------------------------


THREE_CHUNKS = 2 * MIB + 100


def _tamper_cases():
    last = HEADER + 2 * CT_CHUNK
    return {
        "bit_flip_in_first_chunk": lambda b: flip(b, HEADER + 5),
        "bit_flip_in_last_tag": lambda b: flip(b, len(b) - 1, 7),
        "bit_flip_in_salt": lambda b: flip(b, 20),
        "wrong_version": lambda b: flip(b, 4, 1),
        "truncated_at_chunk_boundary": lambda b: b[:last],
        "truncated_mid_chunk": lambda b: b[: HEADER + CT_CHUNK + 1000],
        "truncated_to_header": lambda b: b[:HEADER],
        "chunk_appended": lambda b: b + b[HEADER : HEADER + CT_CHUNK],
        "byte_appended": lambda b: b + b"\x00",
        "chunks_reordered": lambda b: (
            b[:HEADER] + b[HEADER + CT_CHUNK : last] + b[HEADER : HEADER + CT_CHUNK] + b[last:]
        ),
        "middle_chunk_dropped": lambda b: b[: HEADER + CT_CHUNK] + b[last:],
    }


@pytest.mark.parametrize("mode", sorted(_tamper_cases()))
def test_it_detects_tampering(store: BlobStore, tmp_path: Path, mode: str) -> None:
    stored = put(store, os.urandom(THREE_CHUNKS))
    rewrite(blob_path(store, tmp_path, stored.sha256), _tamper_cases()[mode])
    with pytest.raises(BlobIntegrityError) as caught:
        read(store, stored.sha256)
    assert caught.value.sha256 == stored.sha256
    assert stored.sha256 in str(caught.value)
    with pytest.raises(BlobIntegrityError):
        store.verify_blob(stored.sha256)


def test_it_detects_a_blob_renamed_over_another(store: BlobStore, tmp_path: Path) -> None:
    genuine = put(store, b"the original statement")
    forged = put(store, b"a substituted statement")
    blob_path(store, tmp_path, forged.sha256).replace(blob_path(store, tmp_path, genuine.sha256))
    with pytest.raises(BlobIntegrityError, match=genuine.sha256):
        store.verify_blob(genuine.sha256)


def test_it_detects_a_multichunk_blob_swapped_for_another(store: BlobStore, tmp_path: Path) -> None:
    genuine = put(store, os.urandom(MIB + 10))
    forged = put(store, os.urandom(MIB + 10))
    blob_path(store, tmp_path, forged.sha256).replace(blob_path(store, tmp_path, genuine.sha256))
    with pytest.raises(BlobIntegrityError):
        read(store, genuine.sha256)


def test_it_detects_a_chunk_spliced_in_from_another_blob(store: BlobStore, tmp_path: Path) -> None:
    target = put(store, os.urandom(MIB + 10))
    donor = put(store, os.urandom(MIB + 10))
    donor_bytes = blob_path(store, tmp_path, donor.sha256).read_bytes()
    rewrite(
        blob_path(store, tmp_path, target.sha256),
        lambda b: b[:HEADER] + donor_bytes[HEADER : HEADER + CT_CHUNK] + b[HEADER + CT_CHUNK :],
    )
    with pytest.raises(BlobIntegrityError):
        store.verify_blob(target.sha256)


def test_it_never_puts_the_key_in_the_error(store: BlobStore, tmp_path: Path, key: bytes) -> None:
    stored = put(store, b"abc")
    rewrite(blob_path(store, tmp_path, stored.sha256), lambda b: flip(b, 40))
    with pytest.raises(BlobIntegrityError) as caught:
        store.verify_blob(stored.sha256)
    assert key.hex() not in str(caught.value)
    assert key.hex() not in repr(store)


def test_it_rejects_a_blob_under_another_data_key(tmp_path: Path) -> None:
    stored = BlobStore(tmp_path, bytes(32)).put_stream(io.BytesIO(b"abc"))
    other = BlobStore(tmp_path, bytes([9]) * 32)
    name = other.blob_name(stored.sha256)
    (tmp_path / "blobs" / name[:2]).mkdir(exist_ok=True)
    (tmp_path / "blobs" / stored.blob_name[:2] / stored.blob_name).replace(
        tmp_path / "blobs" / name[:2] / name
    )
    with pytest.raises(BlobIntegrityError):
        other.verify_blob(stored.sha256)


# --- memory ------------------------------------------------------------------------------


class LazyStream(io.RawIOBase):
    """A 64 MiB stream made up as it is read, so the test itself holds no big buffer."""

    def __init__(self, total: int) -> None:
        self.left = total
        self.counter = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        self.counter += 1
        return bytes([self.counter % 251]) * n


def test_it_streams_a_large_file_in_bounded_memory(store: BlobStore) -> None:
    total = 64 * MIB
    tracemalloc.start()
    try:
        stored = store.put_stream(LazyStream(total))  # type: ignore[arg-type]
        _, put_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        seen = sum(len(chunk) for chunk in store.open_stream(stored.sha256))
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.size == seen == total
    # A handful of 1 MiB buffers at most: a whole-file read would be ≥ 64 MiB.
    assert put_peak < 8 * MIB
    assert read_peak < 8 * MIB


# --- known-answer vectors ----------------------------------------------------------------


def _vectors() -> dict:
    return json.loads(VECTORS.read_text())


def _pattern(seed: str, length: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(seed.encode() + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:length])


def _plaintext(spec: dict) -> bytes:
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    return _pattern(spec["pattern"], spec["length"])


def _reference_decrypt(data_key: bytes, blob: bytes, sha256: bytes, chunk: int) -> bytes:
    """Decrypt per docs/custody.md using only the primitives: an independent reading."""
    header, body = blob[:HEADER], blob[HEADER:]
    if header[:5] != b"DHKB\x01" or len(header) != HEADER:
        raise InvalidTag
    key = HKDF(hashes.SHA256(), 32, salt=header[5:], info=b"dhakira blob v1").derive(data_key)
    step = chunk + 16
    pieces = [body[i : i + step] for i in range(0, len(body), step)] or [b""]
    out = []
    for i, piece in enumerate(pieces):
        final = i == len(pieces) - 1
        nonce = i.to_bytes(11, "big") + bytes([final])
        aad = header + sha256 if final else header
        out.append(AESGCM(key).decrypt(nonce, piece, aad))
    return b"".join(out)


def _ciphertext(vector: dict, key: bytes, salt: bytes) -> bytes:
    out = io.BytesIO()
    _encrypt_with_salt(key, io.BytesIO(_plaintext(vector["plaintext"])), out, salt=salt)
    return out.getvalue()


def _mutate(blob: bytes, mutation: dict, by_name: dict) -> bytes:
    op = mutation["op"]
    if op == "flip":
        return flip(blob, mutation["offset"], mutation["bit"])
    if op == "truncate":
        return blob[: mutation["length"]]
    if op == "append":
        return blob + bytes.fromhex(mutation["hex"])
    if op == "append_copy":
        return blob + blob[mutation["start"] : mutation["start"] + mutation["length"]]
    if op == "swap_tail":
        split = mutation["split"]
        return blob[:HEADER] + blob[split:] + blob[HEADER:split]
    if op == "claim_sha256_of":
        return blob
    raise AssertionError(f"unknown mutation {op}")


def test_the_vectors_match_the_implementation_and_the_reference() -> None:
    doc = _vectors()
    key, salt = bytes.fromhex(doc["data_key_hex"]), bytes.fromhex(doc["salt_hex"])
    store = BlobStore(Path("/nonexistent"), key)
    assert len(doc["valid"]) >= 5
    for vector in doc["valid"]:
        plain = _plaintext(vector["plaintext"])
        blob = _ciphertext(vector, key, salt)
        assert hashlib.sha256(plain).hexdigest() == vector["plaintext_sha256"]
        assert hashlib.sha256(blob).hexdigest() == vector["ciphertext_sha256"], vector["name"]
        assert len(blob) == vector["ciphertext_length"]
        if "ciphertext_hex" in vector:
            assert blob.hex() == vector["ciphertext_hex"]
        assert store.blob_name(vector["plaintext_sha256"]) == vector["blob_name"]
        sha = bytes.fromhex(vector["plaintext_sha256"])
        assert _reference_decrypt(key, blob, sha, doc["chunk_size"]) == plain


def test_the_store_reads_valid_vectors_and_rejects_invalid_ones(tmp_path: Path) -> None:
    doc = _vectors()
    key, salt = bytes.fromhex(doc["data_key_hex"]), bytes.fromhex(doc["salt_hex"])
    store = BlobStore(tmp_path, key)
    by_name = {v["name"]: v for v in doc["valid"]}

    def place(vector_sha: str, blob: bytes) -> None:
        path = blob_path(store, tmp_path, vector_sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)

    for vector in doc["valid"]:
        place(vector["plaintext_sha256"], _ciphertext(vector, key, salt))
        assert read(store, vector["plaintext_sha256"]) == _plaintext(vector["plaintext"])
    assert len(doc["invalid"]) >= 10
    for bad in doc["invalid"]:
        base = by_name[bad["base"]]
        blob = _mutate(_ciphertext(base, key, salt), bad["mutation"], by_name)
        claimed = by_name[bad["mutation"].get("other", bad["base"])]["plaintext_sha256"]
        place(claimed, blob)
        with pytest.raises(BlobIntegrityError):
            store.verify_blob(claimed)
        with pytest.raises((InvalidTag, ValueError)):
            _reference_decrypt(key, blob, bytes.fromhex(claimed), doc["chunk_size"])
