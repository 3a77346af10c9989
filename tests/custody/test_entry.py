"""Tests of dhakira.core.custody.entry: planning, signing, canonical form, dictionaries."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from dhakira.core.custody import (
    InvalidEntryError,
    from_dict,
    plan_entry,
    sign,
    to_dict,
    verify_signature,
)

from .chains import HOUSE, T0, build_chain


def test_it_plans_the_first_entry_from_genesis() -> None:
    plan = plan_entry(None, actor="rana", action="intake", subject="EV-000001", now=T0)
    assert plan.seq == 1
    assert plan.prev_hash == "0" * 64
    assert plan.timestamp == "2026-11-25T09:00:00.000000Z"
    assert dict(plan.detail) == {}


def test_it_plans_the_next_entry_on_the_head() -> None:
    head = build_chain(3)[-1]
    plan = plan_entry(head, actor="amal", action="export", subject="PKG-000001", now=T0)
    assert (plan.seq, plan.prev_hash) == (4, head.entry_hash)


def test_it_records_time_in_utc_with_z() -> None:
    baghdad = datetime(2026, 11, 25, 12, 30, tzinfo=timezone(timedelta(hours=3)))
    plan = plan_entry(None, actor="rana", action="intake", subject="EV-1", now=baghdad)
    assert plan.timestamp == "2026-11-25T09:30:00.000000Z"


def test_its_canonical_form_is_sorted_compact_utf8() -> None:
    entry = sign(
        plan_entry(
            None,
            actor="رنا",
            action="read_protected",
            subject="P-000044/address",
            detail={"reason": "تحقق", "n": 2},
            now=T0,
        ),
        HOUSE,
    )
    expected = (
        '{"action":"read_protected","actor":"رنا","detail":{"n":2,"reason":"تحقق"},'
        f'"key_id":"{HOUSE.key_id}","prev_hash":"{"0" * 64}","seq":1,'
        '"subject":"P-000044/address","subject_hash":null,'
        '"timestamp":"2026-11-25T09:00:00.000000Z"}'
    ).encode()
    assert entry.canonical_bytes() == expected
    assert entry.entry_hash == hashlib.sha256(expected).hexdigest()
    verify_signature(
        HOUSE.public_key_bytes(), bytes.fromhex(entry.entry_hash), bytes.fromhex(entry.signature)
    )


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"action": "edit"}, "unknown action"),
        ({"actor": ""}, "actor is required"),
        ({"actor": "   "}, "actor is required"),
        ({"subject": ""}, "subject is required"),
        ({"subject_hash": "ABC"}, "64 lowercase hex"),
        ({"detail": {"x": 1.5}}, "float"),
        ({"detail": {"x": {"nested": 1}}}, "string, integer, boolean or null"),
        ({"detail": {"x": [1]}}, "string, integer, boolean or null"),
        ({"detail": {"x": 2**60}}, "too large"),
        ({"now": datetime(2026, 1, 1)}, "timezone-aware"),
    ],
)
def test_it_rejects_malformed_fields(changes: dict, message: str) -> None:
    args = {"actor": "rana", "action": "intake", "subject": "EV-1", "now": T0} | changes
    with pytest.raises(InvalidEntryError, match=message):
        plan_entry(None, **args)


def test_it_never_defaults_the_actor() -> None:
    with pytest.raises(TypeError):
        plan_entry(None, action="intake", subject="EV-1", now=T0)  # type: ignore[call-arg]


def test_its_detail_cannot_be_changed_after_signing() -> None:
    entry = build_chain(1)[0]
    with pytest.raises(TypeError):
        entry.detail["step"] = 99  # type: ignore[index]


def test_it_round_trips_through_a_dict() -> None:
    for entry in build_chain(3):
        data = to_dict(entry)
        assert from_dict(data) == entry
        data["detail"]["step"] = 99
        assert entry.detail["step"] != 99  # to_dict hands out a copy


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("actor"), "missing keys \\['actor'\\]"),
        (lambda d: d.update(extra=1), "extra keys \\['extra'\\]"),
        (lambda d: d.update(seq="1"), "'seq' has the wrong type"),
        (lambda d: d.update(seq=True), "'seq' has the wrong type"),
        (lambda d: d.update(detail=[]), "'detail' has the wrong type"),
    ],
)
def test_from_dict_refuses_input_that_is_not_an_entry(change, message: str) -> None:
    data = to_dict(build_chain(1)[0])
    change(data)
    with pytest.raises(InvalidEntryError, match=message):
        from_dict(data)
