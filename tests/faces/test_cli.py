"""`dhakira faces` on a real vault, in its own process: every picture not yet looked at is
looked at, a picture too large is named with the reason and the exit status says so, and a
second run finds nothing left to do."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from tests.clivault import new_vault, run
from tests.evidence import files
from tests.faces import drawn

pytestmark = pytest.mark.backend_independent


def test_faces_looks_at_each_picture_once_and_names_the_one_it_cannot(tmp_path: Path) -> None:
    vault = new_vault(tmp_path)
    common = ["--vault", str(vault), "--passphrase-file", str(tmp_path / "pass")]
    actor = ["--actor", "amal", "--password-file", str(tmp_path / "web")]
    inbox = tmp_path / "inbox"
    files.write(inbox, "scene.jpg", drawn.face_jpeg())
    files.write(inbox, "house.png", drawn.no_face_png())
    wide = io.BytesIO()
    Image.new("L", (50_000, 2)).save(wide, "PNG")
    files.write(inbox, "strip.png", wide.getvalue())
    taken = run("ingest", *common, "--collector", "amal", "--password-file",
                str(tmp_path / "web"), str(inbox))
    # All three are kept; the strip is too wide for OCR too, which ingest names (exit 1).
    assert taken.returncode == 1 and "1 item kept without its text" in taken.stderr, taken.stderr

    first = run("faces", *common, *actor)
    assert first.returncode == 1
    assert "looked at 3 pictures; faces found to decide: 1; failed: 1" in first.stdout
    assert "faces not looked for: EV-" in first.stderr and "50000 × 2 pixels" in first.stderr
    assert "Traceback" not in first.stderr

    again = run("faces", *common, *actor)
    assert again.returncode == 0, again.stderr
    assert "looked at 0 pictures; faces found to decide: 0; failed: 0" in again.stdout
