"""Issue 17: an evidence item's type and size in words, in the reader's language. Lists and
search hits said ``text/plain`` and ``application/vnd.openxmlformats-…`` on Arabic pages, and
sizes were bare byte counts; the item page keeps the exact type and byte count beside them."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from tests.cast import client_for
from tests.dossier.intake_data import post_data
from tests.dossier.test_views_intake import URL
from tests.evidence import files

from dhakira.apps.dossier.models import Information
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.evidence.models import EvidenceItem

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = [
    ("image/jpeg", "image", "صورة"),
    ("image/png", "image", "صورة"),
    ("application/pdf", "PDF document", "مستند PDF"),
    ("message/rfc822", "e-mail", "رسالة بريد إلكتروني"),
    ("application/mbox", "e-mail", "رسالة بريد إلكتروني"),
    ("application/vnd.ms-outlook", "e-mail", "رسالة بريد إلكتروني"),
    ("text/plain", "plain text", "نص عادي"),
    ("text/plain; charset=utf-8", "plain text", "نص عادي"),
    ("text/html", "text", "نص"),
    ("audio/mpeg", "audio", "تسجيل صوتي"),
    ("video/mp4", "video", "مقطع فيديو"),
    (DOCX, "word-processor document", "مستند معالج نصوص"),
    ("application/msword", "word-processor document", "مستند معالج نصوص"),
    ("application/vnd.oasis.opendocument.spreadsheet", "spreadsheet", "جدول بيانات"),
    ("text/csv", "spreadsheet", "جدول بيانات"),
    ("application/zip", "archive", "ملف مضغوط"),
    ("APPLICATION/PDF", "PDF document", "مستند PDF"),
    ("application/octet-stream", "file", "ملف"),
    ("chemical/x-pdb", "file", "ملف"),
    ("", "file", "ملف"),
    (None, "file", "ملف"),
]


def _render(text: str, **values: object) -> str:
    return Template("{% load labels %}" + text).render(Context(values))


@pytest.mark.parametrize(("mime", "english", "arabic"), KINDS)
def test_the_filter_names_each_kind_of_file_in_both_languages(mime, english, arabic) -> None:  # type: ignore[no-untyped-def]
    for lang, words in (("en", english), ("ar", arabic)):
        with translation.override(lang):
            assert _render("{{ mime|file_kind }}", mime=mime) == words, lang


@pytest.mark.parametrize(("size", "english", "arabic"), [
    (5, "5 bytes", "5 بايت"), (1023, "1,023 bytes", "1,023 بايت"),
    (1024, "1.0\xa0KB", "1.0\xa0كيلوبايت"), (1130, "1.1\xa0KB", "1.1\xa0كيلوبايت"),
    (123_456, "120.6\xa0KB", "120.6\xa0كيلوبايت"),
    (12_345_678, "11.8\xa0MB", "11.8\xa0ميغابايت"),
    (3 * 2**30 + 2**29, "3.5\xa0GB", "3.5\xa0غيغابايت"),
    (2**41, "2.0\xa0TB", "2.0\xa0تيرابايت"), (2**51, "2,048.0\xa0TB", "2,048.0\xa0تيرابايت")])
def test_a_size_is_in_words_and_grouped(size, english, arabic) -> None:  # type: ignore[no-untyped-def]
    # Django's own Arabic catalogue says "5 بايتان" (two bytes) for five bytes, and
    # abbreviates the units with dots ("1.1 ك.ب"), which a new user's walk read as unfinished.
    for lang, words in (("en", english), ("ar", arabic)):
        with translation.override(lang):
            assert _render("{{ n|file_size }}", n=size) == words, lang


def _note(data: bytes = b"a synthetic note") -> EvidenceItem:
    return ingest_stream(io.BytesIO(data), name="note.txt", origin="usb",
                         collection=Collection(collector="rana"))


@pytest.mark.django_db
def test_the_arabic_evidence_list_says_the_kind_not_the_mime_type(cast) -> None:  # type: ignore[no-untyped-def]
    item = _note()
    assert item.mime == "text/plain"
    body = client_for("samir", "ar").get(reverse("evidence:item_list")).content.decode()
    assert '<td data-label="النوع">نص عادي</td>' in body
    assert '<td data-label="الحجم">16 بايت</td>' in body
    assert "text/plain" not in body
    english = client_for("samir", "en").get(reverse("evidence:item_list")).content.decode()
    assert '<td data-label="Type">plain text</td>' in english and "text/plain" not in english


def _cell(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(1)


@pytest.mark.django_db
def test_the_item_page_keeps_the_exact_type_and_byte_count_beside_the_words(cast) -> None:  # type: ignore[no-untyped-def]
    item = ingest_stream(io.BytesIO(files.pdf_bytes("x" * 3000)), name="report.pdf",
                         origin="usb", collection=Collection(collector="rana"))
    assert item.size >= 1024
    page = client_for("samir", "ar").get(reverse("evidence:item_detail", args=[item.uid]))
    body = page.content.decode()
    assert _cell(body, r'<dd id="original-type">(.*?)</dd>') == (
        'مستند PDF <span class="muted">(<bdi dir="ltr">application/pdf</bdi>، كما يتبيّن من '
        'محتوى الملف)</span>')
    assert "<dt>النوع</dt>" in body
    size = _cell(body, r'<dd id="original-size">(.*?)</dd>')
    exact = f"{item.size:,}"
    assert "كيلوبايت" in size and "ك.ب" not in size and f"({exact} بايت)" in size


@pytest.mark.django_db
def test_a_search_hit_on_a_file_says_its_kind(cast) -> None:  # type: ignore[no-untyped-def]
    _note("شهادة عن سجن الحسبة".encode())
    body = client_for("samir", "ar").get(reverse("evidence:search") + "?q=الحسبة").content.decode()
    assert "<mark>" in body and "text/plain" not in body
    assert re.search(r"</span> · نص عادي\s*</span>", body)


@pytest.mark.django_db
def test_the_report_page_says_the_kind_of_each_file(cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for("rana", "ar")
    statement = SimpleUploadedFile("statement.txt", b"a synthetic statement", "text/plain")
    assert client.post(URL, {**post_data(), "f-files": [statement]}).status_code == 302
    info = Information.objects.get()
    body = client.get(reverse("dossier:report_detail", args=[info.pk])).content.decode()
    assert '<span class="muted">نص عادي</span>' in body and "text/plain" not in body


@pytest.mark.django_db
def test_the_item_page_says_the_type_as_a_person_would_and_the_mime_type_as_an_aside(cast) -> None:  # type: ignore[no-untyped-def]
    """A new user's walk read "Type (sniffed from the content): text text/plain": the code ran
    on as if it were part of the kind. The label is "Type", the kind a phrase ("Plain text"),
    the exact type a bracketed aside that says it is one and where it came from."""
    item = _note()
    english = client_for("samir", "en").get(
        reverse("evidence:item_detail", args=[item.uid])).content.decode()
    assert "<dt>Type</dt>" in english and "sniffed" not in english
    assert _cell(english, r'<dd id="original-type">(.*?)</dd>') == (
        'Plain text <span class="muted">(<bdi dir="ltr">text/plain</bdi>, read from the '
        "file's content)</span>")
    arabic = client_for("samir", "ar").get(
        reverse("evidence:item_detail", args=[item.uid])).content.decode()
    assert _cell(arabic, r'<dd id="original-type">(.*?)</dd>') == (
        'نص عادي <span class="muted">(<bdi dir="ltr">text/plain</bdi>، كما يتبيّن من محتوى '
        "الملف)</span>")
