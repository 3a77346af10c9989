"""Reviewing field-kit conflicts at the office: two versions of one record, side by side.

A version that arrived from a kit that had not seen the office's latest version of the same
record is kept as its own row and flagged (``Origin.conflict``). Someone at the office looks
at both and decides: keep the newer, keep the older, or let both stand. The decision is a
row of its own (:class:`~dhakira.apps.fieldkit.models.Decision`) and a custody entry; neither
record is edited. From then on a later record from a kit that refers to the stable id is
linked to the version kept (:func:`current_row`).

What is shown is what the record's own page shows: its plain fields, vocabulary terms as
labels in the reader's language; protected values (addresses, contacts, a source's identity)
are never shown here, and a record of a compartment the reader is not cleared for is not shown
at all (and cannot be decided by that reader).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.utils.translation import gettext as _

from dhakira.apps.custody import store
from dhakira.apps.dossier import access
from dhakira.apps.fieldkit.models import Decision, Origin
from dhakira.apps.fieldkit.records import MODELS, uid_of
from dhakira.core.sync.errors import SyncError

__all__ = ["Conflict", "Line", "conflict", "current_row", "decide", "waiting"]

# Bookkeeping columns, not what a documenter recorded.
_HIDDEN = {"created_at", "updated_at", "blob_name", "search_text"}


@dataclass(frozen=True)
class Line:
    """One field of the two versions: its label, each side's text, whether they differ."""

    field: str
    label: str
    older: str
    newer: str

    @property
    def differs(self) -> bool:
        return self.older != self.newer


@dataclass(frozen=True)
class Conflict:
    """A flagged version and the version it was made without seeing."""

    newer: Origin
    older: Origin
    older_uid: str
    newer_uid: str
    readable: bool  # the reader may see both rows
    lines: tuple[Line, ...]

    @property
    def differing(self) -> int:
        return sum(line.differs for line in self.lines)


def waiting() -> int:
    """How many flagged versions wait for a decision."""
    return Origin.objects.filter(conflict=True, reviewed=False).count()


def _text(row: models.Model, field: models.Field[Any, Any]) -> str:
    """A field's value in words: vocabulary labels, choice labels, yes/no, uids of links."""
    from dhakira.apps.dossier.models import comma, lang
    from dhakira.apps.dossier.validators import VocabularyValidator
    from dhakira.core.vocabularies import load

    if field.is_relation:
        related = getattr(row, field.name)
        if related is None:
            return ""
        return str(getattr(related, "uid", None) or related)
    value = getattr(row, field.attname)
    if value in (None, "", [], {}):
        return ""
    for validator in field.validators:
        if isinstance(validator, VocabularyValidator):
            labels = dict(load(validator.vocabulary).choices(lang()))
            codes = value if isinstance(value, list) else [value]
            return comma().join(labels.get(str(c), str(c)) for c in codes)
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _fields(row: models.Model) -> dict[str, tuple[str, str]]:
    """``{field name: (label, text)}`` of what a reader of the record sees."""
    out: dict[str, tuple[str, str]] = {}
    for field in row._meta.concrete_fields:
        if field.primary_key or field.name in _HIDDEN or field.name.endswith("_hash"):
            continue
        out[field.name] = (str(field.verbose_name), _text(row, field))
    names = getattr(row, "names", None)
    if names is not None and hasattr(names, "all"):
        out["names"] = (_("names"), "; ".join(n.text for n in names.order_by("pk")))
    return out


def _may_read(user: AbstractBaseUser | AnonymousUser, row: models.Model) -> bool:
    """Whether ``user`` may see ``row``: its compartment, and for a source whether the user
    may know of it at all (a source known only through restricted reports stays hidden)."""
    if not access.may_read(user, row):
        return False
    if row._meta.model_name == "source":
        return access.visible_sources(user, type(row).objects.filter(pk=row.pk)).exists()
    return True


def conflict(newer: Origin, user: AbstractBaseUser | AnonymousUser) -> Conflict:
    """The flagged version ``newer`` and the one before it, as ``user`` may see them."""
    older = Origin.objects.get(gid=newer.gid, version=newer.version - 1)
    model = MODELS[newer.kind]
    rows = {o.pk: model.objects.filter(pk=o.local_pk).first() for o in (older, newer)}
    readable = all(r is not None and _may_read(user, r) for r in rows.values())
    lines: list[Line] = []
    if readable:
        left, right = _fields(rows[older.pk]), _fields(rows[newer.pk])  # type: ignore[arg-type]
        for name, (label, text) in left.items():
            lines.append(Line(name, label, text, right.get(name, ("", ""))[1]))
    return Conflict(newer, older, uid_of(older.kind, older.local_pk),
                    uid_of(newer.kind, newer.local_pk), readable, tuple(lines))


def pending(user: AbstractBaseUser | AnonymousUser) -> list[Conflict]:
    """Every flagged version still waiting, oldest first, as ``user`` may see them."""
    return [conflict(o, user) for o in
            Origin.objects.filter(conflict=True, reviewed=False).select_related("device")]


def decide(newer_pk: int, choice: str, *, actor: AbstractBaseUser) -> Decision:
    """Record ``actor``'s decision about the flagged version ``newer_pk``; one custody entry.

    Raises:
        SyncError: no such flagged version, decided already, an unknown choice, or a record
            ``actor`` may not read.
    """
    if choice not in Decision.Choice.values:
        raise SyncError(f"unknown decision {choice!r}")
    with transaction.atomic():
        newer = Origin.objects.filter(pk=newer_pk, conflict=True).first()
        if newer is None:
            raise SyncError("no such version waits for review")
        if newer.reviewed or Decision.objects.filter(newer=newer).exists():
            raise SyncError(f"version {newer.version} of {newer.gid} was decided already")
        seen = conflict(newer, actor)
        if not seen.readable:
            raise SyncError("you may not read one of the two versions")
        made = Decision.objects.create(newer=newer, older=seen.older, choice=choice,
                                       decided_by=actor.get_username(),
                                       decided_at=datetime.now(UTC))
        # The flag is bookkeeping of the review, not the record: the rows stay as they came.
        Origin.objects.filter(pk=newer.pk).update(reviewed=True)
        store.record(actor=actor.get_username(), action="decision", subject=seen.newer_uid,
                     subject_hash=newer.content_hash,
                     detail={"fieldkit_conflict": choice, "gid": newer.gid,
                             "newer": seen.newer_uid, "newer_version": newer.version,
                             "older": seen.older_uid, "older_version": seen.older.version,
                             "device": newer.device.key_id})
    return made


def current_row(last: Origin) -> int:
    """The row that stands for the stable id whose latest version is ``last``: the older
    version's when someone decided to keep it, else ``last``'s own."""
    kept = Decision.objects.filter(newer=last, choice=Decision.Choice.OLDER).select_related(
        "older").first()
    return kept.older.local_pk if kept is not None else last.local_pk
