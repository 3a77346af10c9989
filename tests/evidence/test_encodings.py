"""Legacy Arabic encodings and HTML mail, through the real intake and search (issue 20, item 1).

Every file is made here: Arabic text in Windows-1256 and ISO-8859-6, e-mails that declare
those charsets (8-bit and quoted-printable), an 8-bit UTF-8 e-mail with no charset, and an
HTML-only e-mail.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.evidence import files

from dhakira.apps.dossier.models import Information
from dhakira.apps.evidence import decoding
from dhakira.apps.evidence.extract import TEXT, sniff
from dhakira.apps.evidence.intake import Collection, ingest_paths
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem, Metadata
from dhakira.apps.search import services as search

TESTIMONY = ("أعدم مسلحو التنظيم ثلاثة رجال في ساحة السوق بتهمة التعاون، وأجبر السكان على "
             "الحضور. قال الشاهد إن مكتب الحسبة أغلق المحلات في الموصل.")


def _found(word: str) -> list[search.Hit]:
    return search.search(word, limit=5)


def _mail(body: bytes, headers: str) -> bytes:
    head = ("From: Informant <informant7@example.org>\r\nTo: desk@example.org\r\n"
            "Subject: report\r\nDate: Tue, 14 Oct 2014 09:30:00 +0300\r\n"
            "Message-ID: <synthetic-enc@example.org>\r\nMIME-Version: 1.0\r\n" + headers)
    return head.encode("ascii") + b"\r\n" + body


@pytest.mark.django_db
@pytest.mark.parametrize(("codec", "label"), [("cp1256", "cp1256"), ("iso8859_6", "iso8859-6")])
def test_a_legacy_arabic_text_file_is_text_and_its_words_are_found(
        vault: Path, collection: Collection, tmp_path: Path, codec: str, label: str) -> None:
    data = TESTIMONY.encode(codec)
    assert sniff(data) == TEXT
    report = ingest_paths([files.write(tmp_path, "testimony.txt", data)], collection=collection)
    assert report.ok
    item = EvidenceItem.objects.get()
    assert item.mime == TEXT and item.text_status == "done"
    copy = item.derived.get()
    assert copy.text == TESTIMONY
    # The decoding used is recorded with the derived copy (and so in its custody entry).
    assert copy.operation.startswith(f"text extraction ({label}, detected by charset-normalizer")
    hits = _found("الحسبة")
    assert [h.ref for h in hits] == [item.uid]
    assert "[[الحسبة]]" in hits[0].snippet_text()


@pytest.mark.django_db
@pytest.mark.parametrize(("charset", "codec", "transfer"), [
    ("windows-1256", "cp1256", "8bit"),
    ("windows-1256", "cp1256", "quoted-printable"),
    ("iso-8859-6", "iso8859_6", "8bit"),
    ("iso-8859-6", "iso8859_6", "base64"),
])
def test_an_email_in_a_declared_arabic_charset_is_read_and_found(
        vault: Path, collection: Collection, tmp_path: Path, charset: str, codec: str,
        transfer: str) -> None:
    import base64
    import quopri

    raw = TESTIMONY.encode(codec)
    body = {"8bit": raw, "quoted-printable": quopri.encodestring(raw),
            "base64": base64.encodebytes(raw)}[transfer]
    data = _mail(body, f"Content-Type: text/plain; charset={charset}\r\n"
                       f"Content-Transfer-Encoding: {transfer}\r\n")
    report = ingest_paths([files.write(tmp_path, "m.eml", data)], collection=collection)
    assert report.ok, report.failures
    item = EvidenceItem.objects.get()
    assert item.mime == "message/rfc822"
    info = Information.objects.get()
    assert TESTIMONY in info.text and "\ufffd" not in info.text
    name = codecs.lookup(codec).name
    assert Metadata.objects.get(item=item).data["body"] == {
        "type": "text/plain", "encoding": name, "decoded": f"{name}, as declared"}
    assert _found("الموصل") and _found("المحلات")


@pytest.mark.django_db
def test_an_undeclared_8bit_utf8_email_keeps_its_arabic(vault: Path, collection: Collection,
                                                        tmp_path: Path) -> None:
    data = _mail(TESTIMONY.encode("utf-8"), "Content-Transfer-Encoding: 8bit\r\n")
    assert ingest_paths([files.write(tmp_path, "m.eml", data)], collection=collection).ok
    info = Information.objects.get()
    assert TESTIMONY in info.text and "\ufffd" not in info.text
    body = Metadata.objects.get(item=EvidenceItem.objects.get()).data["body"]
    assert body["encoding"] == "utf-8" and body["decoded"] == "utf-8, valid UTF-8"
    hits = _found("الحسبة")
    assert hits and "\ufffd" not in hits[0].snippet_text()


@pytest.mark.django_db
def test_an_undeclared_windows_1256_email_is_detected(vault: Path, collection: Collection,
                                                      tmp_path: Path) -> None:
    data = _mail(TESTIMONY.encode("cp1256"), "Content-Transfer-Encoding: 8bit\r\n")
    assert ingest_paths([files.write(tmp_path, "m.eml", data)], collection=collection).ok
    assert TESTIMONY in Information.objects.get().text
    body = Metadata.objects.get(item=EvidenceItem.objects.get()).data["body"]
    assert body["encoding"] == "cp1256" and "detected" in body["decoded"]
    assert _found("الشاهد")


HTML = ("<html><head><title>ignored title</title><style>p {color: red}</style></head><body>"
        "<div dir=rtl><p>شهادة عن <b>مكتب</b> الحسبة</p><!-- a comment --><table><tr><td>الموصل"
        "</td><td>2014</td></tr></table><script>var tracker = 1;</script></div></body></html>")


@pytest.mark.django_db
def test_an_html_only_email_is_indexed_as_text_not_markup(vault: Path, collection: Collection,
                                                          tmp_path: Path) -> None:
    data = _mail(HTML.encode("cp1256"), "Content-Type: text/html; charset=windows-1256\r\n"
                                        "Content-Transfer-Encoding: 8bit\r\n")
    assert ingest_paths([files.write(tmp_path, "m.eml", data)], collection=collection).ok
    info = Information.objects.get()
    assert info.text == "report\n\nشهادة عن مكتب الحسبة\nالموصل\n2014"
    assert _found("الحسبة") and _found("الموصل")
    for markup in ("style", "color", "tracker", "comment", "div", "ignored"):
        assert not _found(markup), markup
    assert Metadata.objects.get(item=EvidenceItem.objects.get()).data["body"]["type"] == (
        "text/html")


@pytest.mark.django_db
def test_an_html_attachment_is_a_family_member_and_plain_body_is_preferred(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "Informant <informant7@example.org>"
    message["Subject"] = "report"
    message.set_content(TESTIMONY, charset="windows-1256", cte="8bit")
    message.add_alternative(HTML, subtype="html")
    message.add_attachment(TESTIMONY.encode("iso8859_6"), maintype="text", subtype="plain",
                           filename="note.txt")
    assert ingest_paths([files.write(tmp_path, "m.eml", bytes(message))],
                        collection=collection).ok
    assert TESTIMONY in Information.objects.get().text
    note = EvidenceItem.objects.get(relationship="attachment")
    assert note.mime == TEXT and note.derived.get().text == TESTIMONY
    assert DerivedCopy.objects.filter(original=note, kind="extracted_text").count() == 1


# ---- the decoder on its own -------------------------------------------------------------

_ARABIC = st.text(st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ءآأؤإئةى،؛؟0123456789")),
                  min_size=1, max_size=200)


@given(text=_ARABIC, codec=st.sampled_from(["cp1256", "iso8859_6", "utf-8"]))
@settings(max_examples=200, deadline=None)
def test_declared_arabic_text_always_decodes_to_itself(text: str, codec: str) -> None:
    decoded = decoding.decode(text.encode(codec), {"cp1256": "windows-1256",
                                                   "iso8859_6": "ISO-8859-6"}.get(codec, codec))
    assert decoded.text == text and not decoded.replaced


@given(data=st.binary(max_size=600), declared=st.one_of(st.none(), st.text(max_size=20)))
@settings(max_examples=300, deadline=None)
def test_decoding_never_raises_and_says_what_it_did(data: bytes, declared: str | None) -> None:
    decoded = decoding.decode(data, declared)
    assert isinstance(decoded.text, str) and decoded.label
    assert decoded.how in {"bom", "declared", "utf-8", "detected", "fallback"}


@given(text=st.text(st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")), min_size=40,
                    max_size=400).map(lambda t: " ".join(t[i:i + 5] for i in range(0, len(t), 5))))
@settings(max_examples=100, deadline=None)
def test_undeclared_windows_1256_arabic_is_detected(text: str) -> None:
    decoded = decoding.decode(text.encode("cp1256"))
    assert decoded.text == text and decoded.encoding == "cp1256" and decoded.how == "detected"


def test_a_declared_ascii_on_8bit_bytes_is_not_believed() -> None:
    decoded = decoding.decode(TESTIMONY.encode("utf-8"), "us-ascii")
    assert decoded.text == TESTIMONY and decoded.how == "utf-8"


@pytest.mark.parametrize("declared", ["unicode_escape", "raw_unicode_escape", "punycode", "idna"])
def test_a_declared_transform_is_not_a_charset(declared: str) -> None:
    # unicode_escape would turn the typed "\u0642" into «ق»; punycode raised a bare UnicodeError.
    data = b"typed \\u0642 and \xe4\xff"
    decoded = decoding.decode(data, declared)
    assert decoded.how != "declared" and "\\u0642" in decoded.text
