"""Test set-up: every test process gets its own vault directory and a random data key.

The same suite runs on SQLCipher (the default) and on PostgreSQL (when
``DHAKIRA_DATABASE_URL`` is set, as ``make test`` does for its second leg).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def cache_bytecode() -> None:
    """Cache bytecode in this run although ``PYTHONDONTWRITEBYTECODE`` may be set.

    Without the cache every test process recompiles, and pytest re-rewrites the assertions
    of, every module it imports, and every `dhakira` process a test starts recompiles Dhakira:
    seconds of CPU per worker and about half a second per command (docs/testing.md, "Where
    the time goes"). The caches go where Python and pytest always put them (``__pycache__``,
    ignored by git). Dhakira's own modules are compiled here by the first process (xdist's
    controller, before its workers start): pytest-django imported many of them before this
    file ran, and Python writes no bytecode for a module already imported.
    """
    if not sys.dont_write_bytecode and "PYTHONDONTWRITEBYTECODE" not in os.environ:
        return
    sys.dont_write_bytecode = False  # this process: Hypothesis, the tests' modules
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the processes the tests start
    if "PYTEST_XDIST_WORKER" not in os.environ:
        import compileall

        import dhakira

        compileall.compile_dir(Path(dhakira.__file__).parent, quiet=1)


cache_bytecode()  # before the imports below, so that Hypothesis is cached too

from hypothesis import HealthCheck, settings  # noqa: E402

from dhakira.core.vault import keyslots, session, signing  # noqa: E402

# Each test's wall and CPU time, written when DHAKIRA_TEST_TIMES names a file (docs/testing.md).
pytest_plugins = ["tests.cputime"]

# Argon2id at a test-only cost for every slot the suite and its subprocesses make (see
# docs/security.md); tests about Argon2id itself turn it off (tests/vault/test_keyslots.py).
SUITE_ENV = (keyslots.TESTING_ENV, keyslots.FAST_ARGON2_ENV)  # kept by subprocesses' clean envs
for _name in SUITE_ENV:
    os.environ[_name] = "1"

# One Hypothesis profile for the suite: a small budget, so the property tests stay a few
# seconds each; no deadline, since eight people share two cores and a slow example is not a
# bug; no example database written into the checkout. Tests with their own @settings keep it.
settings.register_profile("dhakira", max_examples=40, deadline=None, database=None,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dhakira")

WORKER_KEY = "dhakira_data_key"
_TEST_VAULT = Path(tempfile.mkdtemp(prefix="dhakira-test-vault-"))
_MADE_BY = os.getpid()


@atexit.register
def _remove_test_vault() -> None:
    """Each process of the run (controller and xdist workers) makes its own folder and removes
    it when it ends; otherwise every run leaves one per process in the temporary directory. A
    forked child inherits this hook and must not remove its parent's folder."""
    if os.getpid() == _MADE_BY:
        shutil.rmtree(_TEST_VAULT, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    # One data key for the whole run: xdist's controller hands its key to each worker
    # (pytest_configure_node), so that the workers' copies of the migrated template open.
    from tests import once

    once.remember(config)
    shared_key = getattr(config, "workerinput", {}).get(WORKER_KEY)
    session.set_key(shared_key if shared_key else os.urandom(32))
    from django.conf import settings

    settings.VAULT_DIR = _TEST_VAULT
    # Settings may have been read before this file set SUITE_ENV (pytest-django reads them
    # first); the servers the suite starts read it themselves.
    suite_hasher = "dhakira.apps.vault.hashers.SuiteArgon2PasswordHasher"
    if suite_hasher not in settings.PASSWORD_HASHERS:
        settings.PASSWORD_HASHERS = [suite_hasher, *settings.PASSWORD_HASHERS]
    signing.create(_TEST_VAULT, session.get_key())  # as `dhakira init` does
    # The cast is created seconds before it approves anything; the tests of the settling rule
    # (tests/dossier/test_accounts.py) set it back to a day.
    settings.ACCOUNT_SETTLING_HOURS = 0
    if settings.DATABASES["default"]["ENGINE"] == "dhakira.apps.vault.sqlcipher":
        from django.db import connections

        for db in (settings.DATABASES["default"], connections["default"].settings_dict):
            db["NAME"] = str(_TEST_VAULT / "dossier.db")
            db.setdefault("TEST", {})["NAME"] = str(_TEST_VAULT / "test-dossier.db")
    from tests import flush

    flush.install()  # after a test that commits, content types and permissions stay


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist's controller gives each worker its data key (see ``pytest_configure``)."""
    node.workerinput[WORKER_KEY] = bytes(session.get_key())


@pytest.fixture(scope="session")
def django_db_setup(request: pytest.FixtureRequest, django_test_environment: None,
                    django_db_blocker: Any, django_db_use_migrations: bool,
                    django_db_modify_db_settings: None) -> Iterator[None]:
    """pytest-django's fixture, except that the migrated database is made once per run and
    copied for each process (``tests/testdb.py``)."""
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup
    from tests import once, testdb

    if not django_db_use_migrations:
        _disable_migrations()
    aliases, serialized = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        done = testdb.set_up(aliases, serialized, once.shared_folder(request.config), verbosity)
    yield
    with django_db_blocker.unblock():
        testdb.tear_down(done, verbosity)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """The run's first process removes the template its processes copied (after their own
    databases are gone: workers end before the controller, fixtures before this hook)."""
    if hasattr(session.config, "workerinput"):
        return
    from pytest_django.plugin import blocking_manager_key
    from tests import once, testdb

    with session.config.stash[blocking_manager_key].unblock():
        testdb.drop_templates(once.shared_folder(session.config))


# What reaches the suite's database in this process: pytest-django's fixtures and marker.
# A test with none of them cannot touch the ORM (pytest-django refuses it).
DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences",
                               "django_db_serialized_rollback", "django_db_setup",
                               "live_server", "admin_user", "admin_client"})


def uses_suite_database(item: pytest.Item) -> bool:
    """Whether ``item`` reaches the suite's database (in-process or through its own servers)."""
    if item.get_closest_marker("backend_independent"):
        return False
    if item.get_closest_marker("django_db") or item.get_closest_marker("backend_dependent"):
        return True
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def _transactional(item: pytest.Item) -> bool:
    """Whether pytest-django flushes the database after ``item`` (as it judges it)."""
    fixtures = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & fixtures
                or (marker and (marker.kwargs.get("transaction")
                                or marker.kwargs.get("reset_sequences"))))


def _slow_first(items: list[pytest.Item]) -> None:
    """Files holding a test marked ``slow`` before the others, each file's tests together
    (a file's module-scoped fixtures are made once), but every test that flushes the
    database after the tests that do not (pytest-django's order: a flush would empty what
    migrations wrote). Stable: the order within each group is kept."""
    slow = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: (_transactional(item), item.nodeid.split("::")[0] not in slow))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow tests first; on the PostgreSQL leg, skip what would only repeat the SQLCipher
    leg's run.

    Files with a slow test go first so that the workers start them early and end together,
    rather than one worker running a long test alone at the end (xdist hands tests out in
    this order).
    The PostgreSQL leg skips tests marked ``backend_independent`` and tests that use no
    database fixture at all (they run the same code on both legs); each of them still runs
    once, on the SQLCipher leg."""
    _slow_first(items)
    if not os.environ.get("DHAKIRA_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="uses no database of the suite's: run on the SQLCipher leg")
    for item in items:
        if not uses_suite_database(item):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _unlocked() -> Iterator[None]:
    """Tests that lock the vault, or unlock it with another key, leak neither into the next
    test (the suite's own database is keyed with this key)."""
    key = session.get_key() if session.is_unlocked() else os.urandom(32)
    yield
    if not session.is_unlocked() or session.get_key() != key:
        session.set_key(key)


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """Failed logins of one test do not count against the next."""
    from dhakira.apps.web.login import CLIENT_THROTTLE, USER_THROTTLE

    USER_THROTTLE.clear()
    CLIENT_THROTTLE.clear()


def on_postgresql() -> bool:
    from django.conf import settings

    return bool(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


@pytest.fixture
def cast(db: None) -> dict[str, object]:
    """The shared cast of tests/cast.py (amal, rana, samir, victor, oscar), by user name."""
    from tests.cast import make_cast

    return make_cast()


@pytest.fixture
def vault_dir() -> Path:
    return _TEST_VAULT


def new_vault_dir(settings: object, path: Path) -> Path:
    """Point the app at a fresh vault folder holding what `dhakira init` makes besides slots."""
    path.mkdir(exist_ok=True)
    signing.create(path, session.get_key())
    settings.VAULT_DIR = path  # type: ignore[attr-defined]
    return path
