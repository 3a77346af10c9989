"""Capture histories from a hand-built dossier (runs on SQLCipher and PostgreSQL)."""

from __future__ import annotations

import pytest

from dhakira.apps.counting.definitions import ListDefinition, StrataDefinition
from dhakira.apps.counting.errors import DefinitionError, ResolutionError
from dhakira.apps.counting.histories import capture_histories, person_pk


def _counts(table):  # type: ignore[no-untyped-def]
    return {p: c for p, c in table.counts.items() if c}


def test_it_counts_each_resolved_victim_once_with_the_lists_that_recorded_them(world):
    hist = capture_histories(world.resolution)
    assert hist.lists == ("alpha", "beta", "gamma")
    assert _counts(hist.tables["all"]) == {"110": 1, "100": 1, "111": 1, "001": 1}
    assert hist.victims == 4


def test_mentions_the_resolution_does_not_cover_count_as_their_own_victim(world):
    hist = capture_histories(world.resolution)
    assert hist.unresolved == 1
    assert hist.mentions == 7  # m4's source is on no list


def test_without_linkage_every_mention_is_a_victim(world):
    hist = capture_histories({})
    assert hist.victims == 7
    assert hist.tables["all"].observed == 7


def test_it_splits_victims_into_strata_that_add_up(world):
    hist = capture_histories(world.resolution, strata=StrataDefinition(by=("year", "district")))
    assert {s: t.observed for s, t in hist.tables.items()} == {
        "2015 / Mosul": 2, "2016 / Tal Afar": 2}


def test_it_takes_the_value_most_reports_give_for_a_stratum(world):
    # Victim 3's three mentions say male, unknown and male.
    hist = capture_histories(world.resolution, strata=StrataDefinition(by=("sex",)))
    assert hist.stratum_of["c:2"] == "male"
    assert {s: t.observed for s, t in hist.tables.items()} == {"female": 1, "male": 3}


def test_lists_can_be_channels_instead_of_networks(world):
    hist = capture_histories(world.resolution, ListDefinition(by="channel"))
    assert hist.lists == ("email", "in_person", "phone")
    assert hist.tables["all"].observed == 4


def test_an_analyst_can_merge_and_choose_lists(world):
    lists = ListDefinition(by="network", include=("alpha", "beta", "gamma"),
                           merge={"beta": "beta+gamma", "gamma": "beta+gamma"})
    hist = capture_histories(world.resolution, lists)
    assert hist.lists == ("alpha", "beta+gamma")
    assert _counts(hist.tables["all"]) == {"11": 2, "10": 1, "01": 1}


def test_it_refuses_to_count_with_fewer_than_two_lists(world):
    from django.utils import translation

    with translation.override("en"), pytest.raises(DefinitionError, match="at least two"):
        capture_histories(world.resolution, ListDefinition(include=("alpha",)))
    with translation.override("ar"), pytest.raises(DefinitionError) as refused:
        capture_histories(world.resolution, ListDefinition(include=("alpha",)))
    assert "قائمتين على الأقل" in str(refused.value)  # in the language active where raised
    assert (refused.value.code, refused.value.params["n"]) == ("lists_recorded", 1)


def test_it_rejects_a_malformed_person_id():
    with pytest.raises(ResolutionError):
        person_pk("Q-12")
    assert person_pk("P-000042") == person_pk(42) == 42


def test_definitions_round_trip_through_json():
    lists = ListDefinition(by="material_type", include=("testimony",), merge={"a": "b"})
    strata = StrataDefinition(by=("half_year", "act_type"))
    assert ListDefinition.from_json(lists.to_json()) == lists
    assert StrataDefinition.from_json(strata.to_json()) == strata
    assert StrataDefinition.from_json("year, district").by == ("year", "district")


def test_definitions_reject_unknown_dimensions():
    with pytest.raises(DefinitionError):
        ListDefinition(by="colour")
    with pytest.raises(DefinitionError):
        StrataDefinition(by=("year", "half_year"))
    with pytest.raises(DefinitionError, match=r"^unknown list setting \['extra'\]$"):
        ListDefinition.from_json({"by": "network", "extra": 1})
    with pytest.raises(DefinitionError, match=r"^unknown list settings \['a', 'b'\]$"):
        ListDefinition.from_json({"by": "network", "b": 1, "a": 2})
    with pytest.raises(DefinitionError, match=r"^unknown strata setting \['of'\]$"):
        StrataDefinition.from_json({"by": [], "of": 1})


def test_a_refusal_for_too_few_lists_says_when_mentions_were_set_aside(world):  # type: ignore[no-untyped-def]
    """Beta and gamma told of victims by kunya alone: only alpha names anyone, and the
    refusal says why, rather than only advising other lists."""
    from django.utils import translation

    from dhakira.apps.dossier.models import NameVariant

    for person in (world.mentions[1], world.mentions[4], world.mentions[5], world.mentions[7]):
        NameVariant.objects.filter(person=person).update(text="Abu Ali", kind="kunya")
    with translation.override("en"), pytest.raises(DefinitionError) as refused:
        capture_histories(world.resolution)
    assert refused.value.params == {**refused.value.params, "n": 1, "set_aside": 4}
    assert "(4 mentions that name no one were set aside" in str(refused.value)
    with translation.override("ar"), pytest.raises(DefinitionError) as refused:
        capture_histories(world.resolution)
    assert "استُبعدت 4 إشارات لا تسمّي أحدًا" in str(refused.value)
    # and with every mention named, no such words
    with translation.override("en"), pytest.raises(DefinitionError) as plain:
        capture_histories(world.resolution, ListDefinition(include=("alpha",)))
    assert "set aside" not in str(plain.value)
