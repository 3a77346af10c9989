"""The one way to read or write a protected field.

A protected field belongs to a compartment. Reading it needs the user to be cleared for
that compartment and leaves a signed custody entry (who, which field of which record,
when, and the reason given); the value itself never enters the ledger or a log line.
Outsiders get :class:`NotCleared`, which views turn into a 404 so that even the existence
of a value does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from dhakira.apps.custody import store
from dhakira.apps.dossier.access import can_write, is_cleared
from dhakira.apps.dossier.errors import NotCleared, UnknownProtectedField
from dhakira.apps.dossier.models import Person, ProtectedValue, Source


@dataclass(frozen=True)
class ProtectedField:
    model: type[models.Model]
    name: str
    compartment: str
    label_en: str
    label_ar: str


FIELDS: dict[tuple[type[models.Model], str], ProtectedField] = {
    (f.model, f.name): f for f in [
        ProtectedField(Source, "identity", "sources", "Identity", "الهوية"),
        ProtectedField(Source, "contact", "sources", "Contact details", "بيانات الاتصال"),
        ProtectedField(Person, "self_identified_sogi", "sogi",
                       "Self-identified sexual orientation or gender identity",
                       "التوجه الجنسي أو الهوية الجندرية كما يعرّفها الشخص"),
        ProtectedField(Person, "address", "addresses", "Exact address", "العنوان الدقيق"),
        ProtectedField(Person, "contact", "addresses", "Contact details", "بيانات الاتصال"),
    ]
}


def register(*fields: ProtectedField) -> None:
    """Add protected fields of another app's models (called from its ``AppConfig.ready``)."""
    for f in fields:
        FIELDS[(f.model, f.name)] = f


def field_for(obj: models.Model, name: str) -> ProtectedField:
    """The registered protected field ``name`` of ``obj``'s model."""
    try:
        return FIELDS[(type(obj), name)]
    except KeyError:
        raise UnknownProtectedField(f"{type(obj).__name__} has no protected field {name!r}") from None


def fields_of(model: type[models.Model]) -> list[ProtectedField]:
    """The protected fields registered for ``model``."""
    return [f for (m, _), f in FIELDS.items() if m is model]


def _owner(obj: models.Model) -> str:
    return obj.uid  # type: ignore[attr-defined, no-any-return]


def has_value(user: AbstractBaseUser, obj: models.Model, name: str) -> bool:
    """Whether a value is recorded; only a cleared user may ask (no audit: no content read)."""
    field = field_for(obj, name)
    if not is_cleared(user, field.compartment):
        raise NotCleared(f"not cleared for the {field.compartment} compartment")
    return ProtectedValue.objects.filter(owner=_owner(obj), field=name).exists()


def read(user: AbstractBaseUser, obj: models.Model, name: str, *, reason: str) -> str | None:
    """Return the protected value of ``obj.name`` and record the read in the custody ledger.

    Raises:
        NotCleared: the user is not cleared for the field's compartment.
        ValueError: no reason was given.
    """
    field = field_for(obj, name)
    if not is_cleared(user, field.compartment):
        raise NotCleared(f"not cleared for the {field.compartment} compartment")
    if not reason.strip():
        raise ValueError("a reason is required to reveal a protected field")
    row = ProtectedValue.objects.filter(owner=_owner(obj), field=name).first()
    store.record(actor=user.get_username(), action="read_protected",
                 subject=f"{_owner(obj)}/{name}",
                 detail={"compartment": field.compartment, "reason": reason.strip()[:500]})
    return row.value if row else None


def values_for_redaction(*, actor: str, fields: tuple[str, ...], reason: str,
                         now: datetime | None = None) -> list[tuple[str, str, str]]:
    """Every stored value of ``fields`` as ``(owner uid, field, value)``, to be redacted.

    Only for code that removes these values from something leaving the vault (packages)
    and proves they are gone; never for display. The bulk read is one custody entry.
    """
    rows = list(ProtectedValue.objects.filter(field__in=fields)
                .values_list("owner", "field", "value"))
    store.record(actor=actor, action="read_protected", subject="redaction",
                 detail={"reason": reason, "fields": " ".join(sorted(fields)), "values": len(rows)},
                 now=now)
    return rows


def write(user: AbstractBaseUser, obj: models.Model, name: str, value: str) -> None:
    """Set a protected value; the user must be cleared and allowed to write."""
    field = field_for(obj, name)
    if not (is_cleared(user, field.compartment) and can_write(user)):
        raise NotCleared(f"not cleared to write the {field.compartment} compartment")
    with transaction.atomic():
        ProtectedValue.objects.update_or_create(
            owner=_owner(obj), field=name,
            defaults={"value": value, "compartment": field.compartment})
        store.record(actor=user.get_username(), action="new_version",
                     subject=f"{_owner(obj)}/{name}", detail={"compartment": field.compartment})


def planned(obj: models.Model, name: str, value: str) -> ProtectedValue:
    """An unsaved protected value for a trusted batch to insert in bulk (evidence intake).

    Like :func:`write_system`, no custody entry per value: the batch's entries record its items.
    """
    field = field_for(obj, name)
    return ProtectedValue(owner=_owner(obj), field=name, value=value, compartment=field.compartment)


def write_system(obj: models.Model, name: str, value: str) -> None:
    """Set a protected value from a trusted batch (test fixtures, an import).

    No custody entry per value is written: the batch records its own.
    """
    field = field_for(obj, name)
    ProtectedValue.objects.update_or_create(
        owner=_owner(obj), field=name, defaults={"value": value, "compartment": field.compartment})
