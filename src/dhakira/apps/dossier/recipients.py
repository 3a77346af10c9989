"""The managed list of recipients: add, change, find. Every change is a custody entry.

A recipient's code never changes: consents and disclosures point at the row, and a package
records the recipient's name and key as they were when it was sent
(:class:`dhakira.apps.handover.models.Disclosure`), so a later change never rewrites what a
package relied on.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dhakira.apps.custody import store
from dhakira.apps.dossier.models import Recipient

#: The fields a change may touch (the code is fixed once made).
CHANGEABLE = ("name_en", "name_ar", "kind", "public_key", "contact")


def add(*, code: str, name_en: str, name_ar: str, kind: str, public_key: str = "",
        contact: str = "", actor: str) -> Recipient:
    """Add a recipient to the list and log it.

    Raises:
        ValidationError: a bad code, kind or public key, or the code is taken (any case).
    """
    code = code.strip().upper()
    if Recipient.objects.filter(code__iexact=code).exists():
        raise ValidationError({"code": _("A recipient with this code exists already.")})
    row = Recipient(code=code, name_en=name_en.strip(), name_ar=name_ar.strip(), kind=kind,
                    public_key=public_key.strip(), contact=contact.strip())
    row.full_clean()
    with transaction.atomic():
        row.save()
        store.record(actor=actor, action="new_version", subject=row.uid,
                     detail={"change": "recipient added", "code": row.code, "kind": row.kind,
                             "public_key": row.public_key})
    return row


def change(row: Recipient, *, actor: str, **values: str) -> list[str]:
    """Change a recipient's names, kind, key or contact; log which fields changed.

    Returns:
        The names of the fields that changed (nothing is written when none did).

    Raises:
        ValidationError: a bad value, or an attempt to change the code.
    """
    if set(values) - set(CHANGEABLE):
        raise ValidationError(_("A recipient's code never changes; add a new recipient."))
    fresh = Recipient.objects.get(pk=row.pk)
    changed = []
    for name, value in values.items():
        value = value.strip()
        if getattr(fresh, name) != value:
            setattr(fresh, name, value)
            changed.append(name)
    if not changed:
        return []
    fresh.full_clean()
    with transaction.atomic():
        fresh.save()
        detail = {"change": "recipient changed", "code": fresh.code, "fields": " ".join(changed)}
        if "public_key" in changed:
            detail["public_key"] = fresh.public_key
        store.record(actor=actor, action="new_version", subject=fresh.uid, detail=detail)
    return changed


def find(text: str) -> Recipient | None:
    """The recipient whose code or name (either language) is ``text``, trimmed and
    case-insensitively; None when the list has none."""
    wanted = " ".join(text.split())
    if not wanted:
        return None
    for field in ("code", "name_en", "name_ar"):
        row = Recipient.objects.filter(**{f"{field}__iexact": wanted}).first()
        if row is not None:
            return row
    return None
