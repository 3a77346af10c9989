"""Finding 3 (package side): a package is built and leak-checked in memory.

The red team saw ``dhakira package`` write every candidate file to a temporary directory, and
the whole package to ``--out``, before its leak check. Here a broken redactor lets protected
names into the package; the leak check blocks it, and ``strace`` attached to this very process
records every byte written by every thread while it runs: none of the names may be in it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.dossier import scenario
from tests.handover import dossier
from tests.handover.conftest import consent, listed

from dhakira.apps.handover import build as hb
from dhakira.apps.handover import select

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace"),
]
CANARIES = (*dossier.BYSTANDER, *dossier.REFUSER, dossier.REFUSER_ADDRESS,
            scenario.SOURCE_IDENTITY)
_WRITES = "trace=openat,creat,rename,renameat,renameat2,write,pwrite64,writev,pwritev,pwritev2"


def _hex(text: str) -> str:
    """How strace -xx prints the UTF-8 bytes of ``text``."""
    return "".join(f"\\x{b:02x}" for b in text.encode("utf-8"))


@contextlib.contextmanager
def traced_writes(log: Path) -> Iterator[None]:
    """Record every file opened and every byte written by this process while the block runs."""
    proc = subprocess.Popen(["strace", "-f", "-qq", "-xx", "-s", "100000000", "-e", _WRITES,
                             "-e", "signal=none", "-o", str(log), "-p", str(os.getpid())],
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    probe = Path(tempfile.gettempdir()) / "strace-probe"
    while time.monotonic() < deadline:  # attached once a write of ours shows in the log
        probe.write_bytes(b"probe")
        if log.exists() and _hex("probe") in log.read_text():
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.skip("strace could not attach to this process")
    probe.unlink()
    try:
        yield
    finally:
        proc.send_signal(signal.SIGINT)  # detach
        proc.wait(timeout=30)


@pytest.fixture
def world(vault, cast):  # type: ignore[no-untyped-def]
    d = dossier.build()
    consent(d.base.victim, "granted", by=cast["amal"])
    consent(d.refuser, "refused", by=cast["amal"])
    return d


def test_finding_03_a_leak_blocked_package_writes_no_plaintext_anywhere(
        world, cast, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.handover import _terms

    monkeypatch.setattr(_terms.Terms, "redact", lambda self, text, policy: text)  # broken
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    out = tmp_path / "out" / "pkg"
    out.parent.mkdir()
    log = tmp_path / "strace.log"
    request = hb.Request(selection=select.select(f"event:{world.base.event.uid}"),
                         recipient=listed("ICC"), purpose="share_icc", policy="anonymised",
                         out_dir=out, make_zip=True)
    with traced_writes(log):
        with pytest.raises(hb.HandoverError, match="leak"):
            hb.build(request, user=cast["rana"])
        written = log.read_text()
        # The watch works: a canary this test writes itself is seen.
        (tmpdir / "control.txt").write_text(f"control {dossier.BYSTANDER[1]}")
    trace = log.read_text()
    assert _hex(dossier.BYSTANDER[1]) in trace[len(written):]
    for canary in CANARIES:
        assert _hex(canary) not in written, canary
    (tmpdir / "control.txt").unlink()
    assert list(tmpdir.iterdir()) == [] and list(out.parent.iterdir()) == []


def test_finding_03_an_approved_package_appears_only_by_rename(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out" / "pkg"
    log = tmp_path / "strace.log"
    request = hb.Request(selection=select.select(f"event:{world.base.event.uid}"),
                         recipient=listed("ICC"), purpose="share_icc", policy="anonymised",
                         out_dir=out, make_zip=True)
    with traced_writes(log):
        res = hb.build(request, user=cast["rana"])
    trace = log.read_text()
    created = [line for line in trace.splitlines()
               if "openat(" in line and "O_CREAT" in line and _hex(str(out.parent)) in line]
    # Files are created under temporary names only; the package and zip appear by rename/link.
    assert len(created) > 10
    assert all(_hex("/.pkg.partial-") in line or _hex("/.pkg.zip.partial-") in line
               for line in created)
    assert res.package.directory == out and (out / "manifest.sig").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["pkg", "pkg.zip"]
