"""Which roles must log in with a second factor, and the users' recovery codes (hashed).

TOTP devices are django-otp's own. Recovery codes are not django-otp's static tokens, which
keep each code as it is in the database (a PostgreSQL server's tables are readable to its
administrators, and a backup of the database is a list of working codes): here each code is
kept only as an Argon2id hash (Django's password hasher, the cost of account passwords).
"""

from __future__ import annotations

import copy
import re

from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher
from django.db import models, transaction
from django.utils.crypto import constant_time_compare
from django_otp.models import Device

from dhakira.apps.dossier.models import Role

CODE = re.compile(r"[0-9a-f]{10}")  # what a recovery code looks like (40 bits, hex)

# Staff roles only: an external reviewer always needs a second factor (services.required_for),
# so their role has no policy row to turn it off.
POLICY_ROLES = [(value, name) for value, name in Role.choices if value != Role.REVIEWER]


class RolePolicy(models.Model):
    """A role whose users must enrol a second factor before they may use the app."""

    role = models.CharField(max_length=20, choices=POLICY_ROLES, unique=True)

    def __str__(self) -> str:
        return self.role


def normalise(token: str) -> str:
    """A typed recovery code as stored: no spaces or dashes, lower case."""
    return "".join(ch for ch in token if ch not in " -\t").lower()


def _expected(digest: str, token: str) -> str | None:
    """``token`` hashed as ``digest`` was (same hasher, cost and salt), or None when the
    hasher cannot be re-run that way (then :func:`check_digest` falls back to ``verify``)."""
    hasher = identify_hasher(digest)
    if not isinstance(hasher, Argon2PasswordHasher):
        return None
    decoded = hasher.decode(digest)
    again = copy.copy(hasher)  # the cost written in the digest, whatever today's setting
    again.memory_cost = decoded["memory_cost"]
    again.time_cost = decoded["time_cost"]
    again.parallelism = decoded["parallelism"]
    return again.encode(token, decoded["salt"])


class RecoveryCodes(Device):
    """A user's single-use recovery codes; each code's Argon2id hash, never the code.

    The codes of one set share one salt, so checking a typed code costs one Argon2id run
    whatever the number of codes left (a wrong TOTP code costs none: it does not look like a
    recovery code). Ten codes of 40 random bits under one salt: finding one from the hashes
    still takes about 10^11 Argon2id runs of 100 MiB each.
    """

    class Meta:
        verbose_name = "recovery codes"

    def verify_token(self, token: str) -> bool:
        """Use up the code ``token`` if it is one of this set's; whether it was."""
        token = normalise(str(token))
        if not CODE.fullmatch(token):
            return False
        computed: dict[str, str | None] = {}
        with transaction.atomic():
            for code in RecoveryCode.objects.select_for_update().filter(device=self):
                prefix = code.digest.rsplit("$", 1)[0]  # hasher, cost and salt
                if prefix not in computed:
                    computed[prefix] = _expected(code.digest, token)
                expected = computed[prefix]
                if expected is None:
                    matched = identify_hasher(code.digest).verify(token, code.digest)
                else:
                    matched = constant_time_compare(expected, code.digest)
                if matched:
                    code.delete()
                    return True
        return False


class RecoveryCode(models.Model):
    """One unused recovery code, as its hash; deleted when used."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=256)


class Passkey(Device):
    """A passkey (WebAuthn credential) a user registered as their second factor.

    Only its public half is kept: the credential id, the COSE public key and the signature
    counter. It is checked by :mod:`dhakira.apps.twofactor.passkeys`, never by a typed token.
    """

    credential_id = models.CharField(max_length=1400, unique=True)  # base64url
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "passkey"

    def verify_token(self, token: str) -> bool:
        """A passkey answers a challenge in the browser; no typed code matches it."""
        return False
