"""`dhakira ingest`, `verify` and `search` on a real vault, each in its own process."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from tests import warm
from tests.clivault import new_vault
from tests.conftest import SUITE_ENV
from tests.evidence import files


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    return warm.python("-m", "dhakira.cli", *args, env=env, timeout=300)


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("evcli")
    new_vault(base)
    inbox = base / "inbox"
    files.write(inbox, "tip.eml", files.eml_bytes(attachment=files.pdf_bytes()))
    files.write(inbox, "notes/شهادة.txt", "شهادة عن مكتب الحسبة".encode())
    files.write(inbox, "evil.zip", files.zip_bytes({"../../x": b"x"}))
    return base / "v"


def _common(vault: Path) -> list[str]:
    return ["--vault", str(vault), "--passphrase-file", str(vault.parent / "pass")]


@pytest.fixture(scope="module")
def ingested(vault: Path) -> subprocess.CompletedProcess[str]:
    """The inbox, ingested once; tests that need items depend on this, not on test order."""
    return run("ingest", *_common(vault), "--collector", "amal", "--password-file",
               str(vault.parent / "web"), str(vault.parent / "inbox"))


def test_ingest_takes_the_good_files_names_the_bad_and_exits_non_zero(
        ingested: subprocess.CompletedProcess[str]) -> None:
    result = ingested
    assert result.returncode == 1
    assert "evil.zip: entry '../../x' has a path that climbs out" in result.stderr
    assert "Traceback" not in result.stderr
    assert "took in 3 items (0 already held), 1 failed" in result.stdout


def test_ingest_requires_a_collector(vault: Path) -> None:
    result = run("ingest", *_common(vault), str(vault.parent / "inbox" / "tip.eml"))
    assert result.returncode == 64 and "--collector" in result.stderr


def test_verify_passes_then_names_a_tampered_blob_and_exits_5(
        vault: Path, ingested: subprocess.CompletedProcess[str]) -> None:
    ok = run("verify", *_common(vault))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok: ")
    search = run("search", *_common(vault), "الحسبه")
    assert search.returncode == 0, search.stderr
    hits = [json.loads(line) for line in search.stdout.splitlines()]
    assert {h["kind"] for h in hits} == {"information", "evidence"}
    assert all("[[الحسبة]]" in h["snippet"] for h in hits)
    blob = next(p for p in (vault / "blobs").glob("*/*") if p.is_file())
    data = bytearray(blob.read_bytes())
    data[-1] ^= 0xFF
    blob.write_bytes(bytes(data))
    bad = run("verify", *_common(vault))
    assert bad.returncode == 5
    assert "blob altered: EV-" in bad.stderr and "1 integrity problem found" in bad.stderr


def test_walk_verify_counts_one_blob_as_one_blob_in_both_languages(tmp_path: Path) -> None:
    """'ok: … 1 items, 1 blobs' read wrong: each count in its own words, in both languages."""
    new_vault(tmp_path)
    vault = tmp_path / "v"
    files.write(tmp_path / "one", "note.txt", "ملاحظة اصطناعية واحدة".encode())
    took = run("ingest", *_common(vault), "--collector", "amal", "--password-file",
               str(tmp_path / "web"), str(tmp_path / "one" / "note.txt"))
    assert took.returncode == 0, took.stderr
    english = run("verify", *_common(vault))
    assert english.returncode == 0, english.stderr
    line = english.stdout.splitlines()[0]
    assert ", 1 item, 1 blob (" in line and " bytes) verified" in line, line
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    arabic = warm.python("-m", "dhakira.cli", "verify", *_common(vault),
                         env={**env, "DHAKIRA_LANG": "ar"}, timeout=300)
    assert arabic.returncode == 0, arabic.stderr
    assert arabic.stdout.startswith("سليم: تحقّق من قيود السجل (") and "الكتل (1)" in arabic.stdout
    assert "blob" not in arabic.stdout and "item" not in arabic.stdout
