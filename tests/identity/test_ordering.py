"""The queue's order (pure): pairs that would join two people first, then nearness to the
cluster threshold; and how a stored comparison level is read."""

from __future__ import annotations

from random import Random

import pytest

from dhakira.apps.linkage.levels import alike_key, read
from dhakira.apps.linkage.ordering import QueuedPair, joined_through_others, order, weight

pytestmark = pytest.mark.backend_independent
T = 0.99


def test_a_pair_already_joined_through_others_comes_after_one_that_joins_two_people() -> None:
    # 1~2 and 2~3 are links; 1~3 changes nothing, 4~5 joins two people though weaker.
    pairs = [QueuedPair(10, 1, 3, 0.985), QueuedPair(11, 4, 5, 0.7)]
    assert order(pairs, links=[(1, 2), (2, 3)], threshold=T) == [11, 10]
    assert joined_through_others(pairs, [(1, 2), (2, 3)], T) == {10}


def test_among_pairs_that_join_the_nearest_the_threshold_come_first() -> None:
    pairs = [QueuedPair(1, 1, 2, 0.6), QueuedPair(2, 3, 4, 0.9999999),
             QueuedPair(3, 5, 6, 0.97), QueuedPair(4, 7, 8, 0.995)]
    # In bits from the threshold (6.63): 0.995 → 0.98 away, 0.97 → 1.59, 0.6 → 6.05, 0.9999999 → 16.6.
    assert order(pairs, links=[], threshold=T) == [4, 3, 1, 2]


def test_a_pair_holding_a_cluster_together_alone_is_not_joined_through_others() -> None:
    # 1~2 is above the threshold and the only path from 1 to 2: rejecting it splits a person.
    alone = [QueuedPair(1, 1, 2, 0.999)]
    assert joined_through_others(alone, [], T) == set()
    # With 1~3~2 also linked, 1~2 is one of two paths: deciding it changes little.
    assert joined_through_others(alone, [(1, 3), (3, 2)], T) == {1}
    # A second pending pair between the same two records: neither holds it alone.
    twins = [QueuedPair(1, 1, 2, 0.999), QueuedPair(2, 1, 2, 0.999)]
    assert joined_through_others(twins, [], T) == {1, 2}


def _connected_without(edges: list[tuple[int, int]], skip: int, a: int, b: int) -> bool:
    seen, todo = {a}, [a]
    while todo:
        x = todo.pop()
        for i, (u, v) in enumerate(edges):
            if i != skip and x in (u, v):
                y = v if x == u else u
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
    return b in seen


@pytest.mark.parametrize("seed", range(30))
def test_joined_through_others_agrees_with_removing_the_pair_and_searching(seed: int) -> None:
    rng = Random(seed)
    n = rng.randint(3, 12)
    links = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, n))]
    pairs = [QueuedPair(100 + i, rng.randrange(n), rng.randrange(n), rng.choice([0.6, 0.995]))
             for i in range(rng.randint(1, 2 * n))]
    pairs = [p for p in pairs if p.left != p.right]
    edges = links + [(p.left, p.right) for p in pairs if p.probability >= T]
    own = {p.pk: len(links) + i for i, p in enumerate(q for q in pairs if q.probability >= T)}
    expected = {p.pk for p in pairs
                if _connected_without(edges, own.get(p.pk, -1), p.left, p.right)}
    assert joined_through_others(pairs, links, T) == expected


def test_the_order_is_stable_for_ties_and_does_not_depend_on_input_order() -> None:
    pairs = [QueuedPair(pk, pk * 10, pk * 10 + 1, 0.9) for pk in (5, 3, 9, 1)]
    assert order(pairs, [], T) == [1, 3, 5, 9]
    assert order(list(reversed(pairs)), [], T) == [1, 3, 5, 9]


def test_weight_is_finite_at_certainty() -> None:
    assert weight(0.5) == 0 and weight(1.0) > 30 and weight(0.0) < -30


@pytest.mark.parametrize(("field", "gamma", "label", "verdict", "kind", "n"), [
    ("father", 5, "father keys agree", "agrees", "same", None),
    ("ism", 4, "ism keys agree, Arabic spellings differ", "close", "arabic_spelling", None),
    ("ism", 3, "ism keys similar (Jaro-Winkler ≥ 0.92)", "close", "similar", None),
    ("nisba", 2, "nisba keys within 1 edit(s)", "close", "edits", 1),
    ("date", 2, "dates within 31 days", "close", "days", 31),
    ("date", 3, "dates overlap", "agrees", "overlap", None),
    ("place", 1, "same district", "close", "district", None),
    ("age", 3, "ages within 2 years", "agrees", "years", 2),
    ("age", 2, "ages within 5 years", "close", "years", 5),
    ("act", 1, "same type of act", "close", "act_type", None),
    ("sex", 0, "different sex", "differs", "", None),
    ("kunya", -1, "kunya missing in one record", "missing", "", None),
    ("unit", 3, "a label nobody wrote yet", "close", "similar", None),
])
def test_it_reads_every_level_the_linkage_settings_write(field, gamma, label, verdict, kind, n) -> None:  # type: ignore[no-untyped-def]
    level = read(field, gamma, label)
    assert (level.verdict, level.kind, level.n) == (verdict, kind, n)


def test_only_pairs_agreeing_on_names_and_more_are_alike() -> None:
    agree = {"ism": [5, "ism keys agree"], "father": [5, "father keys agree"],
             "date": [3, "dates overlap"], "kunya": [-1, "kunya missing in one record"]}
    assert alike_key(agree) == "date:3 father:5 ism:5 kunya:-1"
    # No name compared: a date and a place agreeing say nothing of who it was.
    assert alike_key({"date": [3, "dates overlap"], "place": [2, "same place"],
                      "sex": [1, "same sex"], "ism": [-1, "ism missing in one record"]}) is None
    # A given name alone is not enough.
    assert alike_key({"ism": [5, "ism keys agree"], "date": [3, "dates overlap"],
                      "sex": [1, "same sex"]}) is None
    # Close is not alike.
    assert alike_key(agree | {"date": [2, "dates within 31 days"]}) is None
