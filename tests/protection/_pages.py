"""Decrypt every page of a SQLCipher 4 database file and its WAL, for byte-level checks.

SQLCipher 4 with a raw key: pages of 4096 bytes, each ending in 80 reserved bytes (a 16-byte
IV, then a 64-byte HMAC); page 1 starts with the 16-byte salt. AES-256-CBC, no padding.
The sqlcipher3 build has no ``sqlite_dbpage`` table, hence this reader.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
WAL_HEADER, FRAME_HEADER = 32, 24


def _decrypt(page: bytes, key: bytes, *, first: bool) -> bytes:
    iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
    body = page[16 if first else 0:PAGE - RESERVE]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def database_plaintext(path: Path, key: bytes) -> bytes:
    """Every page of ``path``, decrypted, concatenated (free pages included)."""
    data = path.read_bytes()
    return b"".join(_decrypt(data[i:i + PAGE], key, first=i == 0) for i in range(0, len(data), PAGE))


def wal_plaintext(path: Path, key: bytes) -> bytes:
    """Every frame's page in the write-ahead log at ``path``, decrypted."""
    if not path.exists():
        return b""
    data, out = path.read_bytes(), []
    for offset in range(WAL_HEADER, len(data) - FRAME_HEADER - PAGE + 1, FRAME_HEADER + PAGE):
        page_no = int.from_bytes(data[offset:offset + 4], "big")
        page = data[offset + FRAME_HEADER:offset + FRAME_HEADER + PAGE]
        out.append(_decrypt(page, key, first=page_no == 1))
    return b"".join(out)
