"""The brief's estimate section reads the run as the Counting page does, in the brief's language."""

from __future__ import annotations

from datetime import date

import pytest
from tests.counting.saved import WIDE, saved_run, total
from tests.legal import scenario
from tests.legal.test_brief import NOW

from dhakira.apps.law import brief, services

LINKAGE = {"run": "R-00007", "threshold": 0.99, "decisions": 3, "stale": False}
SENSITIVITY = {"looser": {**total(7100, 7600.0, 7400.0, 7900.0), "threshold": 0.9},
               "stricter": {**total(8400, 9100.0, 8800.0, 9600.0), "threshold": 0.999}}


@pytest.fixture
def charge(db, cast):  # type: ignore[no-untyped-def]
    world = scenario.build()
    return services.create_charge(
        cast["amal"], crime_id="CAH-PERSECUTION", title="Persecution, Ninawa",
        places=[world.places["ninawa"]], date_from=date(2014, 6, 1), date_to=date(2017, 12, 31),
        ground_tags=["sexual_orientation"])


def section(html: str) -> str:
    return html[html.index('id="estimate"'):].split("</div>")[0]


def test_a_usable_estimate_gives_the_sentence_linkage_and_sensitivity(charge):
    run = saved_run(linkage=LINKAGE, sensitivity=SENSITIVITY)
    part = section(brief.brief_html(charge, lang="en", now=NOW,
                                    estimate=services.latest_estimate()))
    assert "The lists documented 7,758 victims. The estimated total is about 8,200" in part
    assert run.uid in part and "linkage run R-00007 at match threshold 0.99, with 3 review" in part
    assert ("Stricter matching (fewer mentions joined), threshold 0.999: about 9,100 (95% "
            "interval 8,800 to 9,600)") in part
    assert "it is not a list of names" in part and "Not usable" not in part


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "about 8,200 (95% interval 7,800 to 9,380, allowing for doubt over who is the same "
           "person; 7,900 to 8,700 if the matching were certain)"),
    ("ar", "بنحو 8,200 (فترة ثقة 95%: من 7,800 إلى 9,380 مع مراعاة الشك في مَن هو الشخص نفسه؛ "
           "ومن 7,900 إلى 8,700 لو كانت المطابقة مؤكدة)")])
def test_issue_14_the_brief_quotes_the_interval_allowing_for_matching(charge, lang, said):  # type: ignore[no-untyped-def]
    saved_run(linkage=LINKAGE, sensitivity=SENSITIVITY, with_matching=[7800.0, 9380.0])
    part = section(brief.brief_html(charge, lang=lang, now=NOW,
                                    estimate=services.latest_estimate()))
    assert said in part


def test_issue_14_an_unusable_estimate_is_not_the_brief_s_number(charge):
    """The brief said "do not quote this number" and then quoted it, with its sensitivity
    figures; a brief goes out, and docs/legal-analysis.md says an unusable estimate is not
    quoted (found by an analyst pass). The Counting page keeps the number for checking."""
    saved_run(observed=7758, estimate=4_622_463.0, low=2_400_000.0, high=9_400_000.0,
              warnings=(WIDE,), linkage=LINKAGE, sensitivity=SENSITIVITY)
    part = section(brief.brief_html(charge, lang="ar", now=NOW,
                                    estimate=services.latest_estimate()))
    assert "غير صالح للاستخدام، لأن:" in part
    assert "لا يُذكر رقمه في هذه المذكرة" in part
    assert 'id="estimate-sentence"' not in part  # (its reasons may name the figures they judge)
    for figure in ("7,600", "9,100"):  # the sensitivity figures
        assert figure not in part, figure
    assert "عملية الربط R-00007" in part and "مطابقة 0.99" in part
    assert "it is not" not in part  # all in Arabic


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Method: latent-class model (LCMCR); lists by source network; strata: none"),
    ("ar", "الطريقة: ")])
def test_the_brief_says_how_its_estimate_was_made(charge, lang, said):  # type: ignore[no-untyped-def]
    """Two runs on one dossier gave "about 1,953" and "about 2,033" (another method and
    strata), and the brief named neither (found by an analyst pass)."""
    saved_run(linkage=LINKAGE)
    part = section(brief.brief_html(charge, lang=lang, now=NOW,
                                    estimate=services.latest_estimate()))
    how = part.split('id="estimate-how">')[1].split("</p>")[0]
    assert how.startswith(said), how


def test_an_unbounded_estimate_still_reaches_the_brief_with_its_reason(charge):
    saved_run(estimate=None, low=7758.0, high=None, linkage=LINKAGE)
    part = section(brief.brief_html(charge, lang="en", now=NOW,
                                    estimate=services.latest_estimate()))
    assert "is unbounded" in part
    # No "about ∞": the lower end is said, the missing upper end in words (in a row, a
    # two-report dossier's brief read "about ∞ (95% interval ∞ to ∞)").
    assert "at least 7,758" in part and "∞" not in part


TRUTH = "demo truth file truth.json (true identities)"


def test_a_run_from_a_truth_file_never_reaches_the_brief(charge):
    # In a row: `dhakira estimate --resolution truth.json` made the latest run, and the brief
    # carried its number. A court brief gives only an estimate from the dossier's linkage.
    saved_run(observed=40, estimate=55.0, low=44.0, high=71.0, resolution=TRUTH)
    for lang, words in (("en", "Not included: the only estimates in this vault counted people "
                               "by a file"),
                        ("ar", "غير مُدرج: التقديرات الوحيدة في هذه الخزنة")):
        part = section(brief.brief_html(charge, lang=lang, now=NOW,
                                        estimate=services.latest_estimate()))
        assert words in part and TRUTH in part  # the run's label, as the Counting page has it
        assert "55" not in part and "71" not in part and "estimate-sentence" not in part


def test_the_brief_takes_the_latest_run_from_the_linkage_not_a_newer_file_run(charge):
    dossier = saved_run(linkage=LINKAGE)
    saved_run(observed=40, estimate=55.0, low=44.0, high=71.0, resolution=TRUTH)
    part = section(brief.brief_html(charge, lang="en", now=NOW,
                                    estimate=services.latest_estimate()))
    assert dossier.uid in part and "about 8,200" in part
    assert TRUTH not in part and "55" not in part


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "1,204 mentions name no one (a kunya or an alias alone, or “unknown”)"),
    ("ar", "1,204 إشارات لا تسمّي أحدًا (كنية أو لقب وحدهما، أو «مجهول»)")])
def test_the_mentions_set_aside_for_want_of_a_name_are_in_the_brief(charge, lang, said):  # type: ignore[no-untyped-def]
    run = saved_run(linkage=LINKAGE, sensitivity=SENSITIVITY)
    run.result["set_aside"] = 1204
    run.save()
    part = section(brief.brief_html(charge, lang=lang, now=NOW,
                                    estimate=services.latest_estimate()))
    assert 'id="estimate-set-aside"' in part and said in part


def test_no_set_aside_sentence_when_none_were(charge):  # type: ignore[no-untyped-def]
    saved_run(linkage=LINKAGE, sensitivity=SENSITIVITY)
    part = section(brief.brief_html(charge, lang="en", now=NOW,
                                    estimate=services.latest_estimate()))
    assert 'id="estimate-set-aside"' not in part
