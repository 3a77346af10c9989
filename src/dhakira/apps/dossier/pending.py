"""Files attached to a report form that did not validate: held sealed, offered back, used once.

A documenter who attaches photos and forgets a required field must not lose the photos when
the corrected form is saved. Each upload of an invalid form is sealed into a
:class:`~dhakira.apps.dossier.models.PendingFile`; the page lists them ticked; the saved report
takes the ticked ones; saving or discarding the draft removes every one of the user's.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from dhakira.apps.dossier.intake import FileIn
from dhakira.apps.dossier.models import PendingFile
from dhakira.core.ids import key_or_none
from dhakira.core.vault.sealed import SealBroken, seal, unseal

__all__ = ["MAX_HELD_BYTES", "Held", "count", "discard", "hold", "kept", "retain", "to_file_in"]

MAX_HELD_BYTES = 64 * 1024 * 1024  # per file; larger ones are named and must be attached again
KEEP = timedelta(days=30)  # as long as a draft
_NAME, _DATA = "pending upload name", "pending upload data"
NAME_PURPOSE, DATA_PURPOSE = _NAME, _DATA  # for dhakira rekey, which seals them again


class Held:
    """A pending file as the page shows it: id, name, size and the graphic flag."""

    def __init__(self, row: PendingFile) -> None:
        self.pk, self.size, self.graphic = row.pk, row.size, row.graphic
        try:
            self.name = unseal(row.sealed_name, purpose=_NAME).decode("utf-8", "replace")
        except SealBroken:
            self.name = "?"


def hold(user: AbstractBaseUser, uploads: Iterable[Any], *, graphic: bool) -> list[str]:
    """Seal each upload for ``user``; return the names of those too large to keep.

    An upload whose bytes the user holds already (the held file chosen again) is not held a
    second time: the page would offer it twice, and the saved report take it twice.
    """
    too_large = []
    held = PendingFile.objects.filter(owner=user)
    for upload in uploads:
        if upload.size > MAX_HELD_BYTES:
            too_large.append(upload.name)
            continue
        upload.seek(0)
        data = upload.read()
        if _holds(held.filter(size=len(data)), data):
            continue
        PendingFile.objects.create(owner=user, size=len(data), graphic=graphic,
                                   sealed_name=seal(upload.name.encode(), purpose=_NAME),
                                   sealed_data=seal(data, purpose=_DATA))
    return too_large


def _holds(rows: Any, data: bytes) -> bool:
    """Whether one of ``rows`` (only those of the same size are unsealed) holds ``data``."""
    for sealed_data in rows.values_list("sealed_data", flat=True):
        try:
            if unseal(bytes(sealed_data), purpose=_DATA) == data:
                return True
        except SealBroken:
            continue
    return False


def kept(user: AbstractBaseUser, ids: Iterable[str] | None = None) -> list[Held]:
    """The user's pending files (only ``ids`` when given), oldest first; old ones expire."""
    _delete(PendingFile.objects.filter(created_at__lt=timezone.now() - KEEP))
    rows = PendingFile.objects.filter(owner=user)
    if ids is not None:
        rows = rows.filter(pk__in=[k for k in map(key_or_none, ids) if k is not None])
    return [Held(row) for row in rows]


def count(user: AbstractBaseUser) -> int:
    """How many pending files ``user`` has (nothing unsealed, nothing deleted)."""
    return PendingFile.objects.filter(owner=user, created_at__gte=timezone.now() - KEEP).count()


def to_file_in(user: AbstractBaseUser, held: Held) -> FileIn:
    """The pending file as a report file, its contents unsealed into memory."""
    row = PendingFile.objects.get(pk=held.pk, owner=user)
    data = unseal(row.sealed_data, purpose=_DATA)
    return FileIn(held.name, io.BytesIO(data), row.graphic)


def retain(user: AbstractBaseUser, ids: Iterable[int]) -> None:
    """Remove the user's pending files but ``ids`` (those the user unticked)."""
    _delete(PendingFile.objects.filter(owner=user).exclude(pk__in=list(ids)))


def discard(user: AbstractBaseUser) -> None:
    """Remove every pending file of ``user`` (the report was saved, or the draft discarded)."""
    _delete(PendingFile.objects.filter(owner=user))


def _delete(rows: Any) -> None:
    """Delete ``rows`` if there are any. A delete takes the database's write lock (SQLite
    has one for the whole file) even when it finds nothing; every save of the report form
    asked for it three times more than its own write, and under fifty users those waits,
    not the work, made saving slow (docs/server.md, "Load")."""
    if rows.exists():
        rows.delete()
