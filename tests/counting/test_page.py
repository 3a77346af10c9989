"""The Counting page reads a saved run plainly: verdict, grouped numbers, no codes, linkage."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from tests.cast import PASSWORD
from tests.counting.saved import NOT_SETTLED, WIDE, saved_run, total
from tests.dossier.test_views_i18n import _visible_text

LINKAGE = {"run": "R-00007", "threshold": 0.99, "decisions": 12, "stale": False}
SENSITIVITY = {"looser": {**total(7100, 7600.0, 7400.0, 7900.0), "threshold": 0.9},
               "stricter": {**total(8400, 9100.0, 8800.0, 9600.0), "threshold": 0.999}}
CODE = re.compile(r"\b[A-Z_]{6,}\b")


def page(lang: str, run=None) -> str:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    assert client.login(username="victor", password=PASSWORD)
    url = reverse("counting:run", args=[run.pk]) if run else reverse("counting:results")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def visible(html: str) -> str:
    return " ".join(_visible_text(html))


def test_issue_14_the_demo_s_4_6_million_is_not_a_headline(db, cast):
    run = saved_run(observed=7758, estimate=4_622_463.0, low=2_400_000.0, high=9_400_000.0,
                    warnings=(WIDE,), linkage=LINKAGE)
    html = page("en", run)
    assert 'data-usable="no"' in html and "headline" not in html
    assert "Not usable, because:" in html
    assert "596 times the 7,758 victims the lists saw" in html
    details = html[html.index('id="details"'):]
    assert 'id="estimate">4,622,463<' in details  # still there, in the details
    assert 'id="interval">2,400,000 – 9,400,000<' in details


def test_a_usable_estimate_is_one_plain_sentence_with_grouped_numbers(db, cast):
    saved_run(linkage=LINKAGE, sensitivity=SENSITIVITY)
    html = page("en")
    assert 'data-usable="yes"' in html
    assert ("The lists documented 7,758 victims. The estimated total is about 8,200 "
            "(95% interval 7,900 to 8,700).") in html
    assert "it is not a list of names" in html
    assert ("People were counted with linkage run R-00007 at match threshold 0.99, with 12 "
            "review decisions applied on top.") in html


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "The lists documented 7,758 victims. The estimated total is about 8,200 (95% "
           "interval 7,800 to 9,380, allowing for doubt over who is the same person; 7,900 to "
           "8,700 if the matching were certain)."),
    ("ar", "يُقدَّر العدد الكلي بنحو 8,200 (فترة ثقة 95%: من 7,800 إلى 9,380 مع مراعاة الشك "
           "في مَن هو الشخص نفسه؛ ومن 7,900 إلى 8,700 لو كانت المطابقة مؤكدة)")])
def test_the_headline_interval_allows_for_doubt_over_who_is_the_same_person(db, cast, lang,
                                                                             said):
    """Issue 14: the interval a reader quotes carries the matching's error too
    (docs/estimation.md, "Allowing for doubt over who is the same person")."""
    saved_run(linkage=LINKAGE, sensitivity=SENSITIVITY, with_matching=[7800.4, 9380.0])
    html = page(lang)
    assert 'data-usable="yes"' in html and said in html
    assert 'id="interval">7,900 – 8,700<' in html
    assert 'id="interval-with-matching">7,800 – 9,380<' in html


@pytest.mark.parametrize(("lang", "said", "row"), [
    ("en", "(95% interval 7,900 to 8,700 if the matching were certain; allowing for doubt over "
           "who is the same person, at least 7,450, with no upper bound).",
     "at least 7,450, with no upper bound"),
    ("ar", "(فترة ثقة 95%: من 7,900 إلى 8,700 لو كانت المطابقة مؤكدة؛ ومع مراعاة الشك في مَن "
           "هو الشخص نفسه: 7,450 على الأقل، من دون حدّ أعلى).",
     "7,450 على الأقل، من دون حدّ أعلى")])
def test_a_matching_that_leaves_the_total_unbounded_is_said_not_hidden(db, cast, lang, said,
                                                                       row):
    """A looser or stricter matching whose estimate has no upper bound (a log-linear model
    can have none): the sentence says so rather than falling back to the chosen interval."""
    saved_run(linkage=LINKAGE, sensitivity=SENSITIVITY, with_matching=[7450.0, None])
    html = page(lang)
    assert said in html
    assert f'id="interval-with-matching">{row}<' in html


@pytest.mark.parametrize(("lang", "grouped", "threshold"), [
    ("en", "7,758", "0.99"), ("ar", "7,758", "0.99")])
def test_numbers_are_grouped_as_the_reader_s_language_writes_them(db, cast, lang, grouped,
                                                                   threshold):
    saved_run(linkage=LINKAGE, sensitivity=SENSITIVITY)
    html = page(lang)
    assert f'id="observed">{grouped}<' in html
    assert "R-00007" in html and f" {threshold}" in visible(html)
    assert 'id="estimate">8,200<' in html
    # Thresholds are fractions: 0.999 is not rounded up to 1, and 1.0 is never "1,000" or
    # "1.000" (a thousand in one language or the other).
    stricter = html[html.index('id="sensitivity-stricter"'):].split("</tr>")[0]
    assert "<td>0.999</td>" in stricter


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_threshold_of_one_is_one_not_a_thousand(db, cast, lang):
    saved_run(linkage={**LINKAGE, "threshold": 1.0})
    text = visible(page(lang))
    assert re.search(r"(?<![\d.,])1(?![\d]|[.,]\d)", text.split("R-00007", 1)[1])
    assert "1,000" not in text and "1.000" not in text


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_warning_code_reaches_the_page(db, cast, lang):
    saved_run(observed=1000, estimate=600_000.0, low=1000.0, high=None,
              warnings=(NOT_SETTLED, WIDE, "FEW_LISTS: only 2 lists: the estimate rests on the "
                        "untestable assumption that the lists are independent; three or more "
                        "lists let models check and allow for dependence",
                        "SOMETHING_NEW: a warning this page has never seen"))
    text = visible(page(lang))
    assert CODE.findall(text) == []
    if lang == "ar":
        assert "لم يستقر المُعايِن العشوائي (مؤشر التقارب 1.02" in text
        assert "عدد القوائم 2 فقط" in text
        assert "غير صالح للاستخدام، لأن:" in text
    else:
        assert ("The sampler has not settled (split R-hat 1.02, "
                "effective sample size 57)") in text
        assert "a warning this page has never seen" in text


def test_the_sensitivity_and_stale_linkage_are_shown(db, cast):
    saved_run(linkage={**LINKAGE, "stale": True}, sensitivity=SENSITIVITY)
    html = page("en")
    assert "reports were added after linkage run R-00007; run linkage again" in html
    row = html[html.index('id="sensitivity-looser"'):].split("</tr>")[0]
    assert "<td>0.9</td>" in row and "7,600" in row and "7,400 – 7,900" in row
    assert 'id="sensitivity-stricter"' in html


def test_a_run_saved_before_linkage_was_recorded_still_renders(db, cast):
    saved_run()
    html = page("ar")
    assert "من هو الشخص نفسه: linkage R-00001, active person links." in html
    assert 'id="sensitivity"' not in html


def test_list_names_from_a_vocabulary_are_in_both_languages(db, cast):
    saved_run(lists_by="channel", lists=("phone_call", "email"))
    html = page("ar")
    assert "مكالمة هاتفية" in html and "Phone call" in html and "phone_call" not in html



@pytest.mark.parametrize(("lang", "observed", "said"), [
    ("en", 1, "The lists documented 1 victim. "), ("en", 2, "The lists documented 2 victims. "),
    ("ar", 1, "وثّقت القوائم ضحية واحدة. "), ("ar", 2, "وثّقت القوائم ضحيتين. "),
    ("ar", 7, "وثّقت القوائم 7 ضحايا. "), ("ar", 11, "وثّقت القوائم 11 ضحيةً. "),
    ("ar", 7758, "وثّقت القوائم 7,758 ضحيةً. "), ("ar", 100, "وثّقت القوائم 100 ضحية. ")])
def test_the_counting_sentence_puts_victims_in_the_form_the_number_takes(lang, observed, said):  # type: ignore[no-untyped-def]
    # A new user read "The lists documented 1 victims".
    from django.utils import translation

    from dhakira.apps.counting.presentation import numbers_sentence

    with translation.override(lang):
        assert numbers_sentence(total(observed, observed + 1.0, observed, observed + 3.0, ())
                                ).startswith(said)
        assert numbers_sentence(total(observed, None, observed, None, ())).startswith(said)


def test_the_page_says_the_counting_sentence_in_arabic(db, cast):  # type: ignore[no-untyped-def]
    saved_run(linkage=LINKAGE)
    assert "وثّقت القوائم 7,758 ضحيةً. يُقدَّر العدد الكلي بنحو 8,200" in visible(page("ar"))


@pytest.mark.parametrize(("lang", "n", "said"), [
    ("en", 37, "37 mentions name no one (a kunya or an alias alone, or “unknown”)"),
    ("en", 1, "1 mention names no one"),
    ("ar", 37, "37 إشارةً لا تسمّي أحدًا (كنية أو لقب وحدهما، أو «مجهول»)"),
    ("ar", 1, "إشارة واحدة لا تسمّي أحدًا"),
    ("ar", 2, "إشارتان لا تسمّيان أحدًا")])
def test_mentions_set_aside_for_want_of_a_name_are_said_with_their_number(  # type: ignore[no-untyped-def]
        db, cast, lang, n, said):
    run = saved_run(linkage=LINKAGE)
    run.result["set_aside"] = n
    run.save()
    row = page(lang, run).split('id="set-aside"')[1].split("</tr>")[0]
    assert said in row


def test_no_set_aside_row_when_every_mention_names_someone(db, cast):  # type: ignore[no-untyped-def]
    run = saved_run(linkage=LINKAGE)
    assert 'id="set-aside"' not in page("en", run)


def test_an_arabic_reader_gets_the_linkage_in_arabic_not_the_stored_english_label(db, cast):
    # The run keeps Resolution.label in English; the page words the stored parts (run,
    # threshold, decisions, stale) in the reader's language instead.
    run = saved_run(linkage={**LINKAGE, "decisions": 1, "stale": True},
                    resolution="linkage R-00007 at p ≥ 0.99, 1 review decision, older than "
                               "the newest mention")
    text = visible(page("ar", run))
    assert "R-00007" in text
    assert "review decision" not in text and "older than" not in text


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Who is the same person: the file truth.json."),
    ("ar", "من هو الشخص نفسه: ملفّ truth.json.")])
def test_a_run_from_a_resolution_file_names_the_file_in_the_reader_s_language(db, cast, lang,
                                                                              said):
    # the stored label is English ("resolution file truth.json"); an Arabic reader saw it so
    run = saved_run(resolution="resolution file truth.json")
    text = visible(page(lang, run))
    assert said in text and "resolution file" not in text
