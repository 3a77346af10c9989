"""Thin views: enrol a second factor, and the code asked for after the password at login."""

from __future__ import annotations

import json
import time

import segno
from django.contrib.auth import get_user_model, login, logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from dhakira.apps.dossier.access import ANY_ROLE, role_required
from dhakira.apps.twofactor import passkeys, services
from dhakira.apps.twofactor.models import Passkey
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
    error, wait = "", 0
    if request.method == "POST":
        key = f"otp:{user.pk}"
        try:
            slot = USER_THROTTLE.reserve(key)
        except Throttled:
            error = "throttled"
        else:
            # Asked before the code is checked: a wrong code starts the next wait itself.
            # A code sent during the wait still counts as a try: quick guesses stay counted.
            wait = services.wait_seconds(user)
            device = None if wait else services.check(user, request.POST.get("token", ""))
            if device is None:
                error = "wait" if wait else "wrong"
            else:
                USER_THROTTLE.release(slot)
                USER_THROTTLE.clear(key)
                return redirect(_finish_login(request, user, pending, device))
    return render(request, "twofactor/verify.html",
                  {"error": error, "wait": wait,
                   "passkey": Passkey.objects.filter(user=user).exists()},
                  status=200 if not error else 400)


def _finish_login(request: HttpRequest, user: object, pending: dict[str, object],
                  device: object) -> str:
    """Log ``user`` in, verified by ``device``; where to go next (a safe local address)."""
    del request.session[PENDING]
    user.backend = pending["backend"]  # type: ignore[attr-defined]
    login(request, user, backend=pending["backend"])  # type: ignore[arg-type]
    otp_login(request, device)
    target = str(pending["next"] or "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    return target or "/"


def _pending_user(request: HttpRequest) -> tuple[object, dict[str, object]] | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return get_user_model().objects.get(pk=pending["user"]), pending


@require_http_methods(["POST"])
def passkey_login_options(request: HttpRequest) -> HttpResponse:
    """The challenge for a passkey, after the right password (JSON)."""
    found = _pending_user(request)
    options = passkeys.login_options(request, found[0]) if found else None  # type: ignore[arg-type]
    if options is None:
        return JsonResponse({"error": _("No passkey is registered for this login.")}, status=400)
    return HttpResponse(options, content_type="application/json")


@require_http_methods(["POST"])
def passkey_login(request: HttpRequest) -> HttpResponse:
    """The browser's signed answer; logs in on success (throttled like codes)."""
    found = _pending_user(request)
    if found is None:
        return JsonResponse({"error": _("Your login took too long. Log in again.")}, status=400)
    user, pending = found
    key = f"otp:{user.pk}"  # type: ignore[attr-defined]
    try:
        slot = USER_THROTTLE.reserve(key)
    except Throttled:
        return JsonResponse({"error": _("Too many wrong codes for this user. Wait 15 minutes "
                                        "and try again.")}, status=400)
    try:
        device = passkeys.authenticate(request, user, request.body.decode())  # type: ignore[arg-type]
    except passkeys.PasskeyRefused:
        return JsonResponse({"error": _("The passkey could not be checked. Try again, or use "
                                        "a code.")}, status=400)
    USER_THROTTLE.release(slot)
    USER_THROTTLE.clear(key)
    return JsonResponse({"next": _finish_login(request, user, pending, device)})


def _unverified(request: HttpRequest) -> HttpResponse | None:
    """A refusal when the account has a second factor this session has not given: a new
    passkey must not stand in for the code the session never gave."""
    user = request.user
    if services.has_second_factor(user) and not user.is_verified():  # type: ignore[arg-type, union-attr]
        return JsonResponse({"error": _("Log in with your code first, then add a passkey.")},
                            status=403)
    return None


@role_required(ANY_ROLE)  # an external reviewer may keep a passkey too
@require_http_methods(["POST"])
def passkey_options(request: HttpRequest) -> HttpResponse:
    """The challenge for registering a new passkey (JSON)."""
    if (refused := _unverified(request)) is not None:
        return refused
    return HttpResponse(passkeys.registration_options(request, request.user),  # type: ignore[arg-type]
                        content_type="application/json")


@role_required(ANY_ROLE)  # an external reviewer may keep a passkey too
@require_http_methods(["POST"])
def passkey_register(request: HttpRequest) -> HttpResponse:
    """Keep the passkey the browser made; this session counts as verified by it."""
    if (refused := _unverified(request)) is not None:
        return refused
    try:
        body = json.loads(request.body.decode())
        device = passkeys.register(request, request.user, json.dumps(body["credential"]),  # type: ignore[arg-type]
                                   str(body.get("name", "")))
    except (ValueError, KeyError, TypeError, passkeys.PasskeyRefused):
        return JsonResponse({"error": _("The passkey could not be registered. Try again.")},
                            status=400)
    otp_login(request, device)
    return JsonResponse({"ok": _("Passkey registered. From now on you can log in with it "
                                 "after your password.")})


@role_required(ANY_ROLE)  # an outsider gets 404, as everywhere; an external reviewer enrols too
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """The user's own second factor: enrol with a QR code or the typed secret."""
    user = request.user
    if services.has_second_factor(user) and request.method == "GET":  # type: ignore[arg-type]
        return render(request, "twofactor/setup.html", {"enrolled": True, "passkeys": _mine(user)})
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
        "passkeys": _mine(user),
    }, status=400 if error else 200)


def _mine(user: object) -> list[Passkey]:
    return list(Passkey.objects.filter(user=user).order_by("pk"))


