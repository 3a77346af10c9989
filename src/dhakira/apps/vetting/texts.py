"""Keyed marks of vetting reasons and comments: what custody and packages carry instead of
the words.

A vetting reason or a comment stays in the vault; custody entries and ``vetting.json`` carry
only a mark of it. An unkeyed SHA-256 of a short text ("confirmed by her brother") can be
found by hashing guesses, so the mark is an HMAC-SHA256 under a sub-key of the vault's data
key (``dhakira.core.vault.keys.VETTING_TEXT``; the key never leaves ``core/vault``). The
entries name the scheme (:data:`SCHEME`) beside the mark. Entries written before this carry
``reason_sha256`` / ``text_sha256`` and stay as they are: custody is append-only.

What it allows: whoever holds the unlocked vault can check that a given text is the one an
entry marks (:func:`matches`). What it does not: a recipient of a package, or anyone holding
custody without the vault's key, cannot check a text against a mark, or learn anything of
the text from it; they can check that the entry is signed and unaltered, as for every entry.
"""

from __future__ import annotations

import hmac

from dhakira.core.vault import keys

__all__ = ["SCHEME", "mark", "matches"]

#: How the marks are made, named in every entry that carries one.
SCHEME = "hmac-sha256:" + keys.VETTING_TEXT.decode()


def mark(text: str) -> str:
    """The keyed mark (hex) of a reason's or a comment's words, as stored (stripped).

    Raises:
        VaultLocked: the vault is locked.
    """
    return keys.mac(keys.VETTING_TEXT, text.strip().encode("utf-8")).hex()


def matches(text: str, mark_hex: str) -> bool:
    """Whether ``text`` is the text ``mark_hex`` was made from (in constant time)."""
    return hmac.compare_digest(mark(text), mark_hex.strip().lower())
