"""A hand-built review queue: people, a link run and candidate pairs with chosen levels.

Views need queued pairs, not a model run: they are built as a run would have stored them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from dhakira.apps.dossier.models import NameVariant, Person
from dhakira.apps.linkage.models import CandidatePair, LinkRun
from dhakira.apps.linkage.ordering import weight
from dhakira.core.linkage import LinkageSettings

SETTINGS = LinkageSettings()  # cluster threshold 0.99, smallest age gap 2 years
STARTED = datetime(2025, 3, 1, tzinfo=UTC)

# Every compared field agrees (names, date, place, sex); age is not given in one record.
ALIKE = {"ism": [5, "ism keys agree"], "father": [5, "father keys agree"],
         "grandfather": [-1, "grandfather missing in one record"],
         "date": [3, "dates overlap"], "place": [2, "same place"], "sex": [1, "same sex"],
         "age": [-1, "age missing in one record"]}
# The fathers' names differ and the dates are a month apart.
DIFFER = ALIKE | {"father": [0, "father differs"], "date": [2, "dates within 31 days"]}


def person(name: str, *, sex: str = "male", age: int | None = 30, **variant: Any) -> Person:
    p = Person.objects.create(sex=sex, age=age)
    NameVariant.objects.create(person=p, text=name, script="latn", **variant)
    return p


def new_run(role: str = "victim", settings: LinkageSettings = SETTINGS) -> LinkRun:
    return LinkRun.objects.create(role=role, settings_json=settings.to_dict(),
                                  version=settings.version, started_at=STARTED,
                                  started_by="rana")


MakePair = Callable[..., CandidatePair]


@pytest.fixture
def make_pair(db) -> MakePair:  # type: ignore[no-untyped-def]
    """make_pair(run, probability, levels=ALIKE, left=None, right=None): a queued pair of
    two new people (or of the people given)."""
    counter = iter(range(10_000))

    def make(run: LinkRun, probability: float, levels: dict[str, list[Any]] | None = None,
             left: Person | None = None, right: Person | None = None) -> CandidatePair:
        n = next(counter)
        a = left or person(f"Samir Khalil {n}")
        b = right or person(f"Sameer Khaleel {n}")
        a, b = sorted((a, b), key=lambda p: p.pk)
        return CandidatePair.objects.create(run=run, left=a, right=b,
                                            match_weight=weight(probability),
                                            probability=probability,
                                            levels=levels if levels is not None else ALIKE)
    return make
