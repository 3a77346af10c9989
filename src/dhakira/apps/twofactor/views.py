"""Thin views: enrol a second factor, and the code asked for after the password at login."""

from __future__ import annotations

import time

import segno
from django.contrib.auth import get_user_model, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from dhakira.apps.dossier.access import ANY_ROLE, role_required
from dhakira.apps.twofactor import services
from dhakira.apps.web.login import USER_THROTTLE
from dhakira.core.throttle import Throttled

PENDING = "twofactor_pending"  # session key: the user who gave the right password, not yet the code
PENDING_SECONDS = 300


def begin_login(request: HttpRequest, user: object, next_url: str) -> HttpResponse:
    """After the right password of a user with a second factor: ask for the code first."""
    logout(request)  # whoever was logged in on this browser is not, from now on
    request.session[PENDING] = {"user": user.pk, "backend": user.backend,  # type: ignore[attr-defined]
                                "next": next_url, "at": time.time()}
    return redirect("twofactor:verify")


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The code (from the authenticator app, or a recovery code) after the password."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return redirect("login")
    user = get_user_model().objects.get(pk=pending["user"])
    error = ""
    if request.method == "POST":
        key = f"otp:{user.pk}"
        try:
            slot = USER_THROTTLE.reserve(key)
        except Throttled:
            error = "throttled"
        else:
            device = services.check(user, request.POST.get("token", ""))
            if device is None:
                error = "wrong"
            else:
                USER_THROTTLE.release(slot)
                USER_THROTTLE.clear(key)
                del request.session[PENDING]
                user.backend = pending["backend"]  # type: ignore[attr-defined]
                login(request, user, backend=pending["backend"])
                otp_login(request, device)
                target = pending["next"]
                if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                       require_https=request.is_secure()):
                    target = "/"
                return redirect(target or "/")
    return render(request, "twofactor/verify.html", {"error": error}, status=200 if not error else 400)


@role_required(ANY_ROLE)  # an outsider gets 404, as everywhere; an external reviewer enrols too
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """The user's own second factor: enrol with a QR code or the typed secret."""
    user = request.user
    if services.has_second_factor(user) and request.method == "GET":  # type: ignore[arg-type]
        return render(request, "twofactor/setup.html", {"enrolled": True})
    device = services.pending_totp(user)  # type: ignore[arg-type]
    error = False
    if request.method == "POST" and not services.has_second_factor(user):  # type: ignore[arg-type]
        confirmed = services.confirm(user, request.POST.get("token", ""))  # type: ignore[arg-type]
        if confirmed is not None:
            otp_login(request, confirmed[0])
            return render(request, "twofactor/codes.html", {"codes": confirmed[1]})
        error = True
    qr = segno.make(services.config_url(device), error="m")
    return render(request, "twofactor/setup.html", {
        "enrolled": False, "error": error, "secret": services.secret_text(device),
        "qr": qr.svg_data_uri(scale=5, border=2), "required": services.required_for(user),  # type: ignore[arg-type]
    }, status=400 if error else 200)


