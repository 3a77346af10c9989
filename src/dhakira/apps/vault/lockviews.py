"""The "Lock now" button and the unlock form of the locked page.

The unlock view runs while the vault is locked, so it must not touch the database before
the key is back: no session, no user, no context processors (the page is rendered bare).
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import access
from dhakira.apps.protection.forms import UnlockForm
from dhakira.apps.protection.services import COMPARTMENT
from dhakira.apps.vault import lockdown, unlocking
from dhakira.apps.web.login import client_address
from dhakira.core.vault import session
from dhakira.core.vault.errors import VaultError, WrongPassphrase


def may_lock(user: object) -> bool:
    """Administrators and users cleared for protection may lock the running server."""
    return (access.has_role(user, {"administrator"})  # type: ignore[arg-type]
            or access.is_cleared(user, COMPARTMENT))  # type: ignore[arg-type]


@require_POST
@login_required
def lock_now(request: HttpRequest) -> HttpResponse:
    if not may_lock(request.user):
        raise Http404
    lockdown.lock_now(actor=request.user.get_username(), via="web")
    # This session was deleted with all the others: an empty store drops its cookie.
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return locked_page(request, "")


def locked_page(request: HttpRequest, error: str, *, status: int = 423) -> HttpResponse:
    """The locked page (HTTP 423), rendered without touching the database."""
    lang = translation.get_language_from_request(request)
    with translation.override(lang):
        body = render_to_string("web/locked.html", {"LANGUAGE_CODE": lang,
                                                    "LANGUAGE_BIDI": lang == "ar",
                                                    "unlock_error": error})
    return HttpResponse(body, status=status)


# No CSRF token: the locked page cannot render one without a session, and the session
# store is inside the locked database. The passphrase itself is the credential; a browser's
# cross-site post is refused by its Sec-Fetch-Site/Origin headers, and guessing is limited
# per client (dhakira.apps.vault.unlocking).
@csrf_exempt
@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    if session.is_unlocked():
        return redirect("login")
    client = client_address(request)
    if unlocking.is_cross_site(request.headers, f"{request.scheme}://{request.get_host()}"):
        unlocking.note(client, "cross_site", via="web")
        return locked_page(request, _("Unlock from the Dhakira page itself, not from another "
                                      "site."), status=403)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        return locked_page(request, _("Type the vault passphrase."))
    try:
        unlocking.attempt(settings.VAULT_DIR, form.cleaned_data["passphrase"], client=client,
                          via="web")
    except lockdown.RateLimited:
        return locked_page(request, _("Too many wrong passphrases: wait a minute and try again."))
    except unlocking.Busy:
        return locked_page(request, _("Another unlock attempt is running: try again in a "
                                      "moment."))
    except WrongPassphrase:
        return locked_page(request, _("Wrong passphrase."))
    except VaultError:
        return locked_page(request, _("This vault cannot be unlocked from the browser."))
    return redirect("login")
