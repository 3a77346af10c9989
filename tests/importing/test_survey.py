"""The column survey the import wizard shows (core/importing/survey.py): a property test."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dhakira.core.importing.survey import survey
from dhakira.core.importing.tables import Row, Table

WORDS = st.sampled_from(["قتل", "killing", "Ahmad", "أحمد", "", " ", "٢٧", "x y"])


@given(st.lists(st.lists(WORDS, min_size=2, max_size=2), max_size=30),
       st.integers(min_value=1, max_value=6))
def test_the_survey_lists_each_columns_distinct_values_in_order_or_says_there_are_many(
        rows: list[list[str]], limit: int) -> None:
    table = Table("t.csv", ("A", "B"), iter([Row(n + 2, tuple(r)) for n, r in enumerate(rows)]))
    columns = survey(table, samples=2, distinct=limit)
    assert [c.header for c in columns] == ["A", "B"]
    for i, column in enumerate(columns):
        filled = [" ".join(r[i].split()) for r in rows if r[i].strip()]
        distinct = list(dict.fromkeys(filled))
        assert column.filled == len(filled)
        assert column.many == (len(distinct) > limit)
        assert column.values == (() if column.many else tuple(distinct))
        assert column.samples == tuple(distinct[:2])
