"""Issue 20, item 4, bad input: the pure part (mapping, tables, rows), with no database."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.importing.sheets import HEADERS, MAPPING, MESSY, write_csv, write_ods, write_xlsx

from dhakira.core.importing import (
    MappingError,
    Refusal,
    Row,
    RowRecord,
    TableError,
    check_headers,
    load_mapping,
    open_table,
    to_record,
)

ROW = ["علي حسين", "Ali Husayn", 40, "ذكر", "2014-09-01", "الموصل", "القتل", "NIN-04", "", ""]


def _records(path: Path, mapping: str = MAPPING) -> list[RowRecord | Refusal]:
    m = load_mapping(mapping, "map.yaml")
    with open_table(path, sheet=m.sheet, encoding=m.encoding) as table:
        check_headers(table.headers, m, table.name)
        return [to_record(r, table.headers, m, table.name) for r in table.rows()]


def test_a_column_mapped_twice_is_refused_with_its_line() -> None:
    twice = "columns:\n  الاسم: victim_name\n  العمر: victim_age\n  الاسم: text\n"
    with pytest.raises(MappingError, match=r"map.yaml: line 4: 'الاسم' is given twice "
                                           r"\(first on line 2\)"):
        load_mapping(twice, "map.yaml")


def test_one_target_from_two_columns_an_unknown_target_and_mapped_and_ignored_are_refused() -> None:
    with pytest.raises(MappingError, match="'victim_name' is filled from two columns"):
        load_mapping("columns: {A: victim_name, B: victim_name}", "m.yaml")
    with pytest.raises(MappingError, match="'phone', which is not a target"):
        load_mapping("columns: {A: phone}", "m.yaml")
    with pytest.raises(MappingError, match="column A is both mapped and ignored"):
        load_mapping("columns: {A: text}\nignore: [A]", "m.yaml")
    with pytest.raises(MappingError, match="columns A, B are both mapped and ignored"):
        load_mapping("columns: {A: text, B: victim_name}\nignore: [A, B]", "m.yaml")
    with pytest.raises(MappingError, match="unknown key colums; the keys are "):
        load_mapping("colums: {A: text}", "m.yaml")
    with pytest.raises(MappingError, match="'boom' is given 'explosion', which is not a code"):
        load_mapping("columns: {A: act_type}\nvalues: {act_type: {boom: explosion}}", "m.yaml")
    with pytest.raises(MappingError, match="m.yaml: line 1: not valid YAML"):
        load_mapping("columns: [", "m.yaml")


def test_a_column_neither_mapped_nor_ignored_is_refused_not_dropped(tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "t.csv", [ROW], headers=[*HEADERS[:-1], "رقم الهاتف"])
    with pytest.raises(MappingError, match=r"t.csv has column 'رقم الهاتف' that the mapping "
                                           r"neither maps nor ignores \(add it under"):
        _records(sheet)
    sheet = write_csv(tmp_path / "t.csv", [ROW], headers=[*HEADERS[:-2], "هاتف", "بريد"])
    with pytest.raises(MappingError, match=r"t.csv has columns 'بريد', 'هاتف' that the mapping "
                                           r"neither maps nor ignores \(add them under"):
        _records(sheet)


@pytest.mark.parametrize("write", [write_csv, write_xlsx, write_ods])
def test_duplicate_headers_are_refused_naming_both_columns(tmp_path: Path, write) -> None:  # type: ignore[no-untyped-def]
    headers = [*HEADERS[:3], "الاسم", *HEADERS[4:]]
    sheet = write(tmp_path / f"t{ {write_csv: '.csv', write_xlsx: '.xlsx', write_ods: '.ods'}[write]}",
                  [ROW], headers=headers)
    with pytest.raises(TableError, match=r", row 1: columns A and D are both headed 'الاسم'"):
        _records(sheet)


def test_formulas_count_as_their_saved_values_and_one_without_is_refused(tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "f.xlsx", [ROW, ROW], formulas={"C2": "=20*2", "C3": "=20*2"},
                       cached={"C2": "40"})
    got = _records(sheet)
    assert isinstance(got[0], RowRecord) and got[0].victim_age == 40
    assert str(got[1]) == ("f.xlsx, row 3, column 'العمر': a formula saved without its value "
                           "(open the file in a spreadsheet program and save it, or paste the "
                           "values)")


def test_a_workbook_with_macros_is_refused_whole(tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "m.xlsm", [ROW])
    with zipfile.ZipFile(sheet, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"synthetic, not a real macro")
    with pytest.raises(TableError, match="m.xlsm: the workbook holds macros; they are never run"):
        _records(sheet)
    ods = write_ods(tmp_path / "m.ods", [ROW])
    with zipfile.ZipFile(ods, "a") as archive:
        archive.writestr("Basic/Standard/Module1.xml", "<synthetic/>")
    with pytest.raises(TableError, match="m.ods: the spreadsheet holds macros"):
        _records(ods)


def test_broken_bytes_refuse_their_rows_only_and_each_is_named(tmp_path: Path) -> None:
    good = write_csv(tmp_path / "g.csv", [ROW, ROW, ROW]).read_bytes().split(b"\n")
    good[2] = good[2].replace("الموصل".encode(), b"\xff\xfe\xc3")  # row 3
    good[3] = good[3].replace(b"Ali", b"A\x00li")  # row 4: a NUL
    sheet = tmp_path / "broken.csv"
    sheet.write_bytes(b"\n".join(good))
    got = _records(sheet)
    assert isinstance(got[0], RowRecord)
    assert str(got[1]).startswith("broken.csv, row 3, column 'المكان': bytes that are not utf-8 text")
    assert str(got[2]).startswith("broken.csv, row 4, column 'Name (Latin)': a NUL character")


def test_damaged_and_unknown_files_say_so(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TableError, match="x.xlsx: not a readable XLSX file"):
        _records(tmp_path / "x.xlsx")
    (tmp_path / "x.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(TableError, match=r"x.xls: the old Excel format \(.xls\) is not read"):
        _records(tmp_path / "x.xls")
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(TableError, match="x.pdf: not a table this import reads"):
        _records(tmp_path / "x.pdf")


def test_values_right_of_the_last_header_refuse_the_row(tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "w.csv", [[*ROW, "stray"]])
    assert str(_records(sheet)[0]) == ("w.csv, row 2: 1 value right of the last headed "
                                       "column")
    sheet = write_csv(tmp_path / "w.csv", [[*ROW, "stray", "and", "more"]])
    assert str(_records(sheet)[0]) == ("w.csv, row 2: 3 values right of the last headed "
                                       "column")


def test_the_messy_sheet_in_three_formats_reads_the_same(tmp_path: Path) -> None:
    rows = [[("2015-01-02" if c == 4 and i == 4 else v) for c, v in enumerate(r)]
            for i, r in enumerate(MESSY)]
    rows[0][4] = "2014-10-05"
    want = _records(write_xlsx(tmp_path / "a.xlsx", rows, merges=["E6:E7"]))
    assert _records(write_ods(tmp_path / "a.ods", rows, cover=(4, 4, 2))) == want
    rows[5][4] = "2015-01-02"  # a CSV has no merged cells: the date typed twice
    assert _records(write_csv(tmp_path / "a.csv", rows)) == want
    assert all(isinstance(r, RowRecord) for r in want)


CELL = st.one_of(st.none(), st.integers(-10**6, 10**6), st.text(max_size=40),
                 st.sampled_from(["القتل", "killing", "ذكر", "٣٥", "2014", "5/9/1436 هـ", ""]))


@settings(max_examples=300, deadline=None)
@given(st.lists(CELL, min_size=0, max_size=14))
def test_any_row_is_a_record_or_a_refusal_naming_file_and_row(cells: list[object]) -> None:
    m = load_mapping(MAPPING, "map.yaml")
    got = to_record(Row(7, tuple(cells)), tuple(HEADERS), m, "t.xlsx")  # type: ignore[arg-type]
    assert isinstance(got, RowRecord | Refusal)
    if isinstance(got, Refusal):
        assert str(got).startswith("t.xlsx, row 7")
    else:
        assert got.row == 7 and got.source and got.channel == "document"
        assert got.victim_age is None or 0 <= got.victim_age <= 130


ONE_MILLION = """
import re, sys
from datetime import date
from pathlib import Path
from dhakira.core.importing import Refusal, check_headers, load_mapping, open_table, to_record
m = load_mapping(Path(sys.argv[2]).read_text(), "map.yaml")
refused = []
with open_table(Path(sys.argv[1])) as table:
    check_headers(table.headers, m, table.name)
    for n, row in enumerate(table.rows(), 1):
        got = to_record(row, table.headers, m, table.name)
        if isinstance(got, Refusal):
            refused.append(str(got))
# VmHWM: this program's own peak (ru_maxrss would carry over the parent's from before exec)
peak = int(re.search(r"VmHWM:\\s*(\\d+)", open("/proc/self/status").read()).group(1))
print(n, peak // 1024)
print(*refused, sep="\\n")
"""


@pytest.mark.slow
def test_a_million_rows_stream_in_bounded_memory_and_the_bad_row_is_named(tmp_path: Path) -> None:
    line = ",".join(map(str, ROW)).encode() + b"\n"
    sheet = tmp_path / "million.csv"
    with sheet.open("wb") as out:
        out.write(",".join(HEADERS).encode() + b"\n")
        for chunk in range(100):
            out.write(line * 9_999 + (line.replace(b"40", b"4O") if chunk == 99 else line))
    assert sheet.stat().st_size > 75 * 2**20
    (tmp_path / "map.yaml").write_text(MAPPING)
    done = subprocess.run([sys.executable, "-c", ONE_MILLION, str(sheet), str(tmp_path / "map.yaml")],
                          capture_output=True, text=True, check=True, timeout=1800)
    count, peak_mib = map(int, done.stdout.splitlines()[0].split())
    assert count == 1_000_000
    # The file is over 75 MiB; held whole as rows it would take several times that.
    assert peak_mib < 120, peak_mib
    assert done.stdout.splitlines()[1:] == [
        "million.csv, row 1000001, column 'العمر': an age is a whole number of years, 0 to 130"]


def test_an_ods_too_large_to_hold_is_refused_with_advice(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from dhakira.core.importing import tables

    monkeypatch.setattr(tables, "ODS_MAX_XML", 1000)
    sheet = write_ods(tmp_path / "big.ods", [ROW] * 20)
    with pytest.raises(TableError, match=r"big.ods: too large to read as ODS .* save it as XLSX "
                                         "or CSV, which are read row by row"):
        _records(sheet)


HIJRI = MAPPING + "calendar: hijri\n"


@pytest.mark.parametrize("typed", ["2014-08-03", "15/03/2015", "around 2015"])
def test_a_gregorian_date_in_a_hijri_sheet_is_refused_as_such_not_left_undated(
        typed: str) -> None:
    # In a row these were imported with no date at all, and the summary did not count them.
    row = Row(7, ("علي حسين", "", 40, "ذكر", typed, "الموصل", "القتل", "NIN-04", "", ""))
    refused = to_record(row, tuple(HEADERS), load_mapping(HIJRI, "map.yaml"), "h.csv")
    assert isinstance(refused, Refusal)
    assert str(refused).startswith("h.csv, row 7, column 'التاريخ': this looks like a "
                                   "Gregorian date, but the mapping reads dates as Hijri")
    assert typed not in str(refused)  # no cell's value is quoted
    gregorian = to_record(row, tuple(HEADERS), load_mapping(MAPPING, "map.yaml"), "h.csv")
    assert isinstance(gregorian, RowRecord) and gregorian.date_text == typed


@pytest.mark.parametrize("mapping", [MAPPING, HIJRI])
def test_a_date_no_calendar_reads_is_refused_and_an_empty_one_is_no_date(mapping: str) -> None:
    m = load_mapping(mapping, "map.yaml")
    cells = ["علي حسين", "", 40, "ذكر", "غير معروف", "الموصل", "القتل", "NIN-04", "", ""]
    refused = to_record(Row(3, tuple(cells)), tuple(HEADERS), m, "s.csv")
    assert isinstance(refused, Refusal) and refused.column == "التاريخ"
    assert refused.reason.startswith("not a date the ")
    for empty in ("", None, "  "):
        cells[4] = empty
        record = to_record(Row(3, tuple(cells)), tuple(HEADERS), m, "s.csv")
        assert isinstance(record, RowRecord) and record.date_text == ""


def test_in_a_hijri_sheet_hijri_text_and_a_real_date_cell_both_read() -> None:
    m = load_mapping(HIJRI, "map.yaml")
    for cell, calendar in (("5/9/1436 هـ", "hijri"), ("رمضان 1436", "hijri"), ("1436", "hijri"),
                           (date(2014, 8, 3), "gregorian")):
        row = Row(2, ("علي حسين", "", 40, "ذكر", cell, "الموصل", "القتل", "NIN-04", "", ""))
        record = to_record(row, tuple(HEADERS), m, "s.xlsx")
        assert isinstance(record, RowRecord) and record.date_calendar == calendar


@pytest.mark.parametrize("cell", ["2014-08-03 00:00:00", "2014-08-03 14:30:00", "2014-08-03T14:30",
                                  datetime(2014, 8, 3, 14, 30)])
def test_a_date_cell_written_out_as_text_reads_as_the_day_it_was(cell: object) -> None:
    # A CSV saved by a spreadsheet program writes its date cells as "2014-08-03 00:00:00";
    # read as text in a Hijri sheet it was refused (or, before, left undated).
    m = load_mapping(HIJRI, "map.yaml")
    row = Row(2, ("علي حسين", "", 40, "ذكر", cell, "الموصل", "القتل", "NIN-04", "", ""))
    record = to_record(row, tuple(HEADERS), m, "s.csv")
    assert isinstance(record, RowRecord), record
    assert (record.date_text, record.date_calendar) == ("2014-08-03", "gregorian")


def test_a_time_received_in_the_future_is_refused_as_the_report_form_refuses_it() -> None:
    row = Row(7, ("علي حسين", "", 40, "ذكر", "2014-08-03", "الموصل", "القتل", "NIN-04", "", ""))
    future = MAPPING.replace('received_at: "2016-05-01"', 'received_at: "2099-01-01"')
    assert future != MAPPING
    refused = to_record(row, tuple(HEADERS), load_mapping(future, "map.yaml"), "f.csv")
    assert isinstance(refused, Refusal)
    assert str(refused) == ("f.csv, row 7, column '(default received_at)': the time received "
                            "is in the future")
