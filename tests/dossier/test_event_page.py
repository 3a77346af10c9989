"""The event page in both languages: the chain's relation in the reader's words with arrows
that point the way the line reads, and the date said once (a new user's walk of the demo)."""

from __future__ import annotations

import re

import pytest
from tests.dossier import scenario
from tests.dossier.test_views_browse import _get, s  # noqa: F401  (the fixture)

from dhakira.apps.dossier.models import Event, EventChain
from dhakira.core.dates import parse_fuzzy_date

pytestmark = pytest.mark.django_db


def _chained(world: scenario.Scenario) -> Event:
    arrest = Event(title="Arrest at the checkpoint", place=world.place)
    arrest.set_date(parse_fuzzy_date("2014-10-02"))
    arrest.save()
    EventChain.objects.create(from_event=arrest, to_event=world.event, chain_type="precedes")
    return arrest


def _chain(html: str) -> str:
    return re.search(r'<ul id="chain">(.*?)</ul>', html, re.S).group(1)  # type: ignore[union-attr]


def test_the_chain_says_its_relation_in_arabic_with_arrows_that_read_right_to_left(s) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    arrest = _chained(s)
    arabic = _chain(_get(f"/events/{s.event.pk}/", lang="ar"))
    assert "يسبق" in arabic and "precedes" not in arabic.lower()
    assert "→" not in arabic and arabic.count("←") == 2
    # The earlier event comes first in the line (rightmost in Arabic), this event last.
    assert arabic.index(arrest.title) < arabic.index("يسبق") < arabic.index("هذا الحدث")
    english = _chain(_get(f"/events/{s.event.pk}/"))
    assert "Precedes" in english and english.count("→") == 2 and "←" not in english
    later = _chain(_get(f"/events/{arrest.pk}/", lang="ar"))
    assert later.index("هذا الحدث") < later.index("يسبق") < later.index(s.event.title)


def _date(html: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r'<p id="event-date">(.*?)</p>', html, re.S).group(1))  # type: ignore[union-attr]


def test_a_day_given_as_numbers_is_said_once_in_the_readers_words(s) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    arrest = _chained(s)
    arabic = _date(_get(f"/events/{arrest.pk}/", lang="ar"))
    assert "2 تشرين الأول 2014" in arabic and arabic.count("2014") == 1, arabic
    english = _date(_get(f"/events/{arrest.pk}/"))
    assert "2 Oct 2014" in english and english.count("2014") == 1, english


def test_a_date_in_words_keeps_the_words_beside_the_days_they_allow(s) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    arabic = _date(_get(f"/events/{s.event.pk}/", lang="ar"))
    assert "بين 21 تشرين الأول 2014 و31 تشرين الأول 2014" in arabic
    assert "late October 2014" in arabic and "كما ورد" in arabic
    assert "-10-" not in arabic  # no third, ISO spelling of the same days
