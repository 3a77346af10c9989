"""Connection settings for search (reports are indexed by the services that write them,
once everything the filters need exists: see :func:`dhakira.apps.search.services.index_report`)."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.dispatch import receiver

# SQLCipher decrypts and authenticates every page it reads from the file, so its own page
# cache stands in for the operating system's: a search touches the same index pages again
# and again. 64 MiB is an upper bound, filled only as pages are read.
CACHE_KIB = 64 * 1024


@receiver(connection_created, dispatch_uid="evidence-sqlite-cache")
def _larger_page_cache(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
