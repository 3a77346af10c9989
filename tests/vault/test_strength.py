"""The minimum strength of a vault passphrase (finding 10)."""

from __future__ import annotations

import pytest

from dhakira.core.vault.errors import WeakPassphrase
from dhakira.core.vault.strength import MIN_LENGTH, check_passphrase


@pytest.mark.parametrize("weak", ["a", "a" * (MIN_LENGTH - 1), "aaaaaaaaaaaaaaaaaaaa",
                                  "abababababababab", "correct horse battery staple",
                                  "Correct-Horse-Battery-Staple!", "password password"])
def test_finding_10_weak_vault_passphrases_are_refused(weak: str) -> None:
    with pytest.raises(WeakPassphrase):
        check_passphrase(weak)


@pytest.mark.parametrize("strong", ["a long vault passphrase", "عبارة مرور طويلة للخزنة",
                                    "olive tractor lantern pebble"])
def test_long_varied_passphrases_pass(strong: str) -> None:
    check_passphrase(strong)
