"""How staff are named in anything that leaves the vault: a stable pseudonymous id.

Packages and briefs go to courts, investigators and the press; a user name ("layla.h") names a
documenter. Outside the vault a member of staff is ``U-000007`` (their immutable account
number), the same in every package and brief, so a court can ask the organisation who acted
without the document itself saying so.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from dhakira.core.ids import STAFF

UNKNOWN = "U-unknown"


def staff_id(user: AbstractBaseUser) -> str:
    """The pseudonymous id of a user account, e.g. ``U-000007``."""
    return STAFF.format(user.pk)


def staff_ids(names: Iterable[str]) -> dict[str, str]:
    """User name -> staff id for those of ``names`` that are accounts; others are left out."""
    model = get_user_model()
    field = model.USERNAME_FIELD
    rows = model.objects.filter(**{f"{field}__in": set(names)}).values_list(field, "pk")
    return {str(name): STAFF.format(pk) for name, pk in rows}
