"""The order of vetting (pure core): every path the order allows, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhakira.core import vetting
from dhakira.core.vetting import ALLOWED, STATUSES, OutOfOrder, UnknownStatus

statuses = st.sampled_from(STATUSES)


@given(statuses, statuses)
def test_a_step_is_allowed_exactly_when_the_order_lists_it(current: str, new: str) -> None:
    if new in ALLOWED[current]:
        vetting.check_step(current, new)
    else:
        with pytest.raises(OutOfOrder) as refused:
            vetting.check_step(current, new)
        assert current.replace("_", " ") in str(refused.value)
        assert new.replace("_", " ") in str(refused.value)


def test_nothing_is_vetted_without_review_and_withdrawn_is_final() -> None:
    with pytest.raises(OutOfOrder, match="recorded cannot become vetted"):
        vetting.check_step("recorded", "vetted")
    with pytest.raises(OutOfOrder, match="final"):
        vetting.check_step("withdrawn", "under_review")
    with pytest.raises(OutOfOrder):
        vetting.check_step("vetted", "vetted")  # a repeat is not a step


def test_an_unknown_status_is_named() -> None:
    with pytest.raises(UnknownStatus, match="'approved'"):
        vetting.check_step("recorded", "approved")


@given(st.lists(statuses, max_size=12))
def test_the_summary_counts_every_status_once(seen: list[str]) -> None:
    counts = vetting.summary(seen)
    assert sum(counts.values()) == len(seen)
    assert list(counts) == list(vetting.BUCKETS)
    assert counts["unconfirmed"] == sum(s in ("recorded", "under_review") for s in seen)


@given(st.lists(statuses, max_size=8))
def test_an_item_told_by_several_reports_is_as_far_as_its_furthest_live_one(seen: list[str]) -> None:
    result = vetting.combined(seen)
    assert result in STATUSES
    live = [s for s in seen if s != "withdrawn"]
    if not seen:
        assert result == "recorded"
    elif not live:
        assert result == "withdrawn"
    elif all(s == "disputed" for s in live):
        assert result == "disputed"
    else:
        assert result in live and result not in ("disputed", "withdrawn")
        order = ["recorded", "under_review", "corroborated", "confirmed", "vetted"]
        assert all(order.index(result) >= order.index(s) for s in live if s != "disputed")


def test_every_status_can_be_reached_from_recorded() -> None:
    reached, frontier = {"recorded"}, ["recorded"]
    while frontier:
        for nxt in ALLOWED[frontier.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                frontier.append(nxt)
    assert reached == set(STATUSES)


@given(st.lists(st.sampled_from(vetting.STATUSES), max_size=8), st.sampled_from(vetting.STATUSES))
def test_an_item_is_a_status_exactly_when_told_by_one_at_it_and_none_outranking(
        seen: list[str], status: str) -> None:
    """The two look-ups the lists filter with agree with :func:`combined` on every set."""
    if not seen:
        assert (vetting.combined(seen) == status) == (status == vetting.RECORDED)
        return
    by_lookups = status in seen and not (set(seen) & vetting.outranking(status))
    assert (vetting.combined(seen) == status) == by_lookups
