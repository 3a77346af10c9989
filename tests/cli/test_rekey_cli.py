"""`dhakira rekey` through the real CLI: a new data key everywhere, and kill -9 at any point."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.cli.keys_helpers import custody_events, ingest, make_vault, run, secret
from tests.writers_load import write_folder

# Each test makes its own embedded vault in its own processes: the PostgreSQL leg skips them.
pytestmark = pytest.mark.backend_independent

NEW = "a fresh passphrase nobody was forced to give"
RANA = "rana keeps her own long passphrase"
VICTOR = "victor's slot is not trusted any more"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault with evidence, three passphrase slots and a recovery slot."""
    base = tmp_path_factory.mktemp("rekey")
    vault = make_vault(base)
    assert ingest(vault, write_folder(base / "files", 4, "rekey")).returncode == 0
    for label, passphrase in (("rana", RANA), ("victor", VICTOR)):
        added = run("keyslot", "add", "--vault", str(vault), "--passphrase-file", str(base / "pass"),
                    "--label", label, "--new-passphrase-file", str(secret(base, label, passphrase)))
        assert added.returncode == 0, added.stderr
    split = run("recovery", "split", "--vault", str(vault), "--passphrase-file", str(base / "pass"),
                "--shares", "2", "--threshold", "2")
    assert split.returncode == 0, split.stderr
    secret(base, "new", NEW)
    return vault


def copy_of(template: Path, tmp_path: Path) -> Path:
    for name in ("pass", "web", "new", "rana", "victor"):
        shutil.copy(template.parent / name, tmp_path / name)
    shutil.copytree(template, tmp_path / "v")
    return tmp_path / "v"


def rekey(vault: Path, passphrase: str = "pass", kill_at: str | None = None):  # type: ignore[no-untyped-def]
    base = vault.parent
    return run("rekey", "--vault", str(vault), "--passphrase-file", str(base / passphrase),
               "--new-passphrase-file", str(base / "new"), "--keep-passphrase-file",
               str(base / "rana"), kill_at=kill_at)


def opens(vault: Path, passphrase: str) -> int:
    return run("verify", "--vault", str(vault), "--passphrase-file",
               str(vault.parent / passphrase)).returncode


def assert_rekeyed(vault: Path, before: dict[str, bytes]) -> None:
    assert opens(vault, "new") == 0 and opens(vault, "rana") == 0  # verify passes
    assert opens(vault, "pass") == 2 and opens(vault, "victor") == 2  # the old passphrase and
    assert not list((vault / "keyslots").glob("recovery-*"))  # untrusted slots open nothing
    assert not (vault / "rekey").exists()
    after = {str(p.relative_to(vault)): p.read_bytes() for p in vault.rglob("*") if p.is_file()}
    blob_names = {k for k in before if k.startswith("blobs/")}
    assert blob_names and not blob_names & set(after)  # every blob re-encrypted, renamed
    assert before["dossier.db"][:4096] != after["dossier.db"][:4096]
    assert before["signing.pub"] == after["signing.pub"]  # one signer across the rekey
    events = custody_events(vault, NEW)
    finished = [e for e in events if e["event"] == "rekey finished"]
    assert len(finished) == 1 and finished[0]["kept"] == "amal rana"
    assert finished[0]["dropped"] == 1 and finished[0]["recovery_dropped"] == 1
    assert [e["event"] for e in events].count("rekey started") >= 1


def snapshot(vault: Path) -> dict[str, bytes]:
    return {str(p.relative_to(vault)): p.read_bytes() for p in vault.rglob("*") if p.is_file()}


def test_rekey_replaces_the_key_everywhere_and_keeps_only_trusted_slots(template: Path,
                                                                       tmp_path: Path) -> None:
    vault = copy_of(template, tmp_path)
    before = snapshot(vault)
    result = rekey(vault)
    assert result.returncode == 0, result.stderr
    assert "key slots kept: amal, rana" in result.stdout and "recovery split" in result.stderr
    assert_rekeyed(vault, before)


@pytest.mark.parametrize(("point", "resume_with"), [
    ("rekey:slots", "pass"),
    ("rekey:blob#2", "pass"),
    ("rekey:staged", "new"),
    ("rekey:moved#1", "pass"),  # the database is in place, nothing else
    ("rekey:aside#1", "rana"),  # the old blobs moved aside, the new not yet in
    ("rekey:aside#2", "new"),  # the old key slots moved aside, the new not yet in
    ("rekey:moved#4", "pass"),  # the new key slots in place: the old passphrase still resumes
    ("rekey:rows", "new"),
    ("rekey:recorded", "new"),
])
def test_rekey_killed_at_any_point_completes_on_rerun(template: Path, tmp_path: Path,
                                                              point: str, resume_with: str) -> None:
    vault = copy_of(template, tmp_path)
    before = snapshot(vault)
    killed = rekey(vault, kill_at=point)
    assert killed.returncode == -9, killed.stderr
    if point != "rekey:slots":  # until the journal is written nothing has changed
        refused = run("verify", "--vault", str(vault), "--passphrase-file", str(tmp_path / "pass"))
        assert refused.returncode == 6 and "rekey" in refused.stderr
        assert refused.stderr.count("\n") == 1
    again = rekey(vault, resume_with)
    assert again.returncode == 0, again.stderr
    assert_rekeyed(vault, before)
