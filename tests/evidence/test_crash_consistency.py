"""Issue 16: crash consistency of `dhakira ingest`, and a real full disk (#5, #8, #9).

``dhakira ingest`` is killed with SIGKILL at seeded random delays after it starts writing (as it stores
blobs, commits a batch or processes text). After each kill nothing
committed before is gone and no file has two receipts; a last run without a kill takes in the
rest; then ``check``, ``repair`` and ``verify`` pass.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.clivault import new_vault
from tests.conftest import SUITE_ENV
from tests.evidence import files

pytestmark = pytest.mark.backend_independent
FILES = 120
# Batches of 15 files, so a kill can fall between two commits of one run.
RUN = """
import sys
from dhakira.apps.vault import runtime
real = runtime.open_vault
def open_vault(*args, **kwargs):
    key = real(*args, **kwargs)
    from dhakira.apps.evidence import intake
    intake.COMMIT_FILES = 15
    return key
runtime.open_vault = open_vault
from dhakira.cli import main
main(sys.argv[1:], prog_name="dhakira")
"""
# What the vault holds: receipts per file given (top-level items by origin), intake entries.
INSPECT = """
import json, sys
from pathlib import Path
from dhakira.cli._common import unlock
unlock(Path(sys.argv[1]), Path(sys.argv[2]))
from collections import Counter
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.custody.models import LedgerEntry
top = EvidenceItem.objects.filter(parent__isnull=True)
print(json.dumps({"origins": Counter(top.values_list("origin", flat=True)),
                  "items": EvidenceItem.objects.count(),
                  "intakes": LedgerEntry.objects.filter(action="intake").count()}))
"""


def _python(base: Path, *args: str, kill_after: float | None = None
            ) -> subprocess.CompletedProcess[str]:
    """Run Python; with ``kill_after``, SIGKILL it that many seconds after it starts writing
    (a new file under the vault's blobs/, once unlocking is over)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    before = _blob_files(base)
    with subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env=env, cwd=base) as running:
        if kill_after is not None:
            while running.poll() is None and _blob_files(base) <= before:
                time.sleep(0.02)
            time.sleep(kill_after)
            if running.poll() is None:
                running.send_signal(signal.SIGKILL)
        out, err = running.communicate(timeout=300)
        return subprocess.CompletedProcess(running.args, running.returncode, out, err)


def _blob_files(base: Path) -> set[str]:
    return {p.name for p in (base / "v" / "blobs").rglob("*")} if (base / "v").exists() else set()


def _dhakira(base: Path, *args: str, kill_after: float | None = None
             ) -> subprocess.CompletedProcess[str]:
    return _python(base, "-c", RUN, *args, kill_after=kill_after)


def _vault(base: Path, vault: str = "v") -> None:
    new_vault(base, vault)


def _ingest(base: Path, folder: str, vault: str = "v", kill_after: float | None = None
            ) -> subprocess.CompletedProcess[str]:
    return _dhakira(base, "ingest", "--vault", vault, "--passphrase-file", "pass",
                    "--collector", "amal", "--password-file", "web", folder,
                    kill_after=kill_after)


def _held(base: Path) -> dict[str, object]:
    shown = _python(base, "-c", INSPECT, "v", "pass")
    assert shown.returncode == 0, shown.stderr
    return dict(json.loads(shown.stdout))


def test_issue16_ingest_killed_at_random_points_loses_nothing_and_resumes(tmp_path: Path) -> None:
    _vault(tmp_path)
    inbox = tmp_path / "inbox"
    for n in range(FILES):
        files.write(inbox, f"{n:03d}.txt", f"statement {n}: synthetic testimony".encode())
    files.write(inbox, "mail.eml", files.eml_bytes())
    files.write(inbox, "photos.zip", files.zip_bytes({"a.txt": b"member a", "b.txt": b"b"}))
    given = {str(p.resolve()) for p in inbox.iterdir()}
    rng = random.Random(1616)
    kept: dict[str, int] = {}
    codes = []
    for run in range(6):
        delay = rng.uniform(0.0, 0.3 + run * 0.3)
        killed = _ingest(tmp_path, "inbox", kill_after=delay)
        codes.append(killed.returncode)
        assert killed.returncode in (-9, 0), killed.stderr  # 0: it finished first
        held = _held(tmp_path)
        origins: dict[str, int] = held["origins"]  # type: ignore[assignment]
        assert set(kept) <= set(origins), f"lost after a kill at {delay:.2f} s"
        assert set(origins.values()) <= {1}, f"a second receipt after a kill at {delay:.2f} s"
        assert held["intakes"] == held["items"]
        kept = origins
    assert -9 in codes
    last = _ingest(tmp_path, "inbox")
    assert last.returncode == 0, last.stderr
    assert "Traceback" not in last.stderr
    held = _held(tmp_path)
    assert held["origins"] == dict.fromkeys(given, 1)  # every file once
    assert held["intakes"] == held["items"] == FILES + 1 + 3  # the message; the zip, 2 members
    common = ["--vault", "v", "--passphrase-file", "pass"]
    checked = _dhakira(tmp_path, "check", *common)
    assert checked.returncode == 0, checked.stderr
    repaired = _dhakira(tmp_path, "repair", *common, "--actor", "amal", "--password-file", "web",
                        "--older-than", "0")
    assert repaired.returncode == 0, repaired.stderr
    assert re.search(r"^(removed (\d[\d,]* unreferenced blobs?( and )?)?(\d[\d,]* partial files?)?|"
                     r"nothing to remove: no unreferenced blob and no partial file)$",
                     repaired.stdout, re.M), repaired.stdout
    verified = _dhakira(tmp_path, "verify", *common)
    assert verified.returncode == 0, verified.stderr
    assert not list((tmp_path / "v" / "blobs").glob(".tmp-*"))


def _can_mount(path: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    path.mkdir()
    tried = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)],
                           capture_output=True)
    if tried.returncode == 0:
        subprocess.run(["umount", str(path)], check=True)
    return tried.returncode == 0


def test_issue16_05_a_full_tmpfs_names_each_file_left_out_and_a_rerun_takes_them_in(
        tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if not _can_mount(disk):
        pytest.skip("needs root and tmpfs to make a real full disk")
    _vault(tmp_path, "made")  # measured, then copied onto the small disk
    size = sum(p.stat().st_size for p in (tmp_path / "made").rglob("*") if p.is_file())
    big = tmp_path / "big"
    for n in range(6):
        files.write(big, f"video{n}.bin", os.urandom(400_000))
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size // 1024 + 1500}k", "tmpfs",
                    str(disk)], check=True)
    try:
        shutil.copytree(tmp_path / "made", disk / "v")
        full = _ingest(tmp_path, "big", vault="disk/v")
        assert full.returncode == 1
        assert "Traceback" not in full.stderr
        left = [line for line in full.stderr.splitlines() if line.startswith("not taken in: ")]
        assert 0 < len(left) < 6
        kept = 6 - len(left)
        assert (f"the disk is full: {kept} item{'s were' if kept != 1 else ' was'} taken in and "
                f"kept; {len(left)} file{'s were' if len(left) != 1 else ' was'} not"
                ) in full.stderr
        assert not list((disk / "v" / "blobs").glob(".tmp-*"))
        subprocess.run(["mount", "-o", "remount,size=8m", str(disk)], check=True)
        again = _ingest(tmp_path, "big", vault="disk/v")
        assert again.returncode == 0, again.stderr
        assert f"took in {len(left)} item{'s' if len(left) != 1 else ''} (" in again.stdout
        assert f"{6 - len(left)} skipped (already taken in from the same path)" in again.stdout
        verified = _dhakira(tmp_path, "verify", "--vault", "disk/v", "--passphrase-file", "pass")
        assert verified.returncode == 0, verified.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=True)


# The blob writer runs out of space on any file over 100 kB (for machines that cannot mount).
NO_ROOM_FOR_BIG = RUN.replace("from dhakira.cli import main", """
import errno
from dhakira.core.vault import blobs
real_encrypt = blobs._encrypt_with_salt
def encrypt(key, fileobj, out, *, salt):
    head = fileobj.read(100_001)
    fileobj.seek(0)
    if len(head) > 100_000:
        raise OSError(errno.ENOSPC, "No space left on device")
    return real_encrypt(key, fileobj, out, salt=salt)
blobs._encrypt_with_salt = encrypt
from dhakira.cli import main""")


def test_issue16_05_the_cli_names_each_file_left_out_on_a_full_disk(tmp_path: Path) -> None:
    _vault(tmp_path)
    for name, size in (("a-small.txt", 10), ("b-video.bin", 300_000), ("c-small.txt", 20),
                       ("d-video.bin", 200_000)):
        files.write(tmp_path / "in", name, b"synthetic " * size)
    full = _python(tmp_path, "-c", NO_ROOM_FOR_BIG, "ingest", "--vault", "v",
                   "--passphrase-file", "pass", "--collector", "amal", "--password-file", "web",
                   "in")
    assert full.returncode == 1 and "Traceback" not in full.stderr
    assert "took in 2 items (0 already held), 0 failed" in full.stdout
    assert [line for line in full.stderr.splitlines() if line.startswith("not taken in")] == [
        "not taken in: in/b-video.bin", "not taken in: in/d-video.bin"]
    assert full.stderr.endswith("dhakira: the disk is full: 2 items were taken in and kept; "
                                "2 files were not (each named above as 'not taken in'); "
                                "nothing partial was kept. Free some space and run the same "
                                "command again: what was already taken in is skipped\n")
    again = _ingest(tmp_path, "in")
    assert again.returncode == 0, again.stderr
    assert "took in 2 items (0 already held), 0 failed, 2 skipped" in again.stdout
