"""Things the suite makes once per run and every test process shares.

A run's processes (xdist's controller and its workers, or the one process with ``-n 0``) share
one folder: xdist puts each worker's base temporary folder inside the controller's
(``popen-gw0``, …). What is made there is made by the first process that asks for it, under a
lock, and read (or copied) by the others: the migrated test database (``tests/testdb.py``),
the vault ``dhakira init`` makes (``tests/clivault.py``), an old release's vault once migrated
(``tests/cli/test_migrate.py``).
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

LOCK = "made-once.lock"
_config: list[pytest.Config] = []  # this process's, from pytest_configure (tests/conftest.py)


def remember(config: pytest.Config) -> None:
    """Keep this process's pytest configuration, to find the run's folder later."""
    _config[:] = [config]


def shared_folder(config: pytest.Config | None = None) -> Path:
    """The folder every process of this run sees."""
    config = config or _config[0]
    base = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    return Path(base.parent if hasattr(config, "workerinput") else base)


@contextmanager
def locked(shared: Path) -> Iterator[None]:
    """One process of the run at a time (the lock goes when the file closes)."""
    with open(shared / LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def made_once(name: str, build: Callable[[Path], None]) -> Path:
    """The run's folder ``name``: ``build`` fills it (given it empty) in the first process that
    asks; the others wait for it. Read it or copy it; never change it."""
    shared = shared_folder()
    path = shared / name
    with locked(shared):
        if not path.exists():
            partial = shared / f"{name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            build(partial)  # a failure leaves no folder: the next process tries again
            partial.rename(path)
    return path
