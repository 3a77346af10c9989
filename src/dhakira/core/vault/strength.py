"""The minimum strength of a vault passphrase (pure: no Django, no I/O).

A vault passphrase guards the data key of a laptop that may be seized, and Argon2 only slows
guessing down: a short or repetitive passphrase is still found. The rule is kept simple so it
can be stated in one line to the person choosing one: at least ``MIN_LENGTH`` characters, of
which at least ``MIN_DISTINCT`` different, and not one of a few well-known phrases.
"""

from __future__ import annotations

from dhakira.core.vault.errors import WeakPassphrase

__all__ = ["MIN_DISTINCT", "MIN_LENGTH", "check_passphrase"]

MIN_LENGTH = 12
MIN_DISTINCT = 6
# Phrases every guessing list starts with; compared without spaces, dashes or case.
_KNOWN = frozenset({"correcthorsebatterystaple", "passwordpassword", "qwertyuiopasdf",
                    "123456789012", "iloveyouiloveyou", "letmeinletmein"})


def check_passphrase(passphrase: str) -> None:
    """Return None for a passphrase strong enough to guard a vault, else raise.

    Raises:
        WeakPassphrase: shorter than ``MIN_LENGTH``, fewer than ``MIN_DISTINCT`` different
            characters, or a well-known phrase; the message says what to choose instead.
    """
    if len(passphrase) < MIN_LENGTH:
        raise WeakPassphrase(f"the passphrase is too short: use at least {MIN_LENGTH} characters, "
                             "for example four or five unrelated words", code="passphrase_too_short",
                             params={"least": MIN_LENGTH})
    if len(set(passphrase)) < MIN_DISTINCT:
        raise WeakPassphrase(f"the passphrase repeats itself: use at least {MIN_DISTINCT} "
                             "different characters, for example four or five unrelated words",
                             code="passphrase_repeats", params={"least": MIN_DISTINCT})
    squeezed = "".join(ch for ch in passphrase.casefold() if ch.isalnum())
    if squeezed in _KNOWN or squeezed.startswith("correcthorsebatterystaple"):
        raise WeakPassphrase("the passphrase is a well-known example; choose your own words",
                             code="passphrase_well_known")
