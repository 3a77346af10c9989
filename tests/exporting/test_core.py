"""Issue 20, item 6: ESF JSON and Uwazi CSV written from plain records and read back (no
database): the property that export → parse back gives the same records, determinism, and
bad documents refused with the record named."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.properties.strategies import texts

from dhakira.core.exporting import (
    Act,
    BadDocument,
    Bundle,
    Date,
    Event,
    ExportingError,
    Information,
    Involvement,
    Person,
    Place,
    from_esf,
    from_uwazi,
    to_esf,
    to_uwazi,
)
from dhakira.core.exporting.esf import check_links
from dhakira.core.exporting.uwazi import FIELD_LIMIT
from dhakira.core.vocabularies import load


def codes(vocabulary: str, blank: bool = True) -> st.SearchStrategy[str]:
    pool = st.sampled_from(load(vocabulary).codes())
    return st.one_of(st.just(""), pool) if blank else pool


# Free text as documenters write it: Arabic and Latin words, quotes, commas, new lines, and
# what a spreadsheet would run as a formula.
free = st.one_of(st.just(""), texts, st.text(max_size=30).filter(lambda t: "\x00" not in t
                                                                  and "\r" not in t))
names = texts.filter(lambda t: "|" not in t)
day = st.dates().map(lambda d: d.isoformat())
dates = st.builds(Date, text=free, calendar=st.sampled_from(["", "gregorian", "hijri"]),
                  edtf=st.sampled_from(["", "2014-06", "2014-06-10", "2015?"]),
                  earliest=st.one_of(st.just(""), day), latest=st.one_of(st.just(""), day))
coords = st.floats(min_value=-90, max_value=90, allow_nan=False)
places = st.one_of(st.none(), st.builds(
    Place, id=st.integers(1, 999).map(lambda n: f"L-{n:05d}"), name_en=names, name_ar=names,
    lat=st.one_of(st.none(), coords), lon=st.none()).map(
        lambda p: Place(p.id, p.name_en, p.name_ar, p.lat, p.lat if p.lat is not None else None)))


@st.composite
def bundles(draw: st.DrawFn) -> Bundle:
    """A linked set of records: every act's event and victim, every involvement's act and
    perpetrator, exist."""
    n_events = draw(st.integers(1, 3))
    events = [Event(id=f"E-{i:06d}", title=draw(names), description=draw(free),
                    date=draw(dates), place=draw(places),
                    violation_status=draw(codes("violation_status")))
              for i in range(1, n_events + 1)]
    persons = [Person(id=f"P-{i:06d}", role=draw(st.sampled_from(["victim", "perpetrator",
                                                                  "person"])),
                      names=tuple(draw(st.lists(names, max_size=3))), sex=draw(codes("sex")),
                      age=draw(st.one_of(st.none(), st.integers(0, 130))),
                      counting_unit=draw(codes("counting_units", blank=False)))
               for i in range(1, draw(st.integers(1, 5)) + 1)]
    acts = [Act(id=f"A-{i:06d}", event=draw(st.sampled_from(events)).id,
                victim=draw(st.sampled_from(persons)).id,
                act_type=draw(codes("act_types", blank=False)), method=draw(codes("methods")),
                result=draw(codes("results")), stated_reason=draw(free), date=draw(dates),
                place=draw(places))
            for i in range(1, draw(st.integers(0, 4)) + 1)]
    invs = [Involvement(id=f"{a.id}/{k}", act=a.id, degree=draw(codes("involvement_degrees",
                                                                        blank=False)),
                        perpetrator=draw(st.one_of(st.just(""),
                                                   st.sampled_from(persons).map(lambda p: p.id))),
                        perpetrator_type=draw(codes("perpetrator_types")),
                        certainty=draw(st.sampled_from(["", "probable", "confirmed"])),
                        unit_en=draw(st.one_of(st.just(""), names)),
                        unit_ar=draw(st.one_of(st.just(""), names)))
            for a in acts for k in range(draw(st.integers(0, 2)))]
    infos = [Information(id=f"I-{i:07d}", source=draw(st.sampled_from(["NIN-04", "AX7Q2"])),
                         received=draw(day), channel=draw(codes("channels", blank=False)),
                         language=draw(st.sampled_from(["ar", "en"])),
                         connection=draw(codes("source_connection")),
                         material_type=draw(codes("source_material_types")),
                         credibility=draw(st.one_of(st.none(), st.integers(1, 6))),
                         events=tuple(sorted({e.id for e in draw(st.lists(st.sampled_from(events),
                                                                           max_size=2))})),
                         acts=tuple(sorted({a.id for a in draw(st.lists(st.sampled_from(acts),
                                                                         max_size=2))}))
                         if acts else (),
                         persons=tuple(sorted({p.id for p in draw(st.lists(
                             st.sampled_from(persons), max_size=2))})),
                         compartment=draw(st.sampled_from(["", "sources", "sogi"])))
             for i in range(1, draw(st.integers(0, 2)) + 1)]
    return Bundle(events=tuple(events), acts=tuple(acts), persons=tuple(persons),
                  involvements=tuple(invs), information=tuple(infos)).sorted()


def _shuffled(b: Bundle) -> Bundle:
    return Bundle(events=b.events[::-1], acts=b.acts[::-1], persons=b.persons[::-1],
                  involvements=b.involvements[::-1], information=b.information[::-1])


@settings(max_examples=60, deadline=None)
@given(bundles())
def test_esf_round_trip_gives_the_same_records(bundle: Bundle) -> None:
    data = to_esf(bundle, meta={"recipient": "ICC-OTP"})
    assert from_esf(data, "x.json") == bundle
    assert to_esf(_shuffled(bundle), meta={"recipient": "ICC-OTP"}) == data  # deterministic


@settings(max_examples=60, deadline=None)
@given(bundles())
def test_uwazi_round_trip_gives_the_same_records(bundle: Bundle) -> None:
    files = to_uwazi(bundle)
    assert from_uwazi(files, "out") == bundle
    assert to_uwazi(_shuffled(bundle)) == files


def _sample() -> Bundle:
    place = Place("L-00001", "Mosul", "الموصل", 36.34, 43.13)
    return Bundle(
        events=(Event("E-000001", "قصف حي الزنجيلي", date=Date("حزيران ٢٠١٤", "gregorian",
                                                               "2014-06", "2014-06-01",
                                                               "2014-06-30"), place=place),),
        persons=(Person("P-000001", "victim", ("علي حسين", "Ali Husayn"), "male", 40),
                 Person("P-000002", "perpetrator", ("=HYPERLINK(1)",))),
        acts=(Act("A-000001", "E-000001", "P-000001", "killing", "shooting", "killed",
                  date=Date("حزيران ٢٠١٤", "gregorian", "2014-06", "2014-06-01", "2014-06-30"),
                  place=place),),
        involvements=(Involvement("A-000001/0", "A-000001", "directly_carried_out", "P-000002"),),
        information=(Information("I-0000001", "AX7Q2", "2016-05-01", "document", "ar",
                                 events=("E-000001",), acts=("A-000001",),
                                 persons=("P-000001",)),))


def test_esf_carries_field_numbers_micro_thesauri_and_the_extension() -> None:
    doc = json.loads(to_esf(_sample()))
    act = doc["acts"][0]
    assert act["2109 type of act"]["micro_thesaurus"] == "MT04"
    assert act["2109 type of act"]["ar"] == "القتل"
    assert act["2111 initial date"] == "2014-06-01"
    assert act["2111_1 type of date"] == "Unknown day"  # MT48
    assert act["2118 age at time of victimisation"] == 40
    assert act["x-dhakira"]["date"]["text"] == "حزيران ٢٠١٤"
    assert doc["persons"][0]["0903 name"] == "علي حسين"
    assert doc["persons"][0]["0904 other names"] == ["Ali Husayn"]
    assert doc["involvements"][0]["2403 event"] == "E-000001"
    assert doc["events"][0]["0111 geographical term"] == {"en": "Mosul", "ar": "الموصل"}


def test_uwazi_files_follow_the_import_format() -> None:
    files = to_uwazi(_sample())
    assert sorted(files) == sorted(["events.csv", "acts.csv", "victims.csv",
                                    "perpetrators.csv", "persons.csv", "involvements.csv",
                                    "reports.csv"])
    acts = list(csv.DictReader(io.StringIO(files["acts.csv"].decode("utf-8"))))
    assert acts[0]["title__en"] == "A-000001: Killing"
    assert acts[0]["act_type__ar"] == "القتل"
    assert acts[0]["geolocation"] == "36.34|43.13"
    assert acts[0]["date"] == "2014-06-01:2014-06-30"
    assert acts[0]["victim"] == "علي حسين"
    perps = files["perpetrators.csv"].decode("utf-8")
    assert "'=HYPERLINK(1)" in perps  # not run by a spreadsheet
    victims = list(csv.DictReader(io.StringIO(files["victims.csv"].decode("utf-8"))))
    assert victims[0]["other_names"] == "Ali Husayn"
    assert not files["events.csv"].startswith(b"\xef\xbb\xbf")  # Uwazi reads UTF-8 plain


def test_a_name_holding_the_separator_is_refused_not_split() -> None:
    b = Bundle(persons=(Person("P-000001", "victim", ("a", "b|c")),))
    with pytest.raises(ExportingError, match=r"P-000001.*'\|'"):
        to_uwazi(b)


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d.update(standard="other"), "not an ESF document"),
    (lambda d: d["acts"][0].update({"2109 type of act": {"code": "shelling"}}),
     r"acts record 1 \(A-000001\).*shelling"),
    (lambda d: d["acts"][0].update({"2102 victim": "P-000099"}), "P-000099.*not in the document"),
    (lambda d: d["events"][0].pop("0101 record number"), "events record 1.*missing"),
])
def test_a_bad_esf_document_is_refused_naming_the_record(mutate, message) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(to_esf(_sample()))
    mutate(doc)
    with pytest.raises(BadDocument, match=message):
        from_esf(json.dumps(doc).encode(), "in.json")
    with pytest.raises(BadDocument, match="not UTF-8 JSON"):
        from_esf(b"\xff{", "in.json")


def test_a_byte_order_mark_is_read_past_and_a_too_deep_document_refused_in_one_line() -> None:
    """A Windows editor saves JSON with a BOM (refused as "not UTF-8 JSON" where a CSV with
    one imports); arrays nested 100,000 deep raised RecursionError, a traceback."""
    data = to_esf(_sample())
    assert from_esf(b"\xef\xbb\xbf" + data, "bom.json") == from_esf(data, "x.json")
    deep = b'{"events":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(BadDocument, match=r"deep\.json: not UTF-8 JSON \(nested too deeply\)"):
        from_esf(deep, "deep.json")


@pytest.mark.parametrize("kind", ["events", "persons", "acts", "involvements", "information"])
def test_an_id_used_twice_is_refused_naming_it(kind: str) -> None:
    """Two records of one kind under one id would leave the first an orphan on import:
    both readers refuse the document, naming the id, before anything is written."""
    b = _sample()
    b = Bundle(**{**b.__dict__, kind: getattr(b, kind) * 2})
    dup = getattr(b, kind)[0].id
    with pytest.raises(BadDocument, match=rf"in\.json: {kind}: the id '{dup}' is used twice"):
        from_esf(to_esf(b), "in.json")
    with pytest.raises(BadDocument, match=rf"out: {kind}: the id '{dup}' is used twice"):
        check_links(from_uwazi(to_uwazi(b), "out"), "out")


def test_uwazi_reads_a_cell_over_the_csv_default_and_refuses_one_over_its_cap() -> None:
    """Python's csv stops at 131,072 characters a cell with an uncaught error: the reader
    takes long cells up to its stated cap, and a longer one is a BadDocument naming the file
    and the row, with the process's limit left as it was."""
    before = csv.field_size_limit()
    long = Bundle(events=(Event("E-000001", "قصف", description="و" * 200_000),))
    assert from_uwazi(to_uwazi(long), "out") == long
    too_long = Bundle(events=(Event("E-000001", "a"), Event("E-000002", "b",
                                                             description="x" * (FIELD_LIMIT + 1))))
    with pytest.raises(BadDocument, match=r"events\.csv: row 3: .*at most 8,388,608 characters"):
        from_uwazi(to_uwazi(too_long), "out")
    assert csv.field_size_limit() == before


def _refused_by(data: bytes | dict[str, bytes]) -> BadDocument:
    with pytest.raises(BadDocument) as caught:
        if isinstance(data, bytes):
            from_esf(data, "in.json")
        else:
            check_links(from_uwazi(data, "out"), "out")
    return caught.value


def _esf(**records: object) -> bytes:
    return json.dumps({"standard": "HURIDOCS Events Standard Formats",
                       "x-dhakira": {"version": 1}, **records}).encode()


def _uwazi(file: str, column: str, value: str) -> dict[str, bytes]:
    files = to_uwazi(_sample())
    rows = list(csv.DictReader(io.StringIO(files[file].decode("utf-8"))))
    rows[0][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return {**files, file: out.getvalue().encode("utf-8")}


# Each way a record may be unreadable, and the reason it is refused for.
BAD_RECORDS = [
    (_esf(persons=[{"0901 record number": "P1", "x-dhakira": {"age": "x"}}]), "whole_number"),
    (_esf(persons=[{"0901 record number": "P1", "x-dhakira": {"age": True}}]), "whole_number"),
    (_esf(information=[{"2501 record number": "N1",
                        "2553 reliability of information": "high"}]), "whole_number"),
    (_esf(events=[{"0101 record number": "E1", "0111 geographical term": {"en": "x"},
                   "0173 location": {"lat": "north", "lon": 1}}]), "not_a_number"),
    (_esf(persons=[{"0901 record number": "P1", "0915 sex": {"code": "femail"}}]),
     "unknown_term"),
    (_esf(persons=[{"0901 record number": "P1", "0915 sex": "female"}]), "not_coded"),
    (_esf(persons=[{"0901 record number": "P1", "0903 name": 5}]), "not_text"),
    (_esf(persons=[{"0903 name": "Ali"}]), "missing"),
    (_esf(events="none"), "not_records"),
    (_esf(persons=[{"0901 record number": "P1", "x-dhakira": [1]}]), "bad_shape"),
    (_esf(persons=[{"0901 record number": "P1"}] * 2), "id_twice"),
    (_esf(acts=[{"2101 record number": "A1", "2103 event": "E9", "2102 victim": "P9"}]),
     "not_in_document"),
    (_uwazi("victims.csv", "age", "forty"), "whole_number"),
    (_uwazi("events.csv", "violation_status__en", "Alleged!"), "not_a_label"),
]


@pytest.mark.parametrize(("data", "why"), BAD_RECORDS)
def test_an_unreadable_record_is_refused_with_a_reason_a_reader_can_be_told(data, why) -> None:  # type: ignore[no-untyped-def]
    """Each reason is coded, so that the command says it in the reader's language; Python's
    own words ("invalid literal for int()", "could not convert string to float") never
    reach the reader, and the Uwazi file and row are named once (they were named twice)."""
    exc = _refused_by(data)
    assert (exc.code, exc.params["why"]) == ("record_refused", why)
    said = str(exc)
    assert "invalid literal" not in said and "could not convert" not in said
    if not isinstance(data, bytes):
        assert said.count("row 2") == 1, said


@pytest.mark.django_db(databases=[])
@pytest.mark.parametrize(("data", "why"), BAD_RECORDS)
def test_the_command_line_words_each_refusal_as_the_core_does_and_in_arabic(data, why) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    from dhakira.cli._words import error_text

    exc = _refused_by(data)
    with translation.override("en"):
        assert error_text(exc) == str(exc)
    with translation.override("ar"):
        arabic = error_text(exc)
    words = arabic
    for value in sorted(map(str, exc.params.values()), key=len, reverse=True):  # as written
        words = words.replace(str(value), "")
    for english in ("record", "row", "is not", "missing", "used twice", "in the document"):
        assert english not in words, arabic
