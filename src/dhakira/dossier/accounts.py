"""Creating users with a role and clearances."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from dhakira.dossier.models import Profile


def create_user(username: str, password: str, *, role: str, clearances: list[str] | None = None,
                superuser: bool = False) -> AbstractUser:
    """Create a user and their profile in one transaction; invalid input writes nothing."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model(username=username, is_staff=superuser, is_superuser=superuser)
        user.set_password(password)
        user.full_clean()
        user.save()
        profile = Profile(user=user, role=role, clearances=list(clearances or []))
        profile.full_clean()
        profile.save()
    return user  # type: ignore[return-value]
