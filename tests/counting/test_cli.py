"""``dhakira estimate``: JSON on stdout for a table; one-line errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests import warm

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return warm.python("-m", "dhakira", "estimate", *args, cwd=ROOT, timeout=120)


def test_it_prints_the_estimate_of_a_table_as_json():
    done = _run("--table", "tests/data/mse/hiv_rome_1994.json", "--method", "loglinear")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert {"method", "model", "observed", "estimate", "interval"} <= out.keys()
    assert out["method"] == "loglinear" and out["observed"] == 1896
    low, high = out["interval"]
    assert low < out["estimate"] < high


def test_it_refuses_both_a_table_and_a_vault_in_one_line(tmp_path):
    done = _run("--table", "tests/data/mse/hiv_rome_1994.json", "--vault", str(tmp_path))
    assert done.returncode == 64
    assert done.stderr.count("\n") == 1 and "either --vault or --table" in done.stderr


def test_a_bad_table_is_one_line_on_stderr(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"lists": ["a", "b"], "cells": [{"pattern": "12", "count": 1}]}')
    done = _run("--table", str(bad), "--method", "independence")
    assert done.returncode == 1
    assert done.stderr.startswith("dhakira: ") and done.stderr.count("\n") == 1
