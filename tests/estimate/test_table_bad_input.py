"""Issue 14, "Bad input": each bad table is refused in one line naming the problem.

Every case goes through the core (``CaptureTable.from_json``) and the real command
(``dhakira estimate --table``), which must exit non-zero with that one line and no traceback.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhakira.cli import main
from dhakira.core.counting import CaptureTable, TableError

pytestmark = pytest.mark.backend_independent


def _cells(*pairs: tuple[object, object]) -> list[dict[str, object]]:
    return [{"pattern": p, "count": c} for p, c in pairs]


ABC = ["A", "B", "C"]
GOOD = [("100", 5), ("010", 4), ("001", 3), ("110", 2), ("011", 1)]
BAD = {
    "a list that caught nobody": (
        {"lists": ABC, "cells": _cells(("100", 5), ("010", 4), ("110", 2))},
        "list 'C' caught nobody"),
    "a list that caught everybody": (
        {"lists": ABC, "cells": _cells(("100", 5), ("110", 4), ("101", 2))},
        "list 'A' caught everybody seen (11)"),
    "a pattern too short": (
        {"lists": ABC, "cells": _cells(*GOOD, ("10", 1))},
        "pattern '10' has 2 digits but the table has 3 lists"),
    "a pattern too long": (
        {"lists": ABC, "cells": _cells(*GOOD, ("1011", 1))},
        "pattern '1011' has 4 digits but the table has 3 lists"),
    "a pattern not of 0s and 1s": (
        {"lists": ABC, "cells": _cells(*GOOD, ("1x0", 1))},
        "pattern '1x0' must be made of 0 and 1 only"),
    "a pattern with a 2": (
        {"lists": ABC, "cells": _cells(*GOOD, ("102", 1))},
        "pattern '102' must be made of 0 and 1 only"),
    "a pattern that is not a string": (
        {"lists": ABC, "cells": _cells(*GOOD, (101, 1))},
        "a cell must be an object with a 'pattern' string"),
    "a negative count": (
        {"lists": ABC, "cells": _cells(*GOOD, ("111", -1))},
        "the count for pattern '111' must be a whole number from 0 to 1,000,000,000, got -1"),
    "a fractional count": (
        {"lists": ABC, "cells": _cells(*GOOD, ("111", 2.5))},
        "the count for pattern '111' must be a whole number from 0 to 1,000,000,000, got 2.5"),
    "a count written as text": (
        {"lists": ABC, "cells": _cells(*GOOD, ("111", "3"))},
        "the count for pattern '111' must be a whole number from 0 to 1,000,000,000, got '3'"),
    "a count written as true": (
        {"lists": ABC, "cells": _cells(*GOOD, ("111", True))},
        "the count for pattern '111' must be a whole number from 0 to 1,000,000,000, got True"),
    "one list only": (
        {"lists": ["A"], "cells": _cells(("1", 5))},
        "a capture table needs at least two lists"),
    "a pattern given twice": (
        {"lists": ABC, "cells": _cells(*GOOD, ("110", 7))},
        "pattern '110' appears twice"),
    "the all-zero pattern": (
        {"lists": ABC, "cells": _cells(*GOOD, ("000", 9))},
        "pattern '000' is the people no list recorded"),
}


@pytest.mark.parametrize("case", BAD)
def test_the_core_names_the_problem_in_one_line(case: str) -> None:
    data, message = BAD[case]
    with pytest.raises(TableError) as caught:
        CaptureTable.from_json(data)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("case", BAD)
def test_the_command_exits_non_zero_with_that_line_and_no_traceback(case: str, tmp_path) -> None:
    data, message = BAD[case]
    path = tmp_path / "table.json"
    path.write_text(json.dumps(data))
    result = CliRunner().invoke(main, ["estimate", "--table", str(path), "--method", "lcmcr"])
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith("dhakira: ") and result.output.count("\n") == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_good_table_behind_the_bad_ones_is_accepted() -> None:
    # So each refusal above is due to its one defect.
    assert CaptureTable.from_json({"lists": ABC, "cells": _cells(*GOOD)}).observed == 15


json_leaves = (st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats()
               | st.text(alphabet="01x-. ", max_size=6))
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["lists", "cells", "pattern", "count", "observed", "dim"]) | st.text(
            max_size=4), inner, max_size=4),
    max_leaves=16)


def _run(value: object, method: str) -> tuple[int, str, BaseException | None]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.json"
        path.write_text(json.dumps(value), encoding="utf-8")
        result = CliRunner().invoke(main, ["estimate", "--table", str(path), "--method", method,
                                           "--budget", "0"])
    crash = None if isinstance(result.exception, SystemExit | None) else result.exception
    return result.exit_code, result.output, crash


@given(json_values, st.sampled_from(["lcmcr", "dga"]))
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_json_never_gives_a_traceback(value: object, method: str) -> None:
    code, output, crash = _run(value, method)
    assert crash is None, repr(crash)
    if code:
        assert output.startswith("dhakira: ") and output.count("\n") == 1, output


wide_tables = st.integers(2, 24).flatmap(lambda k: st.fixed_dictionaries({
    "lists": st.just([f"L{i}" for i in range(k)]),
    "cells": st.lists(st.fixed_dictionaries({
        "pattern": st.integers(1, 2**k - 1).map(lambda n: format(n, f"0{k}b")),
        "count": st.integers(0, 40)}), max_size=12, unique_by=lambda c: c["pattern"])}))


@given(wide_tables)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_well_formed_table_up_to_24_lists_estimates_or_is_refused_in_one_line(
        table: object) -> None:
    code, output, crash = _run(table, "lcmcr")
    assert crash is None, repr(crash)
    assert code == 0 or (output.startswith("dhakira: ") and output.count("\n") == 1), output
