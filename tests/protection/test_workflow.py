"""The workflow table, checked without a database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dhakira.apps.protection import workflow
from dhakira.apps.protection.errors import InvalidTransition

NOW = datetime(2016, 3, 1, tzinfo=UTC)


def test_every_status_has_a_row_and_every_target_is_a_status() -> None:
    assert set(workflow.TRANSITIONS) == set(workflow.STATUSES)
    for targets in workflow.TRANSITIONS.values():
        assert targets <= set(workflow.STATUSES)


def test_the_main_path_is_walkable_step_by_step() -> None:
    for here, there in zip(workflow.MAIN_PATH, workflow.MAIN_PATH[1:], strict=False):
        assert there in workflow.allowed(here), f"{here} -> {there} is not allowed"


@pytest.mark.parametrize("interruption", ["lost_contact", "detained", "deceased"])
def test_every_open_step_of_the_path_can_be_interrupted(interruption: str) -> None:
    for status in workflow.MAIN_PATH[:-1]:
        assert interruption in workflow.allowed(status), status


def test_it_rejects_skipping_verification() -> None:
    with pytest.raises(InvalidTransition, match="allowed"):
        workflow.plan("PC-00000", "request_received", "in_transit", actor="amal", reason="x",
                      now=NOW)


def test_it_rejects_leaving_deceased_except_to_close() -> None:
    assert workflow.allowed("deceased") == frozenset({"closed"})


def test_it_rejects_a_change_without_a_reason() -> None:
    with pytest.raises(InvalidTransition, match="why"):
        workflow.plan("PC-00000", "verified", "planning", actor="amal", reason="  ", now=NOW)


def test_it_rejects_an_unknown_status() -> None:
    with pytest.raises(InvalidTransition, match="unknown"):
        workflow.plan("PC-00000", "verified", "escaped", actor="amal", reason="x", now=NOW)


def test_closing_and_reopening_are_marked_in_the_plan() -> None:
    closing = workflow.plan("PC-1", "follow_up", "closed", actor="amal", reason="safe", now=NOW)
    reopening = workflow.plan("PC-1", "closed", "verified", actor="amal", reason="new threat",
                              now=NOW)
    assert closing.closes and not closing.reopens
    assert reopening.reopens and not reopening.closes
