"""A pytest plugin that writes each test's wall and CPU time, so that the suite's costs can be
ranked on a shared machine where wall time alone misleads.

Loaded by tests/conftest.py; it writes when ``DHAKIRA_TEST_TIMES=path`` is set: every pytest process (each
xdist worker) appends tab-separated lines ``nodeid, wall s, own CPU s, children's CPU s, process``
to ``path``. Children's CPU counts the subprocesses (CLI runs, servers) the test waited for,
and the commands it had forked warm (``tests/warm.py``).

When a process ends it adds one line for itself, ``process:NAME`` in place of a test id, with
its whole life's CPU: what no test's line carries (collection, and the CPU of a child that
outlives the tests, such as the browser, reaped only when the session ends) is its total less
its tests' lines. :func:`summary` reports that part apart, so that the totals are the run's.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator

import pytest
from tests import warm

PROCESS = "process:"  # the prefix of a process's own line
_STARTED = time.perf_counter()


def _cpu() -> tuple[float, float]:
    """(own, children's) CPU so far; children's counts the commands forked by this process's
    zygote (tests/warm.py), whose CPU reaches this process only when the zygote ends."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime + warm.forked_cpu


def _name() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _write(path: str, nodeid: str, wall: float, own: float, children: float) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{nodeid}\t{wall:.3f}\t{own:.3f}\t{children:.3f}\t{_name()}\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    path = os.environ.get("DHAKIRA_TEST_TIMES")
    wall, (own, children) = time.perf_counter(), _cpu()
    yield
    if path:
        own2, children2 = _cpu()
        _write(path, item.nodeid, time.perf_counter() - wall, own2 - own, children2 - children)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """The process's own line: its whole life's CPU, written last."""
    path = os.environ.get("DHAKIRA_TEST_TIMES")
    warm.stop()  # its CPU and its children's are this process's children's from here
    if path:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        own, children = me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime
        if "PYTEST_XDIST_WORKER" not in os.environ and config.getoption("dist", "no") != "no":
            children = 0.0  # xdist's controller: its children are the workers, with lines of their own
        _write(path, PROCESS + _name(), time.perf_counter() - _STARTED, own, children)


def summary(path: str, top: int = 30) -> str:
    """The totals of a times file and its ``top`` tests by CPU (own and subprocesses').

    With the processes' own lines in the file, the totals are the processes' (each test's
    line is part of its process's), and the part no test carries is shown on its own line.
    """
    rows: list[tuple[float, float, float, str]] = []  # cpu, own, subprocesses', test
    processes: list[float] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            nodeid, _wall, own, children, *_process = line.rstrip("\n").split("\t")
            if nodeid.startswith(PROCESS):
                processes.append(float(own) + float(children))
            else:
                rows.append((float(own) + float(children), float(own), float(children), nodeid))
    rows.sort(reverse=True)
    cpu, own_s, sub_s = (sum(r[0] for r in rows), sum(r[1] for r in rows),
                         sum(r[2] for r in rows))
    out = [f"{len(rows)} tests: CPU {cpu:.1f} s (own {own_s:.1f} s, subprocesses {sub_s:.1f} s)"]
    if processes:
        whole = sum(processes)
        out.append(f"{len(processes)} processes: CPU {whole:.1f} s, of which {whole - cpu:.1f} s "
                   "in no test's line (collection, children reaped at the end)")
    out.append("   cpu s    own s   subp s  test")
    out += [f"{r[0]:8.1f} {r[1]:8.1f} {r[2]:8.1f}  {r[3]}" for r in rows[:top]]
    return "\n".join(out)


if __name__ == "__main__":  # python -m tests.cputime times.tsv [TOP]
    import sys

    print(summary(sys.argv[1], *(int(a) for a in sys.argv[2:3])))
