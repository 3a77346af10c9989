"""The pure generator: sizes, determinism, variation and the reporting model."""

from __future__ import annotations

from collections import defaultdict

import pytest

from dhakira.apps.demo import DemoParams, build_world, iter_chunks
from dhakira.apps.demo import _codes as c
from dhakira.apps.demo.errors import InvalidParameters
from dhakira.core.dates import parse_fuzzy_date


def _run(victims: int = 300, seed: int = 3, informants: int = 40):
    params = DemoParams(victims=victims, perpetrators=120, informants=informants, seed=seed)
    world = build_world(params)
    chunks = list(iter_chunks(world, params, chunk_victims=100))
    victims_ = [v for ch in chunks for v in ch.victims]
    reports = [r for ch in chunks for r in ch.reports]
    events = [e for ch in chunks for e in ch.events]
    return world, victims_, reports, events


def test_it_documents_exactly_the_requested_number_of_victims():
    _, victims, reports, _ = _run(victims=300)
    documented = {r.victim for r in reports}
    assert len(documented) == 300
    assert sum(1 for v in victims if v.networks) == 300


def test_the_true_population_is_larger_than_the_documented():
    _, victims, _, _ = _run(victims=300)
    assert len(victims) > 300
    assert any(v.networks == 0 for v in victims)


def test_it_is_deterministic_for_a_seed_and_differs_between_seeds():
    a = _run(seed=5)
    b = _run(seed=5)
    other = _run(seed=6)
    assert [r.text for r in a[2]] == [r.text for r in b[2]]
    assert len(a[1]) == len(b[1])
    assert [r.text for r in a[2]] != [r.text for r in other[2]]


def test_several_victims_are_reported_more_than_once_with_different_spellings():
    _, _, reports, _ = _run(victims=300)
    by_victim = defaultdict(list)
    for r in reports:
        by_victim[r.victim].append(r.names[0][0])
    multi = [names for names in by_victim.values() if len(names) >= 2]
    differing = [names for names in multi if len(set(names)) > 1]
    assert len(multi) >= 30
    assert len(differing) >= 20


def test_the_capture_mask_matches_the_networks_of_the_reports():
    _, victims, reports, _ = _run(victims=200)
    seen = defaultdict(int)
    for r in reports:
        seen[r.victim] |= 1 << r.network
    assert all(seen[v.id] == v.networks for v in victims if v.networks)


def test_sogi_persecution_is_a_few_percent_and_uses_the_described_methods():
    _, victims, reports, events = _run(victims=1500, seed=11)
    share = sum(v.sogi for v in victims) / len(victims)
    assert 0.01 <= share <= 0.07
    sogi_events = [e for e in events if e.sogi and e.act_type == c.EXECUTION]
    assert sogi_events and all(e.method in c.SOGI_METHODS and e.public for e in sogi_events)
    sogi_acts = [a for r in reports for a in r.acts if c.GROUND_SOGI in a.grounds]
    assert all(a.stated_reason in ("اللواط", "sodomy") for a in sogi_acts)


def test_victims_persecuted_as_accused_of_homosexuality_are_men():
    _, victims, _, _ = _run(victims=1500, seed=11)
    assert any(v.sogi for v in victims)
    assert all(v.sex == "male" for v in victims if v.sogi)


def test_most_report_dates_parse_to_bounds():
    _, _, reports, _ = _run(victims=200)
    texts = [a.date_text for r in reports for a in r.acts if a.date_text]
    known = [t for t in texts if parse_fuzzy_date(t).is_known]
    assert len(known) / len(texts) > 0.95
    assert any("1435" in t or "1436" in t or "1437" in t or "1438" in t for t in texts)


def test_some_reports_derive_from_earlier_reports_on_the_same_victim():
    _, _, reports, _ = _run(victims=600)
    by_index = {r.index: r for r in reports}
    derived = [r for r in reports if r.derived_from is not None]
    assert derived
    assert all(by_index[r.derived_from].victim == r.victim for r in derived)


def test_networks_number_three_to_six():
    assert len(build_world(DemoParams(informants=40)).networks) == 5
    assert len(build_world(DemoParams(informants=200)).networks) == 6
    assert len(build_world(DemoParams(informants=3)).networks) == 3


def test_it_rejects_too_few_informants():
    with pytest.raises(InvalidParameters):
        DemoParams(informants=1)


def test_seasons_name_the_winter_that_contains_the_day():
    import datetime as dt
    import random

    from dhakira.apps.demo._render import date_text

    day = dt.date(2015, 1, 20)
    texts = {date_text(day, "en", random.Random(i), hijri_share=0.0) for i in range(400)}
    winters = [t for t in texts if t.startswith("winter")]
    assert winters and all(parse_fuzzy_date(t).contains(day) for t in winters)


def test_finding_17_9_no_report_is_received_in_the_future_or_before_its_event():
    from dhakira.apps.demo._reports import LAST_RECEIVED

    _, victims, reports, events = _run(victims=3000, seed=1)
    assert max(r.received_at for r in reports) <= LAST_RECEIVED
    assert all(r.received_at.date() >= min(e.date for e in events) for r in reports)


def test_issue14_7_the_capture_setting_is_checked_and_changes_the_lists():
    with pytest.raises(InvalidParameters, match="capture"):
        DemoParams(capture="shared")
    plain = DemoParams(victims=300, perpetrators=120, seed=3)
    dependent = DemoParams(victims=300, perpetrators=120, seed=3, capture="dependent")
    masks = [[v.networks for ch in iter_chunks(build_world(p), p) for v in ch.victims]
             for p in (plain, dependent)]
    assert masks[0] != masks[1]


@pytest.mark.parametrize("seed", [1, 3, 12])
def test_every_event_written_has_an_act_and_a_report(seed):
    """A new user opened E-000947 of the default demo and found neither acts nor sources: the
    generator wrote events no list had recorded, and arrests no report happened to mention."""
    _, _, reports, events = _run(victims=400, seed=seed)
    told = {a.event for r in reports for a in r.acts}
    assert events and all(e.index in told for e in events), sorted(
        e.index for e in events if e.index not in told)[:10]
    assert [e.index for e in events] == list(range(len(events)))  # ids without gaps
    assert any(e.chain_from is not None for e in events)
    assert all(e.chain_from in told for e in events if e.chain_from is not None)


def test_walk_no_perpetrator_name_doubles_a_word_and_no_act_lists_one_twice():
    """The demo showed real names such as "محمد محمد": the given name repeated as its own
    nasab. A full name is the given name with the nisba drawn for it."""
    import random

    from dhakira.apps.demo.generate import perpetrator_names

    world, _, reports, _ = _run()
    rng = random.Random(7)
    full = []
    for perp in world.perps:
        for text, _script, kind in perpetrator_names(perp, rng):
            words = text.split()
            assert all(a != b for a, b in zip(words, words[1:], strict=False)), text
            if kind == "full":
                full.append(text)
    assert len(full) >= 10  # about 30 % of 120 carry one
    for report in reports:
        named = [i.perp for i in report.involvements if i.perp is not None]
        assert len(named) == len(set(named)), report.index
