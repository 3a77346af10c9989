"""A pytest plugin that writes each test's wall and CPU time, so that the suite's costs can be
ranked on a shared machine where wall time alone misleads.

Loaded by tests/conftest.py; it writes when ``DHAKIRA_TEST_TIMES=path`` is set: every pytest process (each
xdist worker) appends tab-separated lines ``nodeid, wall s, own CPU s, children's CPU s`` to
``path``. Children's CPU counts the subprocesses (CLI runs, servers) the test waited for.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator

import pytest


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    path = os.environ.get("DHAKIRA_TEST_TIMES")
    wall, (own, children) = time.perf_counter(), _cpu()
    yield
    if path:
        own2, children2 = _cpu()
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{item.nodeid}\t{time.perf_counter() - wall:.3f}\t{own2 - own:.3f}"
                      f"\t{children2 - children:.3f}\n")
