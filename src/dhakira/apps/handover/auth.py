"""Who may build a package, and who may approve a consent override.

The acting user is always named and proves who they are; an override of the consent gate
needs a second person, authenticated separately, with the administrator or legal role, who is
not the acting user. Nothing here guesses an actor.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from dhakira.apps.dossier import access, accounts
from dhakira.apps.dossier.errors import AccountRefused, NotAuthenticated
from dhakira.apps.handover.errors import NotAuthorised

APPROVER_ROLES = access.APPROVERS


def _login(username: str, password: str) -> AbstractBaseUser:
    try:
        return accounts.authenticate(username, password)
    except NotAuthenticated as exc:
        raise NotAuthorised(str(exc)) from None


def actor(username: str, password: str) -> AbstractBaseUser:
    """Authenticate the user building a package; viewers may not.

    Raises:
        NotAuthorised: wrong password, no profile, or a read-only role.
    """
    user = _login(username, password)
    if not access.can_write(user):
        raise NotAuthorised(f"{username} may not build packages (a viewer or no role)")
    return user


def approver(acting: AbstractBaseUser, username: str, password: str) -> AbstractBaseUser:
    """Authenticate the second person who approves a consent override.

    Raises:
        NotAuthorised: the same person as the acting user, a wrong password, a role
            other than administrator or legal, or an account created or changed by someone
            else within ``ACCOUNT_SETTLING_HOURS``.
    """
    if username == acting.get_username():
        raise NotAuthorised("an override needs a second person: the approver cannot be the "
                            "acting user")
    user = _login(username, password)
    if not access.has_role(user, APPROVER_ROLES):
        raise NotAuthorised(f"{username} cannot approve an override; an administrator or a "
                            "legal officer must")
    if user.pk == acting.pk:
        raise NotAuthorised("an override needs a second person, not the acting user")
    try:
        accounts.require_settled(user)
    except AccountRefused as exc:
        raise NotAuthorised(str(exc)) from None
    return user
