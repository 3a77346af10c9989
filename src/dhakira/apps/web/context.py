"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from dhakira.apps.dossier.access import profile_of


def dhakira(request: HttpRequest) -> dict[str, object]:
    """The idle lock's timing and the reader's profile. The static-file handler renders its 404
    page without the middleware, so that request has no user: no profile, not a 500."""
    profile = profile_of(getattr(request, "user", None))
    return {"idle_lock_seconds": settings.IDLE_LOCK_SECONDS, "profile": profile}
