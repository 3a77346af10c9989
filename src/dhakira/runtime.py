"""Opening a vault in this process: unlock the data key, then start Django on it.

The CLI and the test suite both come through here, so that there is one way to go from a
vault directory and a passphrase to a working dossier.
"""

from __future__ import annotations

import os
from pathlib import Path

from dhakira.vault import keyslots, session
from dhakira.vault.errors import VaultNotFound


def configure(vault: Path) -> None:
    """Point Django at ``vault`` and set it up (idempotent within a process)."""
    # Everything this process writes (database, blobs, keys) is for its owner's eyes only.
    os.umask(0o077)
    os.environ["DHAKIRA_VAULT"] = str(vault.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def open_vault(vault: Path, passphrase: str) -> None:
    """Unlock ``vault`` with ``passphrase``, hold the key (in the key page only), and set up Django.

    Raises:
        VaultNotFound: ``vault`` is not a vault.
        WrongPassphrase: no key slot opens (nothing has been written).
    """
    if not vault.is_dir():
        raise VaultNotFound(f"{vault} does not exist; create it with `dhakira init --vault {vault}`")
    session.set_key(keyslots.unlock(vault, passphrase), consume=True)
    configure(vault)


def migrate(*, verbosity: int = 0) -> None:
    """Bring the dossier's schema up to date."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
