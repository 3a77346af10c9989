"""Keep the search index in step with reports saved anywhere in the dossier."""

from __future__ import annotations

from typing import Any

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
