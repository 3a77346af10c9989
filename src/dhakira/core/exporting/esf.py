"""HURIDOCS Events Standard Formats (ESF) as JSON: write a :class:`Bundle`, read one back.

Each record is a JSON object whose keys are the ESF field numbers with their names
(``"0102 event title"``), after *HURIDOCS Events Standard Formats* (Dueck, Guzman,
Verstappen, 2nd rev. ed., 2001) and the OpenEvSys data dictionary. A vocabulary value is
``{"code", "en", "ar"}`` plus, where our vocabulary maps it, ``"micro_thesaurus"`` (``MT04``)
and ``"huridocs_term"``. What ESF has no field for (the date as written, its calendar and
EDTF, gazetteer ids, an involvement's certainty, the channel a report came by) is kept under
each record's ``"x-dhakira"`` key, documented in docs/import-export.md, so a reader that
knows only ESF ignores it and Dhakira loses nothing on the way back.

>>> from dhakira.core.exporting.records import Bundle, Event
>>> doc = to_esf(Bundle(events=(Event(id="E-000001", title="Shelling"),)))
>>> from_esf(doc, "x.json").events[0].title
'Shelling'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dhakira.core.exporting.errors import BadDocument, BadField, number, record_refused
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
from dhakira.core.vocabularies import UnknownTerm, load

STANDARD = "HURIDOCS Events Standard Formats"
EDITION = "2nd revised edition, 2001"
VERSION = 1
X = "x-dhakira"

# ESF field keys, one constant each so writer and reader cannot drift apart.
EV_ID, EV_TITLE, EV_GEO, EV_START, EV_START_TYPE = (
    "0101 record number", "0102 event title", "0111 geographical term",
    "0113 initial date", "0113 type of date")
EV_END, EV_END_TYPE, EV_DESC, EV_STATUS, EV_LOC = (
    "0114 final date", "0114 type of date", "0115 description", "0151 violation status",
    "0173 location")
P_ID, P_UNIT, P_NAME, P_OTHER, P_SEX = (
    "0901 record number", "0902 counting unit", "0903 name", "0904 other names", "0915 sex")
A_ID, A_VICTIM, A_EVENT, A_TYPE, A_START, A_START_TYPE, A_LOC = (
    "2101 record number", "2102 victim", "2103 event", "2109 type of act", "2111 initial date",
    "2111_1 type of date", "2112 exact location")
A_REASON, A_METHOD, A_END, A_END_TYPE, A_STATUS, A_AGE = (
    "2113 stated reason", "2114 method of violence", "2121 final date", "2121_1 type of date",
    "2123 status at end of act", "2118 age at time of victimisation")
I_ID, I_PERP, I_EVENT, I_ACT, I_DEGREE, I_TYPE = (
    "2401 record number", "2402 perpetrator", "2403 event", "2404 act",
    "2409 degree of involvement", "2412 type of perpetrator")
N_ID, N_SOURCE, N_EVENTS, N_PERSONS, N_CONN, N_LANG, N_DATE, N_TYPE, N_REL = (
    "2501 record number", "2502 source", "2503 event", "2504 related person",
    "2509 source connection to information", "2510 language of source material",
    "2511 date of source material", "2512 type of source material",
    "2553 reliability of information")

# Our vocabulary of each coded field.
VOCAB = {EV_STATUS: "violation_status", P_UNIT: "counting_units", P_SEX: "sex",
         A_TYPE: "act_types", A_METHOD: "methods", A_STATUS: "results",
         I_DEGREE: "involvement_degrees", I_TYPE: "perpetrator_types",
         N_CONN: "source_connection", N_TYPE: "source_material_types"}


def term(vocabulary: str, code: str) -> dict[str, str] | None:
    """A coded value with both labels and, where we map it, its HURIDOCS micro-thesaurus.

    >>> term("results", "killed")["micro_thesaurus"]
    'MT25'
    """
    if not code:
        return None
    t = load(vocabulary).get(code)
    out = {"code": t.code, "en": t.en, "ar": t.ar}
    if t.huridocs:
        mt, _, label = t.huridocs.partition(" ")
        out["micro_thesaurus"], out["huridocs_term"] = mt, label
    return out


def date_type(date: Date) -> str:
    """ESF MT48 type of date for the bounds: exact (""), Unknown day, Unknown month and day,
    or Estimate; "Unknown" when there are no bounds.

    >>> date_type(Date(earliest="2014-06-01", latest="2014-06-30"))
    'Unknown day'
    """
    a, b = date.earliest, date.latest
    if not (a or b):
        return "Unknown" if date.text else ""
    if a == b:
        return ""
    if a and b and a[:7] == b[:7] and a.endswith("-01"):
        return "Unknown day"
    if a and b and a[:4] == b[:4] and a.endswith("-01-01") and b.endswith("-12-31"):
        return "Unknown month and day"
    return "Estimate"


def _date_x(date: Date) -> dict[str, str]:
    return {"text": date.text, "calendar": date.calendar, "edtf": date.edtf,
            "earliest": date.earliest, "latest": date.latest}


def _place_fields(place: Place | None, geo: str, loc: str) -> dict[str, Any]:
    if place is None:
        return {}
    out: dict[str, Any] = {geo: {"en": place.name_en, "ar": place.name_ar}}
    if place.lat is not None and place.lon is not None:
        out[loc] = {"lat": place.lat, "lon": place.lon}
    return out


def _place_x(place: Place | None) -> str:
    return place.id if place is not None else ""


def _event(e: Event) -> dict[str, Any]:
    return {EV_ID: e.id, EV_TITLE: e.title, EV_DESC: e.description,
            EV_START: e.date.earliest, EV_START_TYPE: date_type(e.date),
            EV_END: e.date.latest, EV_END_TYPE: date_type(e.date),
            EV_STATUS: term("violation_status", e.violation_status),
            **_place_fields(e.place, EV_GEO, EV_LOC),
            X: {"date": _date_x(e.date), "place": _place_x(e.place)}}


def _person(p: Person) -> dict[str, Any]:
    return {P_ID: p.id, P_UNIT: term("counting_units", p.counting_unit),
            P_NAME: p.names[0] if p.names else "", P_OTHER: list(p.names[1:]),
            P_SEX: term("sex", p.sex), X: {"role": p.role, "age": p.age}}


def _act(a: Act, ages: Mapping[str, int | None]) -> dict[str, Any]:
    return {A_ID: a.id, A_VICTIM: a.victim, A_EVENT: a.event,
            A_TYPE: term("act_types", a.act_type), A_START: a.date.earliest,
            A_START_TYPE: date_type(a.date), A_END: a.date.latest,
            A_END_TYPE: date_type(a.date), A_REASON: a.stated_reason,
            A_METHOD: term("methods", a.method), A_STATUS: term("results", a.result),
            A_AGE: ages.get(a.victim),
            **_place_fields(a.place, A_LOC, "2112 location (lat/long)"),
            X: {"date": _date_x(a.date), "place": _place_x(a.place)}}


def _involvement(i: Involvement, events: Mapping[str, str]) -> dict[str, Any]:
    return {I_ID: i.id, I_PERP: i.perpetrator, I_EVENT: events.get(i.act, ""), I_ACT: i.act,
            I_DEGREE: term("involvement_degrees", i.degree),
            I_TYPE: term("perpetrator_types", i.perpetrator_type),
            X: {"certainty": i.certainty, "unit": {"en": i.unit_en, "ar": i.unit_ar}}}


def _information(n: Information) -> dict[str, Any]:
    return {N_ID: n.id, N_SOURCE: n.source, N_EVENTS: list(n.events), N_PERSONS: list(n.persons),
            N_CONN: term("source_connection", n.connection), N_LANG: n.language,
            N_DATE: n.received, N_TYPE: term("source_material_types", n.material_type),
            N_REL: n.credibility,
            X: {"acts": list(n.acts), "channel": n.channel,
                **({"compartment": n.compartment} if n.compartment else {})}}


def to_esf(bundle: Bundle, *, meta: Mapping[str, str] | None = None) -> bytes:
    """The bundle as one ESF JSON document (UTF-8, keys sorted, records sorted by id).

    Args:
        bundle: the records (already gated and redacted by the caller).
        meta: what the export was (recipient, purpose, policy, time), kept under
            ``x-dhakira`` at the top.

    Raises:
        UnknownTerm: a record holds a code that is not in its vocabulary.
    """
    b = bundle.sorted()
    ages = {p.id: p.age for p in b.persons}
    events = {a.id: a.event for a in b.acts}
    doc = {"standard": STANDARD, "edition": EDITION,
           X: {"version": VERSION, **dict(meta or {})},
           "events": [_event(e) for e in b.events],
           "persons": [_person(p) for p in b.persons],
           "acts": [_act(a, ages) for a in b.acts],
           "involvements": [_involvement(i, events) for i in b.involvements],
           "information": [_information(n) for n in b.information]}
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


# Reading back ------------------------------------------------------------------------------

def _code(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None or value == "":
        return ""
    if not isinstance(value, Mapping) or not isinstance(value.get("code"), str):
        raise BadField(f"'{key}' is not a coded value ({{\"code\": …}})", "not_coded",
                       field=key)
    load(VOCAB[key]).validate(value["code"])
    return str(value["code"])


def _str(obj: Mapping[str, Any], key: str) -> str:
    value = obj.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadField(f"'{key}' is not text", "not_text", field=key)
    return value


def _date_back(obj: Mapping[str, Any]) -> Date:
    x = obj.get(X, {}).get("date") or {}
    return Date(text=str(x.get("text", "")), calendar=str(x.get("calendar", "")),
                edtf=str(x.get("edtf", "")), earliest=str(x.get("earliest", "")),
                latest=str(x.get("latest", "")))


def _place_back(obj: Mapping[str, Any], geo: str, loc: str) -> Place | None:
    names = obj.get(geo)
    if not names:
        return None
    coords = obj.get(loc) or {}
    lat, lon = coords.get("lat"), coords.get("lon")
    return Place(id=str(obj.get(X, {}).get("place", "")), name_en=str(names.get("en", "")),
                 name_ar=str(names.get("ar", "")),
                 lat=number(lat, f"{loc} lat"), lon=number(lon, f"{loc} lon"))


def _records(doc: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    items = doc.get(kind, [])
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise BadField(f"'{kind}' is not a list of records", "not_records", kind=kind)
    return items


def _read(doc: Mapping[str, Any], source: str) -> Bundle:
    events, persons, acts, invs, infos = [], [], [], [], []
    for kind, idkey in (("events", EV_ID), ("persons", P_ID), ("acts", A_ID),
                        ("involvements", I_ID), ("information", N_ID)):
        try:
            records = _records(doc, kind)
        except BadField as exc:
            raise record_refused(source, {}, exc) from None
        for n, rec in enumerate(records, start=1):
            where = {"section": kind, "n": n, "id": str(rec.get(idkey) or "—")[:80]}
            try:
                if not _str(rec, idkey):
                    raise BadField(f"'{idkey}' is missing", "missing", field=idkey)
                if kind == "events":
                    events.append(Event(
                        id=_str(rec, EV_ID), title=_str(rec, EV_TITLE),
                        description=_str(rec, EV_DESC), date=_date_back(rec),
                        place=_place_back(rec, EV_GEO, EV_LOC),
                        violation_status=_code(rec, EV_STATUS)))
                elif kind == "persons":
                    name = _str(rec, P_NAME)
                    others = rec.get(P_OTHER) or []
                    age = rec.get(X, {}).get("age")
                    persons.append(Person(
                        id=_str(rec, P_ID), role=str(rec.get(X, {}).get("role", "person")),
                        names=((name,) if name else ()) + tuple(str(o) for o in others),
                        sex=_code(rec, P_SEX), age=number(age, f"{X} age", whole=True),
                        counting_unit=_code(rec, P_UNIT) or "individual"))
                elif kind == "acts":
                    acts.append(Act(
                        id=_str(rec, A_ID), event=_str(rec, A_EVENT), victim=_str(rec, A_VICTIM),
                        act_type=_code(rec, A_TYPE), method=_code(rec, A_METHOD),
                        result=_code(rec, A_STATUS), stated_reason=_str(rec, A_REASON),
                        date=_date_back(rec),
                        place=_place_back(rec, A_LOC, "2112 location (lat/long)")))
                elif kind == "involvements":
                    x = rec.get(X, {})
                    unit = x.get("unit") or {}
                    invs.append(Involvement(
                        id=_str(rec, I_ID), act=_str(rec, I_ACT), degree=_code(rec, I_DEGREE),
                        perpetrator=_str(rec, I_PERP), perpetrator_type=_code(rec, I_TYPE),
                        certainty=str(x.get("certainty", "")),
                        unit_en=str(unit.get("en", "")), unit_ar=str(unit.get("ar", ""))))
                else:
                    x = rec.get(X, {})
                    rel = rec.get(N_REL)
                    infos.append(Information(
                        id=_str(rec, N_ID), source=_str(rec, N_SOURCE),
                        received=_str(rec, N_DATE), channel=str(x.get("channel", "")),
                        language=_str(rec, N_LANG), connection=_code(rec, N_CONN),
                        material_type=_code(rec, N_TYPE),
                        credibility=number(rel, N_REL, whole=True),
                        events=tuple(str(e) for e in rec.get(N_EVENTS) or ()),
                        acts=tuple(str(a) for a in x.get("acts") or ()),
                        persons=tuple(str(p) for p in rec.get(N_PERSONS) or ()),
                        compartment=str(x.get("compartment") or "")))
            except (ValueError, TypeError, AttributeError, UnknownTerm) as exc:
                raise record_refused(source, where, exc) from None
    return Bundle(events=tuple(events), acts=tuple(acts), persons=tuple(persons),
                  involvements=tuple(invs), information=tuple(infos)).sorted()


def check_links(b: Bundle, source: str) -> None:
    """Every record's id is its own and every reference points at a record of the document.

    Raises:
        BadDocument: naming the id used twice, or the record and the reference it lacks.
    """
    try:
        _check_links(b)
    except BadField as exc:
        raise record_refused(source, {}, exc) from None


def _check_links(b: Bundle) -> None:
    # A repeated id would make the second record win every reference and leave the first
    # written with nothing pointing at it (an orphan): refused, whatever the kind.
    for kind, items in (("events", b.events), ("persons", b.persons), ("acts", b.acts),
                        ("involvements", b.involvements), ("information", b.information)):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise BadField(f"{kind}: the id '{item.id}' is used twice", "id_twice",
                               kind=kind, id=item.id)
            seen.add(item.id)
    events, persons, acts = ({e.id for e in b.events}, {p.id for p in b.persons},
                             {a.id for a in b.acts})
    for record, kind, field, ref, known in (
            *((a.id, "act", "event", a.event, events) for a in b.acts),
            *((a.id, "act", "victim", a.victim, persons) for a in b.acts),
            *((i.id, "involvement", "act", i.act, acts) for i in b.involvements),
            *((i.id, "involvement", "perpetrator", i.perpetrator, persons)
              for i in b.involvements if i.perpetrator)):
        if ref not in known:
            raise BadField(f"{kind} {record}: its {field} '{ref}' is not in the document",
                           "not_in_document", kind=kind, id=record, field=field, ref=ref)


def from_esf(data: bytes, source: str) -> Bundle:
    """Read an ESF JSON document written by :func:`to_esf` back into records.

    Args:
        data: the document's bytes (UTF-8 JSON).
        source: the file's name, for messages.

    Raises:
        BadDocument: not JSON, not an ESF document, a record missing its id, a code not in
            its vocabulary, or a reference to a record the document lacks; the message names
            the record.
    """
    try:
        # utf-8-sig: a byte-order mark, as Windows editors save JSON, is read past.
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadDocument(source, f"not UTF-8 JSON ({exc})", code="esf_not_json",
                          params={"detail": str(exc)}) from None
    except RecursionError:  # arrays in arrays beyond Python's stack: no export is so deep
        raise BadDocument(source, "not UTF-8 JSON (nested too deeply)", code="esf_not_json",
                          params={"detail": "nested too deeply"}) from None
    if not isinstance(doc, dict) or doc.get("standard") != STANDARD:
        raise BadDocument(source, f"not an ESF document (no \"standard\": \"{STANDARD}\")",
                          code="esf_not_esf", params={"standard": STANDARD})
    version = doc.get(X, {}).get("version") if isinstance(doc.get(X), dict) else None
    if version != VERSION:
        raise BadDocument(source, f"x-dhakira version {version!r} is not {VERSION}",
                          code="esf_version", params={"version": repr(version),
                                                      "expected": VERSION})
    bundle = _read(doc, source)
    check_links(bundle, source)
    return bundle


__all__ = ["STANDARD", "check_links", "date_type", "from_esf", "term", "to_esf"]
