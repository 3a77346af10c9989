"""The examples in the cores' docstrings run as tests: one runner for every module that has them.

Each module listed must carry examples and pass them all; a core that gains examples is added
here rather than given a runner of its own.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dhakira.core.dates

# import_module by name: some packages re-export functions that shadow their modules
# (`dhakira.core.linkage.evaluate`, `dhakira.core.names.compare`, `dhakira.core.names.normalise`).
# Module → the fewest examples it must carry.
WITH_EXAMPLES = {name: 1 for name in [
    "dhakira.core.linkage.evaluate", "dhakira.core.linkage.features", "dhakira.core.linkage.model",
    "dhakira.core.linkage.settings", "dhakira.core.linkage._training", "dhakira.core.linkage._predict",
    "dhakira.core.names", "dhakira.core.names.normalise", "dhakira.core.names.keys", "dhakira.core.names.parse",
    "dhakira.core.names.compare",
    "dhakira.core.vocabularies", "dhakira.core.vocabularies._loader", "dhakira.core.vocabularies._model",
    "dhakira.core.vetting",
    "dhakira.apps.evidence.decoding", "dhakira.apps.evidence._mail",
    "dhakira.core.importing", "dhakira.core.exporting", "dhakira.core.exporting.esf",
    "dhakira.core.exporting.uwazi", "dhakira.core.exporting.errors", "dhakira.apps.evidence.labels",
    "dhakira.core.handover.redact",
]} | {"dhakira.core.linkage.resolve": 2}
# The dates package and every module in it: not each one has examples, all of them together do.
DATES = ["dhakira.core.dates"] + [f"dhakira.core.dates.{info.name}"
                             for info in pkgutil.iter_modules(dhakira.core.dates.__path__)]


def run_examples(name: str) -> doctest.TestResults:
    """Run the docstring examples of the module called ``name``."""
    return doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)


@pytest.mark.parametrize("name", [*WITH_EXAMPLES, *DATES])
def test_the_docstring_examples_hold(name: str) -> None:
    result = run_examples(name)
    assert result.failed == 0
    assert result.attempted >= WITH_EXAMPLES.get(name, 0), f"{name} has too few examples"


def test_the_dates_modules_carry_examples() -> None:
    assert sum(run_examples(name).attempted for name in DATES) >= 15
