"""Tests of verify_chain: every tamper mode is caught and named by seq and kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from dhakira.core.custody import (
    ChainVerificationError,
    InvalidKeyError,
    Signer,
    append,
    verify_chain,
)

from .chains import HOUSE, INTRUDER, KEYS, T0, build_chain, problems_of, resign


def test_it_accepts_an_untouched_chain() -> None:
    chain = build_chain(6)
    report = verify_chain(chain, KEYS)
    assert report.ok
    assert report.problems == ()
    assert report.entries_checked == 6
    assert report.head == (6, chain[-1].entry_hash)
    assert report.raise_if_problems() is None


def test_it_accepts_an_empty_chain() -> None:
    assert verify_chain([], KEYS).ok


def test_it_names_a_deleted_entry() -> None:
    chain = build_chain(6)
    del chain[2]
    assert problems_of(verify_chain(chain, KEYS)) == {(4, "gap"), (4, "broken_link")}


def test_it_names_a_deleted_first_entry() -> None:
    chain = build_chain(4)[1:]
    assert problems_of(verify_chain(chain, KEYS)) == {(2, "gap"), (2, "broken_link")}


def test_it_names_a_forged_inserted_entry() -> None:
    chain = build_chain(6)
    forged = resign(chain[2], INTRUDER, subject="EV-999999")
    chain.insert(3, forged)
    assert problems_of(verify_chain(chain, KEYS)) == {(3, "unknown_key"), (3, "duplicate_seq")}


def test_it_names_a_replayed_entry() -> None:
    chain = build_chain(6)
    chain.append(chain[1])
    assert problems_of(verify_chain(chain, KEYS)) == {(2, "duplicate_seq")}


def test_it_names_a_reordered_pair() -> None:
    chain = build_chain(6)
    chain[2], chain[3] = chain[3], chain[2]
    assert problems_of(verify_chain(chain, KEYS)) == {(3, "reordered")}


@pytest.mark.parametrize(
    "field, value",
    [
        ("actor", "someone-else"),
        ("action", "purge"),
        ("subject", "EV-000099"),
        ("subject_hash", "f" * 64),
        ("timestamp", "2026-11-25T09:02:30.000000Z"),
        ("detail", {"step": 99}),
        ("key_id", INTRUDER.key_id),
    ],
)
def test_it_names_an_edited_field(field: str, value: object) -> None:
    chain = build_chain(6)
    chain[2] = replace(chain[2], **{field: value})
    found = problems_of(verify_chain(chain, KEYS | {INTRUDER.key_id: INTRUDER.public_key_bytes()}))
    assert (3, "edited") in found
    assert {seq for seq, _ in found} == {3}


def test_it_names_an_edit_whose_hash_was_recomputed() -> None:
    chain = build_chain(6)
    forged = resign(chain[2], HOUSE, actor="someone-else")
    chain[2] = replace(forged, signature=chain[2].signature)  # no house key to re-sign
    assert problems_of(verify_chain(chain, KEYS)) == {(3, "bad_signature"), (4, "broken_link")}


def test_it_names_an_entry_resigned_with_an_unknown_key() -> None:
    chain = build_chain(6)
    chain[2] = resign(chain[2], INTRUDER, actor="someone-else")
    assert problems_of(verify_chain(chain, KEYS)) == {(3, "unknown_key"), (4, "broken_link")}


def test_it_names_every_entry_of_a_tail_resigned_with_an_unknown_key() -> None:
    chain = build_chain(5)
    for i in range(2, 5):
        prev_hash = chain[i - 1].entry_hash
        chain[i] = resign(chain[i], INTRUDER, prev_hash=prev_hash)
    assert problems_of(verify_chain(chain, KEYS)) == {
        (3, "unknown_key"),
        (4, "unknown_key"),
        (5, "unknown_key"),
    }


def test_it_names_a_flipped_signature() -> None:
    chain = build_chain(4)
    sig = bytearray.fromhex(chain[1].signature)
    sig[0] ^= 1
    chain[1] = replace(chain[1], signature=sig.hex())
    assert problems_of(verify_chain(chain, KEYS)) == {(2, "bad_signature")}


def test_it_names_a_truncated_tail_against_an_anchored_head() -> None:
    chain = build_chain(6)
    head = (6, chain[-1].entry_hash)
    assert verify_chain(chain[:4], KEYS).ok  # undetectable without an anchor
    assert problems_of(verify_chain(chain[:4], KEYS, expected_head=head)) == {(6, "truncated")}
    assert verify_chain(chain, KEYS, expected_head=head).ok


def test_it_accepts_growth_past_the_anchored_head() -> None:
    chain = build_chain(6)
    assert verify_chain(chain, KEYS, expected_head=(4, chain[3].entry_hash)).ok


def test_it_names_a_head_that_does_not_match_its_anchor() -> None:
    chain = build_chain(6)
    other = build_chain(6, start=T0 + timedelta(days=1))
    report = verify_chain(other, KEYS, expected_head=(6, chain[-1].entry_hash))
    assert problems_of(report) == {(6, "head_mismatch")}


def test_it_names_a_timestamp_going_back_beyond_tolerance() -> None:
    chain = build_chain(3)
    late = append(
        chain[-1], HOUSE, actor="rana", action="other", subject="X", now=T0 - timedelta(hours=1)
    )
    assert problems_of(verify_chain([*chain, late], KEYS)) == {(4, "reordered")}


def test_it_tolerates_small_clock_steps_back() -> None:
    chain = build_chain(3)
    skew = append(
        chain[-1], HOUSE, actor="rana", action="other", subject="X", now=T0 + timedelta(seconds=30)
    )
    assert verify_chain([*chain, skew], KEYS).ok
    report = verify_chain([*chain, skew], KEYS, clock_tolerance=timedelta(0))
    assert problems_of(report) == {(4, "reordered")}


def test_it_reports_every_problem_not_just_the_first() -> None:
    chain = build_chain(8)
    chain[1] = replace(chain[1], actor="someone-else")
    del chain[5]
    report = verify_chain(chain, KEYS)
    assert problems_of(report) == {(2, "edited"), (7, "gap"), (7, "broken_link")}
    assert [p.seq for p in report.problems] == sorted(p.seq for p in report.problems)


def test_it_raises_with_the_full_report() -> None:
    chain = build_chain(4)
    chain[1] = replace(chain[1], actor="someone-else")
    report = verify_chain(chain, KEYS)
    with pytest.raises(ChainVerificationError, match="seq 2: edited") as caught:
        report.raise_if_problems()
    assert caught.value.report is report
    # each count in its form ("1 problem(s)" before)
    assert str(caught.value).startswith("the custody chain has 1 problem:\n")
    chain[2] = replace(chain[2], actor="someone-else")
    with pytest.raises(ChainVerificationError) as caught:
        verify_chain(chain, KEYS).raise_if_problems()
    assert str(caught.value).startswith("the custody chain has 2 problems:\n")


def test_it_verifies_across_a_key_rotation() -> None:
    new = Signer.from_private_bytes(bytes(range(50, 82)))
    chain = build_chain(3)
    for i in range(2):
        chain.append(
            append(
                chain[-1],
                new,
                actor="amal",
                action="other",
                subject="KEY",
                now=T0 + timedelta(hours=i + 1),
            )
        )
    both = KEYS | {new.key_id: new.public_key_bytes()}
    assert verify_chain(chain, both).ok
    assert problems_of(verify_chain(chain, KEYS)) == {(4, "unknown_key"), (5, "unknown_key")}


def test_it_refuses_a_key_filed_under_the_wrong_id() -> None:
    with pytest.raises(InvalidKeyError, match="has key id"):
        verify_chain(build_chain(2), {INTRUDER.key_id: HOUSE.public_key_bytes()})


def test_it_names_an_unreadable_seq_without_crashing() -> None:
    chain = build_chain(3)
    chain[1] = replace(chain[1], seq=0)
    found = problems_of(verify_chain(chain, KEYS))
    assert (-1, "malformed") in found
    assert (3, "gap") in found
