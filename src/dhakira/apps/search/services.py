"""Full-text search over reports and the extracted text of evidence.

Indexed text and queries go through the same normalisation, :func:`dhakira.core.names.search_key`
(Arabic alef/ya/ta marbuta/hamza folding, harakat and tatweel removed, light clitic
stripping, Latin case and accent folding). The normalised text is kept in
``SearchDocument.key``; the index over it is FTS5 on SQLite/SQLCipher and a GIN
``tsvector('simple')`` index on PostgreSQL (migration ``evidence.0002``). Snippets are cut from the
original text around the words whose normalised form matches.

A search runs two statements per page, as plain FTS5 would: the ranked ids from the index
alone, then the page's rows by primary key with clearance (and any filters) checked in SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import escape

from dhakira.apps.dossier.models import Information
from dhakira.apps.search.models import SearchDocument
from dhakira.core.ids import EVIDENCE, REPORT
from dhakira.core.names import search_key

__all__ = ["Filters", "Hit", "add_documents", "clearances_of", "index_derived",
           "index_derived_many", "index_information", "index_key", "index_report",
           "index_reports", "new_derived_documents", "new_report_documents", "rebuild", "search", "snippet"]

# Snippets work on the same white-space-separated words as the index (see index_key): up to
# _BEFORE words before the first match and _AFTER after it. A snippet looks for the match
# as far as _SCAN_CHARS, splitting _BLOCK characters at a time; where its window crosses a
# block's edge, it looks _BACK_CHARS back (twice that ahead) from the match.
_SPACE = re.compile(r"\s")
_BEFORE, _AFTER = 8, 18
_SCAN_CHARS, _BLOCK, _BACK_CHARS = 400_000, 4096, 400


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

    Equal to :func:`dhakira.core.names.search_key` because normalisation works within
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


def _report_document(*, source_id: int | None, place_id: int | None, received: Any,
                     text: str, compartment: str) -> dict[str, Any]:
    """The fields of a report's search document: the one description every indexer uses."""
    return {"kind": SearchDocument.Kind.INFORMATION, "source_id": source_id,
            "place_id": place_id, "date": received, "mime": "report",
            "compartment": compartment, "key": index_key(text)}


def _derived_document(copy: Any) -> dict[str, Any]:
    """The fields of a derived text's search document (the file's own compartment)."""
    item = copy.original
    info = item.information
    return {"kind": SearchDocument.Kind.EVIDENCE, "item": item,
            "source_id": info.source_id if info else None, "date": item.collected_at,
            "mime": item.mime, "compartment": item.compartment, "key": index_key(copy.text)}


def index_information(info: Information) -> SearchDocument:
    """(Re)index one report under the report's own compartment."""
    event = info.events.exclude(place=None).first()
    doc, _created = SearchDocument.objects.update_or_create(
        information=info, defaults=_report_document(
            source_id=info.source_id, place_id=event.place_id if event else None,
            received=info.received_at, text=info.text, compartment=info.compartment))
    return doc


def index_report(info: Information) -> None:
    """Index a report and the texts of the files attached to it.

    Called by the service that writes the report, once its event (the place filter), source
    and files exist: indexing on the row's first save found no place and no source.
    """
    index_reports([info])


def index_reports(infos: Sequence[Information]) -> None:
    """Index reports and the texts of the files attached to them, a batch at a time.

    :func:`index_report` for many reports (the report intake's batches): each report's
    document says what :func:`index_information` would write (the place of its first event
    that has one), in a few statements for the whole batch instead of several per report.
    """
    from dhakira.apps.evidence.items import texts

    ids = [info.pk for info in infos]
    if not ids:
        return
    place_of: dict[int, int] = {}
    links = (Information.events.through.objects
             .filter(information_id__in=ids, event__place__isnull=False)
             .order_by("information_id", "event_id"))  # as info.events...first(): by event
    for info_id, place_id in links.values_list("information_id", "event__place_id"):
        place_of.setdefault(info_id, place_id)
    held = set(SearchDocument.objects.filter(information_id__in=ids)
               .values_list("information_id", flat=True))
    fresh = []
    for info in infos:
        fields = _report_document(source_id=info.source_id, place_id=place_of.get(info.pk),
                                  received=info.received_at, text=info.text,
                                  compartment=info.compartment)
        if info.pk in held:  # indexed before: update it, as index_information would
            SearchDocument.objects.update_or_create(information=info, defaults=fields)
        else:
            fresh.append(SearchDocument(information=info, **fields))
    SearchDocument.objects.bulk_create(fresh, batch_size=500)
    for copy in texts().filter(original__information_id__in=ids).order_by("pk"):
        index_derived(copy)


def new_report_documents(reports: Sequence[tuple[Information, Any]]) -> list[SearchDocument]:
    """The search documents of new reports, each given with its event's place (or None),
    built and not yet written: :func:`add_documents` writes them.

    For the report intake, which builds them before its transaction (the index keys of the
    text are most of the work) and writes them inside it, once the reports have keys; each
    says what :func:`index_reports` would write for the report. The reports, their sources
    and places may be unsaved: Django fills in the keys on insert. A new report has no
    document yet, and no text read from its files (that is indexed after the commit).
    """
    docs = []
    for info, place in reports:
        fields = _report_document(source_id=None, place_id=None, received=info.received_at,
                                  text=info.text, compartment=info.compartment)
        del fields["source_id"], fields["place_id"]
        docs.append(SearchDocument(information=info, source=info.source, place=place, **fields))
    return docs


def add_documents(docs: Sequence[SearchDocument]) -> None:
    """Write documents built by :func:`new_report_documents` or :func:`new_derived_documents`
    (in statements of 100: a derived text may be long)."""
    SearchDocument.objects.bulk_create(docs, batch_size=100)


def index_derived(copy: Any) -> SearchDocument:
    """(Re)index the text of a derived copy (extracted, OCR, transcript, translation)."""
    doc, _created = SearchDocument.objects.update_or_create(derived=copy,
                                                            defaults=_derived_document(copy))
    return doc


def index_derived_many(copies: Iterable[Any]) -> int:
    """Index new derived copies' texts in one insert; return how many were indexed.

    For intake: a batch's texts go into the full-text index together rather than one
    statement (and one index flush) per file. Copies already indexed are skipped.
    """
    copies = [c for c in copies if c.text]
    held = set(SearchDocument.objects.filter(derived__in=copies).values_list("derived_id",
                                                                            flat=True))
    docs = new_derived_documents([copy for copy in copies if copy.pk not in held])
    add_documents(docs)
    return len(docs)


def new_derived_documents(copies: Iterable[Any]) -> list[SearchDocument]:
    """The search documents of derived copies with a text, built and not yet written:
    :func:`add_documents` writes them.

    Processing builds them before its transaction (the index keys of a long text are the
    costly part) for copies not yet saved, and writes them once the copies have keys.
    """
    return [SearchDocument(derived=copy, **_derived_document(copy)) for copy in copies
            if copy.text]


def rebuild(*, chunk: int = 5000) -> int:
    """Rebuild the whole index from reports and derived texts; return the document count.

    For rows written without ``save()`` (bulk loads such as ``dhakira demo-data``); works
    in chunks with plain rows, so a million reports fit in memory.
    """
    from django.db import transaction

    place_of: dict[int, int] = {}
    links = Information.events.through.objects.filter(event__place__isnull=False).order_by("pk")
    for info_id, place_id in links.values_list("information_id", "event__place_id").iterator():
        place_of.setdefault(info_id, place_id)
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        rows = Information.objects.order_by("pk").values_list("pk", "source_id", "received_at",
                                                                 "text", "compartment")
        batch: list[SearchDocument] = []
        for pk, source_id, received, text, compartment in rows.iterator(chunk_size=chunk):
            batch.append(SearchDocument(information_id=pk, **_report_document(
                source_id=source_id, place_id=place_of.get(pk), received=received, text=text,
                compartment=compartment)))
            if len(batch) >= chunk:
                SearchDocument.objects.bulk_create(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)
        from dhakira.apps.evidence.items import texts

        for copy in texts().iterator(chunk_size=500):
            index_derived(copy)
    return SearchDocument.objects.count()


def fts_query(tokens: Iterable[str]) -> str:
    """An FTS5 MATCH expression requiring every token (each quoted, so no operators)."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def _ranked_ids(key: str, limit: int, offset: int) -> list[int]:
    """One page of matching document ids, best first: the index alone, as plain FTS5 runs it.

    Only the rowid is read. FTS5 sorts by ``rank`` inside the virtual table (with its own
    ORDER BY rank optimisation, applied only to a query on the table alone); naming
    ``rank`` in the result would run bm25 a second time for every row returned.
    """
    if connection.vendor == "postgresql":
        sql = ("SELECT id FROM evidence_searchdocument WHERE to_tsvector('simple', key) @@ "
               "plainto_tsquery('simple', %s) ORDER BY ts_rank(to_tsvector('simple', key), "
               "plainto_tsquery('simple', %s)) DESC, id LIMIT %s OFFSET %s")
        params: list[Any] = [key, key, limit, offset]
    else:
        sql = ("SELECT rowid FROM evidence_fts WHERE evidence_fts MATCH %s ORDER BY rank "
               "LIMIT %s OFFSET %s")
        params = [fts_query(key.split()), limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# What a hit shows, for a page of ids, by primary key. Clearance is checked here, in SQL,
# exactly: a row of a compartment the user is not cleared for is never read out.
_ROWS_SQL = (
    "SELECT d.id, d.kind, d.item_id, d.information_id, d.date, d.mime, s.code_name, i.text, "
    "c.text FROM evidence_searchdocument d "
    "LEFT JOIN dossier_source s ON s.id = d.source_id "
    "LEFT JOIN dossier_information i ON i.id = d.information_id "
    "LEFT JOIN evidence_derivedcopy c ON c.id = d.derived_id "
    "WHERE d.id IN ({ids}) AND (d.compartment = ''{cleared})")


def _rows(ids: list[int], cleared: list[str], _filters: Filters) -> list[tuple[Any, ...]]:
    """The visible rows among ``ids``, in the order of ``ids``."""
    sql = _ROWS_SQL.format(ids=", ".join(["%s"] * len(ids)),
                           cleared=(f" OR d.compartment IN ({', '.join(['%s'] * len(cleared))})"
                                    if cleared else ""))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *cleared])
        found = {row[0]: row for row in cursor.fetchall()}
    return [found[i] for i in ids if i in found]


def _filtered_rows(ids: list[int], cleared: list[str],
                   filters: Filters) -> list[tuple[Any, ...]]:
    """Like :func:`_rows`, with the optional filters applied through the ORM."""
    docs = _filtered(cleared, filters).filter(pk__in=ids).values_list(*_ROW)
    found = {row[0]: row for row in docs}
    return [found[i] for i in ids if i in found]


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
    wanted = frozenset(key.split())
    filters = filters or Filters()
    fetch = _filtered_rows if filters != Filters() else _rows
    allowed = list(cleared)
    kept: list[tuple[Any, ...]] = []
    page, offset = limit, 0
    # Rank in the index, then read the page's rows by key with clearance and filters; page
    # on while they drop results.
    while len(kept) < limit:
        ids = _ranked_ids(key, page, offset)
        if ids:
            kept.extend(fetch(ids, allowed, filters))
        if len(ids) < page:
            break
        offset += page
        page = min(page * 4, 5000)
    return [_hit(row, wanted) for row in kept[:limit]]


# Plain rows, not model instances: a search page is read-only and this is its hot path.
_ROW = ("pk", "kind", "item_id", "information_id", "date", "mime", "source__code_name",
        "information__text", "derived__text")


def _hit(row: tuple[Any, ...], wanted: frozenset[str]) -> Hit:
    _pk, kind, item_id, info_id, when, mime, source, info_text, derived_text = row
    ref = REPORT.format(info_id) if info_id else (EVIDENCE.format(item_id) if item_id else "")
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


def _flags(words: list[str], wanted: Set[str]) -> list[bool]:
    """Whether each word's key is wanted; the look-ups and tests run in C (``map``)."""
    found = list(map(_WORD_KEYS.get, words))
    keys = ([_word_key(w) if k is None else k for w, k in zip(words, found, strict=True)]
            if None in found else cast(list[str], found))
    if " " in "".join(keys):  # a word with several tokens (al-Jubouri) matches on any one
        return [k in wanted or not wanted.isdisjoint(k.split()) for k in keys]
    return list(map(wanted.__contains__, keys))


def _window(text: str, wanted: Set[str]) -> tuple[list[tuple[int, int]], list[bool]]:
    """The spans of the words shown, and which match: up to _BEFORE words before the first
    match and _AFTER after it; without a match within _SCAN_CHARS, the opening _AFTER words.

    The text is split a block at a time and its words looked up in C (``str.split``,
    ``map``), so a report costs one split and a long document only as far as its match.
    """
    limit, pos = min(len(text), _SCAN_CHARS), 0
    while pos < limit:
        space = _SPACE.search(text, min(pos + _BLOCK, limit), limit)
        end = space.start() if space else limit
        words = text[pos:end].split()
        flags = _flags(words, wanted)
        if True in flags:
            at = flags.index(True)
            first, last = max(0, at - _BEFORE), at + _AFTER + 1
            if (pos == 0 or at >= _BEFORE) and (last <= len(words) or end == len(text)):
                return _spans(text, pos, words[:last])[first:], flags[first:last]
            # The window crosses the block's edge: look around the match in the text.
            spans = _around(text, _spans(text, pos, words[:at + 1])[-1][0])
            return spans, _flags([text[s:e] for s, e in spans], wanted)
        pos = end
    spans = _spans(text, 0, text[:_BACK_CHARS * 2].split()[:_AFTER])
    return spans, [False] * len(spans)


def _spans(text: str, pos: int, words: list[str]) -> list[tuple[int, int]]:
    """Where each of ``words``, the words of ``text`` from ``pos`` on, starts and ends.

    Exact: from the end of one word, the next word's first occurrence is the next run of
    non-space characters, since only white space lies between.
    """
    spans = []
    for word in words:
        pos = text.find(word, pos)
        spans.append((pos, pos + len(word)))
        pos += len(word)
    return spans


def _around(text: str, start: int) -> list[tuple[int, int]]:
    """The spans of up to _BEFORE words before ``start`` and the word there and _AFTER after."""
    lo = max(0, start - _BACK_CHARS)
    before = text[lo:start].split()
    if before and lo > 0 and not text[lo - 1].isspace() and not text[lo].isspace():
        before = before[1:]  # a word cut by the look-back
    end = start
    spans = []
    for word in reversed(before[-_BEFORE:]):  # only space lies between: rfind is exact
        end = text.rfind(word, lo, end)
        spans.append((end, end + len(word)))
    spans.reverse()
    hi = start + _BACK_CHARS * 2
    after = text[start:hi].split()
    if len(after) > 1 and hi < len(text) and not text[hi].isspace():
        after.pop()  # a word cut by the look-ahead
    return spans + _spans(text, start, after[:_AFTER + 1])


def snippet(text: str, wanted: Set[str]) -> tuple[tuple[str, bool], ...]:
    """A window of the original text around the first matching word, matches marked.

    Args:
        text: the original (un-normalised) text.
        wanted: the normalised query tokens.

    Returns:
        Segments of (text, highlighted): the matching words, and runs of the text between.
    """
    spans, flags = _window(text, wanted)
    if not spans:
        return ((text[:200], False),) if text else ()
    segments: list[tuple[str, bool]] = []
    # Plain text between matches is one segment; "…" marks text cut off at either end.
    run = spans[0][0]
    pending = "… " if run > 0 else ""
    for (start, end), hit in zip(spans, flags, strict=True):
        if hit:
            pending += text[run:start]
            if pending:
                segments.append((pending, False))
            segments.append((text[start:end], True))
            pending, run = "", end
    pending += text[run:spans[-1][1]]
    if spans[-1][1] < len(text.rstrip()):
        pending += " …"
    if pending:
        segments.append((pending, False))
    return tuple(segments)


def clearances_of(username: str) -> list[str]:
    """The compartments ``username`` is cleared for.

    Raises:
        UnknownUser: no such user.
    """
    from dhakira.apps.dossier import access
    from dhakira.apps.evidence.errors import UnknownUser

    found = access.readable_compartments_of(username)
    if found is None:
        raise UnknownUser(f"no user {username!r} with a role; add one with `dhakira user add`")
    return sorted(found)
