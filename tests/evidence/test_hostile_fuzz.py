"""Fuzzing the readers of hostile files: whatever the bytes, each answers with a result or
one ``Unreadable`` reason, never another exception."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.evidence import files, hostile

from dhakira.apps.evidence import _archive, _mail, extract
from dhakira.apps.evidence.extract import Unreadable

pytestmark = pytest.mark.backend_independent

FAST = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
# Each example starts a reader process (about a third of a second): fewer of them.
SANDBOXED = settings(max_examples=40, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """One of ``seeds`` with a few bytes changed, a slice cut out, or cut short."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 8))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if data and draw(st.booleans()):
        start = draw(st.integers(0, len(data) - 1))
        del data[start:start + draw(st.integers(1, 64))]
    if data and draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return bytes(data)


MAILS = [files.eml_bytes(attachment=files.pdf_bytes()), hostile.eml_with_nested_from(50),
         hostile.eml_with_empty_message_id(),
         b"From: a@b\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: "
         b"text/plain; charset=bogus\n\nhi\n--x--\n"]
ZIPS = [files.zip_bytes({"a.txt": b"first " * 30, "dir/b.pdf": files.pdf_bytes()}),
        hostile.zip_with_corrupt_member(), files.docx_bytes("a paragraph")]


@FAST
@given(st.one_of(mutated(MAILS), st.binary(max_size=2000)))
def test_finding_11_an_email_parses_or_is_refused_with_a_reason(raw: bytes) -> None:
    try:
        mail = _mail.parse(raw, "tip.eml")
    except Unreadable as exc:
        assert str(exc)
    else:
        assert isinstance(mail.sender, str) and all(isinstance(v, str)
                                                    for v in mail.headers.values())


@FAST
@given(st.lists(mutated(MAILS), min_size=0, max_size=4), st.binary(max_size=200))
def test_finding_11_a_mailbox_is_counted_or_refused_with_a_reason(messages: list[bytes],
                                                                  junk: bytes) -> None:
    box = junk + files.mbox_bytes(*messages) if junk.startswith(b"From ") else \
        files.mbox_bytes(*messages)
    try:
        count = _mail.read_mbox(io.BytesIO(box))
    except Unreadable as exc:
        assert str(exc)
    else:
        assert count == sum(1 for _raw in _mail.iter_mbox(io.BytesIO(box))) >= 1


def test_an_archive_entry_with_no_name_is_refused_with_a_reason() -> None:
    """Found by the property below: a member named nothing made zipfile's is_dir() raise
    IndexError, not a refusal."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo(""), b"synthetic")
    with pytest.raises(Unreadable, match="no name"):
        _archive.members(_archive.open_zip(io.BytesIO(out.getvalue())))


@FAST
@given(mutated(ZIPS))
def test_finding_11_an_archive_unpacks_or_is_refused_with_a_reason(data: bytes) -> None:
    try:
        archive = _archive.open_zip(io.BytesIO(data))
        for info in _archive.members(archive):
            out = io.BytesIO()
            _archive.copy_member(archive, info, out)
            assert len(out.getvalue()) <= info.file_size
    except Unreadable as exc:
        assert str(exc)


@FAST
@given(st.binary(max_size=extract.HEAD_SIZE))
def test_finding_11_sniffing_names_a_type_for_any_bytes(head: bytes) -> None:
    assert "/" in extract.sniff(head)


@FAST
@given(st.lists(st.tuples(st.integers(1, 2000), st.integers(0, 2**32 - 1)), min_size=1,
                max_size=30))
def test_finding_11_archive_limits_hold_for_any_member_sizes(sizes: list[tuple[int, int]]
                                                             ) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number, (packed, _declared) in enumerate(sizes):
            archive.writestr(f"m{number}", b"x" * packed)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    for info, (_packed, declared) in zip(archive.infolist(), sizes, strict=True):
        info.file_size = declared  # what a crafted central directory may claim
    limits = _archive.DEFAULT_LIMITS
    total = sum(declared for _packed, declared in sizes)
    packed = sum(info.compress_size for info in archive.infolist())
    try:
        _archive.members(archive, limits)
    except Unreadable:
        return
    assert total <= limits.max_total
    assert total <= limits.ratio_floor or total / packed <= limits.max_ratio


SEEDS = [files.pdf_bytes("fuzz"), hostile.poison_pdf(), files.jpeg_with_gps(),
         hostile.png_claiming(640, 480), files.docx_bytes("fuzz")]


@SANDBOXED
@given(mutated(SEEDS), st.booleans())
def test_finding_11_a_damaged_document_or_image_is_read_or_refused_with_a_reason(
        data: bytes, text: bool) -> None:
    mime = extract.sniff(data[:extract.HEAD_SIZE])
    read = extract.extract_text if text else extract.extract
    try:
        got = read(io.BytesIO(data), mime, len(data))
    except Unreadable as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(got.metadata, dict) and isinstance(got.text, str)
