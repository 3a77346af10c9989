"""Faces offered to the analyst (issue 20, item 3): found in the stored original, shown over the
picture on the item page in both languages, confirmed, rejected or drawn by hand, each step
a custody entry; only analysts decide; a restricted item answers 404 to the uncleared."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from tests.cast import client_for
from tests.faces import drawn

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.faces import services
from dhakira.apps.faces.models import Face, Scan
from dhakira.core.faces import Box, FacesError

pytestmark = pytest.mark.django_db


def _take(data: bytes, name: str = "scene.jpg", *, compartment: str = "") -> EvidenceItem:
    return ingest_stream(io.BytesIO(data), name=name, origin="usb", collection=Collection(
        collector="rana", method="handed over", compartment=compartment))


def _entries(item: EvidenceItem, action: str) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(subject=item.uid, action=action).order_by("seq"))


def _faces_entries(item: EvidenceItem) -> list[dict[str, object]]:
    return [e.detail for e in LedgerEntry.objects.filter(subject=item.uid).order_by("seq")
            if str(e.detail.get("kind", "")).startswith("face")]


def test_a_look_stores_each_face_as_a_proposal_with_a_custody_entry(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(drawn.face_jpeg())
    scan = services.scan(item, actor="samir")
    assert (scan.state, scan.width, scan.height) == ("done", 400, 400)
    [face] = Face.objects.filter(item=item)
    assert (face.origin, face.decision) == ("detector", "")
    assert 150 <= face.w <= 260
    [entry] = [e for e in _entries(item, "other") if e.detail.get("kind") == "faces_detected"]
    assert entry.actor == "samir" and entry.detail["count"] == 1
    assert entry.subject_hash == item.sha256
    # Looked at once: a second look changes nothing and writes nothing.
    assert services.scan(item, actor="samir").pk == scan.pk
    assert Face.objects.filter(item=item).count() == 1 and len(_faces_entries(item)) == 1


def test_a_picture_too_large_is_recorded_as_failed_with_the_reason(cast) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (50_000, 2)).save(out, "PNG")
    item = _take(out.getvalue(), "strip.png")
    scan = services.scan(item, actor="samir")
    assert scan.state == "failed" and "50000 × 2 pixels" in scan.reason
    assert [d["kind"] for d in _faces_entries(item)] == ["faces_failed"]
    with pytest.raises(FacesError, match="look for faces in the picture first"):
        services.add(item, Box(0, 0, 1, 1), actor="samir")


def test_decisions_and_a_face_drawn_by_hand_are_each_a_custody_entry(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(drawn.face_png(), "scene.png")
    services.scan(item, actor="samir")
    [face] = Face.objects.filter(item=item)
    services.decide(face, actor="samir", confirmed=False)
    services.decide(face, actor="layla", confirmed=True)
    drawn_face = services.add(item, Box(10, 10, 40, 50), actor="samir")
    assert (drawn_face.origin, drawn_face.decision) == ("analyst", "confirmed")
    with pytest.raises(FacesError, match="reaches outside"):
        services.add(item, Box(390, 390, 20, 20), actor="samir")
    decisions = [(e.actor, e.detail["decision"], e.detail["box"]) for e in _entries(item, "decision")]
    assert decisions == [("samir", "rejected", face.box.as_text()),
                         ("layla", "confirmed", face.box.as_text()),
                         ("samir", "added", "10,10,40,50")]
    face.refresh_from_db()
    assert (face.decision, face.decided_by) == ("confirmed", "layla")


@pytest.mark.parametrize("lang, words", [
    ("en", ["Faces", "Confirm face 1: blur it", "Mark a face by hand", "awaits a decision"]),
    ("ar", ["الوجوه", "تأكيد الوجه 1: يُطمَس", "تحديد وجه باليد", "ينتظر قرارًا"]),
])
def test_the_item_page_shows_the_boxes_over_the_picture_and_a_decision_for_each(
        cast, lang: str, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    item = _take(drawn.face_jpeg())
    services.scan(item, actor="samir")
    [face] = Face.objects.filter(item=item)
    page = client_for("samir", lang=lang).get(reverse("evidence:item_detail", args=[item.uid]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<rect x="{face.x}" y="{face.y}" width="{face.w}" height="{face.h}"' in html
    assert 'viewBox="0 0 400 400"' in html
    for word in words:
        assert word in html, word
    assert reverse("faces:decide", args=[item.uid, face.pk]) in html


def test_only_analysts_decide_and_writers_may_ask_for_a_look(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(drawn.face_jpeg())
    look = reverse("faces:look", args=[item.uid])
    assert client_for("victor").post(look).status_code == 403  # a viewer
    page = client_for("rana").get(reverse("evidence:item_detail", args=[item.uid])).content
    assert b"Look for faces" in page
    assert client_for("rana").post(look).status_code == 302  # a documenter may ask
    [face] = Face.objects.filter(item=item)
    decide = reverse("faces:decide", args=[item.uid, face.pk])
    for who in ("rana", "victor"):
        assert client_for(who).post(decide, {"decision": "confirmed"}).status_code == 403
    page = client_for("rana").get(reverse("evidence:item_detail", args=[item.uid])).content
    assert b"Confirm face 1" not in page  # no button for who may not press it
    answer = client_for("samir").post(decide, {"decision": "confirmed"})
    assert answer.status_code == 302 and answer["Location"].endswith("#faces")
    face.refresh_from_db()
    assert face.decision == "confirmed"
    assert client_for("samir").post(decide, {"decision": "maybe"}).status_code == 404
    add = reverse("faces:add", args=[item.uid])
    client_for("samir").post(add, {"x": "5", "y": "6", "w": "30", "h": "40"})
    client_for("samir").post(add, {"x": "5", "y": "6", "w": "0", "h": "40"})  # refused
    client_for("samir").post(add, {"x": "395", "y": "6", "w": "30", "h": "40"})  # outside
    assert [f.box.as_list() for f in Face.objects.filter(item=item, origin="analyst")] == [
        [5, 6, 30, 40]]


def test_a_restricted_picture_is_404_to_the_uncleared(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(drawn.face_jpeg(), compartment="sources")
    services.scan(item, actor="amal")
    [face] = Face.objects.filter(item=item)
    for url, data in [(reverse("faces:look", args=[item.uid]), {}),
                      (reverse("faces:decide", args=[item.uid, face.pk]), {"decision": "rejected"}),
                      (reverse("faces:add", args=[item.uid]), {"x": 1, "y": 1, "w": 5, "h": 5})]:
        assert client_for("samir").post(url, data).status_code == 404
    face.refresh_from_db()
    assert face.decision == ""


def test_scan_pending_looks_at_every_picture_once_and_names_failures(cast) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    first = _take(drawn.face_png(), "a.png")
    _take(drawn.no_face_png(), "b.png")
    _take(b"plain text, no picture", "c.txt")
    out = io.BytesIO()
    Image.new("L", (2, 30_000)).save(out, "PNG")
    tall = _take(out.getvalue(), "tall.png")
    report = services.scan_pending(actor="samir")
    assert (report.looked, report.found) == (3, 1)
    assert [uid for uid, _ in report.failed] == [tall.uid]
    assert Scan.objects.count() == 3 and Scan.objects.filter(item=first).exists()
    again = services.scan_pending(actor="samir")  # resumed: nothing is left to look at
    assert (again.looked, again.found, again.failed) == (0, 0, ())
