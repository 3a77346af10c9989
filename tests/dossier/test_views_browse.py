"""Lists, detail pages, timeline and map: filters, sorting, provenance, no counting, no leaks."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.cast import PASSWORD, make_cast
from tests.dossier import scenario

from dhakira.apps.dossier.views import _map

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_cast()
    return scenario.build()


def _get(url: str, username: str = "victor", lang: str = "en") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("query", ["محمّد علي حسين", "Mohammed Ali Hussein", "Muhammad Ali", "محمد"])
def test_it_finds_a_person_by_another_spelling(s, query) -> None:  # type: ignore[no-untyped-def]
    assert s.victim.uid in _get(f"/people/?q={query}")


def test_it_filters_people_by_sex(s) -> None:  # type: ignore[no-untyped-def]
    assert s.victim.uid not in _get("/people/?sex=female")
    assert s.victim.uid in _get("/people/?sex=male&sort=new")


def test_it_lists_without_counting_everything(s) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(get_user_model().objects.get(username="victor"))
    for url in ["/people/", "/events/", "/reports/", "/sources/", "/people/?q=Mohammed"]:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()
                    and "GROUP BY" not in q["sql"].upper()], url


def test_it_shows_where_each_fact_about_a_person_came_from(s) -> None:  # type: ignore[no-untyped-def]
    body = _get(f"/people/{s.victim.pk}/")
    assert s.information.uid in body and "NINAWA-07" in body
    assert "Thrown from a height" in body or "thrown" in body.lower()
    assert 'lang="ar"' in body and "<bdi" in body


def test_it_shows_an_event_with_its_acts_and_sources(s) -> None:  # type: ignore[no-untyped-def]
    body = _get(f"/events/{s.event.pk}/")
    assert s.act.uid in body and s.information.uid in body and "أبو حمزة الموصلي" in body


def test_it_filters_events_by_year_and_place(s) -> None:  # type: ignore[no-untyped-def]
    assert s.event.uid in _get(f"/events/?year=2014&place={s.place.pk}")
    assert s.event.uid not in _get("/events/?year=2016")
    # A place no database holds, or not a number, finds nothing (a 30-digit one was a 500).
    for odd in ("9" * 30, "²", "4x"):
        assert s.event.uid not in _get(f"/events/?place={odd}")
    # A year or month that is not plain digits is no filter (int("²") was a 500).
    assert s.event.uid in _get("/events/?year=²") and s.event.uid in _get("/events/?year=2014&month=²")


def test_it_filters_reports_by_source(s) -> None:  # type: ignore[no-untyped-def]
    assert s.information.uid in _get("/reports/?source=NINAWA-07&sort=received")
    assert s.information.uid not in _get("/reports/?source=NOBODY")


def test_it_draws_the_timeline_and_the_map_offline(s) -> None:  # type: ignore[no-untyped-def]
    assert "2014-10" in _get("/timeline/")
    body = _get("/map/", lang="ar")
    assert "<svg" in body and "الموصل" in body
    assert not re.findall(r'(?:src|href)="https?://', body)


def test_it_pages_without_a_total(s) -> None:  # type: ignore[no-untyped-def]
    body = _get("/people/?page=2")
    assert "Page 2" in body and "No one matches." in body


def test_it_hides_pages_from_outsiders(s) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("stranger", password=PASSWORD)
    client = Client()
    client.force_login(get_user_model().objects.get(username="stranger"))
    assert client.get(f"/people/{s.victim.pk}/").status_code == 404


def test_it_does_not_show_the_intake_link_to_viewers(s) -> None:  # type: ignore[no-untyped-def]
    assert "/reports/new/" not in _get("/people/")
    assert "/reports/new/" in _get("/people/", username="rana")


def test_the_map_projects_north_up_and_west_left() -> None:
    from dhakira.apps.dossier.models import Place

    north = Place(name_en="N", name_ar="N", kind="town", latitude=36.8, longitude=43.0)
    east = Place(name_en="E", name_ar="E", kind="town", latitude=36.3, longitude=43.5)
    view = _map.build([(north, 3), (east, 1)])
    a, b = view.dots
    assert a.y < b.y and a.x < b.x and a.r > b.r and a.label


def test_the_map_writes_coordinates_with_a_decimal_point_in_arabic(s) -> None:  # type: ignore[no-untyped-def]
    body = _get("/map/", lang="ar")
    coords = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', body)
    assert coords and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for pair in coords for v in pair)


@pytest.mark.parametrize(("lang", "red", "one"), [("ar", "الدائرة الحمراء", "حدث واحد"),
                                                   ("en", "A red circle", "1 event")])
def test_issue17_9_the_map_has_a_key_in_the_reader_s_language(s, lang, red, one) -> None:  # type: ignore[no-untyped-def]
    body = _get("/map/", lang=lang)
    key = body[body.index('class="map-legend"'):]
    assert red in key and one in key
    assert re.findall(r'<circle r="\d+(\.\d+)?"', key)  # sample circles, decimal point


def test_the_map_key_samples_one_event_up_to_the_busiest_place() -> None:
    from dhakira.apps.dossier.models import Place

    here = Place(name_en="A", name_ar="A", kind="town", latitude=36.8, longitude=43.0)
    view = _map.build([(here, 40)])
    assert [n for n, _ in view.legend] == [1, 10, 40]
    assert view.legend[-1][1] == view.dots[0].r


def test_it_filters_events_by_the_month_of_their_earliest_day(s) -> None:  # type: ignore[no-untyped-def]
    assert s.event.uid in _get("/events/?year=2014&month=10")  # late October 2014
    assert s.event.uid not in _get("/events/?year=2014&month=11")
    assert s.event.uid in _get("/events/?year=2014&month=99")  # a bad month: the whole year


def test_the_timeline_follows_new_events(s) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import Event
    from dhakira.core.dates import parse_fuzzy_date

    assert "2016-03" not in _get("/timeline/")
    later = Event(title="Later")
    later.set_date(parse_fuzzy_date("March 2016"))
    later.save()
    assert "2016-03" in _get("/timeline/")


def _more_acts(s: scenario.Scenario, n: int) -> None:
    """``n`` more victims in the scenario's report and event, each with an act by a new
    perpetrator and the scenario's unit (names in both scripts)."""
    from dhakira.apps.dossier.models import Act, Involvement, Person

    for i in range(n):
        victim, perpetrator = Person.objects.create(), Person.objects.create()
        victim.names.create(text=f"Victim Qzx{i}", script="latn")
        victim.names.create(text=f"ضحية {i}", script="arab")
        perpetrator.names.create(text=f"Abu Qzx{i}", script="latn")
        act = Act.objects.create(event=s.event, victim=victim, act_type="detention")
        Involvement.objects.create(act=act, perpetrator=perpetrator, unit=s.unit, degree="ordered")
        s.information.persons.add(victim)
        s.information.acts.add(act)


def _reads(url: str) -> tuple[int, int]:
    """(queries, queries reading names) of one request for ``url`` as the viewer."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(get_user_model().objects.get(username="victor"))
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    sql = [q["sql"] for q in ctx.captured_queries]
    return len(sql), sum('FROM "dossier_namevariant"' in q for q in sql)


@pytest.mark.parametrize(("page", "names"), [("report", 2), ("event", 1)])
def test_the_acts_tables_read_every_name_they_show_in_one_query(s, page, names) -> None:  # type: ignore[no-untyped-def]
    """The report page read its people twice (its people, then the acts' victims) and each
    acts table read victims' and perpetrators' persons and names apart: now a table's names,
    the ones the reader may read, come in one query, and no count grows with the rows."""
    url = (f"/reports/{s.information.pk}/" if page == "report" else f"/events/{s.event.pk}/")
    few = _reads(url)
    _more_acts(s, 12)
    many = _reads(url)
    assert many == few
    assert few[1] == names  # was 3 (report) and 2 (event)
    body = _get(url)
    assert "Victim Qzx11" in body and "Abu Qzx11" in body and "Hisba office" in body
