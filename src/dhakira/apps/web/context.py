"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from dhakira.apps.dossier.access import profile_of


def dhakira(request: HttpRequest) -> dict[str, object]:
    profile = profile_of(request.user)
    return {"idle_lock_seconds": settings.IDLE_LOCK_SECONDS, "profile": profile}
