"""The login form, throttled per user name and per client address.

Each attempt is counted before the password is checked (:mod:`dhakira.core.throttle`) and taken
back when it succeeds. ``LOGIN_THROTTLE`` allows 5 failures per user name and 20 per client
address in 15 minutes; a locked-out user sees that, not "wrong password", so they know to
wait. The counts live in the server's memory: a restart forgets them.

A user with a second factor (:mod:`dhakira.apps.twofactor`) is not logged in by the password:
the login view hands over to the code page, which logs them in once the code is right.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse

from dhakira.core.throttle import Throttle, Throttled

__all__ = ["CLIENT_THROTTLE", "USER_THROTTLE", "SecondFactorLoginView", "ThrottledLoginForm",
           "client_address"]

PERIOD = 15 * 60
USER_THROTTLE = Throttle(attempts=5, period=PERIOD)
CLIENT_THROTTLE = Throttle(attempts=20, period=PERIOD)


def client_address(request: Any) -> str:
    """The peer's address as the server saw it (no forwarding header is trusted)."""
    return str(getattr(request, "META", {}).get("REMOTE_ADDR") or "unknown")


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, refusing to check a password while its user or client is locked out."""

    throttled = False

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "").casefold()
        try:
            user_slot = USER_THROTTLE.reserve(f"user:{username}")
        except Throttled:
            self.throttled = True
            raise forms.ValidationError("throttled", code="throttled") from None
        try:
            client_slot = CLIENT_THROTTLE.reserve(f"client:{client_address(self.request)}")
        except Throttled:
            USER_THROTTLE.release(user_slot)  # the client is refused, the user's count is not theirs
            self.throttled = True
            raise forms.ValidationError("throttled", code="throttled") from None
        cleaned = super().clean()  # raises on a wrong password: both attempts stay counted
        USER_THROTTLE.release(user_slot)
        USER_THROTTLE.clear(f"user:{username}")
        CLIENT_THROTTLE.release(client_slot)
        return cleaned


class SecondFactorLoginView(LoginView):
    """Django's login view; a user with a second factor is asked for a code before logging in."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        from dhakira.apps.twofactor import services, views

        user = form.get_user()
        if services.has_second_factor(user):
            return views.begin_login(self.request, user, self.get_success_url())
        return super().form_valid(form)
