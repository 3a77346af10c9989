"""Enrolling, checking and resetting second factors; every change a signed custody entry.

A user's second factor is a TOTP device (RFC 6238, 30-second codes from an authenticator
app) and a set of single-use recovery codes (:class:`~dhakira.apps.twofactor.models.
RecoveryCodes`, each kept as an Argon2id hash), made together when the first TOTP code is
confirmed. Once a user has a confirmed device, every web login asks
for a code after the password. An administrator may require a second factor of a role
(its users must enrol before they may use anything else) and reset a user's devices.

The TOTP secret sits in the database: encrypted at rest on SQLCipher, as readable as the
rest of the database to whoever can read a PostgreSQL server's tables.
"""

from __future__ import annotations

import base64
import functools
import secrets

from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django_otp import device_classes, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from dhakira.apps.custody import store
from dhakira.apps.dossier import access
from dhakira.apps.dossier.accounts import subject_of
from dhakira.apps.dossier.models import Role
from dhakira.apps.twofactor.models import Passkey, RecoveryCode, RecoveryCodes, RolePolicy

__all__ = ["RECOVERY_CODES", "check", "confirm", "has_second_factor", "pending_totp",
           "required_for", "reset", "secret_text", "set_required", "standing"]

RECOVERY_CODES = 10
ISSUER = "Dhakira"


def _record(actor: AbstractBaseUser, subject: str, kind: str, **extra: object) -> None:
    store.record(actor=actor.get_username(), action="decision", subject=subject,
                 detail={"account": kind, "actor_id": actor.pk, **extra})


def has_second_factor(user: AbstractBaseUser) -> bool:
    """Whether ``user`` has a confirmed device (then every login asks for a code)."""
    return standing(user)[0]


def required_for(user: AbstractBaseUser) -> bool:
    """Whether ``user``'s role must log in with a second factor (an external reviewer's always)."""
    profile = access.profile_of(user)
    if profile is None:
        return False
    return profile.role == Role.REVIEWER or RolePolicy.objects.filter(role=profile.role).exists()


def standing(user: AbstractBaseUser) -> tuple[bool, bool]:
    """Whether ``user`` has a confirmed device, and whether their role must have one.

    Asked on every request of a session that gave no code (the middleware), so it is one
    query, written once per process, over every kind of device and the role's policy:
    django-otp's ``devices_for_user`` asks once per kind, and building that union through
    the ORM on each request cost more than the rest of a small page's queries.
    """
    if user.is_anonymous:
        return False, False
    profile = access.profile_of(user)
    role = profile.role if profile is not None else None
    sql, kinds = _standing_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*[user.pk, True] * kinds, role])
        found = {kind for (kind,) in cursor.fetchall()}
    return "device" in found, role == Role.REVIEWER or "policy" in found


@functools.cache
def _standing_sql(vendor: str) -> tuple[str, int]:
    """The query of :func:`standing` and how many kinds of device it asks about: a row
    ``device`` per kind the user has confirmed (at most one each) and ``policy`` if the role
    requires a second factor. Names come from the models (``vendor`` keys the quoting)."""
    quote = connection.ops.quote_name

    def first(kind: str, table: str, where: str) -> str:
        # A LIMIT inside a UNION member needs a sub-select of its own on SQLite.
        return (f"SELECT kind FROM (SELECT '{kind}' AS kind FROM {quote(table)} "
                f"WHERE {where} LIMIT 1) AS found")

    parts = [first("device", model._meta.db_table,
                   f"{quote(model._meta.get_field('user').column)} = %s AND "
                   f"{quote(model._meta.get_field('confirmed').column)} = %s")
             for model in device_classes()]
    kinds = len(parts)
    parts.append(first("policy", RolePolicy._meta.db_table,
                       f"{quote(RolePolicy._meta.get_field('role').column)} = %s"))
    return " UNION ALL ".join(parts), kinds


def pending_totp(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed TOTP device ``user`` is enrolling (made on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def config_url(device: TOTPDevice) -> str:
    """The ``otpauth://`` address the QR code holds (issuer Dhakira, no user name in it)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    # The label is the issuer only: a seized phone's authenticator list names no account.
    return f"otpauth://totp/{ISSUER}?secret={secret}&issuer={ISSUER}&digits={device.digits}"


def confirm(user: AbstractBaseUser, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending TOTP device with a code from it; make the recovery codes.

    Returns:
        The device and the new recovery codes (shown once), or None for a wrong code.
    """
    device = pending_totp(user)
    if not device.verify_token(_digits(token)):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save()
        codes = _new_recovery_codes(user)
        _record(user, subject_of(user), "second factor enrolled")  # type: ignore[arg-type]
    return device, codes


def hash_codes(codes: list[str]) -> list[str]:
    """Each code's hash under the account-password hasher, one salt for the set."""
    hasher = get_hasher("default")
    salt = hasher.salt()
    return [hasher.encode(code, salt) for code in codes]


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()  # codes kept in plain by an older release
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name="recovery", confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]  # 40 bits each, single use
    RecoveryCode.objects.bulk_create([RecoveryCode(device=device, digest=d)
                                      for d in hash_codes(codes)])
    return codes


def check(user: AbstractBaseUser, token: str) -> Device | None:
    """The confirmed device that accepts ``token`` (a TOTP or an unused recovery code), or None.

    A recovery code is used up, and its use recorded.
    """
    token = token.strip().replace(" ", "").lower()
    device = match_token(user, token)
    if isinstance(device, RecoveryCodes):
        _record(user, subject_of(user), "recovery code used",  # type: ignore[arg-type]
                left=device.codes.count())
    return device


def wait_seconds(user: AbstractBaseUser) -> int:
    """How long the user's authenticator must wait before a code is checked again (each wrong
    code doubles it: 1, 2, 4 … s); 0 when it may be checked now. A code sent sooner is not
    checked at all, right or wrong, and must not be called wrong."""
    from django.utils import timezone

    longest = 0.0
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            longest = max(longest, (data["locked_until"] - timezone.now()).total_seconds())
    return max(0, int(longest + 0.999))


def reset(user: AbstractBaseUser, *, actor: AbstractBaseUser) -> int:
    """Remove every second-factor device of ``user`` (a lost phone); how many there were."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, RecoveryCodes, Passkey, StaticDevice):
            removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
        _record(actor, subject_of(user), "second factor reset", devices=removed)
    return removed


def set_required(role: str, required: bool, *, actor: AbstractBaseUser) -> bool:
    """Require (or stop requiring) a second factor of ``role``; whether anything changed."""
    if role == Role.REVIEWER:
        raise ValueError("an external reviewer always logs in with a second factor")
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    with transaction.atomic():
        if required:
            changed = RolePolicy.objects.get_or_create(role=role)[1]
        else:
            changed = RolePolicy.objects.filter(role=role).delete()[0] > 0
        if changed:
            _record(actor, f"role:{role}", "second factor required" if required
                    else "second factor optional")
    return changed


def _digits(token: str) -> str:
    return "".join(ch for ch in token if not ch.isspace())
