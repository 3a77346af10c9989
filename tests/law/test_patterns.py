"""Pattern indicators on a small hand-counted set of acts."""

from __future__ import annotations

import pytest

from dhakira.core.law import ActFact, pattern_summary
from dhakira.core.law.errors import InvalidActFactError


def act(
    n: int,
    month: str | None,
    place: str | None,
    method: str | None,
    ground: str | None,
    unit: str | None,
    *,
    public: bool | None = True,
    announced: bool | None = False,
    act_type: str = "execution",
    district: str | None = "D-1",
) -> ActFact:
    return ActFact(
        act_id=f"A{n}",
        act_type=act_type,
        month=month,
        place_id=place,
        district_id=district,
        method=method,
        ground=ground,
        unit_id=unit,
        public_setting=public,
        announced=announced,
    )


SODOMY = "attributed_sexual_orientation"
ACTS = [
    # Hand count: H (hisba unit) threw 4 men from height for "sodomy": a cluster of 4.
    act(1, "2015-01", "P-1", "thrown_from_height", SODOMY, "U-H", announced=True),
    act(2, "2015-01", "P-1", "thrown_from_height", SODOMY, "U-H", announced=True),
    act(3, "2015-03", "P-2", "thrown_from_height", SODOMY, "U-H"),
    act(4, "2015-06", "P-3", "thrown_from_height", SODOMY, "U-H", district="D-2"),
    # Same method and ground but another unit: only 2, no cluster.
    act(5, "2015-06", "P-3", "thrown_from_height", SODOMY, "U-P", district="D-2"),
    act(6, "2015-06", "P-3", "thrown_from_height", SODOMY, "U-P", district="D-2"),
    # Stonings for adultery: 3 by U-P but one lacks a unit, so no cluster.
    act(7, "2015-02", "P-2", "stoning", "adultery_zina", "U-P", public=False),
    act(8, None, "P-2", "stoning", "adultery_zina", "U-P", public=None),
    act(9, "2015-02", None, "stoning", "adultery_zina", None, district=None),
    # A detention, no method.
    act(10, "2015-03", "P-1", None, None, "U-H", act_type="detention_imprisonment", public=False),
]


def test_it_counts_by_month_chronologically() -> None:
    summary = pattern_summary(ACTS)
    assert summary.by_month == (("2015-01", 2), ("2015-02", 2), ("2015-03", 2), ("2015-06", 3))
    assert summary.months_with_acts == 4
    assert (summary.first_month, summary.last_month, summary.months_in_span) == (
        "2015-01",
        "2015-06",
        6,
    )


def test_it_counts_places_districts_methods_grounds_units() -> None:
    s = pattern_summary(ACTS)
    assert s.total == 10
    assert s.by_place == (("P-1", 3), ("P-2", 3), ("P-3", 3))
    assert s.by_district == (("D-1", 6), ("D-2", 3))
    assert s.distinct_places == 3 and s.distinct_districts == 2
    assert s.by_method == (("thrown_from_height", 6), ("stoning", 3))
    assert s.by_ground == ((SODOMY, 6), ("adultery_zina", 3))
    assert s.by_unit == (("U-H", 5), ("U-P", 4))
    assert s.by_act_type == (("execution", 9), ("detention_imprisonment", 1))


def test_it_counts_unknowns_instead_of_guessing() -> None:
    unknown = dict(pattern_summary(ACTS).unknown)
    assert unknown == {"month": 1, "place": 1, "district": 1, "method": 1, "ground": 1, "unit": 1}


def test_it_finds_the_repeated_modus_operandi() -> None:
    clusters = pattern_summary(ACTS).modus_operandi
    assert len(clusters) == 1
    mo = clusters[0]
    assert (mo.method, mo.ground, mo.unit_id, mo.count) == ("thrown_from_height", SODOMY, "U-H", 4)
    assert mo.act_ids == ("A1", "A2", "A3", "A4")
    assert (mo.public_count, mo.announced_count) == (4, 2)
    assert mo.place_ids == ("P-1", "P-2", "P-3")


def test_a_lower_threshold_reveals_smaller_clusters() -> None:
    clusters = pattern_summary(ACTS, min_cluster=2).modus_operandi
    assert [(c.unit_id, c.method, c.count) for c in clusters] == [
        ("U-H", "thrown_from_height", 4),
        ("U-P", "stoning", 2),
        ("U-P", "thrown_from_height", 2),
    ]


def test_it_reports_public_and_announced_shares() -> None:
    s = pattern_summary(ACTS)
    assert (s.public_count, s.announced_count) == (7, 2)
    assert s.public_share == pytest.approx(0.7)
    assert s.announced_share == pytest.approx(0.2)


def test_an_empty_set_gives_zeroes_not_errors() -> None:
    s = pattern_summary([])
    assert s.total == 0 and s.public_share is None and s.first_month is None


def test_it_rejects_a_malformed_month_and_duplicate_acts() -> None:
    with pytest.raises(InvalidActFactError, match="YYYY-MM"):
        act(1, "2015-13", "P", None, None, None)
    with pytest.raises(InvalidActFactError, match="twice"):
        pattern_summary([ACTS[0], ACTS[0]])
    with pytest.raises(InvalidActFactError, match="min_cluster"):
        pattern_summary(ACTS, min_cluster=1)


def test_to_dict_is_json_ready() -> None:
    import json

    data = json.loads(json.dumps(pattern_summary(ACTS).to_dict()))
    assert data["by_month"][0] == ["2015-01", 2]
    assert data["modus_operandi"][0]["count"] == 4
