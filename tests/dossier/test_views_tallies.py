"""Whole-table counts for the dashboard, timeline and map, kept current from new rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dhakira.apps.dossier.models import NameVariant, Person, Source
from dhakira.apps.dossier.views import _tallies

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


def test_finding_18_6_a_row_whose_id_commits_after_a_later_one_is_counted() -> None:
    # On PostgreSQL, a transaction holding id n may commit after id n+1 has: the count
    # taken in between sees n+1 and not n. Replayed here with explicit ids.
    first = Person.objects.create()
    Person.objects.create(pk=first.pk + 2)
    assert _tallies.count(Person) == 2
    Person.objects.create(pk=first.pk + 1)  # the late commit, below the last id seen
    assert _tallies.count(Person) == 3
    Person.objects.create(pk=first.pk + 4)
    Person.objects.create(pk=first.pk + 3)  # a gap inside the rows added since
    assert _tallies.count(Person) == 5


@pytest.mark.django_db(transaction=True)
def test_finding_18_6_two_writers_committing_out_of_order_are_both_counted() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLCipher writers take turns: ids commit in order")
    import threading

    from django.db import connections, transaction

    Person.objects.create()
    assert _tallies.count(Person) == 1
    took, go = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                Person.objects.create()  # takes its id now, commits later
                took.set()
                go.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert took.wait(10)
    Person.objects.create()  # a later id, committed first
    assert _tallies.count(Person) == 2
    go.set()
    thread.join(10)
    assert _tallies.count(Person) == 3
