"""The suite's order (tests/conftest.py): files with a slow test first, so that the workers
start the long tests early; each file's tests together; tests that flush the database last."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from tests.conftest import _slow_first


@dataclass
class Item:
    """What the ordering reads of a collected test: its id, fixtures and marks."""

    nodeid: str
    fixturenames: list[str] = field(default_factory=list)
    marks: dict[str, pytest.Mark] = field(default_factory=dict)

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        return self.marks.get(name)


SLOW = {"slow": pytest.mark.slow.mark}


def test_files_with_a_slow_test_go_first_whole_and_flushing_tests_stay_last() -> None:
    items = [Item("tests/a.py::quick", ["db"]),
             Item("tests/b.py::quick", ["db"]), Item("tests/b.py::long", ["db"], SLOW),
             Item("tests/c.py::pure"),
             Item("tests/d.py::page", ["live_server"]),
             Item("tests/e.py::walk", ["transactional_db"], SLOW),
             Item("tests/f.py::marked", marks={"django_db": pytest.mark.django_db(
                 transaction=True).mark}),
             Item("tests/g.py::pure_long", marks=SLOW)]
    _slow_first(items)  # type: ignore[arg-type]
    assert [i.nodeid for i in items] == [
        "tests/b.py::quick", "tests/b.py::long", "tests/g.py::pure_long",  # slow files, whole
        "tests/a.py::quick", "tests/c.py::pure",
        "tests/e.py::walk",  # flushes the database: after every test that does not
        "tests/d.py::page", "tests/f.py::marked"]


def test_this_run_put_its_slow_files_first(request: pytest.FixtureRequest) -> None:
    """The hook ran on this very session: no file with a slow test follows one without,
    among the tests that do not flush the database."""
    items = [i for i in request.session.items if not _flushes(i)]
    slow_files = _slow_files(request.session.items)  # once: per item it made this test quadratic
    slow = [i.nodeid.split("::")[0] in slow_files for i in items]
    assert slow == sorted(slow, reverse=True)


def _slow_files(items: list[pytest.Item]) -> set[str]:
    return {i.nodeid.split("::")[0] for i in items if i.get_closest_marker("slow")}


def _flushes(item: pytest.Item) -> bool:
    from tests.conftest import _transactional

    return _transactional(item)
