"""The blob store's batched directory sync, as intake uses it (pure: no database)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from dhakira.core.vault import blobs
from dhakira.core.vault.blobs import BlobStore


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    monkeypatch.setattr(blobs, "fsync_dir", calls.append)
    return calls


def test_a_batch_syncs_each_directory_once_and_only_when_asked(tmp_path: Path,
                                                               synced: list[Path]) -> None:
    store = BlobStore(tmp_path, os.urandom(32))
    stored = [store.put_stream(io.BytesIO(bytes([n]) * 10), sync_dir=False) for n in range(40)]
    assert synced == []
    store.sync()
    shards = {tmp_path / "blobs" / s.blob_name[:2] for s in stored}
    assert sorted(synced) == sorted({*shards, tmp_path / "blobs"})
    store.sync()
    assert len(synced) == len(shards) + 1


def test_a_single_put_syncs_its_directory_at_once(tmp_path: Path, synced: list[Path]) -> None:
    store = BlobStore(tmp_path, os.urandom(32))
    stored = store.put_stream(io.BytesIO(b"evidence"))
    assert tmp_path / "blobs" / stored.blob_name[:2] in synced
