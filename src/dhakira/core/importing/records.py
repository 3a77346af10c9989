"""One row into one record, or a refusal that says which row, which column and why."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from functools import cache, lru_cache

from dhakira.core.bidi import is_arabic, strip_controls
from dhakira.core.dates import DatesError, parse_fuzzy_date
from dhakira.core.importing import messages as m
from dhakira.core.importing.errors import MappingError
from dhakira.core.importing.mapping import VOCABULARY_OF, Mapping, _fold
from dhakira.core.importing.messages import Said, said
from dhakira.core.importing.tables import Cell, Row, Unreadable
from dhakira.core.vocabularies import load

__all__ = ["Refusal", "RowRecord", "check_headers", "received_datetime", "recognised_term",
           "to_record"]

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
MAX_AGE = 130


@dataclass(frozen=True)
class RowRecord:
    """What one row says, in the dossier's terms (vocabulary codes, dates as written)."""

    row: int
    source: str
    received_at: str  # ISO 8601, date or date and time; the importer fills in the time zone
    channel: str
    event_title: str
    date_text: str = ""
    date_calendar: str = "gregorian"
    place: str = ""
    text: str = ""
    victim_names: tuple[str, ...] = ()
    victim_age: int | None = None
    victim_sex: str = ""
    act_type: str = ""
    method: str = ""
    result: str = ""
    perpetrator_name: str = ""
    perpetrator_degree: str = ""
    media: tuple[str, ...] = ()
    compartment: str = ""  # the report's; empty for none

    def canonical(self) -> bytes:
        """The record's content without its row number: equal rows give equal bytes, so a
        sheet imported again (or with rows added or moved) is recognised row by row."""
        data = asdict(self)
        del data["row"]
        # Where the report is kept is not what the row says: leaving it out keeps the digests
        # of sheets imported before compartments could be mapped, so a row imported again
        # with a compartment is still recognised (and not made a second, open, report).
        del data["compartment"]
        return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()

    def digest(self) -> str:
        """SHA-256 of :meth:`canonical` (callers key it further before storing it)."""
        return hashlib.sha256(self.canonical()).hexdigest()


_DAY_AND_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class Refusal:
    """A row that would not be imported: where and why (no cell's value is quoted but a
    vocabulary term's, so a refusal can be shown and logged). ``said`` is the reason as a
    template and its values (:mod:`dhakira.core.importing.messages`), for a translated display."""

    source: str
    row: int
    column: str
    reason: str
    said: Said | None = None

    def __str__(self) -> str:
        column = f", column {self.column!r}" if self.column else ""
        return f"{self.source}, row {self.row}{column}: {self.reason}"


def check_headers(headers: tuple[str, ...], mapping: Mapping, table: str) -> None:
    """Every mapped column is in the table and every column of the table is mapped or
    ignored.

    Raises:
        MappingError: naming the missing and the unlooked-at columns.
    """
    present = {h for h in headers if h}
    missing = sorted(set(mapping.columns) - present)
    unknown = sorted(present - set(mapping.columns) - mapping.ignore)
    problems = []
    if missing:
        columns = "column" if len(missing) == 1 else "columns"
        problems.append(f"the mapping names {columns} {', '.join(map(repr, missing))}, which "
                        f"{table} does not have")
    if unknown:
        columns, them = ("column", "it") if len(unknown) == 1 else ("columns", "them")
        problems.append(f"{table} has {columns} {', '.join(map(repr, unknown))} that the "
                        f"mapping neither maps nor ignores (add {them} under columns: or "
                        "ignore:)")
    if problems:
        raise MappingError(mapping.source, "; ".join(problems), code="sheet_columns_differ",
                           params={"table": table, "missing": missing, "unknown": unknown})


class _Refused(Exception):
    def __init__(self, column: str, what: Said) -> None:
        self.column = column
        self.what = what


def to_record(row: Row, headers: tuple[str, ...], mapping: Mapping,
              table: str) -> RowRecord | Refusal:
    """Turn ``row`` into a :class:`RowRecord`, or a :class:`Refusal` naming ``table``, the
    row and the column.

    A row needs a victim's name, an act or an event title; vocabulary columns take a code,
    the English or Arabic label, or a spelling listed under ``values:``; an age is a whole
    number (Arabic-Indic digits too); dates are kept as written and read by the fuzzy-date
    parser in the mapping's calendar (a spreadsheet's own date cell is Gregorian). A date it
    cannot read in that calendar is refused, never kept undated nor guessed; a Gregorian date
    in a sheet mapped ``calendar: hijri`` (or the reverse) is refused as such. An empty date
    cell is no date.
    """
    try:
        return _record(row, headers, mapping)
    except _Refused as exc:
        return Refusal(table, row.number, exc.column, str(exc.what), exc.what)


def _record(row: Row, headers: tuple[str, ...], mapping: Mapping) -> RowRecord:
    got: dict[str, str] = {}
    calendar = mapping.calendar
    for header, cell in zip(headers, row.cells, strict=False):
        if isinstance(cell, Unreadable):
            raise _Refused(header, cell.said or Said(cell.reason))
        target = mapping.columns.get(header) if header else None
        if target is None:
            if not header and _text(cell):
                raise _Refused("", said(m.NO_HEADER))
            continue
        got[target] = _text(cell, date_like=target in ("date", "received_at"))
        if target == "date" and _DAY_AND_TIME.fullmatch(got[target]):
            got[target] = got[target][:10]  # an act's date is a day: its time is not kept
        if target == "date" and (isinstance(cell, date) or (
                isinstance(cell, str) and _WRITTEN_DATETIME.fullmatch(" ".join(cell.split())))):
            calendar = "gregorian"  # a spreadsheet's date cell is a Gregorian day, whatever
            # the mapping says of dates typed as text
    if len(row.cells) > len(headers):
        extra = row.cells[len(headers)]
        raise _Refused("", (extra.said or Said(extra.reason)) if isinstance(extra, Unreadable)
                       else said(m.PAST_LAST_COLUMN))
    for target, value in mapping.defaults.items():
        if not got.get(target):
            got[target] = value

    def column(target: str) -> str:
        return _column(mapping, target)

    names = tuple(n for n in (got.get("victim_name", ""), got.get("victim_name_other", "")) if n)
    if not (names or got.get("act_type") or got.get("event_title")):
        raise _Refused("", said(m.NOTHING_TO_RECORD))
    for target in VOCABULARY_OF:
        if got.get(target):
            got[target] = _term(target, got[target], mapping)
    age = None
    if got.get("victim_age"):
        text = got["victim_age"].translate(_DIGITS).strip()
        if not re.fullmatch(r"\d{1,3}(\.0+)?", text) or int(float(text)) > MAX_AGE:
            raise _Refused(column("victim_age"), said(m.AGE, max=MAX_AGE))
        age = int(float(text))
    if not got.get("source"):
        raise _Refused("", said(m.NO_SOURCE))
    if not got.get("channel"):
        raise _Refused("", said(m.NO_CHANNEL))
    received = got.get("received_at", "")
    if not received:
        raise _Refused("", said(m.NO_RECEIVED))
    try:
        when = received_datetime(received)
    except ValueError:
        raise _Refused(column("received_at"), said(m.NOT_ISO)) from None
    if when > datetime.now(UTC):  # as the report form refuses it
        raise _Refused(column("received_at"), said(m.RECEIVED_IN_FUTURE))
    # The date is kept as written and the intake reads it in the mapping's calendar; a date
    # that calendar cannot read would be kept with no bounds, silently undated, so it is
    # refused here (an empty cell is no date, and is kept).
    date_text = got.get("date", "")
    if date_text.strip():
        reason = _date_reason(date_text, calendar)
        if reason:
            raise _Refused(column("date"), reason)
    for target, limit in (("source", 100), ("event_title", 300), ("place", 200),
                          ("victim_name", 300), ("victim_name_other", 300),
                          ("perpetrator_name", 300), ("date", 200)):
        if len(got.get(target, "")) > limit:
            raise _Refused(column(target), said(m.TOO_LONG, limit=limit))
    if got.get("act_type") and got.get("perpetrator_name") and not got.get("perpetrator_degree"):
        got["perpetrator_degree"] = "directly_carried_out"
    if got.get("perpetrator_name") and not got.get("act_type"):
        raise _Refused(column("perpetrator_name"), said(m.PERPETRATOR_WITHOUT_ACT))
    title = got.get("event_title") or _title(got)
    return RowRecord(
        row=row.number, source=got["source"], received_at=received, channel=got["channel"],
        event_title=title[:300], date_text=date_text, date_calendar=calendar,
        place=got.get("place", ""), text=got.get("text", ""), victim_names=names,
        victim_age=age, victim_sex=got.get("victim_sex", ""), act_type=got.get("act_type", ""),
        method=got.get("method", ""), result=got.get("result", ""),
        perpetrator_name=got.get("perpetrator_name", ""),
        perpetrator_degree=got.get("perpetrator_degree", ""),
        media=tuple(got.get("media", "").split()), compartment=got.get("compartment", ""))


def _reads(text: str, calendar: str) -> bool:
    """Whether the fuzzy-date parser gives ``text`` bounds when bare numbers are ``calendar``."""
    try:
        return parse_fuzzy_date(text, default_calendar=calendar).earliest is not None
    except DatesError:
        return False


@lru_cache(maxsize=4096)
def _date_reason(text: str, calendar: str) -> Said | None:
    """Why a date cell cannot be imported under the mapping's ``calendar``, or None if it can.

    Kept for the last few thousand dates asked (the answer depends on nothing else, and
    ``Said`` cannot be changed): a sheet's dates repeat (one event, many victims), and reading
    one was a quarter of an import's checking of a row.

    The cell's value is not quoted (refusals are shown and logged); a date the other calendar
    reads is named as such, since a sheet of Gregorian dates mapped ``calendar: hijri`` (or
    the reverse) is the likely mistake.
    """
    if _reads(text, calendar):
        return None
    other = "gregorian" if calendar == "hijri" else "hijri"
    if _reads(text, other):
        return said(m.LOOKS_GREGORIAN if other == "gregorian" else m.LOOKS_HIJRI)
    return said(m.NOT_A_HIJRI_DATE if calendar == "hijri" else m.NOT_A_GREGORIAN_DATE)


def _title(got: dict[str, str]) -> str:
    """A title from what the row says: the act's label (in Arabic if the row is), the place
    and the date as written."""
    lang = "ar" if any(is_arabic(v) for v in got.values()) else "en"
    act = load("act_types").label(got["act_type"], lang) if got.get("act_type") else ""
    parts = [act, got.get("place", ""), got.get("date", "")]
    return " · ".join(p for p in parts if p) or "(no title)"


_WRITTEN_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?")


def _text(cell: Cell, *, date_like: bool = False) -> str:
    """A cell as text: dates as ISO 8601, whole numbers without ".0", text NFC-normalised,
    spaces collapsed and bidirectional controls removed (they only reorder the display)."""
    if type(cell) is str:  # most cells: skip the other types' checks
        text = cell
    elif cell is None or isinstance(cell, Unreadable):
        return ""
    elif isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat(timespec="minutes")
    elif isinstance(cell, date):
        return cell.isoformat()
    elif isinstance(cell, bool):
        return "yes" if cell else "no"
    elif isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    else:
        text = str(cell)
    text = unicodedata.normalize("NFC", strip_controls(text))
    if date_like:
        text = " ".join(text.split())
        # A date cell a spreadsheet program wrote out as text ("2014-10-05 00:00:00" in a
        # CSV) reads as the date cell itself would: the day, or the day and time to the minute.
        written = _WRITTEN_DATETIME.fullmatch(text)
        if written:
            day, clock = written.groups()
            return day if clock in ("00:00", "00:00:00") else f"{day}T{clock[:5]}"
        return text
    return text.strip() if "\n" in text else " ".join(text.split())


def received_datetime(text: str) -> datetime:
    """An ISO 8601 date or date and time (Arabic-Indic digits too); UTC unless it says.

    >>> received_datetime("٢٠١٦-٠٥-٠١")
    datetime.datetime(2016, 5, 1, 0, 0, tzinfo=datetime.timezone.utc)

    Raises:
        ValueError: not ISO 8601.
    """
    when = datetime.fromisoformat(text.translate(_DIGITS))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@cache
def _spellings(vocabulary: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for term in load(vocabulary).terms:
        for spelling in (term.code, term.en, term.ar, term.code.replace("_", " ")):
            table.setdefault(_fold(spelling), term.code)
    return table


def _term(target: str, value: str, mapping: Mapping) -> str:
    folded = _fold(value)
    own = mapping.values.get(target, {})
    spellings = _spellings(VOCABULARY_OF[target])
    if folded in own:
        return own[folded]  # checked against the vocabulary when the mapping was read
        # (or "" for no term, where the target allows it: MAY_BE_NONE)
    if folded in spellings:
        return spellings[folded]
    raise _Refused(_column(mapping, target), said(m.NOT_A_TERM, value=repr(value[:60]),
                                                  vocabulary=VOCABULARY_OF[target],
                                                  target=target))


def _column(mapping: Mapping, target: str) -> str:
    """The column a refusal names: the header mapped to ``target``, or its default."""
    return mapping.column_of(target) or f"(default {target})"


def recognised_term(target: str, value: str) -> str | None:
    """The vocabulary code a cell of a ``target`` column is read as without any ``values:``
    entry (its code, English or Arabic label, case, spacing and tatweel aside), or None.

    >>> recognised_term("act_type", "  KILLING ")
    'killing'
    >>> recognised_term("act_type", "قصف") is None
    True
    """
    return _spellings(VOCABULARY_OF[target]).get(_fold(value))
