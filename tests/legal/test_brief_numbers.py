"""The numbers of the brief's paragraphs, from the pure summary (no database)."""

from __future__ import annotations

from datetime import date

from dhakira.apps.law.summary import (
    element_brief,
    span_of,
    summarise,
)
from dhakira.core.law import ActFact, MatrixRow, RowEntry, StandardOfProof


def _entry(uid: str, origins: tuple[str, ...], stance: str = "supports",
           kind: str = "act") -> RowEntry:
    return RowEntry(item_id=uid, kind=kind, stance=stance,
                    standard_claimed=StandardOfProof("credible_allegation"), reviewer="U-000004",
                    reviewed_at=date(2024, 5, 1), note="", source_reliability=None,
                    credibility=None, sha256=None, origin_ids=origins)


def _row(supporting: tuple[RowEntry, ...], undermining: tuple[RowEntry, ...] = ()) -> MatrixRow:
    origins = {o for e in supporting for o in e.origin_ids}
    return MatrixRow(
        element_id="CAH-PER-1", element_type="conduct", article="7(2)(g)", text_en="t",
        text_ar="ن", contextual=False, verify_against_official=True, supporting=supporting,
        undermining=undermining, independent_origins=len(origins), origin_ids=tuple(origins),
        undermining_origins=len({o for e in undermining for o in e.origin_ids}),
        best_standard=StandardOfProof("credible_allegation"), reliability_summary=(),
        credibility_summary=(), gap=None, gap_informational=False, corroboration_required=False,
        note=None)


def _fact(act: str, month: str | None, place: str | None, district: str | None) -> ActFact:
    return ActFact(act_id=act, act_type="killing", month=month, place_id=place,
                   district_id=district)


def test_the_span_counts_each_act_once_and_guesses_nothing() -> None:
    facts = [_fact("A-000001", "2015-03", "PL-000003", "PL-000002"),
             _fact("A-000001", "2015-03", "PL-000003", "PL-000002"),  # told twice
             _fact("A-000002", "2016-11", "PL-000005", "PL-000004"),
             _fact("A-000003", None, None, None),  # date and place unknown
             _fact("A-000004", "2014-07", "PL-000006", "PL-000002")]
    span = span_of(facts)
    assert (span.first_month, span.last_month, span.dated) == ("2014-07", "2016-11", 3)
    assert (span.acts, span.places, span.districts) == (4, 3, 2)
    assert span.top_districts == (("PL-000002", 2), ("PL-000004", 1))
    assert span_of([]).first_month is None and span_of([]).acts == 0


def test_an_element_brief_counts_items_origins_statuses_and_undermining() -> None:
    a1 = _entry("A-000001", ("I-0000001", "I-0000002"))
    a2 = _entry("A-000002", ("I-0000002",))
    r3 = _entry("I-0000003", ("I-0000003",), kind="information")
    against = _entry("I-0000009", ("I-0000009",), stance="undermines", kind="information")
    summary = summarise(_row((a1, a2, a1, r3), (against,)))
    statuses = {"A-000001": "vetted", "A-000002": "confirmed"}  # I-0000003: not listed
    facts = {"A-000001": [_fact("A-000001", "2015-03", "PL-000003", "PL-000002")],
             "I-0000003": [_fact("A-000001", "2015-03", "PL-000003", "PL-000002"),
                           _fact("A-000007", "2015-09", "PL-000008", "PL-000007")]}
    e = element_brief(summary, statuses=statuses, facts=facts)
    assert (summary.items, summary.acts, summary.reports) == (3, 2, 1)
    assert e.origins == 3 and (e.vetted, e.confirmed, e.disputed) == (1, 1, 0)
    assert e.by_status == (("recorded", 1), ("confirmed", 1), ("vetted", 1))
    assert (e.span.first_month, e.span.last_month, e.span.acts) == ("2015-03", "2015-09", 2)
    assert [s.entry.item_id for s in e.undermining] == ["I-0000009"]
    assert e.undermining_origins == 1

