"""Issue 19 item 2, what must show: two field kits and one office, through the real CLI.

Records and evidence made on both kits reach the office; the office's ``dhakira verify``
passes and names each device whose chain it verified; the kits purge what the office
acknowledged and keep what it has not received; a replayed, a tampered and a revoked kit's
later bundle are each refused in one line with nothing merged; a receive killed with SIGKILL
mid-merge leaves the office consistent and the next receive completes.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.sync.kits import ROOT, Vault, env, office_and_two_kits

pytestmark = pytest.mark.backend_independent


def _pack(kit: Vault, out: Path) -> Path:
    kit.ok("sync", "pack", "--out", str(out), *kit.acting)
    return out


def _receive(office: Vault, bundle: Path, ack: Path) -> subprocess.CompletedProcess[str]:
    return office.run("sync", "receive", str(bundle), "--ack-out", str(ack), *office.acting)


def _refused(office: Vault, bundle: Path, ack: Path, kind: str) -> None:
    before = office.counts()
    done = _receive(office, bundle, ack)
    assert done.returncode == 5, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"bundle refused ({kind})" in lines[0], done.stderr
    assert not ack.exists()
    assert office.counts() == before  # nothing merged


def test_two_kits_and_an_office(tmp_path: Path) -> None:
    office, kit1, kit2 = office_and_two_kits(tmp_path)
    files = tmp_path / "files"
    files.mkdir()
    (files / "statement-1.txt").write_text("synthetic statement one\n")
    (files / "photo-2.txt").write_text("synthetic notes two\n")

    kit1.report("Synthetic Person Kit One", "SRC-K1", files / "statement-1.txt")
    kit2.report("Synthetic Person Kit Two", "SRC-K2")
    kit2.ok("ingest", "--collector", "rana", "--password-file", str(kit2.secrets / "pw"),
            str(files / "photo-2.txt"))

    b1, b2 = _pack(kit1, tmp_path / "k1-1.bundle"), _pack(kit2, tmp_path / "k2-1.bundle")
    for blob in (b1, b2):  # the carrier sees bytes, not records
        assert b"Synthetic" not in blob.read_bytes() and b"SRC-K" not in blob.read_bytes()
    a1, a2 = tmp_path / "k1-1.ack", tmp_path / "k2-1.ack"
    assert _receive(office, b1, a1).returncode == 0
    assert _receive(office, b2, a2).returncode == 0

    held = office.counts()
    assert held["reports"] == ["Synthetic Person Kit One was taken from the square.",
                               "Synthetic Person Kit Two was taken from the square."]
    assert {"Synthetic Person Kit One", "Synthetic Person Kit Two"} <= set(held["names"])
    assert sorted(held["evidence"]) == ["photo-2.txt", "statement-1.txt"]
    assert held["acts"] == 2 and held["consents"] == 2 and held["conflicts"] == 0
    assert held["protected"] == [  # sealed values travel and land in their compartments
        "Synthetic Person Kit One street 1, Synthetic Town",
        "Synthetic Person Kit Two street 1, Synthetic Town",
        "the informant of Synthetic Person Kit One", "the informant of Synthetic Person Kit Two"]
    verified = office.ok("verify")
    assert "device kit-1" in verified and "device kit-2" in verified, verified

    # Replayed, truncated and altered bundles: one line each, nothing merged.
    _refused(office, b1, tmp_path / "replay.ack", "replay")
    data = b2.read_bytes()
    cut = tmp_path / "cut.bundle"
    cut.write_bytes(data[: len(data) // 2])
    _refused(office, cut, tmp_path / "cut.ack", "unreadable")
    flipped = tmp_path / "flipped.bundle"
    flipped.write_bytes(data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])
    _refused(office, flipped, tmp_path / "flipped.ack", "unreadable")

    # The kits purge what the office holds; kit-1 keeps a report made after it packed.
    kit1.report("Synthetic Person Kept", "SRC-K1")
    kit1.ok("sync", "receive", str(a1), *kit1.acting)
    kit2.ok("sync", "receive", str(a2), *kit2.acting)
    left1, left2 = kit1.counts(), kit2.counts()
    assert left1["reports"] == ["Synthetic Person Kept was taken from the square."]
    assert left1["evidence"] == [] and left1["blobs"] == 0
    assert left1["protected"] == ["Synthetic Person Kept street 1, Synthetic Town",
                                  "the informant of Synthetic Person Kept"]
    assert left2["reports"] == [] and left2["people"] == 0 and left2["evidence"] == []
    assert left2["protected"] == []  # who the source is and where the victim lives: gone
    assert left2["blobs"] == 0
    kit1.ok("verify")  # its chain still verifies: purged items have their purge entries
    kit2.ok("verify")
    # An acknowledgement given twice purges nothing more.
    again = kit2.run("sync", "receive", str(a2), *kit2.acting)
    assert again.returncode == 5 and "bundle refused (replay)" in again.stderr

    # A revoked kit's later bundle is refused and kept sealed in quarantine.
    office.ok("device", "revoke", "--label", "kit-2", "--at", "now", *office.acting)
    time.sleep(0.01)
    kit2.report("Synthetic Person After Revocation", "SRC-K2")
    late = _pack(kit2, tmp_path / "k2-2.bundle")
    _refused(office, late, tmp_path / "k2-2.ack", "revoked")
    assert list((office.path / "quarantine").iterdir())

    # A receive killed mid-merge leaves the office consistent; the next one completes.
    b3 = _pack(kit1, tmp_path / "k1-2.bundle")
    before = office.counts()
    marker = tmp_path / "merging"
    cmd = [sys.executable, "-m", "dhakira", "sync", "receive", str(b3), "--ack-out",
           str(tmp_path / "k1-2.ack"), *office.acting, *office.unlock]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env(DHAKIRA_TEST_SYNC_STALL=str(marker)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the receive never reached its merge"
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert office.counts() == before
    office.ok("check")
    office.ok("verify")
    assert _receive(office, b3, tmp_path / "k1-2.ack").returncode == 0
    after = office.counts()
    assert "Synthetic Person Kept was taken from the square." in after["reports"]
    assert "Synthetic Person After Revocation was taken from the square." not in after["reports"]
    office.ok("verify")
    # The kit's source now names another informant behind the same code name: the office
    # keeps its own value, flags the two for review, and the kit keeps its value till then.
    assert after["conflicts"] == 1
    kit1.ok("sync", "receive", str(tmp_path / "k1-2.ack"), *kit1.acting)
    left = kit1.counts()
    assert left["reports"] == [] and left["people"] == 0

    # Reference data goes the other way: code names, never who a source is.
    ref = tmp_path / "kit-1.ref"
    office.ok("sync", "reference", "--label", "kit-1", "--out", str(ref), *office.acting)
    assert "1 sources" in kit1.ok("sync", "receive", str(ref), *kit1.acting)  # SRC-K2
    assert kit1.counts()["protected"] == left["protected"]
    assert kit1.run("sync", "receive", str(ref), *kit1.acting).returncode == 5  # a replay
    assert left["protected"] == ["the informant of Synthetic Person Kept"]
