"""The proof matrix on hand-built scenarios with known answers."""

from __future__ import annotations

from datetime import date

import pytest

from dhakira.core.law import (
    GAP_NONE,
    GAP_SINGLE_ORIGIN,
    Assessment,
    Charge,
    Item,
    StandardOfProof,
    build_matrix,
    load_catalogue,
)
from dhakira.core.law._lineage import root_origins
from dhakira.core.law.errors import (
    BeyondReasonableDoubtRefused,
    InvalidAssessmentError,
    InvalidItemError,
    StandardOfProofError,
    UnknownCrimeError,
)

DAY = date(2024, 3, 1)
MURDER = Charge(
    id="CH-1",
    crime_id="CAH-MURDER",
    title="Killings in district X, 2015",
    place_ids=("PL-1",),
    date_from=date(2015, 1, 1),
    date_to=date(2015, 12, 31),
    victim_group="men accused of sodomy",
    perpetrator_ids=("U-1",),
)


def support(item_id: str, element_id: str = "CAH-MUR-1", **kw: object) -> Assessment:
    fields: dict = {
        "stance": "supports",
        "standard_claimed": "reasonable_grounds",
        "reviewer": "analyst-a",
        "reviewed_at": DAY,
    }
    fields.update(kw)
    return Assessment(item_id=item_id, element_id=element_id, **fields)


def matrix(items: list[Item], assessments: list[Assessment], charge: Charge = MURDER):
    return build_matrix(charge, load_catalogue(), items, assessments)


def test_three_independent_reports_count_as_three_origins() -> None:
    items = [Item(f"INF-{i}", "information") for i in (1, 2, 3)]
    row = matrix(items, [support(i.id) for i in items]).row("CAH-MUR-1")
    assert row.independent_origins == 3
    assert row.gap is None


def test_three_reports_derived_from_one_video_count_once() -> None:
    video = Item("EV-VIDEO", "evidence", sha256="a" * 64)
    reports = [Item(f"INF-{i}", "information", derived_from=("EV-VIDEO",)) for i in (1, 2, 3)]
    row = matrix([video, *reports], [support(r.id) for r in reports]).row("CAH-MUR-1")
    assert row.independent_origins == 1
    assert row.origin_ids == ("EV-VIDEO",)
    assert row.gap == GAP_SINGLE_ORIGIN


def test_a_chain_of_reposts_traces_back_to_its_root() -> None:
    items = [
        Item("V", "evidence"),
        Item("P1", "information", derived_from=("V",)),
        Item("P2", "information", derived_from=("P1",)),
        Item("W", "information"),
    ]
    row = matrix(items, [support("P2"), support("W")]).row("CAH-MUR-1")
    assert row.origin_ids == ("V", "W")


def test_a_parent_that_was_not_supplied_still_counts_as_one_origin() -> None:
    items = [
        Item("A", "information", derived_from=("MISSING",)),
        Item("B", "information", derived_from=("MISSING",)),
    ]
    assert matrix(items, [support("A"), support("B")]).row("CAH-MUR-1").independent_origins == 1


def test_a_lineage_cycle_does_not_hang_and_counts_once() -> None:
    items = [
        Item("A", "information", derived_from=("B",)),
        Item("B", "information", derived_from=("C",)),
        Item("C", "information", derived_from=("A",)),
    ]
    row = matrix(items, [support("A"), support("B"), support("C")]).row("CAH-MUR-1")
    assert row.independent_origins == 1


def test_a_cycle_with_an_exit_resolves_to_the_exit() -> None:
    origins = root_origins({"A": ["B"], "B": ["A", "ROOT"], "ROOT": []})
    assert origins["A"] == origins["B"] == frozenset({"ROOT"})


def test_a_deep_lineage_does_not_overflow_the_stack() -> None:
    parents = {f"n{i}": [f"n{i + 1}"] for i in range(5000)}
    assert root_origins(parents)["n0"] == frozenset({"n5000"})


def test_a_charge_with_a_missing_element_reports_a_gap() -> None:
    items = [Item("INF-1", "information"), Item("INF-2", "information")]
    result = matrix(items, [support("INF-1"), support("INF-2")])
    gaps = {row.element_id: row.gap for row in result.gaps()}
    assert "CAH-MUR-1" not in gaps
    assert gaps["CAH-CTX-2"] == GAP_NONE
    assert set(gaps) == {"CAH-CTX-1", "CAH-CTX-2", "CAH-CTX-3", "CAH-CTX-4", "CAH-CTX-5"}


def test_a_row_names_required_elements_that_have_no_support() -> None:
    items = [Item("INF-1", "information")]
    row = matrix(items, [support("INF-1", "CAH-CTX-4")]).row("CAH-CTX-4")
    assert row.requires_with_gaps == ("CAH-CTX-1",)


def test_an_exculpatory_item_stays_visible() -> None:
    items = [
        Item("INF-1", "information"),
        Item("INF-2", "information"),
        Item("DOC-ALIBI", "document", source_reliability="B", credibility=2),
    ]
    assessments = [
        support("INF-1"),
        support("INF-2"),
        support("DOC-ALIBI", stance="undermines", note="victim seen alive later"),
    ]
    row = matrix(items, assessments).row("CAH-MUR-1")
    assert [e.item_id for e in row.undermining] == ["DOC-ALIBI"]
    assert row.undermining[0].note == "victim seen alive later"
    assert row.undermining_origins == 1
    assert row.independent_origins == 2  # the alibi does not count as support
    assert "DOC-ALIBI" in str(matrix(items, assessments).to_dict())


def test_an_element_with_only_undermining_items_is_still_a_gap_and_lists_them() -> None:
    items = [Item("DOC-1", "document")]
    row = matrix(items, [support("DOC-1", stance="undermines")]).row("CAH-MUR-1")
    assert row.gap == GAP_NONE
    assert len(row.undermining) == 1


def test_best_standard_and_grading_summaries() -> None:
    items = [
        Item("A", "information", source_reliability="B", credibility=2),
        Item("B", "information", source_reliability="F", credibility=3),
        Item("C", "information"),
    ]
    assessments = [
        support("A", standard_claimed="credible_allegation"),
        support("B", standard_claimed=StandardOfProof.CLEAR_AND_CONVINCING),
        support("C", standard_claimed="Unverified allegation"),
    ]
    row = matrix(items, assessments).row("CAH-MUR-1")
    assert row.best_standard is StandardOfProof.CLEAR_AND_CONVINCING
    assert dict(row.reliability_summary) == {"B": 1, "F": 1, "unknown": 1}
    assert dict(row.credibility_summary) == {"2": 1, "3": 1, "unknown": 1}


def test_single_origin_on_sexual_violence_is_informational_not_a_blocker() -> None:
    charge = Charge(id="CH-2", crime_id="CAH-RAPE", title="Rape in detention")
    row = matrix([Item("T-1", "information")], [support("T-1", "CAH-RAP-1")], charge).row(
        "CAH-RAP-1"
    )
    assert row.gap == GAP_SINGLE_ORIGIN
    assert row.gap_informational is True
    assert row.corroboration_required is False
    assert row.note is not None and "Rule 63(4)" in row.note


def test_single_origin_on_murder_is_not_marked_informational() -> None:
    row = matrix([Item("T-1", "information")], [support("T-1")]).row("CAH-MUR-1")
    assert row.gap == GAP_SINGLE_ORIGIN and row.gap_informational is False


@pytest.mark.parametrize(
    "claim",
    ["beyond_reasonable_doubt", "Beyond reasonable doubt", "beyond-a-reasonable-doubt", "BRD"],
)
def test_it_refuses_beyond_reasonable_doubt(claim: str) -> None:
    with pytest.raises(BeyondReasonableDoubtRefused, match="art. 66"):
        support("INF-1", standard_claimed=claim)


def test_it_refuses_an_unknown_standard() -> None:
    with pytest.raises(StandardOfProofError, match="use one of"):
        support("INF-1", standard_claimed="pretty_sure")


def test_an_assessment_needs_a_reviewer() -> None:
    with pytest.raises(InvalidAssessmentError, match="reviewer"):
        support("INF-1", reviewer="  ")


def test_it_rejects_an_assessment_of_an_item_not_supplied() -> None:
    with pytest.raises(InvalidAssessmentError, match="not supplied"):
        matrix([], [support("GHOST")])


def test_it_rejects_duplicate_items_and_bad_grades() -> None:
    with pytest.raises(InvalidItemError):
        matrix([Item("A", "information"), Item("A", "evidence")], [])
    with pytest.raises(InvalidItemError, match="A-F"):
        Item("A", "information", source_reliability="G")
    with pytest.raises(InvalidItemError, match="1-6"):
        Item("A", "information", credibility=7)
    with pytest.raises(InvalidItemError, match="sha256"):
        Item("A", "evidence", sha256="not-a-hash")


def test_it_rejects_an_unknown_crime() -> None:
    with pytest.raises(UnknownCrimeError):
        matrix([], [], Charge(id="CH-9", crime_id="CAH-NOPE", title="x"))


def test_assessments_on_other_crimes_elements_are_not_rows() -> None:
    items = [Item("A", "information")]
    result = matrix(items, [support("A", "CAH-TOR-1")])
    assert "CAH-TOR-1" not in [row.element_id for row in result.rows]


def test_the_matrix_records_the_catalogue_version_and_round_trips_to_dict() -> None:
    result = matrix([Item("A", "information")], [support("A")])
    data = result.to_dict()
    assert data["catalogue_version"] == load_catalogue().version
    assert data["charge"]["date_from"] == "2015-01-01"
    assert data["rows"][0]["supporting"][0]["standard_claimed"] == "reasonable_grounds"


def test_it_accepts_the_dossiers_lower_case_admiralty_codes() -> None:
    item = Item("A", "information", source_reliability="b", credibility="2")  # type: ignore[arg-type]
    assert (item.source_reliability, item.credibility) == ("B", 2)
