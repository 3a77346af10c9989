"""Issue 17: the command line's counts in the form each number takes. ``dhakira link`` said
"2 victim mentions resolve to 1 people" (the sentence took its form from the pairs alone),
and other commands said "picture(s)", "slot(s)", "record(s)". Each count now carries its own
noun, in English's two forms and Arabic's six (the catalogue's Plural-Forms)."""

from __future__ import annotations

import pytest
from django.utils import translation

from dhakira.cli.dossier import _resolved


def _link(lang: str, role: str = "victim", **counts: int) -> str:
    with translation.override(lang):
        return _resolved(role, "R-00001", threshold=0.99, **counts)


def test_link_says_one_person_one_mention_and_one_pair_in_the_singular() -> None:
    assert _link("en", mentions=1, people=1, pairs=1) == \
        "R-00001: 1 victim mention resolved to 1 person at p >= 0.99; 1 pair queued for review"
    assert _link("en", "perpetrator", mentions=2, people=1, pairs=0) == (
        "R-00001: 2 perpetrator mentions resolved to 1 person at p >= 0.99; 0 pairs queued "
        "for review")
    assert _link("en", mentions=7758, people=4644, pairs=12) == (
        "R-00001: 7,758 victim mentions resolved to 4,644 people at p >= 0.99; 12 pairs "
        "queued for review")


@pytest.mark.parametrize(("n", "mentions", "people", "pairs"), [
    (1, "إشارة واحدة لضحية", "شخص واحد", "وأُحيل زوج واحد (1) إلى المراجعة"),
    (2, "إشارتان لضحايا", "شخصين", "وأُحيل زوجان (2) إلى المراجعة"),
    (3, "3 إشارات لضحايا", "3 أشخاص", "وأُحيلت 3 أزواج إلى المراجعة"),
    (11, "11 إشارةً لضحايا", "11 شخصًا", "وأُحيل 11 زوجًا إلى المراجعة"),
    (100, "100 إشارة لضحايا", "100 شخص", "وأُحيل 100 زوج إلى المراجعة"),
    (1203, "1,203 إشارات لضحايا", "1,203 أشخاص", "وأُحيلت 1,203 أزواج إلى المراجعة"),
])
def test_link_speaks_each_arabic_plural_form(n, mentions, people, pairs) -> None:  # type: ignore[no-untyped-def]
    assert _link("ar", mentions=n, people=n, pairs=n) == \
        f"R-00001: تعود {mentions} إلى {people} عند p ≥ 0.99؛ {pairs}"
