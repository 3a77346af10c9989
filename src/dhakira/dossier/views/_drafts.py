"""Server-side drafts of the intake page, kept in the encrypted database.

A draft must survive a closed browser, a logout and the idle lock, so it cannot live in
the login session (which those end) nor in localStorage (plaintext on the laptop's disk).
Until the dossier has a draft model, each user's draft is one row of Django's session
table under a key derived from the vault's data key: unguessable, stable across restarts,
and never sent to a browser as a cookie.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.hmac import HMAC
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.utils import timezone

from dhakira.vault import session as vault_session

KEEP = timedelta(days=30)
# The session keys of drafts: a lock deletes every login session but keeps these rows.
KEY_PATTERN = r"^draft[0-9a-f]{35}$"
MAX_BYTES = 200_000


def _key(user: AbstractBaseUser) -> str:
    with vault_session.borrow() as key:  # hashed in place: no copy of the key is made
        mac = HMAC(key, SHA256())
        mac.update(f"intake-draft:{user.pk}".encode())
        digest = mac.finalize()
    return "draft" + digest.hex()[:35]


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
    Session.objects.filter(session_key=_key(user)).delete()
