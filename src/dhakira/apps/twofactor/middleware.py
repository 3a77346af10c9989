"""A user whose role requires a second factor uses nothing but its enrolment page until then;
a session of a user with a second factor that never gave a code is ended."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from dhakira.apps.twofactor import services


class RequireSecondFactorMiddleware:
    """After django-otp's OTPMiddleware: unverified users of a role that requires it are sent to enrol."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._allowed(request.path):  # the unlock form must not touch the locked database
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        has_device, required = services.standing(user)
        if has_device:  # a session that never gave its code
            logout(request)
            return redirect("login")
        if required:
            return redirect("twofactor:setup")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        free = [reverse("twofactor:setup"), reverse("logout"), reverse("lock"), reverse("unlock"),
                reverse("set_language"), "/" + settings.STATIC_URL.lstrip("/")]
        return any(path.startswith(p) for p in free)
