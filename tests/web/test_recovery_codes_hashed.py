"""Recovery codes are kept as Argon2id hashes, never as the codes (issue 19, remaining 4).

django-otp's static tokens kept each code as typed; the codes of accounts enrolled before are
hashed by the migration and keep working.
"""

from __future__ import annotations

import importlib
import secrets
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from tests.web.test_two_step import _client, _enrol, _password, cast  # noqa: F401

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.twofactor import services
from dhakira.apps.twofactor.models import RecoveryCode, RecoveryCodes

_MIGRATION = importlib.import_module(
    "dhakira.apps.twofactor.migrations.0002_recovery_codes_hashed")


def _database_text() -> str:
    """Every text value of every table, as one string (what a reader of the tables sees)."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            out.extend(str(v) for row in cursor.fetchall() for v in row)
    return "\n".join(out)


def test_the_codes_shown_are_nowhere_in_the_database(cast: Any) -> None:  # noqa: F811
    _, codes = _enrol("rana")
    held = list(RecoveryCode.objects.values_list("digest", flat=True))
    assert len(held) == services.RECOVERY_CODES and not StaticToken.objects.exists()
    assert all(d.startswith(("md5$", "argon2$")) for d in held)  # the account-password hasher
    text = _database_text()
    assert not [c for c in codes if c in text]


def test_argon2_codes_check_with_one_hash_and_are_used_once(cast: Any, settings: Any) -> None:  # noqa: F811
    from dhakira.apps.vault.hashers import SuiteArgon2PasswordHasher

    settings.PASSWORD_HASHERS = ["dhakira.apps.vault.hashers.SuiteArgon2PasswordHasher"]
    user = cast["samir"]
    codes = services._new_recovery_codes(user)
    assert all(d.startswith("argon2$argon2id$") for d in
               RecoveryCode.objects.values_list("digest", flat=True))
    device = RecoveryCodes.objects.get(user=user)
    runs = []
    real = SuiteArgon2PasswordHasher.encode

    def counted(self: Any, password: str, salt: str) -> str:
        runs.append(1)
        return real(self, password, salt)

    SuiteArgon2PasswordHasher.encode = counted  # type: ignore[method-assign]
    try:
        assert device.verify_token(codes[-1].upper())
        assert len(runs) == 1  # one Argon2id run for the whole set
        assert not device.verify_token(codes[-1])  # used up
        assert not device.verify_token("123456")  # a TOTP-shaped code costs no hash
        assert len(runs) == 2
    finally:
        SuiteArgon2PasswordHasher.encode = real  # type: ignore[method-assign]
    assert device.codes.count() == services.RECOVERY_CODES - 1


def test_codes_kept_in_plain_by_the_old_release_are_hashed_and_keep_working(cast: Any) -> None:  # noqa: F811
    user = cast["victor"]
    # An account enrolled before: django-otp's static device, each code as typed.
    old = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(services.RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=old, token=c) for c in codes])
    _MIGRATION.hash_static_tokens(apps, None)
    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()
    assert RecoveryCodes.objects.get(user=user).codes.count() == len(codes)
    assert not [c for c in codes if c in _database_text()]
    assert services.has_second_factor(user)
    client = _client()
    _password(client, "victor")
    assert client.post(reverse("twofactor:verify"), {"token": codes[3]}).status_code == 302
    assert LedgerEntry.objects.filter(detail__account="recovery code used").count() == 1
    again = _client()
    _password(again, "victor")
    assert again.post(reverse("twofactor:verify"), {"token": codes[3]}).status_code == 400


@pytest.mark.parametrize("typed", ["", "zzzzzzzzzz", "0123456789abcdef", " - "])
def test_anything_but_a_code_matches_nothing(cast: Any, typed: str) -> None:  # noqa: F811
    services._new_recovery_codes(cast["amal"])
    assert not RecoveryCodes.objects.get(user=cast["amal"]).verify_token(typed)
