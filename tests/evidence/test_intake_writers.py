"""Issue 16, finding 2: an ingest holds the write lock only while it writes its rows.

Every transaction takes the write lock at BEGIN (IMMEDIATE on SQLCipher, the writer lock on
PostgreSQL). Checking and storing files (metadata read in sandboxed workers, encryption,
fsync) can take minutes for a group of 500; done inside the transaction, every web save
would wait that long and past its busy timeout. Here one file's preparation is slowed and a
second writer must not wait for it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from dhakira.apps.custody import store
from dhakira.apps.evidence import _prepare
from dhakira.apps.evidence.intake import Collection, ingest_paths

pytestmark = pytest.mark.django_db(transaction=True)
SLOW_S = 3.0


def test_finding_16_02_ingest_prepares_its_files_before_taking_the_write_lock(
        vault: Path, collection: Collection, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "quick.txt").write_text("a quick synthetic note\n")
    (folder / "slow.txt").write_text("a slow synthetic note\n")
    preparing, real = threading.Event(), _prepare.prepare

    def prepare(path: Path, *args: object) -> object:
        if path.name == "slow.txt":
            preparing.set()
            time.sleep(SLOW_S)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_prepare, "prepare", prepare)
    done: list[object] = []

    def ingest() -> None:
        try:
            done.append(ingest_paths([folder], collection=collection, process=False))
        finally:
            connection.close()

    thread = threading.Thread(target=ingest)
    thread.start()
    assert preparing.wait(30)
    time.sleep(0.3)  # the quick file is ready: the old code would be in its transaction now
    started = time.monotonic()
    store.record(actor="rana", action="other", subject="writers-test")
    waited = time.monotonic() - started
    thread.join(60)
    assert len(done) == 1 and len(done[0].items) == 2, done  # type: ignore[attr-defined]
    assert waited < SLOW_S / 2, f"the second writer waited {waited:.1f} s for the ingest"
