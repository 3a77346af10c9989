"""Passkeys (WebAuthn) as a second factor, checked with py_webauthn (``webauthn``).

Registration and login are two steps each: the server makes options holding a fresh random
challenge (kept in the session, used once), the browser asks the authenticator, and the
server checks the answer: the challenge, the origin (scheme, host and port the browser
reached), the relying-party id (the host name) and, at login, the signature under the key
registered and a signature counter that must not go back. The relying-party id is the host
name people type: a passkey made for ``dhakira.office.lan`` works there only. Browsers allow
WebAuthn over HTTPS and on ``localhost`` (never on plain HTTP elsewhere, nor on a bare IP
address): see docs/server.md.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from dhakira.apps.custody import store
from dhakira.apps.dossier.accounts import subject_of
from dhakira.apps.twofactor.models import Passkey

__all__ = ["PasskeyRefused", "authenticate", "login_options", "register", "registration_options"]

RP_NAME = "Dhakira"
_REGISTERING = "passkey_registering"  # session keys: the challenge waiting for its answer
_LOGGING_IN = "passkey_logging_in"


class PasskeyRefused(Exception):
    """The browser's answer does not check out (wrong challenge, origin, key or counter)."""


def _rp_id(request: HttpRequest) -> str:
    host = request.get_host()
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host  # no port


def _origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _descriptors(user: AbstractBaseUser) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(c))
            for c in Passkey.objects.filter(user=user).values_list("credential_id", flat=True)]


def registration_options(request: HttpRequest, user: AbstractBaseUser) -> str:
    """Options (JSON) for ``navigator.credentials.create``; the challenge goes in the session."""
    options = generate_registration_options(
        rp_id=_rp_id(request), rp_name=RP_NAME, user_name=user.get_username(),
        user_id=secrets.token_bytes(32),  # a random handle: the authenticator learns no row id
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED))
    request.session[_REGISTERING] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def register(request: HttpRequest, user: AbstractBaseUser, answer: str, name: str) -> Passkey:
    """Check the browser's answer to :func:`registration_options` and keep the passkey.

    Raises:
        PasskeyRefused: no challenge was waiting, or the answer does not check out.
    """
    challenge = request.session.pop(_REGISTERING, None)
    if not challenge:
        raise PasskeyRefused("no registration was started")
    try:
        checked = verify_registration_response(
            credential=answer, expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=_rp_id(request), expected_origin=_origin(request))
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyRefused(str(exc)) from None
    credential = bytes_to_base64url(checked.credential_id)
    with transaction.atomic():
        if Passkey.objects.filter(credential_id=credential).exists():
            raise PasskeyRefused("this passkey is registered already")
        device = Passkey.objects.create(user=user, name=(name or "passkey")[:64], confirmed=True,
                                        credential_id=credential,
                                        public_key=checked.credential_public_key,
                                        sign_count=checked.sign_count)
        store.record(actor=user.get_username(), action="decision", subject=subject_of(user),  # type: ignore[arg-type]
                     detail={"account": "passkey enrolled", "actor_id": user.pk,
                             "passkey": device.pk})
    return device


def login_options(request: HttpRequest, user: AbstractBaseUser) -> str | None:
    """Options (JSON) for ``navigator.credentials.get``, or None if ``user`` has no passkey."""
    allowed = _descriptors(user)
    if not allowed:
        return None
    options = generate_authentication_options(
        rp_id=_rp_id(request), allow_credentials=allowed,
        user_verification=UserVerificationRequirement.PREFERRED)
    request.session[_LOGGING_IN] = bytes_to_base64url(options.challenge)
    return str(options_to_json(options))


def authenticate(request: HttpRequest, user: AbstractBaseUser, answer: str) -> Passkey:
    """Check the browser's answer to :func:`login_options`; the passkey that signed it.

    Raises:
        PasskeyRefused: no challenge was waiting, an unknown passkey, or a bad answer.
    """
    challenge = request.session.pop(_LOGGING_IN, None)
    if not challenge:
        raise PasskeyRefused("no login was started")
    try:
        parsed: dict[str, Any] = json.loads(answer)
        device = Passkey.objects.get(user=user, credential_id=str(parsed["id"]))
    except (ValueError, KeyError, TypeError, Passkey.DoesNotExist):
        raise PasskeyRefused("not a passkey of this account") from None
    try:
        checked = verify_authentication_response(
            credential=answer, expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=_rp_id(request), expected_origin=_origin(request),
            credential_public_key=bytes(device.public_key),
            credential_current_sign_count=device.sign_count)
    except (WebAuthnException, ValueError, KeyError, TypeError) as exc:
        raise PasskeyRefused(str(exc)) from None
    Passkey.objects.filter(pk=device.pk).update(sign_count=checked.new_sign_count)
    return device
