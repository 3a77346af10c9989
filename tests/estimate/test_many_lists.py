"""Issue 14 item 5: many lists, sparse tables. Nothing builds the 2^J cells of a wide table."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from dhakira.cli import main
from dhakira.core.counting import (
    CaptureTable,
    EstimateError,
    TableError,
    estimate,
    fit_dga,
    fit_lcmcr,
)
from dhakira.core.counting._warnings import table_warnings
from dhakira.core.counting.errors import ModelError

FIXED = {"burn_in": 200, "iterations": 400, "thin": 4, "until_converged": False}


def _wide(lists: int, people: int, seed: int) -> CaptureTable:
    """Two classes of visibility over ``lists`` lists, as in bench/bench_lcmcr_scale.py."""
    rng = np.random.default_rng(seed)
    p = np.where(np.arange(people)[:, None] < people * 0.7, 0.05, 0.2) * 20 / lists
    rows = rng.random((people, lists)) < p
    names = [f"L{j}" for j in range(lists)]
    return CaptureTable.from_histories(
        [frozenset(n for n, hit in zip(names, row, strict=True) if hit)
         for row in rows if row.any()], names)


@pytest.fixture(scope="module")
def wide34() -> CaptureTable:
    return _wide(34, 600, seed=34)


def test_lcmcr_fits_a_34_list_table(wide34):
    assert len(wide34.counts) <= wide34.observed  # observed patterns, not 2^34 - 1 cells
    result = estimate(wide34, method="lcmcr", seed=1, **FIXED)
    assert wide34.observed <= result.interval[0] <= result.estimate <= result.interval[1]
    assert result.estimate < 3 * 600


def test_comparisons_that_need_every_cell_are_skipped_with_a_note():
    table = _wide(20, 400, seed=20)
    result = estimate(table, method="lcmcr", seed=1, **FIXED)
    skipped = result.diagnostics["comparison_skipped"]
    assert set(skipped) == {"independence", "loglinear (best BIC)"}
    assert "1,048,575 list combinations" in skipped["independence"]
    assert result.diagnostics["comparison"] == {}


def test_comparisons_still_run_on_few_lists(hiv):
    result = estimate(hiv, method="lcmcr", seed=1, **FIXED)
    assert set(result.diagnostics["comparison"]) == {"independence", "loglinear (best BIC)"}
    assert "comparison_skipped" not in result.diagnostics


def test_the_sparse_warning_counts_empty_cells_without_listing_them(wide34):
    [note] = [w for w in table_warnings(wide34) if w.startswith("SPARSE_TABLE")]
    empty = 2**34 - 1 - len(wide34.counts)
    assert f"{empty:,} of 17,179,869,183 list combinations are empty" in note


def test_log_linear_methods_refuse_a_wide_table_in_one_line():
    table = _wide(20, 400, seed=20)
    # Log-linear refuses first (it fits up to 12 lists); either way one line naming LCMCR.
    with pytest.raises((TableError, ModelError), match="lcmcr"):
        estimate(table, method="independence")


def test_model_averaging_refuses_more_than_five_lists(uk):
    with pytest.raises(EstimateError, match="3 to 5 lists"):
        fit_dga(uk)


def test_the_command_estimates_a_34_list_table_with_progress_on_stderr(wide34, tmp_path):
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(wide34.to_json()))
    result = CliRunner().invoke(main, ["estimate", "--table", str(path), "--budget", "0",
                                       "--progress"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # stdout is the JSON alone
    assert data["observed"] == wide34.observed
    assert data["diagnostics"]["budget_ran_out"] is True
    assert any(w.startswith("NOT_CONVERGED") and "time budget" in w for w in data["warnings"])
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("estimate: ") for line in lines)
    assert lines[-1] == "estimate: 100% done"


def test_the_command_prints_no_progress_when_stderr_is_not_a_terminal(hiv, tmp_path):
    path = tmp_path / "hiv.json"
    path.write_text(json.dumps(hiv.to_json()))
    result = CliRunner().invoke(main, ["estimate", "--table", str(path), "--budget", "0"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_chains_on_34_lists_do_not_sit_in_the_one_class_state():
    # The 34-list table of bench/bench_lcmcr_scale.py (1,300 people, 998 seen). Chains that
    # started from one class kept it for thousands of sweeps (N about 1,110; four chains of
    # 12,000 sweeps: two stayed 6,000-8,000 sweeps) before a second class formed (N about
    # 1,220): R-hat 1.015 and ESS 116 after 28,000 sweeps per chain. Started from alike
    # classes, every chain has two classes from the first sweeps.
    rng = np.random.default_rng(34)
    hard = rng.uniform(0.02, 0.08, 34) * 20 / 34
    easy = rng.uniform(0.10, 0.30, 34) * 20 / 34
    rows = np.vstack([rng.random((910, 34)) < hard, rng.random((390, 34)) < easy])
    names = [f"L{j + 1}" for j in range(34)]
    table = CaptureTable.from_histories(
        [frozenset(n for n, hit in zip(names, row, strict=True) if hit)
         for row in rows if row.any()], names)
    fit = fit_lcmcr(table, seed=5, burn_in=300, iterations=1000, thin=5, chains=3,
                    until_converged=False)
    assert table.observed == 998
    assert np.median(fit.draws, axis=1).min() > 1180  # no chain in the one-class state
