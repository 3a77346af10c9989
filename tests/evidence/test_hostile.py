"""Hostile evidence (issue 13, finding 11; issue 16, items 3 and 4): each bad file fails alone,
with one line naming it, leaves nothing behind, and is read with bounded memory and time."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.cast import PASSWORD, make_cast
from tests.dossier.intake_data import post_data
from tests.evidence import files, hostile

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import Information, ProtectedValue
from dhakira.apps.evidence import _mail, _sandbox
from dhakira.apps.evidence.errors import IntakeRejected
from dhakira.apps.evidence.extract import PDF, Unreadable, extract_text
from dhakira.apps.evidence.intake import Collection, blob_store, ingest_paths, ingest_stream
from dhakira.apps.evidence.integrity import verify_vault
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.evidence.processing import process_pending
from dhakira.core.vault import session

pytestmark = pytest.mark.django_db


def _good(folder: Path, count: int = 2) -> list[Path]:
    return [files.write(folder, f"good/note-{n}.txt", f"شهادة رقم {n}".encode())
            for n in range(count)]


def _only_good_were_kept(good: list[Path]) -> None:
    names = set(EvidenceItem.objects.values_list("original_name", flat=True))
    assert names == {p.name for p in good}
    assert len(list(blob_store().iter_names())) == len(good)  # no orphan blob of the bad file
    assert verify_vault().ok


def test_finding_11_a_docx_that_unpacks_to_tens_of_megabytes_is_refused_in_seconds(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    bomb = files.write(tmp_path, "report.docx", hostile.docx_bomb())
    assert bomb.stat().st_size < 100_000
    good = _good(tmp_path)
    started = time.monotonic()
    report = ingest_paths([bomb, *good], collection=collection)
    assert time.monotonic() - started < 20  # python-docx took 30 s and 695 MB on it
    assert [(f.name, "zip bomb" in f.reason) for f in report.failures] == [(str(bomb), True)]
    _only_good_were_kept(good)


def test_finding_11_a_zip_of_many_small_members_is_counted_as_a_whole(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    archive = files.write(tmp_path, "photos.zip", hostile.zip_of_zeros(300))
    assert archive.stat().st_size < 400_000  # 340 KB once wrote 303 MB of blobs
    good = _good(tmp_path)
    report = ingest_paths([archive, *good], collection=collection)
    assert len(report.failures) == 1
    assert report.failures[0].name == str(archive)
    assert "zip bomb" in report.failures[0].reason and "300 entries" in report.failures[0].reason
    _only_good_were_kept(good)


def test_issue16_3_a_genuine_large_scan_is_taken_in_without_decoding_its_pixels(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    scan = files.write(tmp_path, "scan.png", hostile.genuine_png(15000, 12000))
    report = ingest_paths([scan], collection=collection)
    assert report.ok, report.failures
    item = EvidenceItem.objects.get()
    assert (item.metadata.data["width"], item.metadata.data["height"]) == (15000, 12000)


def test_finding_11_a_png_claiming_ten_gigapixels_is_refused_alone(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    liar = files.write(tmp_path, "liar.png", hostile.png_claiming(100000, 100000))
    good = _good(tmp_path, 8)
    report = ingest_paths([*good[:4], liar, *good[4:]], collection=collection)
    assert [f.name for f in report.failures] == [str(liar)]
    assert "100000×100000 pixels" in report.failures[0].reason
    _only_good_were_kept(good)


def test_finding_11_a_from_with_2000_nested_comments_is_kept_as_received(
        vault: Path, collection: Collection) -> None:
    item = ingest_stream(io.BytesIO(hostile.eml_with_nested_from()), name="tip.eml",
                         origin="inbox", collection=collection)
    headers = item.metadata.data["email"]
    assert "From" not in headers and headers["Subject"] == "tip"  # the sender is protected
    sender = _protected_headers(item)["From"]
    assert sender.startswith("informant((((") and len(sender) <= 4000
    assert "convoy" in item.information.text


def test_issue16_3_an_email_with_an_empty_message_id_is_taken_in(
        vault: Path, collection: Collection) -> None:
    item = ingest_stream(io.BytesIO(hostile.eml_with_empty_message_id()), name="tip.eml",
                         origin="inbox", collection=collection)
    headers = _protected_headers(item)
    assert headers["Message-ID"] == "<>" and headers["From"] == "informant7@example.org"


def _protected_headers(item: EvidenceItem) -> dict[str, str]:
    """The e-mail headers that name people, kept as a protected value of the item."""
    value = ProtectedValue.objects.get(owner=item.uid, field="metadata_people").value
    return dict(json.loads(value)["email"])


@pytest.mark.slow
def test_finding_11_an_mbox_is_read_one_message_at_a_time() -> None:
    # Half a MiB a message in lines of 990 characters sent as they are: the parser's work,
    # and tracemalloc's on every allocation it makes, goes by lines, and a body Python
    # wraps (base64, quoted-printable) in 76-character lines cost three times the CPU here.
    message = files.eml_bytes(("x" * 990 + "\n") * 530, cte="7bit")
    assert len(message) > 512 * 1024
    mailbox = files.mbox_bytes(*[message] * 80)  # about 40 MiB in all
    tracemalloc.start()
    try:
        assert _mail.read_mbox(io.BytesIO(mailbox)) == 80
        count = sum(1 for _raw in _mail.iter_mbox(io.BytesIO(mailbox)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 80
    assert peak < len(mailbox) / 4, peak  # held whole, it was the whole 40 MiB and more


@pytest.mark.parametrize("build", [hostile.zip_with_corrupt_member,
                                   hostile.zip_with_unknown_method, hostile.truncated_zip,
                                   hostile.zip_with_lying_central_directory])
def test_issue16_3_a_corrupt_zip_fails_alone_with_its_reason(
        vault: Path, collection: Collection, tmp_path: Path, build) -> None:  # type: ignore[no-untyped-def]
    archive = files.write(tmp_path, "odd.zip", build())
    good = _good(tmp_path)
    report = ingest_paths([archive, *good], collection=collection)
    assert [f.name for f in report.failures] == [str(archive)]
    assert report.failures[0].reason and "\n" not in report.failures[0].reason
    _only_good_were_kept(good)


def test_issue16_3_a_zip_of_odd_members_is_taken_in_whole(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    archive = files.write(tmp_path, "odd.zip", files.zip_bytes({
        "scan.png": hostile.genuine_png(15000, 12000),
        "empty-id.eml": hostile.eml_with_empty_message_id(),
        "nested.eml": hostile.eml_with_nested_from(),
        "poison.pdf": hostile.poison_pdf()}))
    report = ingest_paths([archive], collection=collection)
    assert not report.failures
    assert EvidenceItem.objects.filter(relationship="member").count() == 4
    assert [f.name for f in report.text_failures] == [
        EvidenceItem.objects.get(original_name="odd.zip/poison.pdf").uid]


def test_issue16_3_a_member_that_is_refused_names_the_archive_and_the_member(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    archive = files.write(tmp_path, "odd.zip", files.zip_bytes({
        "ok.txt": b"fine", "liar.png": hostile.png_claiming(100000, 100000)}))
    good = _good(tmp_path)
    report = ingest_paths([archive, *good], collection=collection)
    assert [f.name for f in report.failures] == [str(archive)]
    assert report.failures[0].reason.startswith("odd.zip/liar.png: the image claims")
    _only_good_were_kept(good)


def test_issue16_4_a_poison_pdf_is_marked_failed_once_and_never_blocks_processing(
        vault: Path, collection: Collection, tmp_path: Path) -> None:
    poison = files.write(tmp_path, "poison.pdf", hostile.poison_pdf())
    assert poison.stat().st_size < 1024
    report = ingest_paths([poison, files.write(tmp_path, "a.pdf", files.pdf_bytes("first"))],
                          collection=collection)
    assert not report.failures  # preserved: intake only needs its page count
    item = EvidenceItem.objects.get(original_name="poison.pdf")
    assert [(f.name, f.reason) for f in report.text_failures] == [
        (item.uid, "its PDF reader failed on it (AssertionError)")]
    assert item.text_status == EvidenceItem.TextStatus.FAILED
    entry = LedgerEntry.objects.get(subject=item.uid, action="other")
    assert entry.detail == {"kind": "text_failed",
                            "reason": "its PDF reader failed on it (AssertionError)"}
    assert process_pending().failures == ()  # never tried again by itself
    later = ingest_paths([files.write(tmp_path, "b.pdf", files.pdf_bytes("second"))],
                         collection=collection)
    assert later.ok
    assert EvidenceItem.objects.get(original_name="b.pdf").text_status == "done"
    assert verify_vault().ok


def test_finding_11_a_reader_over_its_processor_time_is_stopped() -> None:
    slow = hostile.slow_pdf()
    limits = _sandbox.Limits(memory=1024**3, cpu_seconds=1, wall_seconds=120)
    started = time.monotonic()
    with pytest.raises(Unreadable, match="more than 1 s of processor time"):
        _sandbox.read("text", io.BytesIO(slow), PDF, len(slow), limits)
    assert time.monotonic() - started < 60


def test_finding_11_a_reader_over_its_wall_time_is_killed() -> None:
    slow = hostile.slow_pdf()
    limits = _sandbox.Limits(memory=1024**3, cpu_seconds=600, wall_seconds=0.5)
    with pytest.raises(Unreadable, match=r"took longer than 0 s"):
        _sandbox.read("text", io.BytesIO(slow), PDF, len(slow), limits)


def test_finding_11_a_reader_over_its_memory_is_stopped() -> None:
    big = files.pdf_bytes("padding") + b"%" + b"x" * (96 * 1024 * 1024)  # holding it is enough
    limits = _sandbox.Limits(memory=160 * 1024 * 1024, cpu_seconds=60, wall_seconds=120)
    with pytest.raises(Unreadable, match="more than 160 MiB of memory"):
        _sandbox.read("meta", io.BytesIO(big), PDF, len(big), limits)


def test_finding_11_the_reader_may_write_no_file(tmp_path: Path) -> None:
    # RLIMIT_FSIZE 0: even a reader tricked into writing could not put plaintext on disk.
    probe = ("import sys; sys.path[:0] = sys.argv[2].split(':'); "
             "from dhakira.apps.evidence._sandbox import _limit_self; _limit_self(1 << 30); "
             "import os; os.write(os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT), b'plaintext')")
    result = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "leak"),
                             os.pathsep.join(sys.path)], capture_output=True, timeout=60)
    assert result.returncode != 0 and b"File too large" in result.stderr
    assert not (tmp_path / "leak").exists() or (tmp_path / "leak").stat().st_size == 0


def test_finding_11_the_web_upload_names_a_refused_file_and_takes_the_rest(vault: Path) -> None:
    make_cast()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="rana", password=PASSWORD)
    response = client.post(reverse("evidence:upload"), {
        "files": [SimpleUploadedFile("liar.png", hostile.png_claiming(100000, 100000)),
                  SimpleUploadedFile("tip.eml", hostile.eml_with_nested_from()),
                  SimpleUploadedFile("note.txt", "شهادة".encode())],
        "method": "handed over on USB"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 422
    data = response.json()
    assert len(data["items"]) == 2 and len(data["errors"]) == 1
    assert data["errors"][0].startswith("liar.png: the image claims 100000×100000 pixels")


def test_finding_11_a_report_with_a_refused_attachment_keeps_what_was_typed(vault: Path) -> None:
    make_cast()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="rana", password=PASSWORD)
    data = post_data()
    upload = SimpleUploadedFile("liar.png", hostile.png_claiming(100000, 100000), "image/png")
    response = client.post("/reports/new/", {**data, "f-files": [upload]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "the file liar.png was refused: the image claims 100000×100000 pixels" in body
    assert data["r-text"] in body and data["v-0-name"] in body  # what was typed, kept
    assert not Information.objects.exists() and not EvidenceItem.objects.exists()
    assert list(blob_store().iter_names()) == []


def test_finding_11_a_refused_upload_raises_intake_rejected_naming_it(
        vault: Path, collection: Collection) -> None:
    with pytest.raises(IntakeRejected) as refused:
        ingest_stream(io.BytesIO(hostile.docx_bomb()), name="report.docx", origin="web",
                      collection=collection)
    assert refused.value.name == "report.docx" and "zip bomb" in refused.value.reason
    assert list(blob_store().iter_names()) == [] and not EvidenceItem.objects.exists()


@pytest.mark.slow
def test_issue16_3_one_bad_file_never_sinks_a_dhakira_ingest_batch(tmp_path: Path) -> None:
    from tests.clivault import new_vault
    from tests.evidence.test_intake_cli import run

    vault, secret = new_vault(tmp_path), str(tmp_path / "pass")
    folder = tmp_path / "in"
    good = [files.write(folder, f"{n}-note.txt", f"شهادة رقم {n}".encode()) for n in range(8)]
    bad = {"4-liar.png": hostile.png_claiming(100000, 100000), "5-report.docx": hostile.docx_bomb(),
           "6-odd.zip": hostile.zip_with_corrupt_member()}
    odd = {"7-scan.png": hostile.genuine_png(15000, 12000), "7-poison.pdf": hostile.poison_pdf(),
           "7-nested.eml": hostile.eml_with_nested_from(),
           "7-empty-id.eml": hostile.eml_with_empty_message_id()}
    for name, data in {**bad, **odd}.items():
        files.write(folder, name, data)
    common = ["--vault", str(vault), "--passphrase-file", secret]
    result = run("-m", "dhakira.cli", "ingest", *common, "--collector", "amal",
                 "--password-file", str(tmp_path / "web"), str(folder))
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert [line.split(": ")[1] for line in failed] == [str(folder / n) for n in bad]
    assert "the image claims 100000×100000 pixels" in failed[0] and "zip bomb" in failed[1]
    assert "Bad CRC-32" in failed[2]
    texts = [line for line in result.stderr.splitlines() if line.startswith("text not extracted")]
    assert len(texts) == 1 and texts[0].endswith(" (7-poison.pdf): its PDF reader failed on it "
                                                 "(AssertionError) (the original is kept)")
    assert "Traceback" not in result.stderr
    # 8 notes, the scan, the PDF, 2 e-mails and their reports' texts: every good file is in.
    assert f"took in {len(good) + len(odd)} items (0 already held), 3 failed" in result.stdout
    assert run("-m", "dhakira.cli", "verify", *common).returncode == 0
    result = run("-m", "dhakira.cli", "process", *common)
    assert (result.returncode, result.stdout.strip()) == (0, "processed 0 items, 0 failed")


def test_finding_11_a_reader_that_met_a_bad_file_is_never_used_again() -> None:
    _sandbox.shutdown()
    good, poison = files.pdf_bytes("fine"), hostile.poison_pdf()
    assert extract_text(io.BytesIO(good), PDF, len(good)).text.strip() == "fine"
    [worker] = _sandbox._POOL.idle
    with pytest.raises(Unreadable, match="AssertionError"):
        extract_text(io.BytesIO(poison), PDF, len(poison))
    assert worker.process.poll() is not None and _sandbox._POOL.idle == []
    assert extract_text(io.BytesIO(good), PDF, len(good)).text.strip() == "fine"  # a new one


def test_finding_11_no_reader_process_outlives_the_key(vault: Path) -> None:
    pdf = files.pdf_bytes()
    extract_text(io.BytesIO(pdf), PDF, len(pdf))
    workers = list(_sandbox._POOL.idle)
    assert workers and all(w.process.poll() is None for w in workers)
    key = session.get_key()
    try:
        session.lock()
    finally:
        session.set_key(key)
    assert all(w.process.poll() is not None for w in workers) and _sandbox._POOL.idle == []


def test_issue18_3_a_report_whose_second_file_is_refused_leaves_no_blob_of_the_first(
        vault: Path) -> None:
    make_cast()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="rana", password=PASSWORD)
    good = SimpleUploadedFile("note.txt", "شهادة مكتوبة باليد".encode(), "text/plain")
    bad = SimpleUploadedFile("liar.png", hostile.png_claiming(100000, 100000), "image/png")
    response = client.post("/reports/new/", {**post_data(), "f-files": [good, bad]})
    assert response.status_code == 200 and "liar.png was refused" in response.content.decode()
    assert not Information.objects.exists() and not EvidenceItem.objects.exists()
    # The first file was stored before the second was refused; its rows were rolled back and
    # so must its encrypted bytes be.
    assert list(blob_store().iter_names()) == []
