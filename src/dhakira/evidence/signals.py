"""Keep the search index in step with reports saved anywhere in the dossier."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models.signals import post_save
from django.dispatch import receiver

from dhakira.dossier.models import Information


@receiver(post_save, sender=Information, dispatch_uid="evidence-index-information")
def _index_information(sender: type[Information], instance: Information, raw: bool = False,
                       **kwargs: Any) -> None:
    if raw:  # fixtures load rows as they are; `search.rebuild()` indexes them afterwards
        return
    from dhakira.evidence import search

    search.index_information(instance)


# SQLCipher decrypts and authenticates every page it reads from the file, so its own page
# cache stands in for the operating system's: a search touches the same index pages again
# and again. 64 MiB is an upper bound, filled only as pages are read.
CACHE_KIB = 64 * 1024


@receiver(connection_created, dispatch_uid="evidence-sqlite-cache")
def _larger_page_cache(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
