"""Looking for faces writes no plaintext byte of the picture to the disk: `dhakira faces` under
strace, over a PNG that carries a canary in a text chunk (so its bytes hold the canary as is).
The picture is decrypted in memory and goes to the limited child through a pipe; the child
may write no file at all."""

from __future__ import annotations

import io
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import PngImagePlugin
from tests import diskwatch
from tests.clivault import clean_env, new_vault, run
from tests.evidence import files
from tests.faces import drawn

pytestmark = [pytest.mark.backend_independent,
              pytest.mark.skipif(diskwatch.available() is not None,
                                 reason=str(diskwatch.available()))]


def test_looking_for_faces_writes_no_plaintext(tmp_path: Path) -> None:
    vault = new_vault(tmp_path)
    common = ["--vault", str(vault), "--passphrase-file", str(tmp_path / "pass")]
    canary = f"CANARY{secrets.token_hex(8)}"
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", canary * 50)
    picture = io.BytesIO()
    drawn.scene(200).save(picture, "PNG", pnginfo=info)
    assert canary.encode() in picture.getvalue()
    files.write(tmp_path / "in", "scene.png", picture.getvalue())
    taken = run("ingest", *common, "--collector", "amal", "--password-file",
                str(tmp_path / "web"), str(tmp_path / "in"))
    assert taken.returncode == 0, taken.stderr
    (tmp_path / "in" / "scene.png").unlink()

    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    env = {**clean_env(), "TMPDIR": str(tmp), "DHAKIRA_SPOOL_MEMORY_MB": "0"}
    log = tmp_path / "trace"
    argv = [sys.executable, "-m", "dhakira.cli", "faces", *common, "--actor", "amal",
            "--password-file", str(tmp_path / "web")]
    done = subprocess.run(diskwatch.command(log, argv), env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert "faces found to decide: 1" in done.stdout
    report = diskwatch.read(log, [canary.encode()])
    assert not report.leaks, report.leaks[:20]
    assert not diskwatch.files_holding([vault, tmp], [canary.encode()])
    # The watch saw the look recorded in the vault's database: it was watching the writes.
    assert any(p.startswith(str(vault)) for p in report.written), report.written
