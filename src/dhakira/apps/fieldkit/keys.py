"""This vault's keys for sync: its signing key (device key) and the age identity derived
from it, and the public card another vault enrols (a kit at the office, the office on a kit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from dhakira.core.custody import Signer, key_id_for
from dhakira.core.sync.agekey import IDENTITY_INFO, identity_from_seed, recipient_of
from dhakira.core.sync.errors import SyncError
from dhakira.core.vault import signing

__all__ = ["Card", "card", "identity", "read_card", "signer"]

CARD_FORMAT = "dhakira-device/1"


@dataclass(frozen=True)
class Card:
    """The public half of a vault: its key id, Ed25519 key and age recipient."""

    key_id: str
    public_key: bytes
    recipient: str

    def to_json(self) -> str:
        return json.dumps({"format": CARD_FORMAT, "key_id": self.key_id,
                           "public_key": self.public_key.hex(), "recipient": self.recipient},
                          indent=2) + "\n"


def signer() -> Signer:
    """This vault's signer (its device key)."""
    from dhakira.apps.custody import store

    return store.signer()


def identity() -> str:
    """This vault's age identity, derived from its signing key (never stored)."""
    return identity_from_seed(signing.derived_unlocked(settings.VAULT_DIR, IDENTITY_INFO))


def card() -> Card:
    """This vault's public card."""
    s = signer()
    return Card(s.key_id, s.public_key_bytes(), recipient_of(identity()))


def read_card(path: Path) -> Card:
    """Read and check a card written by `dhakira device export`.

    Raises:
        SyncError: the file is not a card, or its key id does not match its key.
    """
    import pyrage

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != CARD_FORMAT:
            raise ValueError("format")
        public = bytes.fromhex(doc["public_key"])
        made = Card(str(doc["key_id"]), public, str(doc["recipient"]))
        if key_id_for(public) != made.key_id:
            raise ValueError("key id")
        pyrage.x25519.Recipient.from_str(made.recipient)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, pyrage.RecipientError) as exc:
        raise SyncError(f"{path} is not a device card written by `dhakira device export` "
                        f"({type(exc).__name__})", code="not_a_card",
                        params={"path": str(path)}) from None
    return made
