"""Backups that restore, through the real CLI: while a writer saves, killed mid-way, tampered."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.cli.keys_helpers import custody_events, env, ingest, make_vault, run
from tests.writers_load import write_folder

# Each test makes its own embedded vault in its own processes: the PostgreSQL leg skips them.
pytestmark = pytest.mark.backend_independent


def backup(vault: Path, target: Path, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    return run("backup", "--vault", str(vault), "--passphrase-file", str(vault.parent / "pass"),
               "--to", str(target), kill_at=kill_at)


def restore(source: Path, dest: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Restore into ``dest`` beside the vault, whose passphrase file it shares."""
    return run("restore", "--from", str(source), "--to", str(dest), "--passphrase-file",
               str(source.parent / "pass"), *extra)


def verified(vault: Path) -> str:
    result = run("verify", "--vault", str(vault), "--passphrase-file", str(vault.parent / "pass"))
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def used(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("backup")
    vault = make_vault(base)
    done = ingest(vault, write_folder(base / "first", 6, "first"))
    assert done.returncode == 0, done.stderr
    return vault


# A writer that keeps saving evidence, one file at a time, until told to stop.
_WRITER = """
import sys, secrets
from pathlib import Path
from dhakira.apps.vault import runtime
vault, folder, stop = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
runtime.open_vault(vault, (vault.parent / "pass").read_text().splitlines()[0])
from dhakira.apps.evidence.intake import Collection, ingest_paths
n = 0
while not stop.exists():
    path = folder / f"w{n}.txt"
    path.write_text(f"synthetic note {n} {secrets.token_hex(8)}\\n" * 30)
    ingest_paths([path], collection=Collection(collector="amal", method="file copy"))
    n += 1
    (folder / "saved.new").write_text(str(n))
    (folder / "saved.new").replace(folder / "saved")  # whole: never read half-written
print(n)
"""


def test_a_backup_made_while_a_writer_saves_restores_and_verifies(used: Path) -> None:
    base = used.parent
    folder, stop = base / "busy", base / "stop"
    folder.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(used), str(folder), str(stop)],
                              env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (folder / "saved").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        first = backup(used, base / "bk")
        assert first.returncode == 0, first.stderr
        saved_during = int((folder / "saved").read_text())
        assert writer.poll() is None  # still saving when the backup ended
        # ...and it saves again after it (waited for: on a loaded machine the next save may
        # take longer than the few statements between here and the stop).
        while int((folder / "saved").read_text()) <= saved_during and \
                time.monotonic() < deadline + 120:
            time.sleep(0.05)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert int(out) > saved_during >= 1
    held = len(list((base / "bk" / "blobs").glob("*/*")))
    second = backup(used, base / "bk")
    assert second.returncode == 0, second.stderr
    new = int(re.search(r"\((\d+) new\)", second.stdout).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) blobs", second.stdout).group(1))  # type: ignore[union-attr]
    assert new == total - held > 0  # incremental: only what the first snapshot lacked was copied
    snaps = sorted(p.name for p in (base / "bk" / "snapshots").iterdir())
    assert len(snaps) == 2
    for number, snap in enumerate(snaps):
        dest = base / f"restored{number}"
        result = restore(base / "bk", dest, "--snapshot", snap)
        assert result.returncode == 0, result.stderr
        assert "ok:" in verified(dest)
    events = [e["event"] for e in custody_events(base / "restored1")]
    assert events.count("backup written") == 1  # the first; the second is in the live vault
    assert events[-1] == "restored from backup"
    assert [e["event"] for e in custody_events(used)].count("backup written") == 2


@pytest.mark.parametrize("point", ["backup:database", "backup:blob#2", "backup:manifest"])
def test_a_backup_killed_midway_leaves_the_previous_one_to_restore(tmp_path: Path, point: str) -> None:
    vault = make_vault(tmp_path)
    assert ingest(vault, write_folder(tmp_path / "a", 2, "a")).returncode == 0
    good = backup(vault, tmp_path / "bk")
    assert good.returncode == 0, good.stderr
    assert ingest(vault, write_folder(tmp_path / "b", 3, "b")).returncode == 0
    killed = backup(vault, tmp_path / "bk", kill_at=point)
    assert killed.returncode == -9, killed.stderr
    snaps = list((tmp_path / "bk" / "snapshots").iterdir())
    assert any(p.name.startswith(".partial-") for p in snaps)
    result = restore(tmp_path / "bk", tmp_path / "back")
    assert result.returncode == 0, result.stderr
    assert good.stdout.split()[2] in result.stdout  # the previous good snapshot
    assert "ok: " in verified(tmp_path / "back")
    again = backup(vault, tmp_path / "bk")
    assert again.returncode == 0, again.stderr
    assert not any(p.name.startswith(".") for p in (tmp_path / "bk" / "snapshots").iterdir())


@pytest.mark.parametrize("damage", ["blob", "database", "manifest", "missing", "renamed"])
def test_a_tampered_backup_is_refused_with_one_line(used: Path, tmp_path: Path, damage: str) -> None:
    target = tmp_path / "bk"
    made = backup(used, target)
    assert made.returncode == 0, made.stderr
    snapshot = next((target / "snapshots").iterdir())
    if damage == "blob":
        victim = sorted((target / "blobs").glob("*/*"))[0]
        data = bytearray(victim.read_bytes())
        data[100] ^= 1
        victim.write_bytes(bytes(data))
    elif damage == "database":
        with open(snapshot / "dossier.db", "r+b") as handle:
            handle.seek(5000)
            byte = handle.read(1)
            handle.seek(5000)
            handle.write(bytes([byte[0] ^ 1]))
    elif damage == "manifest":
        text = (snapshot / "manifest.json").read_text()
        (snapshot / "manifest.json").write_text(text.replace('"backend": "sqlcipher"',
                                                             '"backend": "postgresql"'))
    elif damage == "renamed":  # an older snapshot named as the newest (found by a red team)
        snapshot.rename(snapshot.with_name("20991231T000000000000Z"))
    else:
        sorted((target / "blobs").glob("*/*"))[-1].unlink()
    (tmp_path / "pass").write_text((used.parent / "pass").read_text())
    result = run("restore", "--from", str(target), "--to", str(tmp_path / "back"),
                 "--passphrase-file", str(tmp_path / "pass"))
    assert result.returncode == 5
    assert result.stderr.count("\n") == 1 and "the backup was changed or is damaged" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "back").exists()
    assert not [p for p in tmp_path.iterdir() if "restoring" in p.name]
