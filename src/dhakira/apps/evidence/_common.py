"""What intake and processing share: the collection record, the vault's blob store, spooling
(encrypted, see :mod:`dhakira.core.vault.spool`), and a failure record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from dhakira.core.vault.blobs import BlobStore, store_for
from dhakira.core.vault.spool import EncryptedSpool


@dataclass(frozen=True)
class Collection:
    """The collection record shared by one intake run (Berkeley Protocol §3).

    ``collector`` is required and never defaulted: an audit trail never guesses who acted.
    """

    collector: str
    method: str = "file copy"
    tool: str = ""
    compartment: str = ""
    graphic: bool = False

    def __post_init__(self) -> None:
        if not self.collector or not self.collector.strip():
            raise ValueError("the collector is required: name who collected the material")


@dataclass(frozen=True)
class Failure:
    """A file (intake) or an item (processing) that failed, and why."""

    name: str
    reason: str


def blob_store() -> BlobStore:
    """The vault's blob store, opened with the unlocked data key (one per vault and unlock)."""
    return store_for(settings.VAULT_DIR)


def spool(memory_bytes: int | None = None) -> EncryptedSpool:
    """A scratch stream in memory, spilling past ``memory_bytes`` (``SPOOL_MEMORY_BYTES``,
    64 MiB) to the vault's ``tmp/``, encrypted with a key held only in memory: no plaintext
    reaches the disk."""
    limit = settings.SPOOL_MEMORY_BYTES if memory_bytes is None else memory_bytes
    return EncryptedSpool(Path(settings.VAULT_DIR) / "tmp", max(0, limit))
