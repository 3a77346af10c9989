"""Opening a vault in this process: unlock the data key, then start Django on it.

The CLI and the test suite both come through here, so that there is one way to go from a
vault directory and a passphrase to a working dossier. Nothing here migrates on its own: a
vault made by an earlier release is refused until ``dhakira migrate`` (:func:`upgrade`) has
brought it up to date, and one made by a newer release is refused outright.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dhakira.apps.vault import rekey
from dhakira.core.vault import keyslots, session, signing, stamp
from dhakira.core.vault.errors import (
    SigningKeyMissing,
    VaultNeedsMigration,
    VaultNotFound,
    VaultTooNew,
)

log = logging.getLogger("dhakira.vault")


def configure(vault: Path) -> None:
    """Point Django at ``vault`` and set it up (idempotent within a process)."""
    # Everything this process writes (database, blobs, keys) is for its owner's eyes only.
    os.umask(0o077)
    os.environ["DHAKIRA_VAULT"] = str(vault.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira.apps.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def open_vault(vault: Path, passphrase: str, *, migrating: bool = False) -> str:
    """Unlock ``vault`` with ``passphrase``, hold the key (in the key page only), and set up Django;
    return the label of the key slot that opened it.

    Args:
        migrating: open a vault that needs ``dhakira migrate`` (only that command does).

    Raises:
        VaultNotFound: ``vault`` is not a vault.
        VaultTooNew: a newer release made the vault (checked before the passphrase).
        WrongPassphrase: no key slot opens (nothing has been written).
        VaultNeedsMigration: an earlier release made the vault, and not ``migrating``.
    """
    return _open(vault, passphrase, migrating=migrating)


def _open(vault: Path, passphrase: str, *, migrating: bool) -> str:
    """Open ``vault`` as :func:`open_vault` does; the label of the slot that opened it."""
    if not vault.is_dir():
        raise VaultNotFound(f"{vault} does not exist; create it with `dhakira init --vault {vault}`",
                            code="no_vault", params={"vault": str(vault)})
    stamp.refuse_newer(vault)
    if rekey.unfinished(vault):
        raise rekey.RekeyUnfinished(f"a rekey of {vault} is unfinished: run `dhakira rekey "
                                    f"--vault {vault}` again to complete it", code="rekey_unfinished",
                                    params={"vault": str(vault)})
    label, key = keyslots.unlock_slot(vault, passphrase)
    session.set_key(key, consume=True)
    configure(vault)
    if not migrating:
        _require_current(vault)
    return label


# Apps whose tables earlier releases made and this one no longer has (the Django admin).
_RETIRED_APPS = frozenset({"admin"})


def schema_state() -> tuple[list[str], list[str]]:
    """(pending, unknown): migrations this release would apply to the open dossier, and
    migrations the dossier has applied that this release does not know (a newer release's)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    pending = [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(graph.leaf_nodes())]
    # A squashed migration takes the place of those it replaces in the graph, but they are
    # still recorded as applied (by every earlier release, and by the squash itself): known.
    known = set(graph.nodes).union(*(m.replaces for m in executor.loader.replacements.values()))
    unknown = sorted(f"{app}.{name}" for app, name in executor.loader.applied_migrations
                     if (app, name) not in known and app not in _RETIRED_APPS)
    return pending, unknown


def _applied_as_on_disk() -> bool:
    """Whether the open dossier has applied exactly the migrations this release ships, told
    from the names of their files and the dossier's record, without loading them.

    Loading every migration to plan (:func:`schema_state`) was about a fifth of a command's
    start once Django is set up. True means nothing is pending and nothing unknown; False
    means only that :func:`schema_state` must decide (a squash not yet recorded, an old or a
    newer vault, a retired app's record).
    """
    import importlib.util
    import pkgutil

    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    on_disk: set[tuple[str, str]] = set()
    for config in apps.get_app_configs():
        module, _ = MigrationLoader.migrations_module(config.label)
        spec = importlib.util.find_spec(module) if module else None
        if spec is None or not spec.submodule_search_locations:
            continue  # an app without migrations is not in the plan
        on_disk.update((config.label, name) for _, name, package
                       in pkgutil.iter_modules(spec.submodule_search_locations)
                       if not package and name[0] not in "_~")  # as Django's loader reads them
    return set(MigrationRecorder(connection).applied_migrations()) == on_disk


def _require_current(vault: Path) -> None:
    if _applied_as_on_disk() and stamp.read(vault) >= stamp.CURRENT:
        return
    pending, unknown = schema_state()
    if unknown:
        changes = "change" if len(unknown) == 1 else "changes"
        raise VaultTooNew(f"{vault} was changed by a newer Dhakira ({len(unknown):,} unknown "
                          f"schema {changes}); upgrade Dhakira to open it", code="schema_too_new",
                          params={"vault": str(vault), "n": len(unknown)})
    if pending or stamp.read(vault) < stamp.CURRENT:
        raise VaultNeedsMigration(f"{vault} was made by an earlier Dhakira; back it up, then run "
                                  f"`dhakira migrate --vault {vault}`", code="needs_migration",
                                  params={"vault": str(vault)})


def migrate(*, verbosity: int = 0) -> None:
    """Create the dossier's schema (``dhakira init`` and the test set-up; never on open)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def refresh_statistics() -> None:
    """Give SQLite's query planner fresh table statistics (``PRAGMA optimize``), bounded.

    Without statistics SQLite takes any equality on an indexed column as selective: the
    reports list (``compartment = '' OR …``, ordered by date) used the compartment index and
    sorted every report (seconds at 1,000,000 reports) instead of walking the date index.
    ``optimize`` analyses only tables never analysed or much changed since, each on a sample
    (milliseconds when nothing changed). Called after bulk writes (the demo, an upgrade) and
    when the server starts. PostgreSQL's autovacuum keeps its own statistics.

    Never fatal: statistics only speed pages up, so a vault another process holds locked
    (an ingest running while the server restarts) is logged and left as it is.
    """
    from django.db import OperationalError, connection

    if connection.vendor != "sqlite":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize=0x10002")
    except OperationalError as exc:
        log.warning("table statistics not refreshed: %s", exc)


def open_for_upgrade(vault: Path, passphrase: str) -> str:
    """Unlock ``vault`` for :func:`upgrade`; return the label of the key slot that opened it."""
    return _open(vault, passphrase, migrating=True)


def upgrade(vault: Path, *, actor: str) -> list[str]:
    """Bring an open vault up to this release; return what was done (empty if nothing).

    Applies pending schema migrations, makes the custody signing key if the vault's format
    made it lazily and no entry was ever signed, logs one custody entry naming all of it,
    and stamps the vault last, so an interrupted run is simply run again.

    Raises:
        VaultTooNew: the dossier holds schema changes of a newer release.
        SigningKeyMissing: custody entries exist but their signing key is gone.
    """
    from dhakira import __version__

    pending, unknown = schema_state()
    if unknown:
        raise VaultTooNew(f"{vault} was changed by a newer Dhakira; upgrade Dhakira to open it",
                          code="schema_too_new", params={"vault": str(vault), "n": len(unknown)})
    before = stamp.read(vault)
    done = [f"applied {name}" for name in pending]
    if pending:
        migrate()
    refresh_statistics()
    if not (vault / signing.PRIVATE_FILE).exists():
        _make_signing_key(vault)
        done.append("made the custody signing key")
    if before < stamp.CURRENT:
        done.append(f"vault format {before} -> {stamp.CURRENT}")
    if done:
        from dhakira.apps.custody import store

        store.record(actor=actor, action="other", subject="vault:migrate",
                     detail={"release": __version__, "from_format": before,
                             "to_format": stamp.CURRENT, "done": "; ".join(done)})
    stamp.write(vault, release=__version__)
    return done


def _make_signing_key(vault: Path) -> None:
    from dhakira.apps.custody.models import LedgerEntry

    if LedgerEntry.objects.exists():
        raise SigningKeyMissing(
            f"{vault} has custody entries but no signing key ({signing.PRIVATE_FILE}); restore "
            "it from a backup of the vault before migrating")
    signing.create(vault, session.get_key())
