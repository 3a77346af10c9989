"""The SQLCipher engine behaves like Django's SQLite backend at dossier sizes."""

from __future__ import annotations

import pytest

from dhakira.dossier.models import NameVariant, Person

pytestmark = pytest.mark.django_db


def test_it_prefetches_more_related_rows_than_sqlites_expression_depth(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    # Without row values Django builds "id = 1 OR id = 2 OR …", which fails past ~1,000 terms.
    people = Person.objects.bulk_create(Person() for _ in range(1500))
    NameVariant.objects.bulk_create(NameVariant(person=p, text=f"n{p.pk}", script="latn") for p in people)
    with django_assert_max_num_queries(2):
        names = list(NameVariant.objects.prefetch_related("person"))
    assert len(names) == 1500
    assert all(n.person.pk == n.person_id for n in names)
