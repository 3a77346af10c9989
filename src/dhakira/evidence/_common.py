"""What intake and processing share: the collection record, the vault's blob store, spooling
(encrypted, see :mod:`dhakira.vault.spool`), and a failure record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from dhakira.vault import session
from dhakira.vault.blobs import BlobStore
from dhakira.vault.spool import EncryptedSpool


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


_STORES: dict[tuple[str, bytes], BlobStore] = {}


def blob_store() -> BlobStore:
    """The vault's blob store, opened with the unlocked data key (one per vault and key)."""
    handle = (str(settings.VAULT_DIR), session.get_key())
    store_ = _STORES.get(handle)
    if store_ is None:
        session.on_lock(_STORES.clear)  # the store holds the key: forget it on lock
        store_ = _STORES[handle] = BlobStore(Path(settings.VAULT_DIR), handle[1])
    return store_


def spool(memory_bytes: int | None = None) -> EncryptedSpool:
    """A scratch stream in memory, spilling past ``memory_bytes`` (``SPOOL_MEMORY_BYTES``,
    64 MiB) to the vault's ``tmp/``, encrypted with a key held only in memory: no plaintext
    reaches the disk."""
    limit = settings.SPOOL_MEMORY_BYTES if memory_bytes is None else memory_bytes
    return EncryptedSpool(Path(settings.VAULT_DIR) / "tmp", max(0, limit))
