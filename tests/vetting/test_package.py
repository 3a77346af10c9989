"""Issue 21 item 6: a package carries the vetting record, signed with its manifest, and the
recipient's verifier shows each item's vetting status (and ignores a tampered record)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import new_vault_dir
from tests.handover import dossier
from tests.handover.conftest import consent, listed

from dhakira.apps.handover import build as hb
from dhakira.apps.handover import select
from dhakira.apps.vetting.status import set_status
from dhakira.core.handover import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any, tmp_path: Path, cast: dict[str, Any]) -> dossier.Dossier:
    new_vault_dir(settings, tmp_path / "vault")
    d = dossier.build()
    consent(d.base.victim, "granted", by=cast["amal"])
    consent(d.refuser, "refused", by=cast["amal"])
    return d


def _build(world: dossier.Dossier, cast: dict[str, Any], out: Path) -> Any:
    request = hb.Request(selection=select.select(f"event:{world.base.event.uid}"),
                         recipient=listed("International Criminal Court"), purpose="share_icc",
                         policy="anonymised", out_dir=out, make_zip=False)
    return hb.build(request, user=cast["rana"])


def test_the_package_carries_each_items_vetting_and_the_verifier_shows_it(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    info = world.base.information
    set_status(cast["layla"], [info.pk], "under_review", reason="Reason naming nobody")
    set_status(cast["layla"], [info.pk], "corroborated", reason="Second reason")
    res = _build(world, cast, tmp_path / "pkg")
    root = res.package.directory
    record = json.loads((root / "vetting.json").read_text())
    mine = record["items"][info.uid]
    assert mine["status"] == "corroborated"
    assert [s["to"] for s in mine["steps"]] == ["under_review", "corroborated"]
    assert mine["steps"][0]["by"] == f"U-{cast['layla'].pk:06d}"  # staff by id, never user name
    raw = (root / "vetting.json").read_text()
    assert "layla" not in raw and "Reason naming" not in raw
    assert record["items"][world.base.act.uid]["status"] == "corroborated"
    manifest = json.loads((root / "manifest.json").read_text())
    assert any(f["path"] == "vetting.json" and f["role"] == "vetting" for f in manifest["files"])

    shown = subprocess.run([sys.executable, "-m", "dhakira.core.handover.verify", str(root),
                            "--fingerprint", res.package.key_fingerprint],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert f"{info.uid}: corroborated" in shown.stdout
    assert verify.verify_package(str(root)).vetting[info.uid] == "corroborated"

    (root / "vetting.json").write_text(raw.replace("corroborated", "vetted"))
    tampered = verify.verify_package(str(root))
    assert tampered.vetting == {} and any(p.path == "vetting.json" for p in tampered.problems)


def test_a_package_carries_the_charges_brief_signed_and_the_verifier_lists_it(world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 21 item 6: built with the brief, verified, the brief altered -> refused."""
    import io

    from pypdf import PdfReader

    from dhakira.apps.law import services as law
    from dhakira.core.handover.verify import main as verify_main

    charge = law.create_charge(cast["layla"], crime_id="CAH-PERSECUTION", title="Persecution")
    law.record_assessment(cast["layla"], charge, item_uid=world.base.information.uid,
                          element_id="CAH-PER-1", stance="supports", standard="reasonable_grounds")
    request = hb.Request(selection=select.select_charge(charge.uid),
                         recipient=listed("International Criminal Court"), purpose="share_icc",
                         policy="anonymised", out_dir=tmp_path / "pkg", brief_of=charge.uid)
    res = hb.build(request, user=cast["rana"])
    root = res.package.directory
    names = {f"brief/{charge.uid}.{lang}.pdf" for lang in ("ar", "en")}
    manifest = json.loads((root / "manifest.json").read_text())
    assert {f["path"] for f in manifest["files"] if f["role"] == "brief"} == names
    report = verify.verify_package(str(root), fingerprint=res.package.key_fingerprint)
    assert report.ok and set(report.briefs) == names
    # The brief names nobody: no victim, no source, no staff user name.
    for name in names:
        text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO((root / name).read_bytes())).pages)
        assert charge.uid in text
        for secret in ("Noor Hadi", "Saeed Kareem", world.base.source.code_name, "layla", "rana"):
            assert secret not in text, (name, secret)
    shown = subprocess.run([sys.executable, str(root / "verify.py"), str(root),
                            "--fingerprint", res.package.key_fingerprint],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and f"Brief of the charge, checked: brief/{charge.uid}.en.pdf" in shown.stdout

    altered = root / f"brief/{charge.uid}.en.pdf"
    altered.write_bytes(altered.read_bytes().replace(b"%%EOF", b"%%EOF\n% altered"))
    tampered = verify.verify_package(str(root), fingerprint=res.package.key_fingerprint)
    assert not tampered.ok and tampered.briefs == [f"brief/{charge.uid}.ar.pdf"]
    assert [p.kind for p in tampered.problems] == ["altered"]
    assert verify_main([str(root), "--fingerprint", res.package.key_fingerprint]) != 0


def test_a_brief_holding_a_protected_value_stops_the_package(world, cast, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.handover.errors import LeakFound
    from dhakira.apps.law import brief
    from dhakira.apps.law import services as law

    charge = law.create_charge(cast["layla"], crime_id="CAH-PERSECUTION", title="Persecution")
    law.record_assessment(cast["layla"], charge, item_uid=world.base.information.uid,
                          element_id="CAH-PER-1", stance="supports", standard="reasonable_grounds")
    real = brief.render_brief_document

    def leaky(*args: Any, **kwargs: Any) -> Any:  # a brief that, wrongly, names the refuser
        done = real(*args, **kwargs)
        return brief.RenderedBrief(pdf=done.pdf, main_pages=done.main_pages, pages=done.pages,
                                   html=done.html + "<p>Noor Hadi al-Obaidi</p>")

    monkeypatch.setattr(brief, "render_brief_document", leaky)
    request = hb.Request(selection=select.select_charge(charge.uid),
                         recipient=listed("International Criminal Court"), purpose="share_icc",
                         policy="anonymised", out_dir=tmp_path / "pkg", brief_of=charge.uid)
    with pytest.raises(LeakFound, match="brief"):
        hb.build(request, user=cast["rana"])
    assert not (tmp_path / "pkg").exists() or not any((tmp_path / "pkg").iterdir())
