"""Full-text search over reports and the extracted text of evidence.

Indexed text and queries go through the same normalisation, :func:`dhakira.names.search_key`
(Arabic alef/ya/ta marbuta/hamza folding, harakat and tatweel removed, light clitic
stripping, Latin case and accent folding). The normalised text is kept in
``SearchDocument.key``; the index over it is FTS5 on SQLite/SQLCipher and a GIN
``tsvector('simple')`` index on PostgreSQL (migration 0002). Snippets are cut from the
original text around the words whose normalised form matches.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import escape

from dhakira.dossier.models import Information
from dhakira.evidence.models import DerivedCopy, SearchDocument, uid_for
from dhakira.names import search_key

__all__ = ["Filters", "Hit", "clearances_of", "index_derived", "index_derived_many", "index_information", "index_key",
           "rebuild", "search", "snippet"]

# Snippets work on the same white-space-separated words as the index (see index_key).
_WORD = re.compile(r"\S+")
_BEFORE, _AFTER = 8, 18
_SCAN_CHARS = 400_000


@dataclass(frozen=True)
class Filters:
    """Optional filters: received/collected date range, place name, type and source."""

    date_from: date | None = None
    date_to: date | None = None
    place: str = ""
    type: str = ""
    source: str = ""


@dataclass(frozen=True)
class Hit:
    """One result. ``snippet`` is a tuple of (text, highlighted) segments."""

    ref: str
    kind: str
    item_id: int | None
    information_id: int | None
    date: str | None
    mime: str
    source: str
    snippet: tuple[tuple[str, bool], ...]

    def snippet_text(self, mark: str = "[[", end: str = "]]") -> str:
        """The snippet with highlights wrapped in ``mark`` … ``end``."""
        return "".join(f"{mark}{t}{end}" if hit else t for t, hit in self.snippet)

    def snippet_html(self) -> str:
        """The snippet as escaped HTML with ``<mark>`` around highlights."""
        return "".join(f"<mark>{escape(t)}</mark>" if hit else str(escape(t))
                       for t, hit in self.snippet)

    def as_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "kind": self.kind, "date": self.date, "type": self.mime,
                "source": self.source, "snippet": self.snippet_text()}


_WORD_KEYS: dict[str, str] = {}
_WORD_KEYS_MAX = 500_000


def index_key(text: str) -> str:
    """``search_key(text)``, computed once per distinct word (long texts repeat words).

    Equal to :func:`dhakira.names.search_key` because normalisation works within
    white-space-separated words; a test holds it to that on random text.
    """
    words = text.split()
    cache = _WORD_KEYS
    missing = set(words).difference(cache)
    if len(cache) + len(missing) > _WORD_KEYS_MAX:
        cache.clear()
        missing = set(words)
    for word in missing:
        cache[word] = search_key(word)
    # map over a dict lookup runs in C: this is the hot loop of indexing.
    return " ".join(filter(None, map(cache.__getitem__, words)))


def index_information(info: Information) -> SearchDocument:
    """(Re)index one report; its compartment is that of any restricted evidence behind it."""
    compartment = next((c for c in info.evidence.exclude(compartment="")  # type: ignore[attr-defined]
                        .values_list("compartment", flat=True)), "")
    event = info.events.select_related("place").exclude(place=None).first()
    doc, _created = SearchDocument.objects.update_or_create(information=info, defaults={
        "kind": SearchDocument.Kind.INFORMATION, "source_id": info.source_id,
        "place": event.place if event else None, "date": info.received_at, "mime": "report",
        "compartment": compartment, "key": index_key(info.text)})
    return doc


def index_derived(copy: DerivedCopy) -> SearchDocument:
    """(Re)index the text of a derived copy (extracted, OCR, transcript, translation)."""
    item = copy.original
    info = item.information
    doc, _created = SearchDocument.objects.update_or_create(derived=copy, defaults={
        "kind": SearchDocument.Kind.EVIDENCE, "item": item,
        "source_id": info.source_id if info else None, "date": item.collected_at,
        "mime": item.mime, "compartment": item.compartment, "key": index_key(copy.text)})
    return doc


def index_derived_many(copies: Iterable[DerivedCopy]) -> int:
    """Index new derived copies' texts in one insert; return how many were indexed.

    For intake: a batch's texts go into the full-text index together rather than one
    statement (and one index flush) per file. Copies already indexed are skipped.
    """
    copies = [c for c in copies if c.text]
    held = set(SearchDocument.objects.filter(derived__in=copies).values_list("derived_id",
                                                                            flat=True))
    docs = []
    for copy in copies:
        if copy.pk in held:
            continue
        item = copy.original
        info = item.information
        docs.append(SearchDocument(
            kind=SearchDocument.Kind.EVIDENCE, derived=copy, item=item,
            source_id=info.source_id if info else None, date=item.collected_at, mime=item.mime,
            compartment=item.compartment, key=index_key(copy.text)))
    SearchDocument.objects.bulk_create(docs, batch_size=100)
    return len(docs)


def rebuild(*, chunk: int = 5000) -> int:
    """Rebuild the whole index from reports and derived texts; return the document count.

    For rows written without ``save()`` (bulk loads such as ``dhakira demo-data``); works
    in chunks with plain rows, so a million reports fit in memory.
    """
    from django.db import transaction

    from dhakira.evidence.models import EvidenceItem

    restricted = dict(EvidenceItem.objects.exclude(compartment="").exclude(information=None)
                      .values_list("information_id", "compartment"))
    place_of: dict[int, int] = {}
    links = Information.events.through.objects.filter(event__place__isnull=False).order_by("pk")
    for info_id, place_id in links.values_list("information_id", "event__place_id").iterator():
        place_of.setdefault(info_id, place_id)
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        rows = Information.objects.order_by("pk").values_list("pk", "source_id", "received_at",
                                                                 "text")
        batch: list[SearchDocument] = []
        for pk, source_id, received, text in rows.iterator(chunk_size=chunk):
            batch.append(SearchDocument(
                kind=SearchDocument.Kind.INFORMATION, information_id=pk, source_id=source_id,
                place_id=place_of.get(pk), date=received, mime="report",
                compartment=restricted.get(pk, ""), key=index_key(text)))
            if len(batch) >= chunk:
                SearchDocument.objects.bulk_create(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)
        copies = DerivedCopy.objects.exclude(text="").select_related("original__information")
        for copy in copies.iterator(chunk_size=500):
            index_derived(copy)
    return SearchDocument.objects.count()


def fts_query(tokens: Iterable[str]) -> str:
    """An FTS5 MATCH expression requiring every token (each quoted, so no operators)."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def _ranked_sql() -> str:
    """The ranked page of matching document ids, best first (``%s``: query, limit, offset)."""
    if connection.vendor == "postgresql":
        return ("SELECT id, ts_rank(to_tsvector('simple', key), plainto_tsquery('simple', %s)) "
                "AS score FROM evidence_searchdocument WHERE to_tsvector('simple', key) @@ "
                "plainto_tsquery('simple', %s) ORDER BY score DESC, id LIMIT %s OFFSET %s")
    # FTS5 applies its ORDER BY rank LIMIT optimisation only to a query on the table alone,
    # so the page is ranked first and joined afterwards.
    return ("SELECT rowid AS id, -rank AS score FROM evidence_fts WHERE evidence_fts MATCH %s "
            "ORDER BY rank LIMIT %s OFFSET %s")


def _ranked_params(key: str, limit: int, offset: int) -> list[Any]:
    if connection.vendor == "postgresql":
        return [key, key, limit, offset]
    return [fts_query(key.split()), limit, offset]


def _ranked_ids(key: str, limit: int, offset: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(_ranked_sql(), _ranked_params(key, limit, offset))
        return [row[0] for row in cursor.fetchall()]


# One statement for the common case (no filters): the ranked page joined to the few columns
# a hit shows, with a flag for clearance, in rank order. Rows the user may not see are
# dropped here rather than in SQL, so that a short page still tells that the index ran out.
_PAGE_SQL = (
    "SELECT d.id, d.kind, d.item_id, d.information_id, d.date, d.mime, s.code_name, "
    "i.text, c.text, {visible} FROM ({ranked}) r JOIN evidence_searchdocument d ON d.id = r.id "
    "LEFT JOIN dossier_source s ON s.id = d.source_id "
    "LEFT JOIN dossier_information i ON i.id = d.information_id "
    "LEFT JOIN evidence_derivedcopy c ON c.id = d.derived_id "
    "ORDER BY r.score DESC, d.id")


def _page_rows(key: str, cleared: list[str], limit: int, offset: int,
               _filters: Filters) -> tuple[list[tuple[Any, ...]], int]:
    """The visible rows of one ranked page, and how many ids the page held."""
    marks = ", ".join(["%s"] * len(cleared))
    visible = (f"(d.compartment = '' OR d.compartment IN ({marks}))" if cleared
               else "(d.compartment = '')")
    sql = _PAGE_SQL.format(ranked=_ranked_sql(), visible=visible)
    # The ranked subquery's parameters come after the clearance's, as they appear in the SQL.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cleared, *_ranked_params(key, limit, offset)])
        rows = cursor.fetchall()
    return [row[:-1] for row in rows if row[-1]], len(rows)


def _filtered(cleared: Iterable[str], filters: Filters) -> QuerySet[SearchDocument]:
    docs = SearchDocument.objects.filter(Q(compartment="") | Q(compartment__in=list(cleared)))
    if filters.date_from:
        docs = docs.filter(date__date__gte=filters.date_from)
    if filters.date_to:
        docs = docs.filter(date__date__lte=filters.date_to)
    if filters.place:
        docs = docs.filter(Q(place__name_en__icontains=filters.place)
                           | Q(place__name_ar__icontains=filters.place))
    if filters.type:
        docs = docs.filter(Q(kind=filters.type) | Q(mime__icontains=filters.type))
    if filters.source:
        docs = docs.filter(source__code_name=filters.source)
    return docs


def search(query: str, *, cleared: Iterable[str] = (), filters: Filters | None = None,
           limit: int = 20) -> list[Hit]:
    """Find reports and evidence texts matching every word of ``query``, best first.

    Args:
        query: words in Arabic and/or Latin script; normalised like the indexed text.
        cleared: the compartments the asking user is cleared for; documents of any other
            compartment are left out.
        filters: optional date, place, type and source filters.
        limit: the most results to return.
    """
    key = search_key(query)
    if not key or limit < 1:
        return []
    wanted = set(key.split())
    filters = filters or Filters()
    fetch = _filtered_page if filters != Filters() else _page_rows
    kept: list[tuple[Any, ...]] = []
    page, offset = limit, 0
    # Rank in the index, then apply clearance and filters; page on while they drop results.
    while len(kept) < limit:
        rows, ranked = fetch(key, list(cleared), page, offset, filters)
        kept.extend(rows)
        if ranked < page:
            break
        offset += page
        page = min(page * 4, 5000)
    return [_hit(row, wanted) for row in kept[:limit]]


def _filtered_page(key: str, cleared: list[str], limit: int, offset: int,
                   filters: Filters) -> tuple[list[tuple[Any, ...]], int]:
    """Like :func:`_page_rows`, with the optional filters applied through the ORM."""
    ids = _ranked_ids(key, limit, offset)
    docs = _filtered(cleared, filters).filter(pk__in=ids).values_list(*_ROW)
    found = {row[0]: row for row in docs}
    return [found[i] for i in ids if i in found], len(ids)


# Plain rows, not model instances: a search page is read-only and this is its hot path.
_ROW = ("pk", "kind", "item_id", "information_id", "date", "mime", "source__code_name",
        "information__text", "derived__text")


def _hit(row: tuple[Any, ...], wanted: set[str]) -> Hit:
    _pk, kind, item_id, info_id, when, mime, source, info_text, derived_text = row
    ref = f"I-{info_id:07d}" if info_id else (uid_for(item_id) if item_id else "")
    return Hit(ref=ref, kind=kind, item_id=item_id, information_id=info_id,
               date=_aware(when).isoformat() if when else None, mime=mime, source=source or "",
               snippet=snippet(info_text or derived_text or "", wanted))


def _aware(when: datetime | str) -> datetime:
    # Raw rows carry SQLite's naive UTC text or datetime; PostgreSQL's are aware already.
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _word_key(word: str) -> str:
    key = _WORD_KEYS.get(word)
    if key is None:
        if len(_WORD_KEYS) >= _WORD_KEYS_MAX:
            _WORD_KEYS.clear()
        key = _WORD_KEYS[word] = search_key(word)
    return key


def _matches(word: str, wanted: set[str]) -> bool:
    key = _WORD_KEYS.get(word)
    if key is None:
        key = _word_key(word)
    return key in wanted or (" " in key and not wanted.isdisjoint(key.split()))


def snippet(text: str, wanted: set[str]) -> tuple[tuple[str, bool], ...]:
    """A window of the original text around the first matching word, matches marked.

    Words are read lazily, so a long document costs only as far as its first match.
    """
    before: deque[re.Match[str]] = deque(maxlen=_BEFORE + 1)
    words = _WORD.finditer(text, 0, _SCAN_CHARS)
    for word in words:
        before.append(word)
        if _matches(word.group(), wanted):
            break
    else:
        # No match within reach: show the opening words.
        before.clear()
        words = _WORD.finditer(text, 0, _SCAN_CHARS)
    window = list(before) + list(itertools.islice(words, _AFTER))
    if not window:
        return ((text[:200], False),) if text else ()
    segments: list[tuple[str, bool]] = [("… ", False)] if window[0].start() > 0 else []
    pos = window[0].start()
    for w in window:
        start, end = w.span()
        if start > pos:
            segments.append((text[pos:start], False))
        token = text[start:end]
        segments.append((token, _matches(token, wanted)))
        pos = end
    if pos < len(text.rstrip()):
        segments.append((" …", False))
    return tuple(segments)


def clearances_of(username: str) -> list[str]:
    """The compartments ``username`` is cleared for.

    Raises:
        UnknownUser: no such user.
    """
    from dhakira.dossier.models import Profile
    from dhakira.evidence.errors import UnknownUser

    profile = Profile.objects.filter(user__username=username).first()
    if profile is None:
        raise UnknownUser(f"no user {username!r}; list users in the web app's admin")
    return [c for c in profile.clearances if profile.is_cleared(c)]
