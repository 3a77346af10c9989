"""The encrypted intake spool: a seekable stream whose spill file holds only ciphertext."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import pytest

from dhakira.core.vault.spool import CHUNK_SIZE, EncryptedSpool, SpoolTampered

CANARY = b"CANARY-spool-7f3a "


def _filled(tmp_path: Path, data: bytes, memory: int = 0, step: int = 10_000) -> EncryptedSpool:
    out = EncryptedSpool(tmp_path / "tmp", memory)
    for i in range(0, len(data), step):
        out.write(data[i:i + step])
    out.seek(0)
    return out


def _spill_bytes(out: EncryptedSpool) -> bytes:
    """What the spill file holds on disk, read through its descriptor (it has no name)."""
    assert out._file is not None
    return os.pread(out._file.fileno(), 1 << 30, 0)


def test_a_small_stream_stays_in_memory_and_creates_no_file(tmp_path: Path) -> None:
    out = _filled(tmp_path, CANARY * 100, memory=1024 * 1024)
    assert not out.spilled
    assert out.read() == CANARY * 100
    assert not (tmp_path / "tmp").exists()


def test_past_the_memory_limit_the_disk_holds_ciphertext_only(tmp_path: Path) -> None:
    data = CANARY * (3 * CHUNK_SIZE // len(CANARY) + 7)
    out = _filled(tmp_path, data)
    assert out.spilled
    on_disk = _spill_bytes(out)
    assert len(on_disk) == 3 * (CHUNK_SIZE + 16)  # whole chunks only; the tail is in memory
    assert CANARY not in on_disk and b"CANARY" not in on_disk
    assert out.read() == data
    # The file is anonymous: nothing in the directory to find, nothing left after a crash.
    assert list((tmp_path / "tmp").iterdir()) == []


def test_random_reads_and_seeks_match_a_bytes_buffer(tmp_path: Path) -> None:
    rng = random.Random(5)
    data = rng.randbytes(5 * CHUNK_SIZE + 123)
    out, ref = _filled(tmp_path, data, step=7777), io.BytesIO(data)
    for _ in range(300):
        whence = rng.choice([os.SEEK_SET, os.SEEK_CUR, os.SEEK_END])
        offset = rng.randint(-CHUNK_SIZE, len(data)) if whence != os.SEEK_SET else rng.randint(0, len(data) + 10)
        try:
            expected = ref.seek(offset, whence)
        except ValueError:
            with pytest.raises(ValueError):
                out.seek(offset, whence)
            continue
        assert out.seek(offset, whence) == expected
        size = rng.choice([-1, 0, 1, 100, CHUNK_SIZE - 1, CHUNK_SIZE + 1, 3 * CHUNK_SIZE])
        assert out.read(size) == ref.read(size)
        assert out.tell() == ref.tell()


def test_lines_read_across_chunk_boundaries(tmp_path: Path) -> None:
    lines = [b"From x\n"] + [b"line %d " % i + b"x" * (i % 97) + b"\n" for i in range(20_000)]
    lines.append(b"y" * (3 * CHUNK_SIZE) + b"\n")  # a line longer than a chunk
    out = _filled(tmp_path, b"".join(lines) + b"no newline at the end")
    assert out.spilled
    assert list(out) == [*lines, b"no newline at the end"]


def test_readline_with_a_limit_matches_a_bytes_buffer(tmp_path: Path) -> None:
    rng = random.Random(7)
    data = b"".join(rng.randbytes(rng.randint(0, 300)) + b"\n" for _ in range(2000))
    for memory in (0, 1 << 30):
        out, ref = _filled(tmp_path, data, memory=memory), io.BytesIO(data)
        for _ in range(3000):
            size = rng.choice([-1, 0, 1, 50, 200, CHUNK_SIZE + 3])
            assert out.readline(size) == ref.readline(size)
        assert out.tell() == ref.tell()


def test_a_zip_archive_reads_from_a_spilled_spool(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.bin", CANARY * 20_000)
        zf.writestr("b.txt", b"second member")
    out = _filled(tmp_path, buf.getvalue())
    assert out.spilled
    with zipfile.ZipFile(out) as zf:
        assert zf.read("b.txt") == b"second member"
        assert zf.read("a.bin") == CANARY * 20_000


def test_writing_anywhere_but_the_end_is_refused(tmp_path: Path) -> None:
    # A chunk written twice would reuse its nonce under the same key.
    out = _filled(tmp_path, b"x" * (2 * CHUNK_SIZE))
    with pytest.raises(io.UnsupportedOperation):
        out.write(b"y")
    out.seek(0, os.SEEK_END)
    out.write(b"z")
    out.seek(-2, os.SEEK_END)
    assert out.read() == b"xz"


def test_no_file_descriptor_is_handed_out(tmp_path: Path) -> None:
    # SpooledTemporaryFile.fileno() writes the whole plaintext to disk; this must not exist.
    out = _filled(tmp_path, CANARY, memory=1024)
    with pytest.raises(io.UnsupportedOperation):
        out.fileno()


def test_an_altered_spill_file_is_refused(tmp_path: Path) -> None:
    out = _filled(tmp_path, b"x" * (2 * CHUNK_SIZE + 5))
    assert out._file is not None
    byte = os.pread(out._file.fileno(), 1, 10)
    os.pwrite(out._file.fileno(), bytes([byte[0] ^ 0xFF]), 10)  # always a change (a zero was not, 1 in 256)
    with pytest.raises(SpoolTampered):
        out.read(1)


def test_each_spool_has_its_own_key(tmp_path: Path) -> None:
    data = b"same bytes " * CHUNK_SIZE
    first, second = _filled(tmp_path, data), _filled(tmp_path, data)
    assert _spill_bytes(first) != _spill_bytes(second)


def test_close_drops_the_spill_file(tmp_path: Path) -> None:
    out = _filled(tmp_path, b"x" * (2 * CHUNK_SIZE))
    assert out._file is not None
    fd = out._file.fileno()
    out.close()
    with pytest.raises(OSError):
        os.fstat(fd)
    with pytest.raises(ValueError):
        out.read()


def test_close_zeroes_the_plaintext_it_held(tmp_path: Path) -> None:
    small, large = _filled(tmp_path, CANARY * 10, memory=1024), _filled(tmp_path, CANARY * 9000)
    held = [small._memory, large._tail]
    assert all(buffer and CANARY in buffer for buffer in held)
    small.close(), large.close()
    assert all(buffer is not None and not any(buffer) for buffer in held)
