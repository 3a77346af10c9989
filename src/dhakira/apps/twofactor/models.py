"""Which roles must log in with a second factor (the devices themselves are django-otp's)."""

from __future__ import annotations

from django.db import models

from dhakira.apps.dossier.models import Role


class RolePolicy(models.Model):
    """A role whose users must enrol a second factor before they may use the app."""

    role = models.CharField(max_length=20, choices=Role.choices, unique=True)

    def __str__(self) -> str:
        return self.role
