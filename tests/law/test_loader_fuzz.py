"""Finding 16 #13: a malformed catalogue is a CatalogueError naming the problem, never a crash.

The reliability pass got UnicodeDecodeError, AttributeError and TypeError out of the loader.
Here the shipped catalogue has one field of one file replaced by any YAML value (or a file
replaced by arbitrary bytes), and the loader must load it or refuse it with CatalogueError.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhakira.core.law import load_catalogue_from
from dhakira.core.law.catalogue import DATA_DIR
from dhakira.core.law.errors import CatalogueError

pytestmark = pytest.mark.backend_independent

FILES = ("elements.yaml", "crimes.yaml", "liability.yaml")
SHIPPED = {name: yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8")) for name in FILES}
RAW = {name: (DATA_DIR / name).read_bytes() for name in FILES}

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _paths(node: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every place in a document that a value can be put, shallow first."""
    found = [path]
    if isinstance(node, dict):
        for key, child in list(node.items())[:6]:
            found += _paths(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node[:2]):
            found += _paths(child, (*path, index))
    return found


def _replace(doc: object, path: tuple[object, ...], value: object) -> object:
    if not path:
        return value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]  # type: ignore[index]
    parent[path[-1]] = value  # type: ignore[index]
    return doc


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory for the module's catalogues (pytest removes it; a function-scoped
    tmp_path would be shared by every Hypothesis example anyway)."""
    return tmp_path_factory.mktemp("catalogue-fuzz")


def _load(work_dir: Path, files: dict[str, bytes]) -> None:
    for name in FILES:
        (work_dir / name).write_bytes(files.get(name, b""))
    try:
        load_catalogue_from(work_dir)
    except CatalogueError as exc:
        assert str(exc).strip(), "a refusal names the problem"


@given(st.data())
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_finding_16_13_one_field_of_any_shape_never_crashes_the_loader(
        work_dir: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(FILES))
    doc = copy.deepcopy(SHIPPED[name])
    path = data.draw(st.sampled_from(_paths(doc)))
    doc = _replace(doc, path, data.draw(values))
    files = {**RAW, name: yaml.safe_dump(doc, allow_unicode=True).encode()}
    _load(work_dir, files)


@given(st.sampled_from(FILES), st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_finding_16_13_any_bytes_in_a_catalogue_file_never_crash_the_loader(
        work_dir: Path, name: str, content: bytes) -> None:
    files = {**RAW, name: content}
    _load(work_dir, files)


def test_finding_16_13_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    for name in FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    (tmp_path / "crimes.yaml").write_bytes(b"crimes: [\xff\xfe]\n")
    try:
        load_catalogue_from(tmp_path)
    except CatalogueError as exc:
        assert str(exc) == f"catalogue file {tmp_path / 'crimes.yaml'} is not UTF-8 text"
    else:
        raise AssertionError("a catalogue file that is not UTF-8 was accepted")
