"""Concordance DAT load file, the format review platforms (Relativity, Nuix, ZyLAB) ingest.

One row per document, first row the field names. Field separator ``\\x14`` (shown as ¶),
text qualifier ``þ`` (U+00FE), in-field newline ``®`` (U+00AE). Encoded UTF-8 with a byte
order mark by default, which current review platforms detect; pass ``encoding="latin-1"`` for
legacy Concordance when every value is Latin-1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dhakira.core.handover.cells import safe_cell

SEPARATOR = "\x14"
QUALIFIER = "\u00fe"
NEWLINE = "\u00ae"
FIELDS = (
    "DOCID", "BEGATTACH", "ENDATTACH", "PARENTID", "DOCTYPE", "FILEEXT", "FILESIZE", "SHA256",
    "ORIGSHA256", "NATIVEPATH", "TEXTPATH", "CONFIDENTIALITY", "DATECREATED",
)


@dataclass(frozen=True)
class DatRow:
    """One document of the load file (paths relative to the package, posix style)."""

    docid: str
    doctype: str
    fileext: str
    filesize: int
    sha256: str
    origsha256: str
    nativepath: str
    textpath: str = ""
    parentid: str = ""
    confidentiality: str = ""
    datecreated: str = ""  # YYYYMMDD, or '' when unknown; never invent precision


def _families(rows: Sequence[DatRow]) -> list[list[DatRow]]:
    """Group rows into families (root and all descendants), in order of first appearance."""
    by_id = {r.docid: r for r in rows}

    def root(row: DatRow) -> str:
        seen = {row.docid}
        while row.parentid in by_id and row.parentid not in seen:
            row = by_id[row.parentid]
            seen.add(row.docid)
        return row.docid

    groups: dict[str, list[DatRow]] = {}
    for row in rows:
        groups.setdefault(root(row), []).append(row)
    ordered = []
    for key, members in groups.items():
        # The parent leads its family, as review tools expect.
        members.sort(key=lambda r: r.docid != key)
        ordered.append(members)
    return ordered


def _qualify(value: object) -> str:
    # Review platforms export load-file fields to spreadsheets: no cell may start a formula.
    text = safe_cell(value).replace("\r\n", NEWLINE).replace("\n", NEWLINE).replace("\r", NEWLINE)
    # The qualifier and separator cannot be escaped in DAT; drop them from values.
    text = text.replace(QUALIFIER, "").replace(SEPARATOR, "")
    return f"{QUALIFIER}{text}{QUALIFIER}"


def render_dat(rows: Sequence[DatRow], *, path_sep: str = "\\", encoding: str = "utf-8-sig") -> bytes:
    """Render rows as a Concordance DAT file.

    Args:
        rows: documents in package order; children name their parent in ``parentid``.
        path_sep: separator for NATIVEPATH/TEXTPATH (Windows review tools expect ``\\``).
        encoding: ``utf-8-sig`` (default) or ``latin-1`` for legacy tools.

    Returns:
        The file's bytes, CRLF line endings.
    """
    lines = [SEPARATOR.join(_qualify(f) for f in FIELDS)]
    for family in _families(rows):
        first, last = family[0].docid, family[-1].docid
        for row in family:
            beg, end = (first, last) if len(family) > 1 else ("", "")
            values = (
                row.docid, beg, end, row.parentid, row.doctype, row.fileext, row.filesize,
                row.sha256, row.origsha256, row.nativepath.replace("/", path_sep),
                row.textpath.replace("/", path_sep), row.confidentiality, row.datecreated,
            )
            lines.append(SEPARATOR.join(_qualify(v) for v in values))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def parse_dat(data: bytes, *, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    """Parse a DAT file rendered by :func:`render_dat` into one dict per row."""
    lines = [line for line in data.decode(encoding).split("\r\n") if line]
    split = [[v.strip(QUALIFIER) for v in line.split(SEPARATOR)] for line in lines]
    header, body = split[0], split[1:]
    return [dict(zip(header, values, strict=True)) for values in body]
