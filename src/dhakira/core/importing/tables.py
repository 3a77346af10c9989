"""Rows of a CSV, XLSX or ODS table, streamed in bounded memory.

* **CSV** is decoded line by line in the mapping's encoding (UTF-8 by default, with or
  without a byte-order mark; ``windows-1256`` or ``iso-8859-6`` for old Arabic files). Bytes
  that are not text in that encoding make the *row* unreadable (named, with its column), not
  the file: the dry run lists every such row.
* **XLSX** is read with openpyxl in read-only mode (rows are parsed as they are reached). A
  formula counts as the value the spreadsheet program saved with it; a formula saved without
  a value (a file written by a program that does not calculate) makes its cell unreadable.
  A workbook with macros (``vbaProject.bin``) is refused whole: save it as a plain ``.xlsx``.
* **ODS** is read with python-calamine, which holds one sheet in memory; a sheet whose XML is
  over :data:`ODS_MAX_XML` bytes is refused (save it as XLSX or CSV, which stream).

A merged cell's value is given to every cell it covers (a date merged over three victims'
rows is each victim's date).
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeAlias

from dhakira.core.importing import messages
from dhakira.core.importing.errors import TableError
from dhakira.core.importing.messages import Said, said

__all__ = ["FORMATS", "ODS_MAX_XML", "Cell", "Row", "Table", "Unreadable", "open_table"]

FORMATS = (".csv", ".xlsx", ".ods")
ODS_MAX_XML = 200 * 1024 * 1024
MAX_MERGES = 100_000
CSV_FIELD_LIMIT = 1024 * 1024  # one cell; csv's default (128 KiB) refuses long testimonies


@dataclass(frozen=True)
class Unreadable:
    """A cell whose value cannot be trusted, and why (a row holding one is refused).
    ``said`` is the reason as a template and its values, for a translated display."""

    reason: str
    said: Said | None = None

    @classmethod
    def of(cls, what: Said) -> Unreadable:
        """The cell refused for ``what`` (its English reason and its template)."""
        return cls(str(what), what)


Cell: TypeAlias = str | int | float | bool | datetime | date | time | timedelta | Unreadable | None


@dataclass(frozen=True)
class Row:
    """One row: its number as a spreadsheet program shows it (the header row included) and
    its cells, one per header (missing trailing cells are ``None``)."""

    number: int
    cells: tuple[Cell, ...]


@dataclass
class Table:
    """An open table: its file's name, its headers, and :meth:`rows` (an iterator, once)."""

    name: str
    headers: tuple[str, ...]
    _rows: Iterator[Row]

    def rows(self) -> Iterator[Row]:
        """The rows below the header, in order; wholly empty rows are left out."""
        width = len(self.headers)
        for row in self._rows:
            cells = row.cells[:width] + (None,) * (width - len(row.cells))
            extra = [c for c in row.cells[width:] if _filled(c)]
            if extra:
                cells = (*cells, Unreadable.of(said(messages.RIGHT_OF_HEADERS, n=len(extra))))
            if any(_filled(c) for c in cells):
                yield Row(row.number, cells)


def _filled(cell: Cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


@contextmanager
def open_table(path: Path, *, name: str | None = None, sheet: str | None = None,
               header_row: int = 1, encoding: str = "utf-8") -> Iterator[Table]:
    """Open ``path`` (CSV, XLSX or ODS, by its suffix) for streaming; ``name`` names it in
    messages (default: the file's name).

    Raises:
        TableError: not one of the formats, macros, no such sheet, no header row, a header
            given to two columns, a damaged file.
    """
    label = name or path.name
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("rb") as stream:
            yield _table(label, _csv_rows(stream, label, encoding), header_row)
    elif suffix in (".xlsx", ".xlsm"):
        with _xlsx_rows(path, label, sheet) as rows:
            yield _table(label, rows, header_row)
    elif suffix == ".ods":
        yield _table(label, _ods_rows(path, label, sheet), header_row)
    elif suffix == ".xls":
        raise TableError(label, "the old Excel format (.xls) is not read; save it as .xlsx",
                         code="table_xls")
    else:
        raise TableError(label, f"not a table this import reads; give one of {', '.join(FORMATS)}",
                         code="table_format", params={"formats": list(FORMATS)})


def _table(label: str, rows: Iterator[Row], header_row: int) -> Table:
    for row in rows:
        if row.number < header_row:
            continue
        if row.number > header_row:
            break
        for cell in row.cells:
            if isinstance(cell, Unreadable):
                raise TableError(label, f"the header is unreadable: {cell.reason}", header_row,
                                 code="table_header_unreadable", params={
                                     "reason": cell.said.template if cell.said else cell.reason,
                                     "values": dict(cell.said.params) if cell.said else {}})
        headers = tuple(_header(c) for c in row.cells)
        while headers and not headers[-1]:
            headers = headers[:-1]
        if not headers:
            break
        seen: dict[str, int] = {}
        for i, header in enumerate(headers):
            if not header:
                continue
            if header in seen:
                raise TableError(label, f"columns {_letter(seen[header])} and {_letter(i)} are "
                                 f"both headed {header!r}; rename one", header_row,
                                 code="table_header_twice",
                                 params={"first": _letter(seen[header]), "second": _letter(i),
                                         "header": header})
            seen[header] = i
        return Table(label, headers, rows)
    raise TableError(label, f"no header in row {header_row} (set header_row: in the mapping)",
                     code="table_no_header", params={"header_row": header_row})


def _header(cell: Cell) -> str:
    if isinstance(cell, Unreadable):
        return ""
    return unicodedata.normalize("NFC", " ".join(str(cell or "").split()))


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- CSV -----------------------------------------------------------------------------------

def _csv_rows(stream: Any, label: str, encoding: str) -> Iterator[Row]:
    codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
    # surrogateescape keeps undecodable bytes as lone surrogates: the row that holds them is
    # refused with its column, and the dry run goes on to list every other such row.
    lines = codecs.iterdecode(_lines(stream), codec, errors="surrogateescape")
    reader = csv.reader(lines, strict=False)
    csv.field_size_limit(CSV_FIELD_LIMIT)
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TableError(label, f"not readable as CSV ({exc})", number + 1,
                             code="table_not_csv", params={"detail": str(exc)}) from None
        number += 1
        whole = "".join(record)  # most rows hold neither: one look at the row, not at each cell
        if _ESCAPED_BYTE.search(whole) or "\x00" in whole:
            yield Row(number, tuple(_csv_cell(v, encoding) for v in record))
        else:
            yield Row(number, tuple(record))


def _lines(stream: Any) -> Iterator[bytes]:
    yield from stream  # binary lines, read as they are needed


# The lone surrogates surrogateescape decodes an undecodable byte to (one C pass per cell,
# where a Python loop over its characters was a fifth of reading a CSV).
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _csv_cell(value: str, encoding: str) -> Cell:
    if _ESCAPED_BYTE.search(value):
        return Unreadable.of(said(messages.NOT_IN_ENCODING, encoding=encoding))
    if "\x00" in value:
        return Unreadable.of(said(messages.NUL))
    return value


# --- XLSX ----------------------------------------------------------------------------------

@contextmanager
def _xlsx_rows(path: Path, label: str, sheet: str | None) -> Iterator[Iterator[Row]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableError(label, f"not a readable XLSX file ({exc})", code="table_not_xlsx",
                         params={"detail": str(exc)}) from None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise TableError(label, "the workbook holds macros; they are never run, and a workbook "
                         "with macros is not imported: save it as a plain .xlsx (no macros)",
                         code="table_xlsx_macros")
    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TableError(label, f"not a readable XLSX file ({type(exc).__name__}: {exc})",
                         code="table_not_xlsx",
                         params={"detail": f"{type(exc).__name__}: {exc}"}) from None
    try:
        title = sheet if sheet is not None else values.sheetnames[0]
        if title not in values.sheetnames:
            raise TableError(label, f"no sheet named {title!r}; the sheets are "
                             f"{', '.join(values.sheetnames)}", code="table_no_sheet",
                             params={"sheet": title, "sheets": list(values.sheetnames)})
        yield _xlsx_stream(values[title], formulas[title], label)
    finally:
        values.close()
        formulas.close()


def _xlsx_stream(values: Any, formulas: Any, label: str) -> Iterator[Row]:
    merges = _xlsx_merges(formulas, label)
    try:
        pairs = zip(values.iter_rows(), formulas.iter_rows(), strict=True)
        for number, (cells, raw) in enumerate(pairs, start=1):
            row = tuple(_xlsx_cell(c, f) for c, f in zip(cells, raw, strict=True))
            yield Row(number, merges.fill(number, row))
    except TableError:
        raise
    except Exception as exc:
        raise TableError(label, f"damaged XLSX sheet ({type(exc).__name__}: {exc})",
                         code="table_damaged_sheet",
                         params={"detail": f"{type(exc).__name__}: {exc}"}) from None


def _xlsx_cell(cell: Any, raw: Any) -> Cell:
    value = getattr(cell, "value", None)
    if getattr(raw, "data_type", None) == "f" and value is None:
        return Unreadable.of(said(messages.FORMULA_WITHOUT_VALUE))
    if isinstance(value, str) and value.startswith("#") and getattr(cell, "data_type", "") == "e":
        return Unreadable.of(said(messages.FORMULA_ERROR, value=value))
    return value  # type: ignore[no-any-return]


def _xlsx_merges(sheet: Any, label: str) -> _Merges:
    """The merged ranges of a read-only sheet, read from its XML (openpyxl's read-only
    mode does not parse them; they follow the rows, so this is one streaming pass)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils import range_boundaries

    tag = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
    found: list[tuple[int, int, int, int]] = []
    with sheet._get_source() as source:  # openpyxl's reader keeps the part's path there
        for _event, element in iterparse(source):
            if element.tag == tag:
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                found.append((min_row, min_col - 1, max_row, max_col - 1))
                if len(found) > MAX_MERGES:
                    raise TableError(label, f"more than {MAX_MERGES} merged ranges; unmerge them",
                                     code="table_too_many_merges", params={"most": MAX_MERGES})
            element.clear()
    return _Merges(found)


class _Merges:
    """Gives a merged range's top-left value to every cell it covers, row by row."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        self._pending = sorted(ranges, reverse=True)  # pop() gives the topmost
        self._active: list[tuple[tuple[int, int, int, int], Cell]] = []

    def fill(self, number: int, row: tuple[Cell, ...]) -> tuple[Cell, ...]:
        self._active = [(r, v) for r, v in self._active if r[2] >= number]
        while self._pending and self._pending[-1][0] == number:
            merge = self._pending.pop()
            self._active.append((merge, row[merge[1]] if merge[1] < len(row) else None))
        while self._pending and self._pending[-1][0] < number:
            self._pending.pop()  # a range starting on a row the sheet does not have
        if not self._active:
            return row
        cells = list(row)
        for (top, left, _bottom, right), value in self._active:
            cells.extend([None] * (right + 1 - len(cells)))
            for col in range(left, right + 1):
                if (number, col) != (top, left):
                    cells[col] = value
        return tuple(cells)


# --- ODS -----------------------------------------------------------------------------------

def _ods_rows(path: Path, label: str, sheet: str | None) -> Iterator[Row]:
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(path) as archive:
            infos = {i.filename: i for i in archive.infolist()}
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableError(label, f"not a readable ODS file ({exc})", code="table_not_ods",
                         params={"detail": str(exc)}) from None
    if any(n.startswith("Basic/") or n.startswith("Scripts/") for n in infos):
        raise TableError(label, "the spreadsheet holds macros; they are never run, and a "
                         "spreadsheet with macros is not imported: save a copy without them",
                         code="table_ods_macros")
    content = infos.get("content.xml")
    if content is None:
        raise TableError(label, "not an ODS file (no content.xml)", code="table_not_ods",
                         params={"detail": "no content.xml"})
    if content.file_size > ODS_MAX_XML:
        raise TableError(label, f"too large to read as ODS ({content.file_size // 2**20} MiB "
                         "of XML); save it as XLSX or CSV, which are read row by row",
                         code="table_ods_too_large", params={"mib": content.file_size // 2**20})
    try:
        book = CalamineWorkbook.from_path(str(path))
        title = sheet if sheet is not None else book.sheet_names[0]
        if title not in book.sheet_names:
            raise TableError(label, f"no sheet named {title!r}; the sheets are "
                             f"{', '.join(book.sheet_names)}", code="table_no_sheet",
                             params={"sheet": title, "sheets": list(book.sheet_names)})
        data = book.get_sheet_by_name(title)
        rows = data.to_python(skip_empty_area=False)  # row 1 of the sheet comes first
        merges = _Merges(_ods_merges(path, title, label))
    except TableError:
        raise
    except Exception as exc:  # calamine raises its own kinds on a damaged file
        raise TableError(label, f"not a readable ODS file ({type(exc).__name__}: {exc})",
                         code="table_not_ods",
                         params={"detail": f"{type(exc).__name__}: {exc}"}) from None
    for number, values in enumerate(rows, start=1):
        yield Row(number, merges.fill(number, tuple(None if v == "" else v for v in values)))


def _ods_merges(path: Path, title: str, label: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of sheet ``title``, read from content.xml in one streaming pass
    (calamine gives none for ODS): a cell's ``number-rows-spanned`` and
    ``number-columns-spanned``, placed by counting rows and cells, repeats included."""
    from xml.etree.ElementTree import iterparse

    ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    cells = (f"{ns}table-cell", f"{ns}covered-table-cell")
    found: list[tuple[int, int, int, int]] = []
    inside, row, col = False, 0, 0
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if tag == f"{ns}table":
                if event == "start":
                    inside = element.get(f"{ns}name") == title
                elif inside:
                    break
            elif not inside:
                if event == "end":
                    element.clear()
            elif tag == f"{ns}table-row":
                if event == "start":
                    col = 0
                else:
                    row += int(element.get(f"{ns}number-rows-repeated", "1"))
                    element.clear()
            elif tag in cells and event == "end":
                rows = int(element.get(f"{ns}number-rows-spanned", "1"))
                cols = int(element.get(f"{ns}number-columns-spanned", "1"))
                if rows > 1 or cols > 1:
                    found.append((row + 1, col, row + rows, col + cols - 1))
                    if len(found) > MAX_MERGES:
                        raise TableError(label, f"more than {MAX_MERGES} merged ranges; "
                                         "unmerge them", code="table_too_many_merges",
                                         params={"most": MAX_MERGES})
                col += int(element.get(f"{ns}number-columns-repeated", "1"))
                element.clear()
    return found
