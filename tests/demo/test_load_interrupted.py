"""Finding 16 #13: an interrupted `demo-data` leaves nothing behind and runs again in place."""

from __future__ import annotations

import pytest

from dhakira.apps.demo import load
from dhakira.apps.dossier import models as m

VICTIMS = 40


def test_finding_16_13_an_interrupted_build_leaves_nothing_and_runs_again_in_place(
        db, tmp_path, monkeypatch):  # noqa: ANN001
    from dhakira.apps.custody.models import LedgerEntry
    from dhakira.apps.demo import _writer

    real_write, calls = _writer.ChunkWriter.write, []

    def dies_after_writing(self, chunk):  # noqa: ANN001, ANN202
        calls.append(chunk)
        real_write(self, chunk)
        assert m.Information.objects.exists()  # reports are written, not yet committed
        raise KeyboardInterrupt  # as a Ctrl-C in the middle of the build

    monkeypatch.setattr(_writer.ChunkWriter, "write", dies_after_writing)
    before = LedgerEntry.objects.count()
    with pytest.raises(KeyboardInterrupt):
        load.build(victims=VICTIMS, perpetrators=30, informants=6, seed=5,
                   truth_out=tmp_path / "truth.json")
    assert calls, "the build must have written a chunk before dying"
    assert (m.Source.objects.count(), m.Information.objects.count(), m.Person.objects.count(),
            LedgerEntry.objects.count()) == (0, 0, 0, before)
    monkeypatch.setattr(_writer.ChunkWriter, "write", real_write)
    summary = load.build(victims=VICTIMS, perpetrators=30, informants=6, seed=5,
                         truth_out=tmp_path / "truth.json")
    assert f"{VICTIMS:,} documented victims" in summary
    assert LedgerEntry.objects.count() == before + 1
