"""What every request pays before its view: the profile read once, one query for devices.

Under 50 users the office server is bound by one process's CPU (docs/server.md, "Load"), and
each query through SQLCipher costs about a millisecond of it; a page asked for the user's
profile up to eight times and for each kind of second-factor device separately.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from tests.cast import client_for, make_cast

from dhakira.apps.dossier import access
from dhakira.apps.dossier.models import Profile
from dhakira.apps.twofactor import services
from dhakira.apps.twofactor.models import Passkey, RecoveryCodes

pytestmark = pytest.mark.django_db


def _profile_reads(sql: list[dict[str, str]]) -> int:
    return sum('FROM "dossier_profile"' in q["sql"] for q in sql)


def test_a_page_reads_the_users_profile_once() -> None:
    make_cast()
    client = client_for("rana")
    for url in ("/", "/reports/", "/people/", "/events/"):
        client.get(url)
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        assert _profile_reads(seen.captured_queries) == 1, url
        devices = [q for q in seen.captured_queries if any(f'FROM "{table}"' in q["sql"] for table in (
            "otp_totp_totpdevice", "otp_static_staticdevice", "twofactor_passkey",
            "twofactor_recoverycodes"))]
        assert len(devices) == 1, url  # every kind of device in one query
        policy = [q for q in seen.captured_queries if 'FROM "twofactor_rolepolicy"' in q["sql"]]
        assert policy == devices, url  # and the role's policy in the same one


def test_outside_a_request_every_ask_reads_the_database() -> None:
    cast = make_cast()
    rana = cast["rana"]
    assert access.profile_of(rana).role == "documenter"
    Profile.objects.filter(user=rana).update(role="viewer")  # no signal: nothing remembered
    assert access.profile_of(rana).role == "viewer"


def test_a_role_changed_during_a_request_is_seen_at_once() -> None:
    cast = make_cast()
    rana = cast["rana"]
    with access.profiles_remembered():
        assert access.can_write(rana)
        with CaptureQueriesContext(connection) as seen:
            assert access.can_write(rana) and access.is_member(rana)
        assert _profile_reads(seen.captured_queries) == 0
        profile = Profile.objects.get(user=rana)
        profile.role = "viewer"
        profile.save()
        assert not access.can_write(rana)
        profile.delete()
        assert not access.is_member(rana)


@pytest.mark.parametrize("kind", ["static", "recovery", "passkey"])
def test_any_kind_of_confirmed_device_counts_as_a_second_factor(kind: str) -> None:
    rana = make_cast()["rana"]
    assert not services.has_second_factor(rana)
    if kind == "static":
        StaticDevice.objects.create(user=rana, name="codes", confirmed=False)
        assert not services.has_second_factor(rana)  # unconfirmed devices do not count
        StaticDevice.objects.filter(user=rana).update(confirmed=True)
    elif kind == "recovery":
        RecoveryCodes.objects.create(user=rana, name="recovery", confirmed=True)
    else:
        Passkey.objects.create(user=rana, name="key", confirmed=True, credential_id="AQEBAQ",
                               public_key=b"\x02" * 32)
    assert services.has_second_factor(rana)
    services.pending_totp(rana)  # an unconfirmed app device beside it changes nothing
    assert services.has_second_factor(rana)


def test_the_one_query_says_who_must_enrol_and_who_must_give_a_code() -> None:
    """``standing``, the middleware's one query, agrees with the two questions it joins."""
    cast = make_cast()
    rana, amal = cast["rana"], cast["amal"]
    assert services.standing(rana) == (False, False)
    services.set_required("documenter", True, actor=amal)
    assert services.standing(rana) == (False, True) and services.required_for(rana)
    assert services.standing(amal) == (False, False)
    assert client_for("rana").get("/reports/").url == reverse("twofactor:setup")
    RecoveryCodes.objects.create(user=rana, name="recovery", confirmed=True)
    assert services.standing(rana) == (True, True) and services.has_second_factor(rana)
    Profile.objects.filter(user=rana).update(role="reviewer")  # an external reviewer's always
    services.set_required("documenter", False, actor=amal)
    assert services.standing(rana) == (True, True)
