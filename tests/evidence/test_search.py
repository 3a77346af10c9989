"""Search: one normalisation for text and queries, snippets, filters and clearance."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from tests.conftest import on_postgresql

from dhakira.apps.dossier import protected
from dhakira.apps.dossier.models import Event, Information, Place, Source
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.search import services as search
from dhakira.apps.search.models import SearchDocument
from dhakira.core.names import search_key

pytestmark = pytest.mark.django_db


def _new(**fields: object) -> Information:
    """A report written as a service writes one: the row, then its index entry."""
    info = Information.objects.create(**fields)
    search.index_report(info)
    return info


def _report(text: str, *, source: Source, when: datetime, place: Place | None = None) -> Information:
    info = Information.objects.create(source=source, received_at=when, channel="interview",
                                      text=text)
    if place:
        info.events.add(Event.objects.create(title="e", place=place))
    search.index_report(info)  # once its place is there, as the intake does
    return info


@pytest.fixture
def world(vault):  # type: ignore[no-untyped-def]
    mosul = Place.objects.create(name_en="Mosul", name_ar="الموصل", kind="city")
    raqqa = Place.objects.create(name_en="Raqqa", name_ar="الرقة", kind="city")
    a = Source.objects.create(code_name="NINAWA-07")
    b = Source.objects.create(code_name="RAQQA-02")
    return {
        "hisba": _report("شهادة الحاجّة فاطمة عن مكتب الحسبة في السوق", source=a,
                         when=datetime(2014, 10, 1, tzinfo=UTC), place=mosul),
        "cafe": _report("The Café near the bridge was closed by the Hisba", source=b,
                        when=datetime(2015, 3, 1, tzinfo=UTC), place=raqqa),
    }


def _refs(hits: list[search.Hit]) -> list[str]:
    return [h.ref for h in hits]


def test_arabic_spelling_variants_find_the_same_report(world) -> None:  # type: ignore[no-untyped-def]
    for query in ["شهاده الحاجة", "الحاجه", "حاجة", "والحسبة"]:
        assert _refs(search.search(query)) == [world["hisba"].search_document.ref], query


def test_latin_case_and_accents_are_folded(world) -> None:  # type: ignore[no-untyped-def]
    assert _refs(search.search("CAFE")) == [world["cafe"].search_document.ref]


def test_every_word_must_match(world) -> None:  # type: ignore[no-untyped-def]
    assert search.search("Café Mosul") == []
    assert search.search("   ") == []


def test_the_snippet_highlights_the_original_words(world) -> None:  # type: ignore[no-untyped-def]
    (hit,) = search.search("الحاجه")
    assert "[[الحاجّة]]" in hit.snippet_text()
    assert "<mark>الحاجّة</mark>" in hit.snippet_html()


def test_snippet_html_escapes_the_text() -> None:
    segments = search.snippet("<b>bold</b> hisba", {"hisba"})
    hit = search.Hit("I-1", "information", None, None, None, "", "", segments)
    assert "<b>" not in hit.snippet_html() and "<mark>hisba</mark>" in hit.snippet_html()


def test_filters_by_date_place_type_and_source(world) -> None:  # type: ignore[no-untyped-def]
    hisba, cafe = world["hisba"].search_document.ref, world["cafe"].search_document.ref
    assert set(_refs(search.search("hisba"))) == {cafe}
    both = "الحسبة"
    assert set(_refs(search.search(both))) == {hisba}
    f = search.Filters
    assert _refs(search.search("hisba", filters=f(date_from=date(2015, 1, 1)))) == [cafe]
    assert _refs(search.search("hisba", filters=f(date_to=date(2015, 1, 1)))) == []
    assert _refs(search.search("hisba", filters=f(place="رقة"))) == [cafe]
    assert _refs(search.search("hisba", filters=f(source="NINAWA-07"))) == []
    assert _refs(search.search("hisba", filters=f(type="evidence"))) == []
    assert _refs(search.search("hisba", filters=f(type="information"))) == [cafe]


def test_restricted_evidence_is_found_only_with_clearance(vault) -> None:  # type: ignore[no-untyped-def]
    restricted = Collection(collector="rana", compartment="protection")
    item = ingest_stream(io.BytesIO("ملف حماية سري".encode()), name="p.txt", origin="upload",
                         collection=restricted)
    assert search.search("حماية") == []
    assert search.search("حماية", cleared=["sources"]) == []
    (hit,) = search.search("حماية", cleared=["protection"])
    assert hit.ref == item.uid and hit.kind == "evidence"


def test_protected_fields_are_never_indexed(world) -> None:  # type: ignore[no-untyped-def]
    protected.write_system(world["hisba"].source, "identity", "Zaynab Secretname")
    search.rebuild()
    assert search.search("Secretname") == []
    assert not SearchDocument.objects.filter(key__icontains="secretname").exists()


def test_rebuild_indexes_reports_saved_without_signals(world) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.create(code_name="BULK-01")
    Information.objects.bulk_create([Information(source=source, channel="x", text="bulk loaded",
                                                 received_at=datetime(2016, 1, 1, tzinfo=UTC))])
    assert search.search("bulk") == []
    assert search.rebuild() == 3
    assert len(search.search("bulk")) == 1


def test_more_results_than_a_page_are_paged_through(vault) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.create(code_name="MANY")
    for i in range(30):
        _new(source=source, channel="x", text=f"common word {i}",
             received_at=datetime(2016, 1, 1, tzinfo=UTC))
    assert len(search.search("common", limit=25)) == 25
    assert len(search.search("common", limit=100)) == 30


def test_sqlite_uses_an_fts5_table_with_diacritics_removed() -> None:
    if on_postgresql():
        pytest.skip("PostgreSQL indexes with GIN over tsvector('simple') instead of FTS5")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'evidence_fts'")
        sql = cursor.fetchone()[0]
    assert "fts5" in sql and "remove_diacritics 2" in sql


def test_fts_query_quotes_every_token() -> None:
    assert search.fts_query(['a"b', "NEAR"]) == '"a""b" "NEAR"'


def test_the_cached_index_key_equals_search_key() -> None:
    import random

    rng = random.Random(5)
    alphabet = ("اأإآءؤئىيةهوـًٌٍَُِّْ لالبالكال Cafe ÉCOLE al-Jubouri ,.;:!؟،؛()\"'-_0123456789٣"
                "\t\n\u00a0\u200f\u0301ﻻﷲﬁ")
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert search.index_key(text) == search_key(text), text
    phrase = "والمعلّم بالمدرسة للطلاب"
    assert search.index_key(phrase) == search_key(phrase) == "معلم مدرسه طلاب"


def test_a_snippet_is_a_window_around_the_first_match_in_a_long_text() -> None:
    text = "filler " * 5000 + "the hisba office " + "tail " * 5000
    hit = search.Hit("x", "evidence", None, None, None, "", "", search.snippet(text, {"hisba"}))
    shown = hit.snippet_text()
    assert "[[hisba]]" in shown and shown.startswith("… ") and shown.endswith(" …")
    assert len(shown) < 200
    assert search.snippet("no match here", {"absent"}) == (("no match here", False),)


def test_a_snippet_keeps_the_original_spacing_and_marks_every_match() -> None:
    text = "مكتب  الحسبة\nفي السوق،\tوالحسبه هنا"
    segments = search.snippet(text, {search_key("الحسبة")})
    assert "".join(t for t, _ in segments) == text
    assert [t for t, hit in segments if hit] == ["الحسبة", "والحسبه"]


def test_a_snippet_finds_a_match_past_the_first_block_and_shows_the_words_before_it() -> None:
    words = [f"w{n}" for n in range(3000)]
    text = " ".join(words[:2000] + ["hisba"] + words[2000:])
    shown = search.Hit("x", "evidence", None, None, None, "", "",
                       search.snippet(text, {"hisba"})).snippet_text()
    assert shown == "… " + " ".join(words[1992:2000]) + " [[hisba]] " + " ".join(
        words[2000:2018]) + " …"


def test_a_snippet_matches_a_word_whose_key_has_several_tokens() -> None:
    segments = search.snippet("met al-Jubouri there", {"jubouri"})
    assert [t for t, hit in segments if hit] == ["al-Jubouri"]


def test_rebuild_keeps_places_and_the_compartment_of_restricted_mail(world) -> None:  # type: ignore[no-untyped-def]
    from tests.evidence import files

    ingest_stream(io.BytesIO(files.eml_bytes("سرّي جدا")), name="m.eml", origin="inbox",
                  collection=Collection(collector="rana", compartment="sources"))
    assert search.rebuild() == 3
    assert search.search("سري") == [] and len(search.search("سري", cleared=["sources"])) == 1
    cafe = world["cafe"].search_document.ref
    assert [h.ref for h in search.search("hisba", filters=search.Filters(place="Raqqa"))] == [cafe]


def test_intake_indexes_a_batch_of_texts_once_each(vault, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.evidence.intake import ingest_paths
    from dhakira.apps.evidence.models import DerivedCopy

    (tmp_path / "in").mkdir()  # not tmp_path itself: the vault (its keys) lives there too
    for n in range(3):
        (tmp_path / "in" / f"note-{n}.txt").write_text(f"شهادة رقم {n} عن مكتب الحسبة")
    report = ingest_paths([tmp_path / "in"], collection=Collection(collector="amal"))
    assert report.ok and len(report.items) == 3
    assert SearchDocument.objects.filter(kind="evidence").count() == 3
    assert search.index_derived_many(DerivedCopy.objects.all()) == 0
    assert len(search.search("الحسبه")) == 3


def test_clearance_is_checked_past_a_page_of_restricted_results(vault) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.create(code_name="MIXED")
    for i in range(45):
        # The restricted reports repeat the word, so they rank above the open ones.
        text = "raid raid raid raid" if i < 40 else f"raid at dawn, report {i}"
        _new(source=source, channel="x", text=text,
             received_at=datetime(2016, 1, 1, tzinfo=UTC))
    restricted = SearchDocument.objects.filter(key="raid raid raid raid")
    assert restricted.update(compartment="protection") == 40
    open_hits = search.search("raid", limit=10)
    assert len(open_hits) == 5 and all("dawn" in h.snippet_text() for h in open_hits)
    cleared = search.search("raid", cleared=["protection"], limit=10)
    assert [h.snippet_text() for h in cleared] == ["[[raid]] [[raid]] [[raid]] [[raid]]"] * 10


def test_issue18_2_a_report_typed_on_the_form_is_found_by_its_place_and_its_file_by_its_source(
        vault) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from tests.cast import make_cast
    from tests.dossier.intake_data import post_data

    make_cast()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(get_user_model().objects.get(username="rana"))
    note = SimpleUploadedFile("note.txt", "شهادة عن سجن الحسبة".encode(), "text/plain")
    response = client.post("/reports/new/", {**post_data(**{"r-place_text": "Tal Afar"}),
                                             "f-files": [note]})
    assert response.status_code == 302, response.content.decode()[:2000]
    info = Information.objects.get()
    found = search.search("أعدموا", filters=search.Filters(place="Tal Afar"))
    assert _refs(found) == [info.search_document.ref]
    file_doc = SearchDocument.objects.get(kind=SearchDocument.Kind.EVIDENCE)
    assert file_doc.source_id == info.source_id
    assert _refs(search.search("الحسبة", filters=search.Filters(source="NINAWA-07")))
