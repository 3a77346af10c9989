"""Account passwords at the test suite's Argon2id cost (see docs/security.md).

Django's Argon2 hasher costs about 100 MiB and two passes per password; the suite makes and
checks hundreds. This hasher is put first in ``PASSWORD_HASHERS`` only while
:func:`dhakira.core.vault.keyslots.fast_argon2_allowed` holds. Outside the suite, the standard
hasher verifies such a hash (the cost is written in it) and rehashes it at full cost at the
next log-in, as Django does whenever the cost changed.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher

from dhakira.core.vault.keyslots import _FAST_COST


class SuiteArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the suite's cost; the same algorithm name, so hashes stay readable."""

    memory_cost, time_cost, parallelism = _FAST_COST
