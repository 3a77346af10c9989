"""Hostile and odd files built in code: the red team's proofs of concept, made small."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from tests.evidence import files


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width``×``height`` pixels (its pixels are a lie)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"\0" * 10)) + _png_chunk(b"IEND", b""))


def genuine_png(width: int, height: int) -> bytes:
    """A valid one-bit PNG of ``width``×``height`` white pixels (a scan's size, not its cost)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\0" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels)
            + _png_chunk(b"IEND", b""))


def docx_bomb(paragraphs: int = 2_000_000) -> bytes:
    """A small DOCX whose document part unpacks to tens of megabytes of empty paragraphs."""
    source = zipfile.ZipFile(io.BytesIO(files.docx_bytes("cover page")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * paragraphs)
            archive.writestr(info.filename, data)
    return out.getvalue()


def zip_of_zeros(members: int, size: int = 1024 * 1024 - 1) -> bytes:
    """Many members each just under the one-member ratio floor, all zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for number in range(members):
            archive.writestr(f"m{number}.bin", b"\0" * size)
    return out.getvalue()


def eml_with_nested_from(depth: int = 2000) -> bytes:
    nested = "(" * depth + ")" * depth
    return (f"From: informant{nested}@example.org\nTo: desk@example.org\nSubject: tip\n"
            "Date: Tue, 14 Oct 2014 09:30:00 +0300\n\nThe convoy left at dawn.\n").encode()


def eml_with_empty_message_id() -> bytes:
    return (b"From: informant7@example.org\nTo: desk@example.org\nSubject: tip\n"
            b"Message-ID: <>\n\nThe convoy left at dawn.\n")


def poison_pdf() -> bytes:
    """A PDF that opens and counts its pages, but whose text makes pypdf fail an assertion:
    its font lives in an "object stream" that is not one."""
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n")
    offsets: dict[int, int] = {}

    def obj(number: int, body: bytes) -> None:
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    content = b"BT /F1 12 Tf 72 720 Td (hi) Tj ET"
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
           b"/Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>")
    obj(5, b"<< /Type /XObject /Length 2 >>\nstream\nxx\nendstream")
    obj(7, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    xref = out.tell()
    rows = [(0, 0, 255), (1, offsets[1], 0), (1, offsets[2], 0), (1, offsets[3], 0),
            (2, 5, 0), (1, offsets[5], 0), (1, xref, 0), (1, offsets[7], 0)]
    table = b"".join(struct.pack(">BHB", *row) for row in rows)
    out.write(b"6 0 obj\n<< /Type /XRef /Size 8 /W [1 2 1] /Root 1 0 R /Length %d >>\nstream\n"
              % len(table) + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def slow_pdf(operations: int = 300_000) -> bytes:
    """A valid PDF whose one page draws text hundreds of thousands of times (slow to read)."""
    marker = "SLOWSLOWSLOW"
    plain = files.pdf_bytes(marker)
    old = f"BT /F1 12 Tf 72 720 Td ({marker}) Tj ET".encode()
    new = b"BT /F1 12 Tf 72 720 Td " + b"(x) Tj " * operations + b"ET"
    # The cross-reference offsets no longer match: pypdf rebuilds them, as for many real files.
    return plain.replace(b"<< /Length %d >>" % len(old), b"<< /Length %d >>" % len(new)).replace(
        old, new)


def zip_with_corrupt_member() -> bytes:
    """A zip whose second member's bytes were damaged after it was written (CRC mismatch)."""
    data = bytearray(files.zip_bytes({"a.txt": b"first member " * 50,
                                      "b.txt": b"second member " * 50}))
    second = data.index(b"b.txt") + len(b"b.txt") + 4
    data[second] ^= 0xFF
    return bytes(data)


def zip_with_unknown_method() -> bytes:
    """A zip whose member claims a compression method Python does not know (99)."""
    data = bytearray(files.zip_bytes({"a.txt": b"hello " * 40}))
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.index(signature) + offset
        data[at:at + 2] = struct.pack("<H", 99)
    return bytes(data)


def truncated_zip() -> bytes:
    data = files.zip_bytes({"a.txt": b"hello " * 40, "b.txt": b"world " * 40})
    return data[: len(data) - 30]


def zip_with_lying_central_directory() -> bytes:
    """A member whose central directory entry gives a size far larger than its data."""
    data = bytearray(files.zip_bytes({"a.txt": b"hello " * 40}))
    at = data.index(b"PK\x01\x02") + 24
    data[at:at + 4] = struct.pack("<I", 10**9)
    return bytes(data)
