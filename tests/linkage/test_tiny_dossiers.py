"""Issue 15 item 2: linkage of any tiny dossier gives clusters, never a traceback.

Random dossiers of 2 to 12 mentions: names from a small pool in both scripts (so that some
mentions agree), any field missing, the victims' or the perpetrators' settings. Before the
stated priors these failed with a prior of 0 (`math domain error`), m = 0 from EM, or a
comparison column Splink had left out.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dhakira.core.linkage import LinkageSettings, Mention, build_features, defaults_for, link
from dhakira.core.linkage._training import prior_means, with_priors
from dhakira.core.linkage.settings import DEFAULT_BLOCKING_RULES

pytestmark = pytest.mark.backend_independent

NAMES = ["محمد علي حسين الجبوري", "Mohammed Ali", "Muhammad Ali Hussein", "خالد سعيد",
         "Khaled Saeed al-Obaidi", "Abu Omar al-Mosuli", "أبو عمر", "Fatima Ahmed", "هدى كريم",
         "Sami", "Samia", "x", ""]
maybe = st.none().__or__
mentions = st.builds(
    lambda names, kunyas, sex, age, day, place, unit, act: (
        names, kunyas, sex, age, day, place, unit, act),
    st.lists(st.sampled_from(NAMES), max_size=2), st.lists(st.sampled_from(NAMES), max_size=1),
    st.sampled_from(["", "male", "female"]), maybe(st.integers(0, 90)),
    maybe(st.integers(0, 400)), maybe(st.integers(1, 3)), maybe(st.integers(1, 2)),
    st.sampled_from(["", "killing", "detention"]))


def _dossier(rows: list[tuple]) -> list[Mention]:  # type: ignore[type-arg]
    out = []
    for i, (names, kunyas, sex, age, day, place, unit, act) in enumerate(rows):
        when = None if day is None else date.fromordinal(date(2014, 6, 1).toordinal() + day)
        out.append(Mention(i + 1, tuple(names), tuple(kunyas), sex, age, when, when, place,
                           None if place is None else 100 + place % 2,
                           () if unit is None else (unit,), act, "", None, None))
    return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(mentions, min_size=2, max_size=12), role=st.sampled_from(
    ["victim", "perpetrator"]))
def test_finding_15_1_any_tiny_dossier_links_without_error(rows: list[tuple],  # type: ignore[type-arg]
                                                           role: str) -> None:
    records = _dossier(rows)
    result = link(build_features(records), defaults_for(role))
    assert set(result.clusters) == {m.id for m in records}
    assert all(0.0 <= p.probability <= 1.0 for p in result.pairs)
    assert 0.0 < result.model["probability_two_random_records_match"] <= 0.5


def test_two_identical_reports_are_queued_and_two_strangers_are_not() -> None:
    same = Mention(1, ("محمد علي حسين الجبوري",), (), "male", 30, date(2015, 3, 1),
                   date(2015, 3, 1), 7, 70, (), "killing", "shooting")
    twin = Mention(2, ("Mohammed Ali Hussein al-Jubouri",), (), "male", 31, date(2015, 3, 1),
                   date(2015, 3, 1), 7, 70, (), "killing", "shooting")
    other = Mention(2, ("Fatima Ahmed",), (), "female", 60, date(2016, 9, 1),
                    date(2016, 9, 1), 9, 90, (), "detention", "")
    # Two mentions: one pair, nothing to train on; the stated defaults decide.
    assert link(build_features([same, twin])).clusters == {1: 1, 2: 1}
    assert link(build_features([same, other])).pairs == ()


def test_a_perpetrators_real_name_does_not_count_against_his_alias() -> None:
    """One man: his real name and family nisba beside his alias in one mention, the alias
    alone in another, one unit. The family nisba was compared with the alias's origin, so
    knowing his real name made the pair less likely (0.52 against 0.99 without it)."""
    def pair(names: tuple[str, ...]) -> float:
        named = Mention(1, names, ("أبو عمر الموصلي", "Abu Omar al-Mosuli"), "male", None,
                        date(2015, 3, 1), date(2015, 3, 1), 7, 70, (3,), "", "", None, None)
        alias = Mention(2, (), ("Abu Omar al-Mosuli",), "male", None, date(2015, 4, 1),
                        date(2015, 4, 1), 8, 70, (3,), "", "", None, None)
        pairs = link(build_features([named, alias]), defaults_for("perpetrator")).pairs
        assert [(p.left, p.right) for p in pairs] == [(1, 2)]
        return pairs[0].probability

    assert pair(("منذر الحلبي",)) >= pair(()) - 0.01


def test_every_level_gets_an_m_and_a_u_above_zero() -> None:
    from dhakira.core.linkage._levels import comparisons

    comps = comparisons(LinkageSettings(blocking_rules=DEFAULT_BLOCKING_RULES), "jaro_winkler",
                        units=True)
    means = prior_means(comps)
    # An untrained model: no m, no u anywhere (EM skipped, no random pair counted).
    model = with_priors({"comparisons": comps}, means, u_sampled=0, u_pairs=100.0)
    for comp in model["comparisons"]:
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        assert all(lv["m_probability"] > 0 and lv["u_probability"] > 0 for lv in levels)
        assert sum(lv["u_probability"] for lv in levels) == pytest.approx(1.0)
