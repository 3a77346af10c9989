"""Who may do what on dossier pages: outsiders get 404, members without rights 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from dhakira.dossier.models import Profile
from dhakira.dossier.protected import profile_of

View = Callable[..., HttpResponse]


def member_profile(request: HttpRequest) -> Profile:
    """The user's profile; a logged-in user without one is an outsider (404)."""
    profile = profile_of(request.user)
    if profile is None:
        raise Http404
    return profile


def member_required(view: View) -> View:
    """Logged in and holding a role (any role may read)."""
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member_profile(request)
        return view(request, *args, **kwargs)
    return wrapped


def writer_required(view: View) -> View:
    """Logged in with a role that may record reports; viewers get 403."""
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not member_profile(request).can_write:
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapped
