"""Synthetic spreadsheets for the import tests: made here, no real person's data."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook

HEADERS = ["الاسم", "Name (Latin)", "العمر", "الجنس", "التاريخ", "المكان", "نوع الانتهاك",
           "المصدر", "ملاحظات", "هاتف المخبر"]

# A messy Arabic sheet: mixed scripts, dates typed every which way (a real date cell, ISO,
# day/month/year, Arabic-Indic digits, a month name, Hijri), an age from a formula, a date
# merged over two victims' rows, a label in Arabic, in English and as a code.
MESSY: list[list[Any]] = [
    ["أحمد خليل إبراهيم", "Ahmad Khalil", 34, "ذكر", datetime(2014, 10, 5), "الموصل", "القتل",
     "NIN-01", "شهادة اصطناعية", "0770 000 0001"],
    ["فاطمة علي", "Fatima Ali", "٢٧", "female", "15/03/2015", "سنجار", "Enforced disappearance",
     "NIN-01", "", "0770 000 0002"],
    ["Omar ‏عمر حسن", "", None, "male", "حزيران ٢٠١٤", "Tal Afar", "torture", "NIN-02",
     "mixed-script name", ""],
    ["مريم يوسف", "", 19, "أنثى", "5/9/1436 هـ", "الموصل", "الزواج القسري", "NIN-02", "", ""],
    ["سعيد جاسم", "", 50, "ذكر", date(2015, 1, 2), "الموصل", "killing", "NIN-03", "", ""],
    ["ليلى جاسم", "", 48, "أنثى", None, "الموصل", "killing", "NIN-03", "merged date", ""],
]
MAPPING = """\
columns:
  الاسم: victim_name
  Name (Latin): victim_name_other
  العمر: victim_age
  الجنس: victim_sex
  التاريخ: date
  المكان: place
  نوع الانتهاك: act_type
  المصدر: source
  ملاحظات: text
ignore: [هاتف المخبر]
defaults:
  channel: document
  received_at: "2016-05-01"
values:
  act_type: {Enforced disappearance: abduction_disappearance}
"""


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS,
               merges: Sequence[str] = (), formulas: dict[str, str] | None = None,
               cached: dict[str, str] | None = None) -> Path:
    """An XLSX with ``headers`` then ``rows``; ``merges`` like "E6:E7"; ``formulas`` puts a
    formula in a cell ("C2": "=2015-1981"); ``cached`` gives some of them a saved value, as
    a spreadsheet program would (openpyxl itself saves none)."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for cell, formula in (formulas or {}).items():
        sheet[cell] = formula
    for ref in merges:
        sheet.merge_cells(ref)
    book.save(path)
    if cached:
        _cache(path, cached)
    return path


def _cache(path: Path, values: dict[str, str]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    for cell, value in values.items():
        xml, n = re.subn(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?',
                         rf"\1<f>\2</f><v>{value}</v>", xml)
        assert n == 1, cell
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def messy_xlsx(path: Path) -> Path:
    """:data:`MESSY` with row 3's age a formula with its saved value, and the date merged
    over rows 6 and 7 (the two members of one family)."""
    rows = [list(r) for r in MESSY]
    return write_xlsx(path, rows, merges=["E6:E7"], formulas={"C3": "=2015-1988"},
                      cached={"C3": "27"})


def write_csv(path: Path, rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS,
              encoding: str = "utf-8") -> Path:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_ods(path: Path, rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS,
              cover: tuple[int, int, int] | None = None) -> Path:
    """A minimal ODS (text cells); ``cover=(row, col, span)`` merges a cell of data row
    ``row`` (0-based, below the header) over ``span`` rows."""
    def cell(value: Any, attrs: str = "") -> str:
        if value is None or value == "":
            return f"<table:table-cell{attrs}/>"
        return (f'<table:table-cell{attrs} office:value-type="string"><text:p>'
                f"{escape(str(value))}</text:p></table:table-cell>")

    lines = ["<table:table-row>" + "".join(cell(h) for h in headers) + "</table:table-row>"]
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if cover and c == cover[1] and r == cover[0]:
                cells.append(cell(value, f' table:number-rows-spanned="{cover[2]}"'))
            elif cover and c == cover[1] and cover[0] < r < cover[0] + cover[2]:
                cells.append("<table:covered-table-cell/>")
            else:
                cells.append(cell(value))
        lines.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Sheet1">'
        + "".join(lines) + "</table:table></office:spreadsheet></office:body>"
        "</office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path
