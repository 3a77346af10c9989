"""Synthetic test files built in code (no real person's data)."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

ARABIC_TEXT = "شهادة الحاجّة فاطمة عن مكتب الحسبة في الموصل"


def pdf_bytes(text: str = "Hisba office report") -> bytes:
    """A one-page PDF whose page shows ``text`` (Latin only: the base-14 font)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Synthetic report) /Author (Test Author) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str, *, author: str | None = None) -> bytes:
    import docx

    document = docx.Document()
    if author:  # the core properties dc:creator and cp:lastModifiedBy
        document.core_properties.author = author
        document.core_properties.last_modified_by = author
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x8825] = {1: "N", 2: (36.0, 20.0, 24.0), 3: "E", 4: (43.0, 7.0, 48.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def jpeg_with_author_and_gps(artist: str = "Synthetic Photographer",
                             owner: str = "Synthetic Owner", serial: str = "SN-0042-SYNTH") -> bytes:
    """A JPEG whose EXIF names its maker (Artist, Copyright, XPAuthor, the camera's owner and
    serial number) and where it was taken (GPS), beside harmless make, model and date."""
    from PIL import Image

    image = Image.new("RGB", (8, 8), "blue")
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x0110] = "Model T"  # Model
    exif[0x013B] = artist  # Artist
    exif[0x8298] = f"(c) {artist}"  # Copyright
    exif[0x9C9D] = artist.encode("utf-16-le") + b"\0\0"  # XPAuthor
    exif[0x8825] = {1: "N", 2: (36.0, 20.0, 24.0), 3: "E", 4: (43.0, 7.0, 48.0)}  # GPS
    # The Exif sub-IFD: CameraOwnerName, BodySerialNumber, DateTimeOriginal.
    exif[0x8769] = {0xA430: owner, 0xA431: serial, 0x9003: "2014:10:14 09:30:00"}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def eml_bytes(body: str = ARABIC_TEXT, *, sender: str = "informant7@example.org",
              attachment: bytes | None = None, cte: str | None = None) -> bytes:
    """A synthetic e-mail; ``cte`` names the body's transfer encoding (Python's choice if
    None: base64 or quoted-printable for long lines, many short lines to parse)."""
    message = EmailMessage()
    message["From"] = f"Informant <{sender}>"
    message["To"] = "desk@example.org"
    message["Subject"] = "تقرير"
    message["Date"] = "Tue, 14 Oct 2014 09:30:00 +0300"
    message["Message-ID"] = "<synthetic-1@example.org>"
    message.set_content(body, **({"cte": cte} if cte else {}))
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf",
                               filename="report.pdf")
    return bytes(message)


def mbox_bytes(*messages: bytes) -> bytes:
    return b"".join(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2015\n" + m.replace(b"\r\n", b"\n")
                    + b"\n" for m in messages)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def amiri_font() -> str:
    """The Amiri font the Makefile installs (fonts-hosny-amiri), by fontconfig."""
    import subprocess

    return subprocess.run(["fc-match", "-f", "%{file}", "Amiri:style=Regular"],
                          capture_output=True, text=True, check=True).stdout


def printed_page(lines: list[str], *, arabic: bool = True, width: int = 2480,
                 height: int = 3508, size: int = 56, fmt: str = "PNG") -> bytes:
    """A clean printed page at 300 dpi (A4): ``lines`` in Amiri, right-aligned and shaped
    right to left for Arabic (Pillow with libraqm), black on white, as image bytes."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(amiri_font(), size, layout_engine=ImageFont.Layout.RAQM)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    y, margin = 250, 200
    for line in lines:
        if arabic:
            draw.text((width - margin, y), line, font=font, fill=0, anchor="ra",
                      direction="rtl", language="ar")
        else:
            draw.text((margin, y), line, font=font, fill=0, anchor="la")
        y += int(size * 1.9)
    out = io.BytesIO()
    page.save(out, fmt)
    return out.getvalue()


def mixed_pdf(arabic: list[str]) -> bytes:
    """A typed cover page and a scanned page of ``arabic`` lines (no text layer)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in (pdf_bytes("Typed cover letter about the bridge"),
                 image_pdf([printed_page(arabic)])):
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_pdf(pages: list[bytes]) -> bytes:
    """A scanned-looking PDF: each page only a picture (no text layer), by Pillow."""
    from PIL import Image

    images = [Image.open(io.BytesIO(p)).convert("L") for p in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=300.0, save_all=True, append_images=images[1:])
    return out.getvalue()
