"""Outlook .msg messages through the real intake and search (issue 20, item 1): made here by
``tests.evidence.msgfile`` (synthetic content), read by olefile."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.evidence import files, msgfile

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import Information, ProtectedValue
from dhakira.apps.evidence import _msg
from dhakira.apps.evidence._msg import MSG
from dhakira.apps.evidence.extract import Unreadable
from dhakira.apps.evidence.intake import Collection, blob_store, ingest_paths
from dhakira.apps.evidence.models import EvidenceItem, Metadata
from dhakira.apps.search import services as search

BODY = "شهادة عن مكتب الحسبة في الموصل وإغلاق المحلات في السوق"


def _refs(word: str) -> list[str]:
    return [h.ref for h in search.search(word, limit=5)]


@pytest.mark.django_db
def test_a_msg_becomes_an_item_a_report_and_attachments_as_family(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    data = msgfile.msg_bytes(subject="تقرير الحسبة", body=BODY, attachments={
        "ملاحظة.txt": "ملاحظة عن نقطة التفتيش".encode("cp1256"),
        "report.pdf": files.pdf_bytes("Checkpoint report attached")})
    report = ingest_paths([files.write(tmp_path, "tip.msg", data)], collection=collection)
    assert report.ok, (report.failures, report.text_failures)
    item = EvidenceItem.objects.get(parent=None)
    assert item.mime == MSG
    info = Information.objects.get()
    assert item.information == info
    assert info.text == f"تقرير الحسبة\n\n{BODY}"
    assert info.received_at.isoformat() == "2014-10-14T06:30:00+00:00"
    family = dict(EvidenceItem.objects.filter(parent=item).values_list("original_name",
                                                                     "relationship"))
    assert family == {"tip.msg/ملاحظة.txt": "attachment", "tip.msg/report.pdf": "attachment"}
    assert _refs("الحسبة") and _refs("التفتيش") and _refs("checkpoint")
    # The sender is protected, never in the metadata anyone reads.
    plain = Metadata.objects.get(item=item)
    assert "informant7" not in str(plain.data) and plain.extractor == "olefile"
    assert plain.data["body"]["decoded"] == "MAPI Unicode"
    assert ProtectedValue.objects.exists()
    assert LedgerEntry.objects.filter(action="intake").count() == 3


@pytest.mark.django_db
def test_an_8bit_msg_in_windows_1256_is_decoded_by_its_code_page(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    data = msgfile.msg_bytes(subject="تقرير", body=BODY, ansi_codepage="cp1256")
    assert ingest_paths([files.write(tmp_path, "old.msg", data)], collection=collection).ok
    assert BODY in Information.objects.get().text
    body = Metadata.objects.get(item=EvidenceItem.objects.get()).data["body"]
    assert body == {"type": "text/plain", "encoding": "cp1256", "decoded": "cp1256, as declared"}
    assert _refs("المحلات")


@pytest.mark.django_db
def test_an_html_only_msg_is_indexed_as_text(vault: Path, collection: Collection,
                                              tmp_path: Path) -> None:
    html = f"<html><body><style>b {{x: y}}</style><p>{BODY}</p></body></html>".encode()
    data = msgfile.msg_bytes(subject="report", html=html, codepage_number=65001)
    assert ingest_paths([files.write(tmp_path, "h.msg", data)], collection=collection).ok
    assert Information.objects.get().text == f"report\n\n{BODY}"
    assert _refs("السوق") and not _refs("style")


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["truncated", "junk"])
def test_a_corrupt_msg_is_refused_by_name_nothing_stays_and_the_rest_goes_on(
        vault: Path, collection: Collection, tmp_path: Path, damage: str) -> None:
    good = msgfile.msg_bytes(subject="x", body=BODY, attachments={"a.txt": b"note" * 2000})
    bad = (good[:len(good) // 2] if damage == "truncated"
           else good[:512] + b"\xa5" * (len(good) - 512))
    path = files.write(tmp_path, "broken.msg", bad)
    other = files.write(tmp_path, "note.txt", "ملاحظة عن الجسر".encode("cp1256"))
    report = ingest_paths([path, other], collection=collection)
    assert [f.name for f in report.failures] == [str(path)]
    assert report.failures[0].reason.startswith("corrupt Outlook message")
    assert list(EvidenceItem.objects.values_list("original_name", flat=True)) == ["note.txt"]
    assert not Information.objects.exists()
    assert len(list(blob_store().iter_names())) == 1  # the note's only: no blob of the .msg
    assert _refs("الجسر")


_SAMPLE = msgfile.msg_bytes(subject="تقرير", body=BODY, attachments={"a.txt": b"note" * 1200})


@given(edits=st.lists(st.tuples(st.integers(0, len(_SAMPLE) - 1), st.integers(0, 255)),
                      min_size=1, max_size=40),
       cut=st.one_of(st.none(), st.integers(0, len(_SAMPLE))))
@settings(max_examples=300, deadline=None)
def test_a_damaged_msg_is_read_or_refused_never_crashes(edits: list[tuple[int, int]],
                                                       cut: int | None) -> None:
    data = bytearray(_SAMPLE)
    for offset, value in edits:
        data[offset] = value
    stream = io.BytesIO(bytes(data[:cut]))
    try:
        if _msg.is_msg(stream):
            mail = _msg.parse(stream, "damaged.msg")
            assert isinstance(mail.body, str) and isinstance(mail.attachments, tuple)
    except Unreadable as exc:
        assert str(exc)
