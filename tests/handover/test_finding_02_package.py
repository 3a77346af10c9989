"""Finding 2, the package leg: the author a PDF names in its metadata never leaves in a package.

The author is a protected value of the item (dhakira.apps.evidence.identifying); a native PDF still
carries it, so the leak check must know it and hold the file back.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.evidence import files
from tests.handover import dossier
from tests.handover.conftest import consent, listed

from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.handover import build as hb
from dhakira.apps.handover import select

pytestmark = pytest.mark.django_db

AUTHOR = "Layla Sadiq"  # as long as the fixture's "Test Author", so the PDF's offsets hold


def _all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() + str(p).encode() for p in sorted(root.rglob("*")) if p.is_file())


def test_finding_02_a_pdf_whose_author_is_protected_is_held_back(vault, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    d = dossier.build(with_evidence=False)
    consent(d.base.victim, "granted", by=cast["amal"])
    pdf = files.pdf_bytes().replace(b"/Author (Test Author)", f"/Author ({AUTHOR})".encode())
    item = ingest_stream(io.BytesIO(pdf), name="statement.pdf", origin="test",
                         collection=Collection(collector="rana", method="test upload"))
    item.information = d.base.information
    item.save()
    request = hb.Request(selection=select.select(f"event:{d.base.event.uid}"),
                         recipient=listed("International Criminal Court"), purpose="share_icc",
                         policy="anonymised", out_dir=tmp_path / "pkg", make_zip=True)
    res = hb.build(request, user=cast["rana"])
    assert "holds a protected name or value (1 hit)" in res.plan.blocked[item.uid][0]
    raw = _all_bytes(res.package.directory) + res.zip_path.read_bytes()
    assert AUTHOR.encode() not in raw
