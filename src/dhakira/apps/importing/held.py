"""Sheets held for the import wizard: sealed like a report form's pending files, opened only
in memory.

A sheet waits between the wizard's steps (upload, map, preview, import). It is kept the way
:mod:`dhakira.apps.dossier.pending` keeps a report form's files (the same sealing, the same size
limit and the same expiry), in its own table so that the report form never offers a sheet as an
attachment, nor discards one with its draft. The import reads a table from a path; the sheet is
given one that leads into anonymous memory (``memfd``), so its plaintext never reaches a disk.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PosixPath
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404
from django.utils import timezone

from dhakira.apps.dossier.pending import KEEP, MAX_HELD_BYTES
from dhakira.apps.importing.models import PendingSheet
from dhakira.core.importing import FORMATS
from dhakira.core.vault.sealed import SealBroken, seal, unseal

__all__ = ["KEEP", "MAX_HELD_BYTES", "SealBroken", "TooLarge", "discard", "drop_all", "hold",
           "mapping_text", "name_of", "of_user", "opened", "owned", "set_mapping"]

_NAME, _DATA, _MAPPING = "import sheet name", "import sheet data", "import sheet mapping"


class TooLarge(ValueError):
    """The sheet is larger than a held upload may be."""


def hold(user: AbstractBaseUser, upload: Any, *, compartment: str = "sources",
         mapping: str = "") -> PendingSheet:
    """Seal ``upload`` (a Django uploaded file) for ``user``, with a first ``mapping`` (YAML).

    Raises:
        TooLarge: over :data:`MAX_HELD_BYTES`.
    """
    if upload.size > MAX_HELD_BYTES:
        raise TooLarge(upload.name)
    upload.seek(0)
    return PendingSheet.objects.create(
        owner=user, size=upload.size, compartment=compartment,
        sealed_name=seal(upload.name.encode(), purpose=_NAME),
        sealed_data=seal(upload.read(), purpose=_DATA),
        sealed_mapping=seal(mapping.encode(), purpose=_MAPPING) if mapping else b"")


def _fresh() -> None:
    PendingSheet.objects.filter(created_at__lt=timezone.now() - KEEP).delete()


def of_user(user: AbstractBaseUser) -> list[PendingSheet]:
    """The sheets ``user`` uploaded and has not yet imported or discarded (old ones expire)."""
    _fresh()
    return list(PendingSheet.objects.filter(owner=user, run__isnull=True))


def owned(user: AbstractBaseUser, pk: int) -> PendingSheet:
    """The held sheet ``pk`` of ``user``; anyone else's, or none, is 404."""
    _fresh()
    row = PendingSheet.objects.filter(pk=pk, owner=user).first()
    if row is None:
        raise Http404
    return row


def name_of(row: PendingSheet) -> str:
    """The sheet's file name as it was uploaded (``?`` if the seal no longer opens)."""
    try:
        return unseal(bytes(row.sealed_name), purpose=_NAME).decode("utf-8", "replace")
    except SealBroken:
        return "?"


def mapping_text(row: PendingSheet) -> str:
    """The mapping made so far (YAML), or ""."""
    if not row.sealed_mapping:
        return ""
    return unseal(bytes(row.sealed_mapping), purpose=_MAPPING).decode("utf-8")


def set_mapping(row: PendingSheet, text: str, compartment: str) -> None:
    """Keep ``text`` (YAML) as the sheet's mapping and ``compartment`` as where it goes."""
    row.sealed_mapping = seal(text.encode(), purpose=_MAPPING)
    row.compartment = compartment
    row.save(update_fields=["sealed_mapping", "compartment"])


def discard(user: AbstractBaseUser, pk: int) -> None:
    """Forget the held sheet ``pk`` of ``user``."""
    PendingSheet.objects.filter(pk=pk, owner=user).delete()


def drop_all() -> int:
    """Forget every held sheet (``dhakira rekey``: what was sealed under the old key must not
    outlive it; like a draft, a held sheet is uploaded again)."""
    return PendingSheet.objects.all().delete()[0]


class _Shown(PosixPath):
    """A path into memory that gives the uploaded file's name wherever the import names the
    table (messages, the evidence item, the run) while the files it opens are the memory."""

    shown = ""

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.shown or super().name


@contextmanager
def opened(row: PendingSheet) -> Iterator[Path]:
    """A path to the sheet's contents, for as long as the block runs.

    The contents are unsealed into an anonymous in-memory file; the path is a link, in a
    private temporary folder, whose name ends as the uploaded file's did (the readers choose
    by it) and which leads to that memory. Nothing of the sheet is written to a disk.

    Raises:
        SealBroken: the sheet was sealed under another key (a rekey) or damaged.
        OSError: the system has no anonymous in-memory files (``memfd_create``, Linux).
    """
    name = name_of(row)
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        suffix = ".bin"  # the reader refuses it by name, as the command would
    data = unseal(bytes(row.sealed_data), purpose=_DATA)
    if not hasattr(os, "memfd_create"):
        raise OSError("reading a held sheet needs anonymous memory files (Linux)")
    fd = os.memfd_create("dhakira-sheet", os.MFD_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        del view, data  # the memory file holds it now; one copy at a time
        with tempfile.TemporaryDirectory(prefix="dhakira-import-") as folder:  # mode 0700
            link = Path(folder, "sheet" + suffix)
            link.symlink_to(f"/proc/{os.getpid()}/fd/{fd}")
            path = _Shown(link)
            path.shown = Path(name).name
            yield path
    finally:
        os.close(fd)
