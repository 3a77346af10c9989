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


def summary(path: str, top: int = 30) -> str:
    """The totals of a times file and its ``top`` tests by CPU (own and subprocesses')."""
    rows: list[tuple[float, float, float, str]] = []  # cpu, own, subprocesses', test
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            nodeid, _wall, own, children = line.rstrip("\n").split("\t")
            rows.append((float(own) + float(children), float(own), float(children), nodeid))
    rows.sort(reverse=True)
    cpu, own_s, sub_s = (sum(r[0] for r in rows), sum(r[1] for r in rows),
                         sum(r[2] for r in rows))
    out = [f"{len(rows)} tests: CPU {cpu:.1f} s (own {own_s:.1f} s, subprocesses {sub_s:.1f} s)",
           "   cpu s    own s   subp s  test"]
    out += [f"{r[0]:8.1f} {r[1]:8.1f} {r[2]:8.1f}  {r[3]}" for r in rows[:top]]
    return "\n".join(out)


if __name__ == "__main__":  # python -m tests.cputime times.tsv [TOP]
    import sys

    print(summary(sys.argv[1], *(int(a) for a in sys.argv[2:3])))
