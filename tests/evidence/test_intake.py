"""Intake: what is recorded for each original, families, duplicates, and bad input."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from tests.evidence import files

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import ProtectedValue
from dhakira.apps.evidence.errors import ImmutableOriginal, IntakeRejected
from dhakira.apps.evidence.intake import Collection, blob_store, derive, ingest_paths, ingest_stream
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem
from dhakira.apps.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def _nothing_kept(vault: Path) -> None:
    assert EvidenceItem.objects.count() == 0
    assert not LedgerEntry.objects.filter(action="intake").exists()
    assert list(blob_store().iter_names()) == []


def test_a_file_is_recorded_with_hash_size_sniffed_type_and_collection_record(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    # A PDF named .txt: the type comes from the content, never the extension.
    path = files.write(tmp_path, "in/misleading.txt", files.pdf_bytes())
    report = ingest_paths([path], collection=collection)
    assert report.ok and report.items == (f"EV-{EvidenceItem.objects.get().pk:06d}",)
    item = EvidenceItem.objects.get()
    import hashlib

    assert item.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert item.size == path.stat().st_size and item.mime == "application/pdf"
    assert (item.collector, item.method, item.tool) == ("rana", "copied from a USB stick",
                                                        "test-tool/1")
    assert item.origin == str(path.resolve()) and item.original_name == "misleading.txt"
    assert item.metadata.data["pdf"]["Title"] == "Synthetic report"
    entry = LedgerEntry.objects.get(action="intake")
    assert (entry.subject, entry.subject_hash, entry.actor) == (item.uid, item.sha256, "rana")
    assert "misleading" not in str(entry.detail)  # file names stay out of the ledger
    copy = item.derived.get()
    assert copy.kind == "extracted_text" and "Hisba office report" in copy.text
    assert LedgerEntry.objects.filter(action="derive", subject=item.uid).count() == 1


def test_the_stored_blob_decrypts_to_the_original(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = files.write(tmp_path, "a.bin", bytes(range(256)) * 5000)
    ingest_paths([path], collection=collection)
    out = io.BytesIO()
    blob_store().read_to(EvidenceItem.objects.get().sha256, out)
    assert out.getvalue() == path.read_bytes()


def test_the_same_bytes_twice_are_stored_once_and_linked(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = files.write(tmp_path, "in/a.txt", b"same words")
    b = files.write(tmp_path, "in/sub/b.txt", b"same words")
    report = ingest_paths([tmp_path / "in"], collection=collection)
    assert report.ok and len(report.items) == 2 and len(report.duplicates) == 1
    first, second = EvidenceItem.objects.order_by("pk")
    assert second.duplicate_of == first and first.sha256 == second.sha256
    assert len(list(blob_store().iter_names())) == 1
    assert {first.origin, second.origin} == {str(a.resolve()), str(b.resolve())}


def test_image_metadata_keeps_exif_and_gps_apart(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ingest_paths([files.write(tmp_path, "photo", files.jpeg_with_gps())], collection=collection)
    item = EvidenceItem.objects.get()
    assert item.mime == "image/jpeg"
    assert item.metadata.data["exif"]["Make"] == "TestCam"
    assert "gps" not in item.metadata.data  # a protected value (tests/evidence/test_finding_02.py)
    gps = ProtectedValue.objects.get(owner=item.uid, field="metadata_location")
    assert gps.compartment == "addresses" and json.loads(gps.value)["gps"]["GPSLatitudeRef"] == "N"


def test_docx_text_is_extracted(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ingest_paths([files.write(tmp_path, "d", files.docx_bytes(files.ARABIC_TEXT))],
                 collection=collection)
    item = EvidenceItem.objects.get()
    assert item.mime.endswith("wordprocessingml.document")
    assert files.ARABIC_TEXT in item.derived.get().text


def test_an_email_becomes_an_item_a_report_and_a_family(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    raw = files.eml_bytes(attachment=files.pdf_bytes())
    report = ingest_paths([files.write(tmp_path, "m.eml", raw)], collection=collection)
    assert report.ok, report.failures
    message, attachment = EvidenceItem.objects.order_by("pk")
    assert message.mime == "message/rfc822" and message.information is not None
    assert attachment.parent == message and attachment.relationship == "attachment"
    assert attachment.mime == "application/pdf"
    info = message.information
    assert info.channel == "email" and info.source.code_name.startswith("MAIL-")
    assert "informant7" not in info.source.code_name
    assert files.ARABIC_TEXT in info.text and info.language == "ar"
    assert info.received_at.isoformat() == "2014-10-14T06:30:00+00:00"
    assert message.metadata.data["email"] == {"Subject": "تقرير",
                                              "Date": "Tue, 14 Oct 2014 09:30:00 +0300"}
    people = json.loads(ProtectedValue.objects.get(owner=message.uid, field="metadata_people").value)
    assert people["email"]["Message-ID"] == "<synthetic-1@example.org>"
    assert SearchDocument.objects.filter(information=info).exists()


def test_issue18_1_a_report_made_from_an_email_has_its_custody_entry(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    raw = files.eml_bytes(attachment=files.pdf_bytes())
    assert ingest_paths([files.write(tmp_path, "m.eml", raw)], collection=collection).ok
    message = EvidenceItem.objects.order_by("pk").first()
    assert message is not None and message.information is not None
    info = message.information
    entry = LedgerEntry.objects.get(action="new_version", subject=info.uid)
    assert entry.actor == "rana" and entry.detail == {"evidence": message.uid, "channel": "email"}
    receipt = LedgerEntry.objects.get(action="intake", subject=message.uid)
    assert receipt.pk < entry.pk  # the e-mail's receipt first, then the report made from it
    # Indexed with its source, like a report typed on the form.
    assert SearchDocument.objects.get(information=info).source_id == info.source_id


def test_an_mbox_gives_one_item_per_message_under_the_mailbox(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    box = files.mbox_bytes(files.eml_bytes("first"), files.eml_bytes("second", sender="b@x.org"))
    report = ingest_paths([files.write(tmp_path, "box", box)], collection=collection)
    assert report.ok, report.failures
    mailbox = EvidenceItem.objects.get(parent=None)
    assert mailbox.mime == "application/mbox"
    messages = list(mailbox.family.order_by("pk"))
    assert [m.relationship for m in messages] == ["message", "message"]
    assert messages[0].information.source != messages[1].information.source


def test_zip_members_become_family_members(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = files.zip_bytes({"docs/a.txt": b"alpha", "photo.jpg": files.jpeg_with_gps()})
    report = ingest_paths([files.write(tmp_path, "bundle.zip", data)], collection=collection)
    assert report.ok, report.failures
    archive = EvidenceItem.objects.get(parent=None)
    names = sorted(m.original_name for m in archive.family.all())
    assert names == ["bundle.zip/docs/a.txt", "bundle.zip/photo.jpg"]
    intake = LedgerEntry.objects.filter(action="intake").order_by("seq")
    assert [e.detail["parent"] for e in intake] == [None, archive.uid, archive.uid]


def _zip_with_entry(name: str, data: bytes = b"x") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("fine.txt", b"fine")
        archive.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def _symlink_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo("link")
        info.external_attr = (0o120777 << 16)
        archive.writestr(info, "/etc/passwd")
    return out.getvalue()


BAD = {
    "empty": (b"", "empty"),
    "corrupt.pdf": (files.pdf_bytes()[:60] + b"\x00garbage" * 10, "corrupt PDF"),
    "locked.pdf": (files.encrypted_pdf_bytes(), "encrypted"),
    "climb.zip": (_zip_with_entry("../../x"), "climbs out"),
    "absolute.zip": (_zip_with_entry("/etc/x"), "absolute path"),
    "link.zip": (_symlink_zip(), "symbolic link"),
    "bomb.zip": (files.zip_bytes({"zeros": bytes(8 * 1024 * 1024)}), "zip bomb"),
    "bad.mbox": (b"From someone Thu Jan  1 00:00:00 2015\nnot a message at all\n", "malformed mbox"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_by_name_and_reason_leaving_nothing(vault, collection, tmp_path,  # type: ignore[no-untyped-def]
                                                                name) -> None:
    data, reason = BAD[name]
    report = ingest_paths([files.write(tmp_path, name, data)], collection=collection)
    assert len(report.failures) == 1
    failure = report.failures[0]
    assert failure.name.endswith(name) and reason in failure.reason
    _nothing_kept(vault)


def test_a_bad_file_does_not_stop_the_rest_of_the_batch(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = files.write(tmp_path, "good.txt", b"good")
    bad = files.write(tmp_path, "bad.zip", _zip_with_entry("../../x"))
    later = files.write(tmp_path, "later.txt", b"later")
    report = ingest_paths([good, bad, later], collection=collection)
    assert len(report.items) == 2 and [f.name for f in report.failures] == [str(bad)]
    assert EvidenceItem.objects.count() == 2 and len(list(blob_store().iter_names())) == 2


def test_a_failing_member_removes_the_blobs_already_written_for_its_archive(
        vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = files.zip_bytes({"ok.txt": b"kept only if all is well", "z.pdf": b"%PDF-1.4 broken"})
    report = ingest_paths([files.write(tmp_path, "mixed.zip", data)], collection=collection)
    assert "mixed.zip/z.pdf" in report.failures[0].reason
    _nothing_kept(vault)


def test_arabic_names_are_kept_and_control_characters_escaped(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ingest_paths([files.write(tmp_path, "شهادة.txt", b"one"),
                  files.write(tmp_path, "bell\x07\x1b[31m.txt", b"two")], collection=collection)
    names = sorted(EvidenceItem.objects.values_list("original_name", flat=True))
    assert names == ["bell\\x07\\x1b[31m.txt", "شهادة.txt"]


def test_a_file_name_that_is_not_utf8_is_taken_in_escaped_and_the_run_goes_on(
        vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A name with bytes that are not UTF-8 (a Windows or old-Linux copy): its path went to
    the database as surrogates, which no database accepts, and the whole run was lost."""
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"bad\xff\xfename.txt")).write_bytes(b"one")
    (folder / "good.txt").write_bytes(b"two")
    report = ingest_paths([folder], collection=collection)
    assert not report.failures and len(report.items) == 2
    names = sorted(EvidenceItem.objects.values_list("original_name", flat=True))
    assert names == ["bad\\xff\\xfename.txt", "good.txt"]
    # A second run of the same folder knows both files by where they came from.
    again = ingest_paths([folder], collection=collection)
    assert not again.items and len(again.received) == 2


def test_symlinks_and_missing_paths_are_named(vault, collection, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = files.write(tmp_path, "t.txt", b"t")
    (tmp_path / "link").symlink_to(target)
    report = ingest_paths([tmp_path / "link", tmp_path / "nope"], collection=collection)
    assert [f.reason.split(";")[0] for f in report.failures] == ["a symbolic link", "no such file"]


def test_the_collector_is_required() -> None:
    with pytest.raises(ValueError, match="collector"):
        Collection(collector=" ")


def test_an_original_cannot_be_changed(vault, collection) -> None:  # type: ignore[no-untyped-def]
    item = ingest_stream(io.BytesIO(b"original"), name="o.txt", origin="upload",
                         collection=collection)
    item.graphic = True
    item.save()  # flags may change
    item.sha256 = "0" * 64
    with pytest.raises(ImmutableOriginal):
        item.save()


def test_ingest_stream_raises_with_the_name(vault, collection) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntakeRejected, match="^e.txt: the file is empty"):
        ingest_stream(io.BytesIO(b""), name="e.txt", origin="upload", collection=collection)


def test_a_derived_copy_is_linked_with_operation_who_and_when(vault, collection) -> None:  # type: ignore[no-untyped-def]
    item = ingest_stream(io.BytesIO(b"\x89binary"), name="x", origin="upload",
                         collection=collection)
    copy = derive(item, kind="translation", actor="samir", operation="translated ar→en by hand",
                  text="The hisba office", language="en")
    assert copy.original == item and copy.created_by == "samir"
    entry = LedgerEntry.objects.get(action="derive")
    assert entry.subject == item.uid and entry.detail["copy"] == copy.uid
    redacted = derive(item, kind="redacted", actor="samir", operation="faces blurred",
                      stream=io.BytesIO(b"redacted bytes"))
    assert blob_store().exists(redacted.blob_sha256)
    assert DerivedCopy.objects.count() == 2
    with pytest.raises(ValueError):
        derive(item, kind="poem", actor="samir", operation="x", text="y")


def test_the_tool_and_versions_are_recorded_when_not_given(vault) -> None:  # type: ignore[no-untyped-def]
    item = ingest_stream(io.BytesIO(b"x"), name="x", origin="upload",
                         collection=Collection(collector="amal"))
    assert item.tool.startswith("dhakira/") and "pypdf/" in item.tool
    assert item.method == "file copy" and item.collector == "amal"
