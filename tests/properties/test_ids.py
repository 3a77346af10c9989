"""Issue 18 item 6: one place formats and parses record ids, and the two agree."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dhakira.core import ids

pytestmark = pytest.mark.backend_independent

KINDS = st.sampled_from(sorted(ids.KINDS))
PKS = st.integers(0, 10**9)


@given(KINDS, PKS)
def test_issue18_6_every_id_parses_back_to_its_key(kind: str, pk: int) -> None:
    k = ids.KINDS[kind]
    uid = k.format(pk)
    assert k.parse(uid) == pk == k.parse_loose(uid) == k.parse_loose(f"  {uid.lower()} ")
    assert uid.startswith(f"{k.prefix}-") and len(uid) >= len(k.prefix) + 1 + k.width


@given(KINDS, st.text(max_size=14))
def test_issue18_6_parse_accepts_exactly_what_format_writes(kind: str, text: str) -> None:
    k = ids.KINDS[kind]
    pk = k.pk_or_none(text)
    assert pk is None or k.format(pk) == text


@given(KINDS, KINDS, PKS)
def test_an_id_of_one_kind_is_not_read_as_another_unless_they_look_alike(
        a: str, b: str, pk: int) -> None:
    ka, kb = ids.KINDS[a], ids.KINDS[b]
    got = kb.pk_or_none(ka.format(pk))
    assert got is None or (ka.prefix == kb.prefix and got == pk)


def test_the_published_widths_do_not_change() -> None:
    # Ids are in packages, custody entries and the CLI: a width change breaks all three.
    assert [ids.PERSON.format(44), ids.REPORT.format(7), ids.EVIDENCE.format(3),
            ids.CHARGE.format(1)] == ["P-000044", "I-0000007", "EV-000003", "CH-0001"]
    assert ids.PERSON.format(1234567) == "P-1234567"


@pytest.mark.parametrize("bad", ["", "P-", "P-44", "P-0000044", "p-000044", "P-000044 ",
                                 "P-٠٠٠٠٤٤", "X-000044"])
def test_a_malformed_person_id_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="is not an id like P-000001"):
        ids.PERSON.parse(bad)


def test_a_key_that_is_not_a_whole_number_is_refused() -> None:
    with pytest.raises(TypeError):
        ids.PERSON.format(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ids.PERSON.format(-1)


def test_the_module_examples_pass() -> None:
    result = doctest.testmod(ids)
    assert result.attempted >= 3 and result.failed == 0


@given(KINDS, st.integers(ids.MAX_KEY + 1, 10**40))
def test_a_key_larger_than_any_database_holds_is_no_id(kind: str, pk: int) -> None:
    """A query string's or a typed id's 30-digit number reached the database, which cannot
    hold it (SQLite: OverflowError, an HTTP 500 on the events list's place filter)."""
    k = ids.KINDS[kind]
    assert k.pk_or_none(k.format(pk)) is None and ids.key_or_none(str(pk)) is None
    with pytest.raises(ValueError):
        k.parse_loose(str(pk))
    assert k.parse(k.format(ids.MAX_KEY)) == ids.MAX_KEY == ids.key_or_none(str(ids.MAX_KEY))


@given(st.text(max_size=25))
def test_key_or_none_reads_plain_digits_only(text: str) -> None:
    key = ids.key_or_none(text)
    assert key is None or (0 <= key <= ids.MAX_KEY and str(key) == text.strip().lstrip("0")
                           or str(key) == "0")
