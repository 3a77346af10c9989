"""Middleware: browser hardening headers, the locked page, idle sessions ended, and no
caching of any page that shows dossier data."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from dhakira.core.lastuse import LastUse
from dhakira.core.vault import session

# Only the app's own static files run or style anything: no inline script or style, no
# plugins, no framing, forms post only back to the app. Inline SVG charts and images served
# as data:/blob: URLs are allowed as images.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    """Every response, the locked page and errors included, carries the hardening headers.

    Listed first, so that it wraps the locked page too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response["X-Content-Type-Options"] = "nosniff"
        response["X-Frame-Options"] = "DENY"
        # Not "no-referrer": with it Chromium sends `Origin: null` on form posts, which CSRF
        # refuses. "same-origin" sends nothing to other sites, which is what matters.
        response["Referrer-Policy"] = "same-origin"
        response["Cross-Origin-Opener-Policy"] = "same-origin"
        return response


def _is_unlock(request: HttpRequest) -> bool:
    """The unlock form's POST passes while locked (its view touches no data before unlocking)."""
    return request.method == "POST" and request.path_info == reverse("unlock")


class VaultLockedMiddleware:
    """While the data key is not in memory, every request gets the locked page (HTTP 423)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if session.is_unlocked() or _is_unlock(request):
            return self.get_response(request)
        lang = translation.get_language_from_request(request)
        with translation.override(lang):
            body = render_to_string("web/locked.html", {"LANGUAGE_CODE": lang,
                                                        "LANGUAGE_BIDI": lang == "ar"})
        return HttpResponse(body, status=423)


clock: Callable[[], float] = time.time  # replaced by tests
# Made at import, before `dhakira serve --workers N` forks: every worker sees the same times.
LAST_USE = LastUse()


def login_began(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """A login's session starts its idle period (connected to ``user_logged_in``)."""
    idle = settings.IDLE_LOCK_SECONDS
    key = request.session.session_key
    if idle > 0 and key:
        LAST_USE.begin(key, clock(), idle)


def login_ended(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """A login's session is forgotten (connected to ``user_logged_out``)."""
    key = request.session.session_key if request is not None else None
    if key:
        LAST_USE.forget(key)


class RememberProfileMiddleware:
    """The user's profile is read once per request, not by every check that asks
    (:func:`dhakira.apps.dossier.access.profiles_remembered`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from dhakira.apps.dossier.access import profiles_remembered

        with profiles_remembered():
            return self.get_response(request)


class IdleSessionMiddleware:
    """A login unused for ``IDLE_LOCK_SECONDS`` ends on the server, whatever the page's script
    did. The time of use is kept in shared memory (:mod:`dhakira.core.lastuse`), not in the
    session: a request writes nothing to the database for it. A login that table does not
    know (made before the server started, or forgotten by a full table) ends too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle = settings.IDLE_LOCK_SECONDS
        # While locked only the unlock form gets here: its session is in the locked database.
        if idle > 0 and session.is_unlocked() and request.user.is_authenticated:
            key = request.session.session_key
            if not key or not LAST_USE.use(key, clock(), idle):
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages are never kept in the browser's cache or history snapshots."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, max-age=0"
        return response
