"""Pages of a list without counting it: one extra row says whether a next page exists.

At a million reports ``COUNT(*)`` over a filtered join costs more than the page itself,
so lists show "next" and "previous" and never a total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def page_number(request: HttpRequest) -> int:
    """The requested page (``?page=N``, 1-based; anything else is page 1)."""
    try:
        return max(1, min(int(request.GET.get("page", "1")), 100_000))
    except ValueError:
        return 1


def page_of(queryset: QuerySet[Any] | list[Any], request: HttpRequest, size: int = PAGE_SIZE) -> Page:
    """The requested page of ``queryset`` (or of a list already ranked)."""
    number = page_number(request)
    start = (number - 1) * size
    rows = list(queryset[start:start + size + 1])
    return Page(rows[:size], number, len(rows) > size)


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
