"""Server-side drafts of the intake page, kept in the encrypted database.

A draft must survive a closed browser, a logout and the idle lock, so it cannot live in
the login session (which those end) nor in localStorage (plaintext on the laptop's disk).
Until the dossier has a draft model, each user's draft is one row of Django's session
table under a key made with the vault's intake-draft sub-key (:mod:`dhakira.core.vault.keys`):
unguessable, stable across restarts, and never sent to a browser as a cookie. Drafts kept
under the data key itself, before the sub-key, were renamed by migration
``dossier 0007_drafts_subkey``.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.utils import timezone

from dhakira.core.vault import keys

KEEP = timedelta(days=30)
# The session keys of drafts: a lock deletes every login session but keeps these rows.
KEY_PATTERN = r"^draft[0-9a-f]{35}$"
MAX_BYTES = 200_000


def _key(user: AbstractBaseUser) -> str:
    return draft_key(user.pk)


def draft_key(user_pk: object) -> str:
    """The session key of the draft of the user whose primary key is ``user_pk``."""
    return "draft" + keys.mac(keys.INTAKE_DRAFT, f"intake-draft:{user_pk}".encode()).hex()[:35]


def load(user: AbstractBaseUser) -> dict[str, Any]:
    """The user's draft (field name to value), or an empty dict."""
    row = Session.objects.filter(session_key=_key(user), expire_date__gt=timezone.now()).first()
    if row is None:
        return {}
    try:
        data = json.loads(row.session_data)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def save(user: AbstractBaseUser, fields: dict[str, Any]) -> bool:
    """Keep ``fields`` as the user's draft; False when it is too large to keep."""
    text = json.dumps(fields, ensure_ascii=False)
    if len(text.encode()) > MAX_BYTES:
        return False
    Session.objects.update_or_create(session_key=_key(user), defaults={
        "session_data": text, "expire_date": timezone.now() + KEEP})
    return True


def discard(user: AbstractBaseUser) -> None:
    draft = Session.objects.filter(session_key=_key(user))
    if draft.exists():  # a delete takes the write lock even when it finds nothing
        draft.delete()
