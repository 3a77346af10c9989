"""An evidence item's collection method and its derived copies' operations in the reader's
language: the words Dhakira writes itself are translated, a person's words shown as typed
(a new user's walk of the Arabic pages found them in English)."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from tests.cast import client_for
from tests.evidence import files

from dhakira.apps.evidence import labels
from dhakira.apps.evidence._common import Collection
from dhakira.apps.evidence.intake import derive, ingest_stream
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem
from dhakira.apps.exporting import esf_in
from dhakira.apps.importing import services as importing

pytestmark = pytest.mark.django_db

OCR = "OCR (tesseract/5.3.0, ara+eng, pages 2–3 of 5; pages 4–5 not read (a limit of 3 pages a file))"


def _take(method: str | None = None) -> EvidenceItem:
    collection = (Collection(collector="rana") if method is None
                  else Collection(collector="rana", method=method))
    return ingest_stream(io.BytesIO(files.pdf_bytes()), name="report.pdf", origin="usb",
                         collection=collection)


def _page(item: EvidenceItem, lang: str) -> str:
    return client_for("victor", lang).get(
        reverse("evidence:item_detail", args=[item.uid])).content.decode()


def _cell(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(1)


def test_dhakiras_own_collection_method_is_said_in_the_readers_language(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take()
    assert item.method == "file copy"
    arabic = _cell(_page(item, "ar"), r'<dd id="collection-method">(.*?)</dd>')
    assert arabic == "نسخ ملف"
    assert _cell(_page(item, "en"), r'<dd id="collection-method">(.*?)</dd>') == "file copy"


def test_a_typed_collection_method_is_shown_as_typed_and_isolated(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take("سُلِّم باليد <b>")
    arabic = _cell(_page(item, "ar"), r'<dd id="collection-method">(.*?)</dd>')
    assert arabic == '<bdi dir="auto">سُلِّم باليد &lt;b&gt;</bdi>'


def test_every_method_dhakira_writes_has_words() -> None:
    known = labels._methods()
    assert {Collection.method, esf_in.METHOD, importing.METHOD,
            "upload on the report intake page"} <= set(known)


def test_derived_copies_say_how_they_were_made_in_arabic(cast) -> None:  # type: ignore[no-untyped-def]
    item = _take()
    DerivedCopy.objects.filter(original=item).delete()
    for operation in ("text extraction (pypdf)", OCR, "translation into en from file tr.txt",
                      "made by hand"):
        derive(item, kind=str(DerivedCopy.Kind.TRANSLATION), actor="rana", operation=operation,
               text="x", language="en")
    cells = re.findall(r'data-label="العملية">(.*?)</td>', _page(item, "ar"), re.S)
    assert cells == [
        'استخراج النص (<bdi dir="auto">pypdf</bdi>)',
        'التعرّف الضوئي على الحروف (<bdi dir="auto">tesseract/5.3.0</bdi>، ara+eng)، الصفحات '
        '2–3 من 5؛ لم تُقرأ الصفحات 4–5 (الحد الأقصى للصفحات المقروءة من ملف واحد هو 3)',
        'ترجمة إلى الإنكليزية من الملف <bdi dir="auto">tr.txt</bdi>',
        '<bdi dir="auto">made by hand</bdi>'], cells
    english = re.findall(r'data-label="Operation">(.*?)</td>', _page(item, "en"), re.S)
    assert english[1].startswith('OCR (<bdi dir="auto">tesseract/5.3.0</bdi>, ara+eng), pages '
                                 '2–3 of 5; pages 4–5 not read')
    assert english[2] == 'translation into English from file <bdi dir="auto">tr.txt</bdi>'


def test_a_text_files_encoding_note_is_said_in_the_readers_language(cast) -> None:  # type: ignore[no-untyped-def]
    """A text copy made from a text file records how its encoding was found, in English (the
    record); the page says it in the reader's language and keeps the codec's name as it is."""
    from dhakira.apps.evidence.decoding import decode

    item = _take()
    DerivedCopy.objects.filter(original=item).delete()
    for data in ("نص".encode(), b"\xef\xbb\xbfplain"):
        derive(item, kind=str(DerivedCopy.Kind.TRANSLATION), actor="rana",
               operation=f"text extraction ({decode(data).label})", text="x", language="en")
    cells = re.findall(r'data-label="العملية">(.*?)</td>', _page(item, "ar"), re.S)
    assert cells == ['استخراج النص (قُرئ بترميز <bdi dir="ltr">UTF-8</bdi> دون أخطاء)',
                     'استخراج النص (قُرئ بترميز <bdi dir="ltr">UTF-8</bdi> كما تدل علامة ترتيب '
                     'البايتات في أوله)'], cells
    english = re.findall(r'data-label="Operation">(.*?)</td>', _page(item, "en"), re.S)
    assert english == ['text extraction (read as <bdi dir="ltr">UTF-8</bdi> with no errors)',
                       'text extraction (read as <bdi dir="ltr">UTF-8</bdi>, as the byte-order '
                       'mark at its start says)'], english


@pytest.mark.parametrize(("label", "arabic", "english"), [
    ("cp1256, detected by charset-normalizer/3.5.3",
     'قُرئ بترميز <bdi dir="ltr">Windows-1256</bdi> الذي تعرّف عليه '
     '<bdi dir="auto">charset-normalizer/3.5.3</bdi>',
     'read as <bdi dir="ltr">Windows-1256</bdi>, the encoding <bdi dir="auto">'
     'charset-normalizer/3.5.3</bdi> recognised'),
    ("iso8859-6, as declared", 'قُرئ بترميز <bdi dir="ltr">ISO-8859-6</bdi> المعلَن فيه',
     'read as <bdi dir="ltr">ISO-8859-6</bdi>, the encoding it declares'),
    ("utf-8, no encoding fits, undecodable bytes replaced",
     'لا يوافقه أي ترميز، فقُرئ بترميز <bdi dir="ltr">UTF-8</bdi>، وتعذّرت قراءة بعض البايتات '
     'فاستُبدلت',
     'no encoding fits it; read as <bdi dir="ltr">UTF-8</bdi>, some bytes could not be read '
     'and were replaced'),
    ("mac-arabic, as declared", 'قُرئ بترميز <bdi dir="ltr">mac-arabic</bdi> المعلَن فيه',
     'read as <bdi dir="ltr">mac-arabic</bdi>, the encoding it declares'),
])
def test_each_way_an_encoding_is_found_is_said_plainly(label: str, arabic: str, english: str) -> None:
    """The walk read «utf-8، UTF-8 سليم» (two codec names, no sentence): each way the record
    says an encoding was found is a plain phrase, the encoding by the name people know it."""
    from django.utils import translation

    for lang, words in (("ar", arabic), ("en", english)):
        with translation.override(lang):
            said = str(labels.operation_label(f"text extraction ({label})"))
        opening = "استخراج النص (" if lang == "ar" else "text extraction ("
        assert said == f"{opening}{words})", said


@pytest.mark.parametrize(("codec", "name"), [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("utf_16_le", "UTF-16"), ("utf-32", "UTF-32"),
    ("cp1256", "Windows-1256"), ("iso8859-6", "ISO-8859-6"), ("iso-8859-6", "ISO-8859-6"),
    ("ascii", "ASCII"), ("cp1006", "cp1006"), ("mac-arabic", "mac-arabic")])
def test_an_encoding_is_named_as_people_know_it(codec: str, name: str) -> None:
    assert labels.encoding_name(codec) == name


def test_the_origin_dhakira_writes_is_said_in_the_readers_language(cast) -> None:  # type: ignore[no-untyped-def]
    """The report intake records its files' origin as ``intake of I-…``; the page says it in
    the reader's language with the report's id isolated. A typed origin is shown as typed."""
    item = _take()
    EvidenceItem.objects.filter(pk=item.pk).update(origin="intake of I-0000042")
    assert _cell(_page(item, "ar"), r'<dd id="origin">(.*?)</dd>') == (
        'أُدخل مع البلاغ <span class="uid">I-0000042</span>')
    assert _cell(_page(item, "en"), r'<dd id="origin">(.*?)</dd>') == (
        'intake of <span class="uid">I-0000042</span>')
    EvidenceItem.objects.filter(pk=item.pk).update(origin="هاتف الشاهد")
    assert _cell(_page(item, "ar"), r'<dd id="origin">(.*?)</dd>') == (
        '<bdi dir="auto">هاتف الشاهد</bdi>')


def test_the_heading_is_the_items_id_isolated_in_a_heading_that_follows_the_page(cast) -> None:  # type: ignore[no-untyped-def]
    """The heading was ``<h1 class="uid">``: the id class made the whole heading left to
    right, so on an Arabic page it stood at the left. Only the id is isolated now."""
    item = _take()
    assert f'<h1><span class="uid">{item.uid}</span></h1>' in _page(item, "ar")


def test_an_item_from_a_field_kit_says_where_it_came_from_in_arabic() -> None:
    """The office writes a kit's item's origin in English ("field kit kit-A (…), bundle 1,
    collected …"), and an Arabic page showed it so (found by a field-team pass)."""
    from django.utils import translation

    from dhakira.apps.evidence.labels import origin_label

    origin = ("field kit kit-A (9e5fc42a3541f185), bundle 3, collected "
              "2026-12-05T10:33:12.5+00:00 (intake of I-0000007)")
    with translation.override("ar"):
        said = str(origin_label(origin))
    assert "حقيبة الميدان" in said and "kit-A" in said and "I-0000007" in said
    assert "bundle" not in said and "collected" not in said and "intake of" not in said
    assert "2026-12-05 10:33" in said
