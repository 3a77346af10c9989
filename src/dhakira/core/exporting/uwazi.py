"""Uwazi-ready CSV: one file per template, written from a :class:`Bundle` and read back.

Follows Uwazi's CSV import (huridocs/uwazi wiki "Import CSV" and ``app/api/csv``): the header
row holds the template's property names (no spaces); ``title`` is required; a value of a
multi-value property (multiselect, relationship) is several values separated by ``|``; a
``geolocation`` cell is ``lat|lon``; a date range is ``from:to`` with dates as
``YYYY-MM-DD``; a property that differs by language has one column per language, ``title__en``
and ``title__ar``; select values are the thesaurus labels, in each language's column. UTF-8,
``\\r\\n`` line ends, every cell made safe from spreadsheet formulas (a leading ``=``, ``+``,
``-``, ``@`` or ``'`` gets a ``'`` in front, taken off again when read back).

>>> from dhakira.core.exporting.records import Bundle, Event
>>> files = to_uwazi(Bundle(events=(Event(id="E-000001", title="قصف"),)))
>>> sorted(files)[:2]
['acts.csv', 'events.csv']
>>> from_uwazi(files, "out").events[0].title
'قصف'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dhakira.core.exporting.errors import (
    BadDocument,
    BadField,
    SeparatorInValue,
    number,
    record_refused,
)
from dhakira.core.exporting.records import (
    Act,
    Bundle,
    Date,
    Event,
    Information,
    Involvement,
    Person,
    Place,
)
from dhakira.core.handover.cells import safe_cell
from dhakira.core.vocabularies import load

SEP = "|"
LANGS = ("en", "ar")
ROLE_FILES = {"victim": "victims.csv", "perpetrator": "perpetrators.csv", "person": "persons.csv"}
# The longest cell the reader takes, in characters: 8 Mi, far above any title, name or list
# of ids, and above any description a person types (longer texts belong in the ESF document).
FIELD_LIMIT = 8 * 1024 * 1024
FILES = ("events.csv", "acts.csv", *ROLE_FILES.values(), "involvements.csv", "reports.csv")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith("'") else safe_cell(text)


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def _labels(vocabulary: str, code: str) -> list[str]:
    if not code:
        return ["", ""]
    t = load(vocabulary).get(code)
    return [t.en, t.ar]


def _code(vocabulary: str, label: str, column: str) -> str:
    """The code of an English label (the ``__en`` column)."""
    if not label:
        return ""
    found = [t.code for t in load(vocabulary).terms if t.en == label]
    if len(found) != 1:
        raise BadField(f"'{label[:80]}' in the column {column} is not a label of the "
                       f"vocabulary '{vocabulary}'", "not_a_label",
                       value=label[:80], vocabulary=vocabulary, field=column)
    return found[0]


def _joined(values: Sequence[str], what: str) -> str:
    for v in values:
        if SEP in v:
            raise SeparatorInValue(what, v, SEP)
    return SEP.join(values)


def _split(text: str) -> tuple[str, ...]:
    return tuple(v for v in text.split(SEP) if v) if text else ()


def _date_cells(d: Date) -> list[str]:
    rng = f"{d.earliest}:{d.latest}" if (d.earliest or d.latest) else ""
    return [rng, d.text, d.calendar, d.edtf]


DATE_HEADERS = ["date", "date_as_written", "calendar", "edtf"]
PLACE_HEADERS = ["place__en", "place__ar", "place_id", "geolocation"]


def _place_cells(p: Place | None) -> list[str]:
    if p is None:
        return ["", "", "", ""]
    geo = f"{p.lat!r}{SEP}{p.lon!r}" if p.lat is not None and p.lon is not None else ""
    return [p.name_en, p.name_ar, p.id, geo]


def _person_title(p: Person) -> str:
    return p.names[0] if p.names else p.id


def _table(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8")


def to_uwazi(bundle: Bundle) -> dict[str, bytes]:
    """The bundle as Uwazi CSV files, by file name (every template's file, even if empty).

    Raises:
        SeparatorInValue: a name or id holds ``|`` (it would split into two values).
        UnknownTerm: a record holds a code that is not in its vocabulary.
    """
    b = bundle.sorted()
    titles = {p.id: _person_title(p) for p in b.persons}
    event_titles = {e.id: e.title for e in b.events}
    files: dict[str, bytes] = {}
    files["events.csv"] = _table(
        ["title__en", "title__ar", "dhakira_id", "description__en", "description__ar",
         *DATE_HEADERS, *PLACE_HEADERS, "violation_status__en", "violation_status__ar"],
        [[e.title, e.title, e.id, e.description, e.description, *_date_cells(e.date),
          *_place_cells(e.place), *_labels("violation_status", e.violation_status)]
         for e in b.events])
    files["acts.csv"] = _table(
        ["title__en", "title__ar", "dhakira_id", "event", "event_id", "victim", "victim_id",
         "act_type__en", "act_type__ar", "method__en", "method__ar", "result__en", "result__ar",
         "stated_reason", *DATE_HEADERS, *PLACE_HEADERS],
        [[f"{a.id}: {lab[0]}", f"{a.id}: {lab[1]}", a.id, event_titles.get(a.event, ""),
          a.event, titles.get(a.victim, a.victim), a.victim, *lab,
          *_labels("methods", a.method), *_labels("results", a.result), a.stated_reason,
          *_date_cells(a.date), *_place_cells(a.place)]
         for a in b.acts for lab in [_labels("act_types", a.act_type)]])
    for role, name in ROLE_FILES.items():
        files[name] = _table(
            ["title__en", "title__ar", "dhakira_id", "other_names", "sex__en", "sex__ar", "age",
             "counting_unit__en", "counting_unit__ar"],
            [[_person_title(p), _person_title(p), p.id,
              _joined(p.names[1:], p.id), *_labels("sex", p.sex),
              "" if p.age is None else str(p.age), *_labels("counting_units", p.counting_unit)]
             for p in b.persons if p.role == role])
    files["involvements.csv"] = _table(
        ["title__en", "title__ar", "dhakira_id", "act_id", "perpetrator", "perpetrator_id",
         "degree__en", "degree__ar", "perpetrator_type__en", "perpetrator_type__ar",
         "certainty", "unit__en", "unit__ar"],
        [[i.id, i.id, i.id, i.act, titles.get(i.perpetrator, i.perpetrator), i.perpetrator,
          *_labels("involvement_degrees", i.degree),
          *_labels("perpetrator_types", i.perpetrator_type), i.certainty, i.unit_en, i.unit_ar]
         for i in b.involvements])
    files["reports.csv"] = _table(
        ["title__en", "title__ar", "dhakira_id", "source", "received", "channel", "language",
         "connection__en", "connection__ar", "material_type__en", "material_type__ar",
         "credibility", "events", "acts", "persons", "compartment"],
        [[n.id, n.id, n.id, n.source, n.received, n.channel, n.language,
          *_labels("source_connection", n.connection),
          *_labels("source_material_types", n.material_type),
          "" if n.credibility is None else str(n.credibility),
          _joined(n.events, n.id), _joined(n.acts, n.id), _joined(n.persons, n.id),
          n.compartment]
         for n in b.information])
    return files


# Reading back ------------------------------------------------------------------------------

def _rows(data: bytes, name: str) -> list[dict[str, str]]:
    """The rows of one file, each cell without its formula guard.

    Python's csv refuses a cell over 131,072 characters; an event's description or a report's
    list of ids may be longer, so the limit is raised to :data:`FIELD_LIMIT` while this file
    is read (and put back after: the limit is the whole process's). A longer cell, or any other
    fault of the CSV itself, is a :class:`BadDocument` naming the file and the row.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadDocument(name, f"not UTF-8 ({exc})", code="uwazi_not_utf8",
                          params={"detail": str(exc)}) from None
    rows: list[dict[str, str]] = []
    before = csv.field_size_limit(FIELD_LIMIT)
    try:
        for row in csv.DictReader(io.StringIO(text, newline="")):
            rows.append({k: _uncell(v or "") for k, v in row.items()})
    except csv.Error as exc:
        raise BadDocument(name, f"row {len(rows) + 2}: {exc} (a cell may hold at most "
                                f"{FIELD_LIMIT:,} characters)", code="uwazi_not_csv",
                          params={"row": len(rows) + 2, "detail": str(exc),
                                  "most": FIELD_LIMIT}) from None
    finally:
        csv.field_size_limit(before)
    return rows


def _date_back(r: Mapping[str, str]) -> Date:
    a, _, b = r["date"].partition(":")
    return Date(text=r["date_as_written"], calendar=r["calendar"], edtf=r["edtf"],
                earliest=a, latest=b)


def _place_back(r: Mapping[str, str]) -> Place | None:
    if not (r["place__en"] or r["place__ar"] or r["place_id"]):
        return None
    lat = lon = None
    if r["geolocation"]:
        la, _, lo = r["geolocation"].partition(SEP)
        lat, lon = number(la, "geolocation"), number(lo, "geolocation")
    return Place(id=r["place_id"], name_en=r["place__en"], name_ar=r["place__ar"], lat=lat,
                 lon=lon)


def _int(text: str, column: str) -> int | None:
    return number(text, column, whole=True)


_Reader = Callable[[dict[str, str]], Any]


def _event(r: dict[str, str]) -> Event:
    return Event(id=r["dhakira_id"], title=r["title__en"], description=r["description__en"],
                 date=_date_back(r), place=_place_back(r),
                 violation_status=_code("violation_status", r["violation_status__en"], "violation_status__en"))


def _act(r: dict[str, str]) -> Act:
    return Act(id=r["dhakira_id"], event=r["event_id"], victim=r["victim_id"],
               act_type=_code("act_types", r["act_type__en"], "act_type__en"),
               method=_code("methods", r["method__en"], "method__en"),
               result=_code("results", r["result__en"], "result__en"), stated_reason=r["stated_reason"],
               date=_date_back(r), place=_place_back(r))


def _person(role: str) -> _Reader:
    def read(r: dict[str, str]) -> Person:
        named = r["title__en"] != r["dhakira_id"]
        return Person(id=r["dhakira_id"], role=role,
                      names=((r["title__en"],) if named else ()) + _split(r["other_names"]),
                      sex=_code("sex", r["sex__en"], "sex__en"), age=_int(r["age"], "age"),
                      counting_unit=_code("counting_units", r["counting_unit__en"], "counting_unit__en"))
    return read


def _involvement(r: dict[str, str]) -> Involvement:
    return Involvement(id=r["dhakira_id"], act=r["act_id"],
                       degree=_code("involvement_degrees", r["degree__en"], "degree__en"),
                       perpetrator=r["perpetrator_id"],
                       perpetrator_type=_code("perpetrator_types", r["perpetrator_type__en"], "perpetrator_type__en"),
                       certainty=r["certainty"], unit_en=r["unit__en"], unit_ar=r["unit__ar"])


def _information(r: dict[str, str]) -> Information:
    return Information(id=r["dhakira_id"], source=r["source"], received=r["received"],
                       channel=r["channel"], language=r["language"],
                       connection=_code("source_connection", r["connection__en"], "connection__en"),
                       material_type=_code("source_material_types", r["material_type__en"], "material_type__en"),
                       credibility=_int(r["credibility"], "credibility"), events=_split(r["events"]),
                       acts=_split(r["acts"]), persons=_split(r["persons"]),
                       compartment=r["compartment"])


def from_uwazi(files: Mapping[str, bytes], source: str) -> Bundle:
    """Read the files :func:`to_uwazi` wrote back into records.

    Args:
        files: file name -> bytes (every file of :data:`FILES`).
        source: where they came from, for messages.

    Raises:
        BadDocument: a file is missing, not UTF-8, lacks a column, or a cell is not a label
            of its vocabulary; the message names the file and the row.
    """
    readers: dict[str, _Reader] = {"events.csv": _event, "acts.csv": _act,
                                   "involvements.csv": _involvement,
                                   "reports.csv": _information}
    readers.update({name: _person(role) for role, name in ROLE_FILES.items()})
    out: dict[str, list[Any]] = {name: [] for name in FILES}
    for name in FILES:
        if name not in files:
            raise BadDocument(source, f"{name} is missing", code="uwazi_file_missing",
                              params={"name": name})
        for n, row in enumerate(_rows(files[name], name), start=2):
            try:
                out[name].append(readers[name](row))
            except KeyError as exc:
                raise BadDocument(source, f"{name} has no column {exc}", code="uwazi_no_column",
                                  params={"name": name, "column": str(exc)}) from None
            except BadField as exc:
                raise record_refused(source, {"file": name, "row": n}, exc) from None
    return Bundle(events=tuple(out["events.csv"]), acts=tuple(out["acts.csv"]),
                  persons=tuple(p for name in ROLE_FILES.values() for p in out[name]),
                  involvements=tuple(out["involvements.csv"]),
                  information=tuple(out["reports.csv"])).sorted()


__all__ = ["FILES", "from_uwazi", "to_uwazi"]
