"""Finding 06 and 10: accounts change only through `accounts`, each change a signed custody
entry naming the account's id; passwords meet the validators; the Django admin is gone."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from tests.cast import PASSWORD

from dhakira.apps.custody import store
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier import accounts
from dhakira.apps.dossier.errors import AccountRefused, NotAuthenticated
from dhakira.apps.dossier.models import Profile
from dhakira.core.custody import verify_chain


def test_finding_06_the_django_admin_is_gone(cast: dict[str, Any]) -> None:
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    client = Client()
    client.force_login(cast["amal"])  # a superuser, as `dhakira init` makes the first one
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/auth/user/").status_code == 404


def test_finding_06_every_account_change_is_a_signed_entry_naming_the_id(
        cast: dict[str, Any]) -> None:
    amal, rana = cast["amal"], cast["rana"]
    accounts.set_password(rana, "a brand new password", actor=amal)
    made = accounts.change(rana, actor=amal, role="analyst", clearances=["sogi"],
                           username="rana2", active=False)
    assert made == ["role", "clearances", "renamed", "deactivated"]
    rows = LedgerEntry.objects.filter(subject=f"user:{rana.pk}").order_by("seq")
    assert [r.detail["account"] for r in rows] == ["created", "password", "role", "clearances",
                                                   "renamed", "deactivated"]
    assert all(r.detail.get("actor_id") == amal.pk for r in rows[1:])
    assert not any("rana" in r.subject for r in LedgerEntry.objects.all())
    assert verify_chain(list(store.entries()), store.public_keys()).ok
    profile = Profile.objects.get(user=rana)
    assert (profile.role, profile.clearances) == ("analyst", ["sogi"])
    with pytest.raises(NotAuthenticated):  # deactivated
        accounts.authenticate("rana2", "a brand new password")


def test_an_invalid_change_writes_nothing(cast: dict[str, Any]) -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationError):  # a viewer cannot be cleared
        accounts.change(cast["victor"], actor=cast["amal"], clearances=["sources"])
    assert LedgerEntry.objects.count() == before
    assert Profile.objects.get(user=cast["victor"]).clearances == []


@pytest.mark.parametrize("password", ["1234", "1234567890123", "password123", "short pw"])
def test_finding_10_weak_passwords_are_refused_on_every_path(cast: dict[str, Any],
                                                             password: str) -> None:
    with pytest.raises(AccountRefused):
        accounts.create_user("weak", password, role="viewer", actor=cast["amal"])
    assert not get_user_model().objects.filter(username="weak").exists()
    with pytest.raises(AccountRefused):
        accounts.set_password(cast["rana"], password, actor=cast["rana"])
    assert accounts.authenticate("rana", PASSWORD)


def test_the_settling_period_blocks_a_fresh_account(cast: dict[str, Any], settings: Any) -> None:
    settings.ACCOUNT_SETTLING_HOURS = 24
    with pytest.raises(AccountRefused, match="created by someone else"):
        accounts.require_settled(cast["rana"])
    settings.ACCOUNT_SETTLING_HOURS = 0
    accounts.require_settled(cast["rana"])
