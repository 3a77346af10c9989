"""The evidence item page (issue 17, finding 5): pictures and PDF pages drawn on request from
the encrypted store, each look a custody entry; originals downloaded by those allowed to;
e-mails as headers and body; metadata as labelled fields; the custody timeline in words with
its verification; an upload that says what it took and what it refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from tests.cast import client_for
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.evidence.models import EvidenceItem

pytestmark = pytest.mark.django_db

SENDER = "qzxsender@example.org"


def _take(data: bytes, name: str, *, compartment: str = "", graphic: bool = False
          ) -> EvidenceItem:
    return ingest_stream(io.BytesIO(data), name=name, origin="usb", collection=Collection(
        collector="rana", method="handed over", compartment=compartment, graphic=graphic))


def _page(item: EvidenceItem, page: int = 1) -> str:
    return reverse("evidence:picture", args=[item.uid, page])


def _views(item: EvidenceItem) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(subject=item.uid, action="other"))


def test_finding_17_05_a_photo_is_drawn_without_its_exif_and_the_look_is_recorded(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(files.jpeg_with_author_and_gps(artist="Qzxartist"), "photo.jpg")
    response = client_for("victor").get(_page(item))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "no-store, max-age=0"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert b"Qzxartist" not in response.content and b"TestCam" not in response.content
    assert not Image.open(io.BytesIO(response.content)).getexif()
    [look] = _views(item)
    assert (look.actor, look.detail) == ("victor", {"event": "view", "rendition": "picture",
                                                    "page": 1})
    assert client_for("victor").get(_page(item, 2)).status_code == 404


def test_finding_17_05_a_pdf_page_is_drawn_one_page_at_a_time(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(files.pdf_bytes(), "report.pdf")
    response = client_for("samir").get(_page(item))
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    assert response["Cache-Control"] == "no-store, max-age=0"
    assert client_for("samir").get(_page(item, 2)).status_code == 404  # it has one page
    assert [e.detail["page"] for e in _views(item)] == [1]
    body = client_for("samir").get(reverse("evidence:item_detail", args=[item.uid])).content.decode()
    assert _page(item) in body and _page(item, 2) not in body
    assert "Page 1 looked at by samir on" in body


def test_finding_17_05_a_restricted_item_is_neither_drawn_nor_downloaded_for_outsiders(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(files.pdf_bytes(), "report.pdf", compartment="sources")
    for who in ("samir", "victor", "oscar"):
        client = client_for(who)
        assert client.get(_page(item)).status_code == 404, who
        assert client.get(reverse("evidence:original", args=[item.uid])).status_code == 404, who
    assert not _views(item)
    assert client_for("rana").get(_page(item)).status_code == 200


def test_finding_17_05_the_original_is_downloaded_by_whom_it_may_be(cast) -> None:  # type: ignore[no-untyped-def]
    text = _take("نص الشهادة".encode(), "شهادة.txt")
    mail = _take(files.eml_bytes(sender=SENDER), "tip.eml")  # its bytes name the sender
    url = reverse("evidence:original", args=[text.uid])
    response = client_for("samir").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "نص الشهادة".encode()
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{text.uid}.txt"'
    assert response["Cache-Control"] == "no-store, max-age=0"
    [entry] = _views(text)
    assert (entry.actor, entry.detail, entry.subject_hash) == ("samir", {"event": "download"},
                                                               text.sha256)
    assert client_for("victor").get(url).status_code == 403  # a viewer looks, never takes away
    mail_url = reverse("evidence:original", args=[mail.uid])
    assert client_for("samir").get(mail_url).status_code == 403  # not cleared for its sender
    assert client_for("rana").get(mail_url).status_code == 200
    page = client_for("samir").get(reverse("evidence:item_detail", args=[mail.uid])).content.decode()
    assert mail_url not in page


def test_finding_17_05_an_email_shows_its_senders_only_when_revealed(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(files.eml_bytes(sender=SENDER, attachment=files.pdf_bytes()), "tip.eml")
    attachment = item.family.get()
    url = reverse("evidence:item_detail", args=[item.uid])
    viewer = client_for("victor").get(url).content.decode()
    assert SENDER not in viewer and "desk@example.org" not in viewer
    assert viewer.count('<span class="muted">protected</span>') == 2  # From, To
    assert files.ARABIC_TEXT in viewer and "تقرير" in viewer  # body and subject
    assert f'href="/evidence/{attachment.uid}/"' in viewer
    # Cleared for sources or not, opening the page shows no sender (finding 02): a cleared
    # reader reveals them with a reason, in custody.
    cleared = client_for("rana").get(url).content.decode()
    assert SENDER not in cleared and "desk@example.org" not in cleared
    assert reverse("evidence:reveal", args=[item.uid]) in cleared
    assert [e.detail for e in _views(item)] == [{"event": "view", "rendition": "email"}] * 2


def test_finding_17_05_metadata_is_shown_as_labelled_fields(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(files.jpeg_with_author_and_gps(artist="Qzxartist"), "photo.jpg")
    item.metadata.data["exif"]["QzxUnknownTag"] = "odd"
    item.metadata.save()
    body = client_for("victor").get(reverse("evidence:item_detail", args=[item.uid])).content.decode()
    assert "Camera maker</dt><dd><bdi>TestCam</bdi>" in body
    assert "Taken</dt><dd><bdi>2014:10:14 09:30:00</bdi>" in body
    assert '<dt dir="ltr">QzxUnknownTag</dt><dd><bdi>odd</bdi>' in body
    assert "{" not in body.split("Metadata</h2>")[1].split("</section>")[0]  # no raw JSON
    assert "Qzxartist" not in body
    arabic = client_for("victor", "ar").get(reverse("evidence:item_detail", args=[item.uid]))
    assert "صانع الكاميرا" in arabic.content.decode()


def test_finding_17_05_the_custody_timeline_is_in_words_and_verified(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(files.pdf_bytes(), "report.pdf")
    when = LedgerEntry.objects.get(subject=item.uid, action="intake").timestamp
    url = reverse("evidence:item_detail", args=[item.uid])
    body = client_for("samir").get(url).content.decode()
    day = f"{int(when[8:10])} "
    assert f"Received by rana on {day}" in body and f" at {when[11:16]} UTC" in body
    assert "Text extracted on" in body and "Chain verified" in body
    arabic = client_for("samir", "ar").get(url).content.decode()
    assert "استلمها rana في" in arabic and "تم التحقق من السلسلة" in arabic


def test_finding_17_05_an_edited_custody_entry_shows_the_chain_not_verified(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(files.pdf_bytes(), "report.pdf")
    # An edit straight in the database, past the append-only model: the hash no longer fits.
    LedgerEntry.objects.filter(subject=item.uid, action="intake").update(actor="mallory")
    body = client_for("samir").get(reverse("evidence:item_detail", args=[item.uid])).content.decode()
    assert "Chain verified" not in body and "NOT verified" in body
    assert "the content does not match its entry_hash" in body
    assert "Received by mallory" in body


def test_finding_17_05_a_graphic_picture_is_blurred_until_asked_for(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(files.jpeg_with_gps(), "photo.jpg", graphic=True)
    body = client_for("victor").get(reverse("evidence:item_detail", args=[item.uid])).content.decode()
    assert 'class="shown graphic-hidden"' in body
    assert '<button type="button" class="reveal-graphic" aria-pressed="false"' in body
    plain = _take(files.jpeg_with_author_and_gps(), "other.jpg")
    body = client_for("victor").get(reverse("evidence:item_detail", args=[plain.uid])).content.decode()
    assert "graphic-hidden" not in body and "reveal-graphic" not in body


def test_finding_17_05_a_partly_refused_upload_says_what_was_taken_and_why_not(cast) -> None:  # type: ignore[no-untyped-def]
    def post(language: str, accept: str = "text/html") -> object:
        good = SimpleUploadedFile("شهادة.txt", "نص".encode() + language.encode())
        empty = SimpleUploadedFile("empty.txt", b"")
        return client_for("rana", language).post(reverse("evidence:upload"), {
            "files": [good, empty], "method": "handed over"}, HTTP_ACCEPT=accept)

    body = post("en").content.decode()  # type: ignore[attr-defined]
    uid = EvidenceItem.objects.get().uid
    assert "1 item taken in. 1 file refused:" in body
    assert f'<a class="uid" href="/evidence/{uid}/">{uid}</a>' in body
    assert "<bdi>empty.txt</bdi> was refused: the file is empty" in body
    arabic = post("ar").content.decode()  # type: ignore[attr-defined]
    assert "<bdi>empty.txt</bdi> رُفض: الملف فارغ" in arabic
    data = post("en", "application/json").json()  # type: ignore[attr-defined]
    assert data["summary"] == "1 item taken in. 1 file refused:"
    assert data["taken"] == [{"uid": data["items"][0], "url": f"/evidence/{data['items'][0]}/"}]
    assert data["refused"] == [{"name": "empty.txt", "reason": "the file is empty"}]


def test_a_long_pdf_offers_its_first_50_pages_and_says_so(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take(files.pdf_bytes(), "long.pdf")
    item.metadata.data["pages"] = 120  # as pypdf would count a long report
    item.metadata.save()
    body = client_for("samir").get(reverse("evidence:item_detail", args=[item.uid])).content.decode()
    assert body.count('loading="lazy"') == 50 and _page(item, 50) in body
    assert _page(item, 51) not in body
    assert "The first 50 pages of 120 are shown" in body
    assert not _views(item)  # offering pages is no look: the browser asks for each
