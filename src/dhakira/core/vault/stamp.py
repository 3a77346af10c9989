"""The vault's format stamp: which on-disk layout a vault is in (``vault.json``).

The stamp sits in the clear beside ``keyslots/`` so that a release can refuse a vault made
by a newer one before it asks for a passphrase or writes anything. It holds no secret:
only the format name, its version and the release that last wrote it. The dossier's schema
(Django's migration state) is checked separately, inside the unlocked database.

Versions:
    1: vaults made before the stamp (no ``vault.json``); the custody signing key was made
       lazily, by the first custody entry.
    2: the stamp; the signing key is made by ``dhakira init``.
"""

from __future__ import annotations

import json
from pathlib import Path

from dhakira.core.vault._files import write_file
from dhakira.core.vault.errors import VaultError, VaultTooNew

__all__ = ["CURRENT", "FILE", "read", "refuse_newer", "write"]

FILE = "vault.json"
FORMAT = "dhakira-vault"
CURRENT = 2
_UNSTAMPED = 1
_MAX_BYTES = 4096


def read(vault: Path) -> int:
    """The vault's format version (1 for a vault made before the stamp existed).

    Raises:
        VaultError: ``vault.json`` is damaged or is not a Dhakira stamp.
    """
    path = vault / FILE
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        return _UNSTAMPED
    except OSError as exc:
        raise VaultError(f"{path} cannot be read ({exc.strerror})", code="stamp_unreadable",
                         params={"path": str(path), "error": exc.strerror}) from None
    try:
        if len(raw) > _MAX_BYTES:
            raise ValueError("too large")
        data = json.loads(raw.decode("utf-8"))
        version = data["version"] if data.get("format") == FORMAT else None
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError, KeyError):
        version = None
    if type(version) is not int or version < 1:
        raise VaultError(f"{path} is damaged or not a Dhakira vault stamp; restore it from a backup",
                         code="stamp_damaged", params={"path": str(path)})
    return version


def refuse_newer(vault: Path) -> int:
    """The format version, after refusing a vault made by a newer release.

    Raises:
        VaultTooNew: the vault's format is newer than this release knows.
    """
    version = read(vault)
    if version > CURRENT:
        raise VaultTooNew(f"{vault} is in vault format {version}, made by a newer Dhakira "
                          f"(this one reads up to {CURRENT}); upgrade Dhakira to open it",
                          code="format_too_new",
                          params={"vault": str(vault), "format": version, "reads": CURRENT})
    return version


def write(vault: Path, *, release: str) -> None:
    """Stamp ``vault`` as current, atomically and durably."""
    body = {"format": FORMAT, "version": CURRENT, "written_by": release}
    write_file(vault / FILE, (json.dumps(body, indent=2) + "\n").encode("utf-8"))
