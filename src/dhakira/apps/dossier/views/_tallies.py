"""Counts and aggregates over whole tables, kept current by looking only at new rows.

At a million reports ``COUNT(*)`` or a GROUP BY over every event costs about a second on
SQLCipher. Dossier rows are appended, not deleted (foreign keys protect them), so after
one full pass each request adds the rows whose id is above the last one seen. A stamp
(the last row's id and a second column) detects the rare case where that row is gone or
its id was reused, and then everything is counted again. Edits to an old row's date or
place are not seen until the process restarts.

Ids do not become visible in order everywhere: on PostgreSQL a transaction takes its id
when it inserts and may commit after a later id has (issue 18, item 6). So each pass also
keeps the ids missing below the last one seen (the gaps), and the next pass counts any
gap that has since filled. A gap stays missing for good after a rollback; the newest
:data:`MAX_GAPS` are kept, and a first pass looks for them only among the last
:data:`WINDOW` ids.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any

from django.db import models
from django.db.models import Q

MAX_GAPS = 10_000
# On a full pass, only ids this close to the last are looked at for gaps: an id taken that
# long before the last one and still not committed is a rollback, not a late commit.
WINDOW = 100_000
_LOCK = threading.Lock()
# name -> (stamp of the last row seen, the counts, the ids missing below it)
_HELD: dict[str, tuple[tuple[Any, ...], dict[Hashable, int], frozenset[int]]] = {}


def _gaps(ids: Any, above: int, upto: int, known: frozenset[int]) -> frozenset[int]:
    """The ids in (above, upto] missing from the ascending ``ids``, with the ``known`` gaps
    still missing: the newest :data:`MAX_GAPS` of them."""
    missing = set(known)
    expect = above + 1
    for pk in ids:
        missing.update(range(expect, pk))
        expect = pk + 1
        if len(missing) > 2 * MAX_GAPS:
            missing = set(sorted(missing)[-MAX_GAPS:])
    missing.update(range(expect, upto + 1))
    return frozenset(sorted(missing)[-MAX_GAPS:])


def _stamp_field(model: type[models.Model]) -> str:
    names = {f.name for f in model._meta.concrete_fields}
    return "created_at" if "created_at" in names else "pk"


def aggregate(name: str, model: type[models.Model],
              compute: Callable[[models.QuerySet[Any]], dict[Hashable, int]]) -> dict[Hashable, int]:
    """``compute`` over every row of ``model``, updated from the rows added since last time.

    Args:
        name: a key for this aggregate.
        model: the table (rows are appended, with increasing ids).
        compute: counts per key over a queryset of ``model``; counts must add up.
    """
    stamp_field = _stamp_field(model)
    last = model._default_manager.order_by("-pk").values_list("pk", stamp_field).first()
    if last is None:
        return {}
    manager = model._default_manager
    with _LOCK:
        held = _HELD.get(name)
    filled: list[int] = []
    if held is not None and held[2]:
        filled = list(manager.filter(pk__in=held[2]).values_list("pk", flat=True))
    if held is not None and held[0] == last and not filled:
        return held[1]
    rows = manager.filter(pk__lte=last[0])
    valid = held is not None and held[0][0] <= last[0] and manager.filter(
        **{"pk": held[0][0], stamp_field: held[0][1]}).exists()
    if valid:
        assert held is not None
        fresh = Q(pk__gt=held[0][0]) | Q(pk__in=filled) if filled else Q(pk__gt=held[0][0])
        result = dict(Counter(held[1]) + Counter(compute(rows.filter(fresh))))
        new_ids = rows.filter(pk__gt=held[0][0]).order_by("pk").values_list("pk", flat=True)
        gaps = _gaps(new_ids.iterator(), held[0][0], last[0], held[2] - set(filled))
    else:
        result = compute(rows)
        above = max(0, last[0] - WINDOW)
        recent = rows.filter(pk__gt=above).order_by("pk").values_list("pk", flat=True)
        gaps = _gaps(recent.iterator(chunk_size=10_000), above, last[0], frozenset())
    with _LOCK:
        _HELD[name] = (last, result, gaps)
    return result


def count(model: type[models.Model]) -> int:
    """The number of rows of ``model``."""
    return aggregate(f"count:{model._meta.label}", model,
                     lambda qs: {"n": qs.count()}).get("n", 0)
