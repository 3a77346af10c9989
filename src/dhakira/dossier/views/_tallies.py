"""Counts and aggregates over whole tables, kept current by looking only at new rows.

At a million reports ``COUNT(*)`` or a GROUP BY over every event costs about a second on
SQLCipher. Dossier rows are appended, not deleted (foreign keys protect them), so after
one full pass each request adds the rows whose id is above the last one seen. A stamp
(the last row's id and a second column) detects the rare case where that row is gone or
its id was reused, and then everything is counted again. Edits to an old row's date or
place are not seen until the process restarts.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any

from django.db import models

_LOCK = threading.Lock()
_HELD: dict[str, tuple[tuple[Any, ...], dict[Hashable, int]]] = {}


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
    with _LOCK:
        held = _HELD.get(name)
    if held is not None and held[0] == last:
        return held[1]
    rows = model._default_manager.filter(pk__lte=last[0])
    valid = held is not None and held[0][0] < last[0] and model._default_manager.filter(
        **{"pk": held[0][0], stamp_field: held[0][1]}).exists()
    if valid:
        assert held is not None
        result = dict(Counter(held[1]) + Counter(compute(rows.filter(pk__gt=held[0][0]))))
    else:
        result = compute(rows)
    with _LOCK:
        _HELD[name] = (last, result)
    return result


def count(model: type[models.Model]) -> int:
    """The number of rows of ``model``."""
    return aggregate(f"count:{model._meta.label}", model,
                     lambda qs: {"n": qs.count()}).get("n", 0)
