"""Which roles must log in with a second factor (the devices themselves are django-otp's)."""

from __future__ import annotations

from django.db import models

from dhakira.apps.dossier.models import Role

# Staff roles only: an external reviewer always needs a second factor (services.required_for),
# so their role has no policy row to turn it off.
POLICY_ROLES = [(value, name) for value, name in Role.choices if value != Role.REVIEWER]


class RolePolicy(models.Model):
    """A role whose users must enrol a second factor before they may use the app."""

    role = models.CharField(max_length=20, choices=POLICY_ROLES, unique=True)

    def __str__(self) -> str:
        return self.role
