"""Queries behind the list and detail pages; each stays cheap at a million reports."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, Prefetch, QuerySet
from django.db.models.functions import Cast, Substr

from dhakira.apps.dossier import access
from dhakira.apps.dossier.models import (
    Act,
    Event,
    Information,
    Involvement,
    NamePart,
    NameVariant,
    Person,
    Place,
    Source,
    UnitMembership,
)
from dhakira.apps.dossier.views import _tallies
from dhakira.apps.dossier.views._labels import label
from dhakira.core.ids import PERSON, key_or_none
from dhakira.core.names import compare, normalise, part_keys, part_readings

SORTS = {
    "person": {"new": "-pk", "old": "pk"},  # both served by the primary key
    "event": {"date": "date_earliest", "-date": "-date_earliest", "new": "-pk"},
    "source": {"code": "code_name", "-reliability": "reliability", "new": "-pk"},
    "report": {"-received": "-received_at", "received": "received_at", "new": "-pk"},
}


def sort_of(kind: str, request_value: str | None, default: str) -> tuple[str, str]:
    """The chosen sort key and its order_by field; unknown values fall back to ``default``."""
    key = request_value if request_value in SORTS[kind] else default
    return key, SORTS[kind][key]


def _ordered(qs: QuerySet[Any], order: str) -> QuerySet[Any]:
    """Order by ``order``, ties by id in the same direction, so one index serves both."""
    if order.lstrip("-") == "pk":
        return qs.order_by(order)
    return qs.order_by(order, "-pk" if order.startswith("-") else "pk")


# How much of the name-part index one search reads, whatever the dossier's size: each query
# part's first PART_ROWS rows (in key order, so its exact key first), and the people holding
# every part among the first SCAN_ROWS rows of the rarest part. Every candidate is then
# scored with one seek on the (person, key) index. See docs/names.md, "Search by any part".
PART_ROWS = 500
SCAN_ROWS = 10000
COUNT_ROWS = 2000  # enough to tell a common part from a very common one
MAX_QUERY_PARTS = 6
SUGGEST_CANDIDATES = 50  # the best hits the graded comparison then orders
# A typed part suggests people by a prefix of their name only when its key (the consonant
# skeleton) has this many letters: "xxx" reads as "ks", a prefix of Kasim's "ksm", and two
# letters of a skeleton are no evidence of the same person. Shorter keys match whole parts.
SUGGEST_PREFIX = 3
_CHUNK = 500  # person ids per IN (...): well below SQLite's parameter limit


@dataclass(frozen=True)
class Hit:
    """One person found by a name search: how many query parts matched, how many words of
    the query their names spell as typed (after normalisation), how many parts exactly."""

    person_id: int
    matched: int
    exact: int
    spelled: int = 0


def _first_rows(table: str, limit: int) -> str:
    return (f"SELECT person_id FROM {table} WHERE key >= %s AND key < %s "
            f"ORDER BY key, person_id LIMIT {int(limit)}")


def _carries(table: str, alias: str, readings: int) -> str:
    """The candidate holds a key of one of the part's ``readings``."""
    return "(" + " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} n WHERE n.person_id = {alias}.person_id "
        "AND n.key >= %s AND n.key < %s)" for _ in range(readings)) + ")"


def _search_sql(parts: tuple[tuple[str, ...], ...], order: list[int], rows: int,
                want: int) -> tuple[str, list[str]]:
    """One statement: the candidates' part keys that match a query part (person, key).

    Each query part is one or more keys (its readings, :func:`part_readings`: Munthir is
    also read as منذر's key). ``order`` lists the parts rarest first: the first drives the
    scan for people holding every part (by its own key), the others are tested in that order
    (the rarest fails soonest). Each candidate costs one seek on the (person, key) index per
    reading, whatever the number of parts.
    """
    table = connection.ops.quote_name(NamePart._meta.db_table)
    keys = [k for readings in parts for k in readings]
    bounds = [[k, k + "\uffff"] for k in keys]
    selects = [f"SELECT person_id FROM ({_first_rows(table, rows)}) p{i}" for i in range(len(keys))]
    params: list[str] = [v for b in bounds for v in b]
    driver, others = order[0], order[1:]
    if others:  # people holding every part, found from the rarest part's rows
        # Wrapped: a LIMIT at the end of a UNION would limit the whole union.
        selects.append(f"SELECT person_id FROM (SELECT d.person_id FROM "
                       f"({_first_rows(table, SCAN_ROWS)}) d WHERE "
                       + " AND ".join(_carries(table, "d", len(parts[i])) for i in others)
                       + f" LIMIT {int(want)}) pc")
        params += [parts[driver][0], parts[driver][0] + "\uffff"]
        params += [v for i in others for k in parts[i] for v in (k, k + "\uffff")]
    matches = " OR ".join("(n.key >= %s AND n.key < %s)" for _ in keys)
    sql = ("SELECT c.person_id, n.key, n.variant_id FROM (SELECT DISTINCT person_id FROM ("
           + " UNION ALL ".join(selects) + f") u) c JOIN {table} n ON n.person_id = c.person_id "
           f"WHERE {matches}")
    return sql, params + [v for b in bounds for v in b]


def _rarest_first(keys: tuple[str, ...]) -> list[int]:
    """The parts by their index rows (counted up to COUNT_ROWS), then longest key first."""
    if len(keys) == 1:
        return [0]
    # One statement for every part (not one query each): this runs on every keystroke.
    table = connection.ops.quote_name(NamePart._meta.db_table)
    counts = ", ".join(f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE key >= %s AND "
                       f"key < %s LIMIT {int(COUNT_ROWS)}) c{i})" for i in range(len(keys)))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", [v for k in keys for v in (k, k + "\uffff")])
        sizes = cursor.fetchone()
    return sorted(range(len(keys)), key=lambda i: (sizes[i], -len(keys[i])))


def search_people(query: str, *, user: Any, want: int = 200,
                  part_rows: int = PART_ROWS, at_least: int = 1,
                  min_prefix: int = 1) -> list[Hit]:
    """People with a name holding any part of ``query``, best first.

    Each query part (compounds are one part; any order, either script, a prefix of a part
    will do) is a prefix range on the name-part index. People are ranked by how many query
    parts their names hold, then by how many of the query's words their names spell as
    typed (محمد before محمود, which shares its key), then by how many parts exactly, then by
    id. The work
    is bounded (see :data:`PART_ROWS`): a part held by thousands is not read whole.

    Args:
        query: what was typed.
        user: the reader: only names they may read (:func:`access.visible_names`) match, so
            a protected name neither finds its person nor tells that it exists. ``None``,
            given explicitly, reads every name (benchmarks and tests of the index, no reader).
        want: how many hits the caller will show at most (a page's end, plus one).
        part_rows: rows read per part (at least ``want``).
        at_least: only people whose readable names hold this many query parts (the name
            suggestions want half of them). People who fall short even counting every name
            are dropped before the names are checked against the reader's clearances, so a
            long name's thousand candidates cost a few dozen checks.
        min_prefix: a query part whose key is shorter than this matches a whole part only,
            not as a prefix (the suggestions: see :data:`SUGGEST_PREFIX`).

    Returns:
        The hits found, best first; empty when the query holds no name.
    """
    parts = part_readings(query)[:MAX_QUERY_PARTS]
    keys = tuple(readings[0] for readings in parts)
    if not keys:
        return []
    rows = max(part_rows, want)
    sql, params = _search_sql(parts, _rarest_first(keys), rows, want)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    matches: dict[str, list[tuple[int, bool]]] = {}  # part key -> (query part, exactly)
    if at_least > 1:  # checking clearances can only take matches away, never add one
        enough = {pid for pid, held in _matched(found, parts, matches, min_prefix).items()
                  if len(held) >= at_least}
        found = [row for row in found if row[0] in enough]
    variants = NameVariant.objects.filter(pk__in={variant for _p, _k, variant in found})
    texts = dict((variants if user is None else access.visible_names(user, variants))
                 .values_list("pk", "text"))
    kept = [row for row in found if row[2] in texts]
    best = _matched(kept, parts, matches, min_prefix)
    typed = set(normalise(query).split())
    words: dict[int, set[str]] = {}
    for person_id, _key, variant in kept:
        words.setdefault(person_id, set()).update(_words(texts[variant]))
    hits = [Hit(pid, len(parts), sum(parts.values()), len(typed & words.get(pid, set())))
            for pid, parts in best.items() if len(parts) >= at_least]
    hits.sort(key=lambda h: (-h.matched, -h.spelled, -h.exact, h.person_id))
    return hits


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> frozenset[str]:
    """A name's words after normalisation (a search's names repeat: Mohammed, al-Jubouri)."""
    return frozenset(normalise(text).split())


def _matched(found: list[tuple[int, str, int]], parts: tuple[tuple[str, ...], ...],
             matches: dict[str, list[tuple[int, bool]]],
             min_prefix: int = 1) -> dict[int, dict[int, bool]]:
    """person -> {query part: matched exactly} over the rows (person, part key, variant)
    ``found``, a part matching by any of its readings; ``matches`` remembers each distinct
    key's query parts (common names repeat). A reading shorter than ``min_prefix`` matches
    only a key equal to it."""
    best: dict[int, dict[int, bool]] = {}
    for person_id, key, _variant in found:
        hit = matches.get(key)
        if hit is None:
            hit = matches[key] = [
                (i, key in readings) for i, readings in enumerate(parts)
                if any(key == part or (key.startswith(part) and len(part) >= min_prefix)
                       for part in readings)]
        held = best.setdefault(person_id, {})
        for i, exact in hit:
            held[i] = held.get(i, False) or exact
    return best


def of_sex(hits: list[Hit], sex: str) -> list[Hit]:
    """Only the hits whose person is of ``sex`` (all when ``sex`` is empty), in order."""
    if not sex:
        return hits
    keep: set[int] = set()
    ids = [h.person_id for h in hits]
    for start in range(0, len(ids), _CHUNK):
        keep.update(Person.objects.filter(pk__in=ids[start:start + _CHUNK], sex=sex)
                    .values_list("pk", flat=True))
    return [h for h in hits if h.person_id in keep]


@dataclass(frozen=True)
class Name:
    text: str
    script: str
    kind: str

    @property
    def lang(self) -> str:
        return "ar" if self.script == "arab" else "en"

    @property
    def dir(self) -> str:
        return "rtl" if self.script == "arab" else "ltr"


@dataclass(frozen=True)
class PersonRow:
    """What a list of people shows of one person: plain values, no model instance."""

    pk: int
    sex: str
    age: int | None
    names: tuple[Name, ...]

    @property
    def uid(self) -> str:
        return PERSON.format(self.pk)


def person_rows(ids: list[int], user: Any) -> list[PersonRow]:
    """These people and the names ``user`` may read (:func:`access.visible_names`), in the
    order given: two queries, plain rows.

    A list page or the API shows up to 200 people; as model instances with their names
    prefetched they cost more CPU than everything else in the request (and, at a million
    reports, more garbage-collector work).
    """
    found: dict[int, tuple[str, int | None]] = {}
    for start in range(0, len(ids), _CHUNK):
        found.update((pk, (sex, age)) for pk, sex, age in Person.objects.filter(
            pk__in=ids[start:start + _CHUNK]).values_list("pk", "sex", "age"))
    names = names_of(ids, user)
    return [PersonRow(i, *found[i], tuple(names.get(i, ()))) for i in ids if i in found]


def names_of(ids: Iterable[int], user: Any) -> dict[int, list[Name]]:
    """The names ``user`` may read (:func:`access.visible_names`) of these people, each
    person's in the order recorded, as plain values: one query per 500 people."""
    ids = sorted(set(ids))
    names: dict[int, list[Name]] = {}
    for start in range(0, len(ids), _CHUNK):
        for person_id, text, script, kind in (access.visible_names(
                user, NameVariant.objects.filter(person_id__in=ids[start:start + _CHUNK]))
                .order_by("pk").values_list("person_id", "text", "script", "kind")):
            names.setdefault(person_id, []).append(Name(text, script, kind))
    return names


def people_ids(sex: str, order: str) -> QuerySet[Any]:
    """Everyone's id, optionally of one sex, in ``order`` (the primary key's index)."""
    qs = Person.objects.filter(sex=sex) if sex else Person.objects.all()
    return _ordered(qs, order).values_list("pk", flat=True)


def acts_count(person_ids: list[int]) -> dict[int, int]:
    """Acts suffered, for the people on one page only."""
    rows = (Act.objects.filter(victim_id__in=person_ids).values("victim_id")
            .annotate(n=Count("id")).values_list("victim_id", "n"))
    return dict(rows)


def events(params: dict[str, str], order: str) -> QuerySet[Event]:
    qs = Event.objects.select_related("place")
    if params.get("place"):
        place = key_or_none(params["place"])
        qs = qs.filter(place_id=place) if place is not None else qs.none()
    first, last = _period(params.get("year", ""), params.get("month", ""))
    if first:
        # By the earliest day the event could have happened, as the timeline counts it:
        # one range on one index (EXTRACT or an overlap test would scan).
        qs = qs.filter(date_earliest__gte=first, date_earliest__lte=last)
    if params.get("q"):
        qs = qs.filter(title__icontains=params["q"])
    return _ordered(qs, order)


def _period(year: str, month: str) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of ``year`` (and ``month``, when given), if they are valid."""
    y, m = key_or_none(year), key_or_none(month)  # plain digits only: "²" is no year
    if y is None or not 1 <= y <= 9999:
        return None, None
    if m is not None and 1 <= m <= 12:
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def sources(params: dict[str, str], order: str) -> QuerySet[Source]:
    qs = Source.objects.all()
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    if params.get("q"):
        qs = qs.filter(code_name__icontains=params["q"])
    return _ordered(qs, order)


def reports(params: dict[str, str], order: str) -> QuerySet[Information]:
    qs = Information.objects.select_related("source")
    if params.get("source"):
        qs = qs.filter(source__code_name=params["source"])
    if params.get("channel"):
        qs = qs.filter(channel=params["channel"])
    return _ordered(qs, order)


@dataclass(frozen=True)
class Suggestion:
    person_id: int
    uid: str
    names: tuple[str, ...]
    score: float


def similar_people(name: str, *, user: Any, exclude: int | None = None,
                   limit: int = 5) -> list[Suggestion]:
    """People already recorded who may be ``name``: at least half its parts, then compare.

    Ranked by how many parts of ``name`` they carry, then by the graded name comparison
    with their closest name; typing a family name alone is enough to be shown someone. A
    part matches by a prefix only when its key is :data:`SUGGEST_PREFIX` letters long:
    nonsense suggests nobody.
    """
    wanted = len(part_keys(name)[:MAX_QUERY_PARTS])
    hits = [h for h in search_people(name, user=user, want=SUGGEST_CANDIDATES,
                                     at_least=(wanted + 1) // 2, min_prefix=SUGGEST_PREFIX)
            if h.person_id != exclude][:SUGGEST_CANDIDATES]
    names = {pid: [n.text for n in found]
             for pid, found in names_of([h.person_id for h in hits], user).items()}
    scored = [(h, max((compare(name, t) for t in names.get(h.person_id, [])), default=0.0))
              for h in hits]
    scored.sort(key=lambda hs: (-hs[0].matched, -hs[1], hs[0].person_id))
    return [Suggestion(h.person_id, PERSON.format(h.person_id), tuple(names.get(h.person_id, [])),
                       round(score, 2)) for h, score in scored[:limit]]


def roles_of(person_ids: Sequence[int]) -> dict[int, set[str]]:
    """Each person's roles ('victim' in acts; 'perpetrator' in acts or as a unit's member,
    as linkage counts perpetrator mentions), three index look-ups."""
    out: dict[int, set[str]] = {}
    for pk in (Act.objects.filter(victim_id__in=person_ids).order_by()
               .values_list("victim_id", flat=True).distinct()):
        out.setdefault(pk, set()).add("victim")
    for pk in (Involvement.objects.filter(perpetrator_id__in=person_ids).order_by()
               .values_list("perpetrator_id", flat=True).distinct()):
        out.setdefault(pk, set()).add("perpetrator")
    for pk in (UnitMembership.objects.filter(person_id__in=person_ids).order_by()
               .values_list("person_id", flat=True).distinct()):
        out.setdefault(pk, set()).add("perpetrator")
    return out


def reports_about(event: Event) -> QuerySet[Information]:
    """Reports naming the event or one of its acts: two index lookups, not an OR of joins."""
    ids = set(Information.events.through.objects.filter(event=event)
              .values_list("information_id", flat=True))
    ids |= set(Information.acts.through.objects.filter(act__event=event)
               .values_list("information_id", flat=True))
    return Information.objects.filter(pk__in=ids).select_related("source").order_by("received_at")


def attributed_acts(person: Person, limit: int = 100) -> QuerySet[Act]:
    """The first ``limit`` acts in which ``person`` took part, through the perpetrator index."""
    ids = list(Involvement.objects.filter(perpetrator=person).order_by("pk")
               .values_list("act_id", flat=True)[:limit])
    return Act.objects.filter(pk__in=ids).select_related("event", "victim").order_by("pk")


def act_rows(acts: QuerySet[Act], user: Any,
             people: Sequence[PersonRow] = ()) -> list[dict[str, Any]]:
    """Acts with their labels, perpetrators and the reports that gave them (those ``user``
    may read), each victim and perpetrator by the first name ``user`` may read (``name``,
    None when there is none: the page shows the person's id).

    The names of every person in the rows come in one query, through
    :func:`access.visible_names`: a name given by a report the reader may not read is not
    shown here either. ``people``: rows :func:`person_rows` made for the same ``user`` a
    moment ago (a report's page shows its people and its acts), whose names are not asked
    for again.
    """
    reports = access.visible(user, Information.objects.select_related("source"))
    found = list(acts.prefetch_related(
        Prefetch("involvements", Involvement.objects.select_related("unit")),
        Prefetch("information", reports)))
    wanted = {a.victim_id for a in found} | {i.perpetrator_id for a in found
                                             for i in a.involvements.all() if i.perpetrator_id}
    first = {row.pk: row.names[0] for row in people if row.names}
    known = {row.pk for row in people}
    if wanted - known:
        first |= {pk: names[0] for pk, names in names_of(wanted - known, user).items()}
    return [{"act": a, "type": label("act_types", a.act_type), "method": label("methods", a.method),
             "result": label("results", a.result), "victim_uid": PERSON.format(a.victim_id),
             "victim_name": first.get(a.victim_id),
             "involvements": [{"inv": i, "degree": label("involvement_degrees", i.degree),
                               "name": first.get(i.perpetrator_id) if i.perpetrator_id else None,
                               "uid": PERSON.format(i.perpetrator_id) if i.perpetrator_id else ""}
                              for i in a.involvements.all()],
             "sources": list(a.information.all())} for a in found]


def places_with_counts() -> list[tuple[Place, int]]:
    """Gazetteer places with coordinates and how many events each holds."""
    counts = _tallies.aggregate("events by place", Event, lambda qs: dict(
        qs.filter(place__isnull=False).values("place_id").annotate(n=Count("id"))
        .values_list("place_id", "n")))
    places = Place.objects.filter(latitude__isnull=False, longitude__isnull=False).order_by("pk")
    return [(p, counts.get(p.pk, 0)) for p in places]


def _month_counts(events: QuerySet[Event]) -> dict[Any, int]:
    # "YYYY-MM" from the ISO text of the date: cheap on both backends, unlike EXTRACT,
    # which SQLite runs as a Python callback per row.
    month = Substr(Cast("date_earliest", CharField()), 1, 7)
    return dict(events.filter(date_earliest__isnull=False).annotate(ym=month)
                .values("ym").annotate(n=Count("id")).values_list("ym", "n"))


def months() -> list[dict[str, Any]]:
    """Events per month of their earliest possible day, for the timeline."""
    counts = _tallies.aggregate("events by month", Event, _month_counts)
    out = [{"year": int(str(ym)[:4]), "month": int(str(ym)[5:7]), "n": n}
           for ym, n in sorted(counts.items(), key=lambda kv: str(kv[0]))]
    peak = max([r["n"] for r in out], default=1)
    for row in out:
        row["pct"] = max(2, round(100 * row["n"] / peak))
    return out
