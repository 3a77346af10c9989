"""Accounts: creating and changing users, each change a signed custody entry.

Every change (create, password, role, clearances, rename, deactivate, reactivate) names the
account by its immutable id (``user:17``), never by its user name, and the acting user is a
required argument: an audit trail never guesses who acted. Passwords go through Django's
validators (``AUTH_PASSWORD_VALIDATORS``) on every path, the CLI included.

An account that was created, or whose password, role, clearances or name were changed by
someone else, is *unsettled* for ``ACCOUNT_SETTLING_HOURS``: it cannot be the second person
of a two-person rule (see :func:`require_settled`), so one administrator cannot make or take
over an approver and approve their own request at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.errors import AccountRefused, NotAuthenticated
from dhakira.apps.dossier.models import Profile, Role

__all__ = ["authenticate", "change", "check_new_password", "create_user", "require_administrator", "require_settled",
           "set_password", "subject_of"]

# What makes an account unsettled when someone other than its owner does it.
_UNSETTLING = frozenset({"created", "password", "role", "clearances", "renamed", "reactivated"})


def subject_of(user: AbstractBaseUser) -> str:
    """The custody subject of an account: its immutable id, never its user name."""
    return f"user:{user.pk}"


def _actor_name(actor: AbstractBaseUser | str) -> str:
    return actor if isinstance(actor, str) else actor.get_username()


def _record(actor: AbstractBaseUser | str, user: AbstractBaseUser, kind: str,
            now: datetime | None, **extra: Any) -> None:
    detail: dict[str, Any] = {"account": kind, **extra}
    if not isinstance(actor, str):
        detail["actor_id"] = actor.pk  # user names can be changed; the id cannot
    store.record(actor=_actor_name(actor), action="decision", subject=subject_of(user),
                 detail=detail, now=now)


def check_new_password(password: str, username: str) -> None:
    """Raise :class:`AccountRefused` if ``password`` fails the validators for ``username``.

    Touches no database: ``dhakira init`` calls it before the vault exists.
    """
    _validated(password, get_user_model()(username=username))


def _validated(password: str, user: AbstractBaseUser) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountRefused("; ".join(exc.messages)) from None


def authenticate(username: str, password: str) -> AbstractBaseUser:
    """The active user ``username`` if ``password`` is theirs.

    Raises:
        NotAuthenticated: wrong user name or password, or a deactivated account.
    """
    user = django_authenticate(username=username, password=password)
    if user is None:
        raise NotAuthenticated(f"wrong user name or password for {username!r}")
    return user


def require_administrator(user: AbstractBaseUser) -> None:
    """Raise :class:`AccountRefused` unless ``user`` has the administrator role."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None or profile.role != Role.ADMINISTRATOR:
        raise AccountRefused(f"{user.get_username()} is not an administrator; only an "
                             "administrator may add or change accounts")


def create_user(username: str, password: str, *, role: str, actor: AbstractBaseUser | str,
                clearances: list[str] | None = None, superuser: bool = False,
                now: datetime | None = None) -> AbstractUser:
    """Create a user and their profile and record it; invalid input writes nothing.

    Args:
        actor: who creates the account (a user, or ``keyslot:<label>`` at ``dhakira init``).

    Raises:
        AccountRefused: the password fails the validators.
        ValidationError: the user name, role or clearances are invalid.
    """
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(username=username, is_staff=superuser, is_superuser=superuser)
        _validated(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
        profile = Profile(user=user, role=role, clearances=list(clearances or []))
        profile.full_clean()
        profile.save()
        _record(actor, user, "created", now, role=role,
                clearances=",".join(sorted(profile.clearances)))
    return user  # type: ignore[return-value]


def set_password(user: AbstractBaseUser, password: str, *, actor: AbstractBaseUser,
                 now: datetime | None = None) -> None:
    """Give ``user`` a new password (their own, or reset by an administrator) and record it.

    Raises:
        AccountRefused: the password fails the validators.
    """
    _validated(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        _record(actor, user, "password", now, by_owner=actor.pk == user.pk)


def change(user: AbstractBaseUser, *, actor: AbstractBaseUser, role: str | None = None,
           clearances: list[str] | None = None, username: str | None = None,
           active: bool | None = None, now: datetime | None = None) -> list[str]:
    """Change an account's role, clearances, name or activity; one custody entry per change.

    Returns:
        The kinds of change made (empty when nothing differed).

    Raises:
        ValidationError: an invalid role, clearance or user name (nothing is written).
    """
    profile = Profile.objects.get(user=user)
    made: list[tuple[str, dict[str, Any]]] = []
    if role is not None and role != profile.role:
        profile.role = role
        made.append(("role", {"role": role}))
    if clearances is not None and sorted(clearances) != sorted(profile.clearances):
        profile.clearances = sorted(clearances)
        made.append(("clearances", {"clearances": ",".join(sorted(clearances))}))
    if username is not None and username != user.get_username():
        setattr(user, get_user_model().USERNAME_FIELD, username)
        made.append(("renamed", {}))
    if active is not None and active != user.is_active:
        user.is_active = active
        made.append(("reactivated" if active else "deactivated", {}))
    with transaction.atomic():
        profile.full_clean()
        user.full_clean()  # type: ignore[attr-defined]
        profile.save()
        user.save()
        for kind, extra in made:
            _record(actor, user, kind, now, **extra)
    return [kind for kind, _extra in made]


def people() -> Any:
    """The accounts of people, the ones a form may offer (an assignee, an owner): active, and
    able to log in. A system account (the demo generator's, which writes the synthetic dossier)
    has no usable password and is never offered."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    return (get_user_model().objects.filter(is_active=True)
            .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX).exclude(password=""))


def settling_period() -> timedelta:
    return timedelta(hours=settings.ACCOUNT_SETTLING_HOURS)


def require_settled(user: AbstractBaseUser, *, now: datetime | None = None) -> None:
    """Refuse ``user`` as a second person while their account is unsettled.

    Unsettled: within ``ACCOUNT_SETTLING_HOURS``, someone other than the user created the
    account or changed its password, role, clearances, name or activity (read from the
    signed custody ledger, so a change through the database behind the app's back leaves the
    ledger and the account disagreeing, which ``dhakira verify`` does not see: see
    docs/security.md).

    Raises:
        AccountRefused: the account is unsettled.
    """
    at = now or datetime.now(UTC)
    since = (at - settling_period()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for row in LedgerEntry.objects.filter(subject=subject_of(user), action="decision",
                                          timestamp__gt=since):
        kind = row.detail.get("account")
        if kind in _UNSETTLING and row.detail.get("actor_id") != user.pk:
            raise AccountRefused(
                f"{user.get_username()}'s account was {_phrase(kind)} by someone else less than "
                f"{settings.ACCOUNT_SETTLING_HOURS} hours ago; it cannot approve yet")


def _phrase(kind: str) -> str:
    return {"created": "created", "password": "given a new password", "role": "given a new role",
            "clearances": "given new clearances", "renamed": "renamed",
            "reactivated": "reactivated"}[kind]
