"""The Concordance DAT load file: delimiters, fields and families."""

from __future__ import annotations

from pathlib import Path

from tests.disclosure.disclosure_helpers import ITEMS, sha

from dhakira.core.handover import DatRow, parse_dat, render_dat
from dhakira.core.handover.loadfile import FIELDS


def test_it_uses_concordance_delimiters(package: Path) -> None:
    raw = (package / "loadfile.dat").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    text = raw.decode("utf-8-sig")
    header = text.split("\r\n")[0]
    assert header == "\x14".join(f"\u00fe{f}\u00fe" for f in FIELDS)
    assert header.split("\x14")[0] == "þDOCIDþ"


def test_it_writes_one_row_per_document_with_hashes(package: Path) -> None:
    rows = {r["DOCID"]: r for r in parse_dat((package / "loadfile.dat").read_bytes())}
    assert set(rows) == set(ITEMS)
    au = rows["AU-0003"]
    assert au["SHA256"] == sha(ITEMS["AU-0003"][2])
    assert au["ORIGSHA256"] == sha(b"orig" + ITEMS["AU-0003"][2])
    assert au["FILESIZE"] == str(len(ITEMS["AU-0003"][2]))
    assert au["NATIVEPATH"] == "files\\AU-0003.ogg" and au["FILEEXT"] == "ogg"
    assert au["DATECREATED"] == "20150603"
    assert rows["E-0001"]["TEXTPATH"] == "text\\E-0001.txt"


def test_it_keeps_families_together_with_attach_ranges(package: Path) -> None:
    rows = parse_dat((package / "loadfile.dat").read_bytes())
    order = [r["DOCID"] for r in rows]
    assert order == ["E-0001", "E-0002", "AU-0003", "TR-0004", "TL-0005"]
    by = {r["DOCID"]: r for r in rows}
    assert (by["E-0002"]["PARENTID"], by["E-0002"]["BEGATTACH"], by["E-0002"]["ENDATTACH"]) == (
        "E-0001", "E-0001", "E-0002")
    # audio -> transcript -> translation is one family led by the audio
    assert {by[d]["BEGATTACH"] for d in ("AU-0003", "TR-0004", "TL-0005")} == {"AU-0003"}
    assert by["TL-0005"]["ENDATTACH"] == "TL-0005" and by["TL-0005"]["PARENTID"] == "TR-0004"


def test_it_puts_parents_first_even_when_added_after_children() -> None:
    child = DatRow("C-2", "attachment", "pdf", 1, "a" * 64, "b" * 64, "files/C-2.pdf",
                   parentid="P-1")
    parent = DatRow("P-1", "native", "eml", 1, "c" * 64, "d" * 64, "files/P-1.eml")
    lone = DatRow("L-3", "native", "jpg", 1, "e" * 64, "f" * 64, "files/L-3.jpg")
    rows = parse_dat(render_dat([child, parent, lone]))
    assert [r["DOCID"] for r in rows] == ["P-1", "C-2", "L-3"]
    assert rows[2]["BEGATTACH"] == "" and rows[2]["ENDATTACH"] == ""


def test_it_folds_newlines_and_strips_delimiters_from_values() -> None:
    row = DatRow("D-1", "note", "txt", 1, "a" * 64, "", "files/D-1.txt",
                 confidentiality="line one\r\nline þtwo\x14")
    text = render_dat([row]).decode("utf-8-sig")
    assert "line one\u00aeline two" in text
    assert text.count("\r\n") == 2
