"""Whole-table counts for the dashboard, timeline and map, kept current from new rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dhakira.dossier.models import NameVariant, Person, Source
from dhakira.dossier.views import _tallies

pytestmark = pytest.mark.django_db


def test_it_counts_new_rows_only_after_the_first_pass() -> None:
    Person.objects.bulk_create([Person() for _ in range(3)])
    assert _tallies.count(Person) == 3
    Person.objects.create()
    with CaptureQueriesContext(connection) as ctx:
        assert _tallies.count(Person) == 4
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and '"id" >' in counts[0].replace("`", '"')


def test_it_counts_again_when_the_last_row_seen_is_gone() -> None:
    people = Person.objects.bulk_create([Person() for _ in range(3)])
    assert _tallies.count(Person) == 3
    Person.objects.filter(pk=people[-1].pk).delete()
    Person.objects.create()  # a new last row: the stamp no longer matches
    assert _tallies.count(Person) == 3


def test_it_says_zero_for_an_empty_table() -> None:
    assert _tallies.count(Source) == 0


def test_it_counts_a_table_without_a_creation_time() -> None:
    person = Person.objects.create()
    NameVariant.objects.create(person=person, text="Khalid", script="latn")
    assert _tallies.count(NameVariant) == 1
    NameVariant.objects.create(person=person, text="خالد", script="arab")
    assert _tallies.count(NameVariant) == 2
