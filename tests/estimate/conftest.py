"""Shared fixtures: the reference tables in tests/data/mse."""

from pathlib import Path

import pytest

from dhakira.core.counting import CaptureTable

DATA = Path(__file__).resolve().parent.parent / "data" / "mse"


def load(name: str) -> CaptureTable:
    return CaptureTable.load(DATA / f"{name}.json")


@pytest.fixture
def hiv() -> CaptureTable:
    return load("hiv_rome_1994")


@pytest.fixture
def uk() -> CaptureTable:
    return load("uk_modern_slavery_2013")
