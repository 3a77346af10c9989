"""Every warning code of the core has plain words in Arabic and English; numbers per language."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from dhakira.apps.counting import texts
from dhakira.core.counting import _warnings as w
from dhakira.core.counting.verdict import REASONS, Reason

pytestmark = pytest.mark.backend_independent
ARABIC = re.compile("[\u0600-\u06ff]")


def test_every_code_and_every_text_of_the_core_has_words_here():
    missing_codes = {*w.CODES, "LINKAGE_STALE"} - set(texts._GENERIC)
    missing_texts = {(c, v) for c, t in w.TEMPLATES.items() for v in t} - set(texts._WARNINGS)
    assert missing_codes == set(), "add plain words for these codes to counting/texts.py"
    assert missing_texts == set(), "add plain words for these warning texts to counting/texts.py"


@pytest.mark.parametrize(("code", "variant"), [
    (c, v) for c, t in w.TEMPLATES.items() for v in t])
def test_each_warning_reads_in_arabic_without_its_code(code, variant):
    figures = {"k": 2, "zeros": 5, "cells": 7, "small": 6, "limit": 5, "low": 1234.0,
               "high": 98765.0, "estimate": 4321.0, "n": 50000.0, "method": "lcmcr",
               "other": "loglinear (best BIC)", "value": 9000.0, "ratio": 2.08, "rhat": 1.02,
               "ess": 57.0, "term": "A:B", "rhat_limit": 1.01, "ess_limit": 400.0,
               "budget": 600.0}
    note = w.coded(code, variant, **{k: x for k, x in figures.items()
                                     if "{" + k in w.TEMPLATES[code][variant]})
    with translation.override("ar"):
        text = texts.warning_text("[2015] " + note)
    assert code not in text and ARABIC.search(text)
    assert text.startswith("في الفئة 2015: ")
    assert "%(" not in text and "%%" not in text


@pytest.mark.parametrize("run", ["R-00001", ""])
@pytest.mark.parametrize("code", REASONS)
def test_each_reason_reads_in_arabic(code, run):
    params = {"run": run, "rhat": 1.02, "ess": 57.0, "low": 1.0, "high": 9.0, "estimate": 5.0,
              "factor": 600.0, "observed": 1000, "limit": 5.0}
    with translation.override("ar"):
        text = texts.reason_text(Reason(code, "English", params))
    assert ARABIC.search(text) and "English" not in text and "%" not in text.replace("95%", "")


@pytest.mark.parametrize(("lang", "big", "ratio", "one"), [
    ("en", "4,622,463", "1.02", "1"), ("ar", "4,622,463", "1.02", "1")])
def test_numbers_follow_the_language(lang, big, ratio, one):
    with translation.override(lang):
        assert texts.count(4_622_463.4) == big
        assert texts.decimal(1.0199) == ratio
        assert texts.fraction(1.0) == one and texts.count(None) == "∞"


def test_large_figures_are_grouped_and_a_small_factor_keeps_a_decimal():
    with translation.override("en"):
        sparse = texts.warning_text(w.warn(w.SPARSE_TABLE, "words", variant="sparse",
                                           zeros=1_048_000, cells=1_048_575, small=1_048_100,
                                           limit=5))
        factor = texts.reason_text(Reason("MANY_TIMES_OBSERVED", "", {
            "factor": 5.84, "observed": 1896, "limit": 5.0}))
    assert sparse.startswith("1,048,000 of 1,048,575 list combinations")
    assert factor.startswith("the estimate is 5.8 times the 1,896 victims")


@pytest.mark.parametrize(("seconds", "english", "arabic"), [
    (900, "15 minutes", "15 دقيقةً"),
    (300, "5 minutes", "5 دقائق"),
    (60, "1 minute", "دقيقة واحدة"),
    (120, "2 minutes", "دقيقتين"),
    (90, "1 minute 30 seconds", "دقيقة واحدة و30 ثانيةً"),
    (754, "12 minutes 34 seconds", "12 دقيقةً و34 ثانيةً"),
    (125, "2 minutes 5 seconds", "دقيقتين و5 ثوانٍ"),
    (61, "1 minute 1 second", "دقيقة واحدة وثانية واحدة"),
    (45.4, "45 seconds", "45 ثانيةً"),
    (0, "0 seconds", "0 ثانية"),
    (6000, "100 minutes", "100 دقيقة"),
])
def test_a_duration_is_said_in_words(seconds, english, arabic):
    """The Counting page said "15 min 00 s", «15 د 00 ث»: abbreviations and a padded zero."""
    for lang, words in (("en", english), ("ar", arabic)):
        with translation.override(lang):
            assert texts.duration(seconds) == words, lang


@pytest.mark.django_db
def test_strata_and_a_warnings_lists_are_named_in_the_readers_words() -> None:
    """The Counting page showed `beating_flogging / female`, districts in English on Arabic
    pages and lists by code (`captured_isis_records:documentation_organisation`), in both
    languages (found by an analyst pass)."""
    from dhakira.apps.dossier.models import Place
    from dhakira.core import vocabularies

    Place.objects.create(name_en="Mosul", name_ar="الموصل", kind="district")
    networks = vocabularies.load("source_networks").codes()[:2]
    raw = w.coded(w.ZERO_MARGIN, "margin", term=":".join(networks))
    with translation.override("ar"):
        assert texts.stratum_label("beating_flogging / female / Mosul") == \
            "الضرب أو الجلد / أنثى / الموصل"
        assert texts.stratum_label("2015-H1") == "النصف الأول من 2015"
        said = texts.warning_text(raw)
    assert not any(code in said for code in networks), said
    with translation.override("en"):
        assert texts.stratum_label("2015-H2 / unknown") == "second half of 2015 / unknown"


def test_a_table_no_log_linear_model_bounds_is_refused_in_the_readers_words() -> None:
    with translation.override("ar"):
        said = texts.refusal("no_finite_model", {})
    assert "LCMCR" in said and "log-linear" not in said and said != "no_finite_model"


def test_no_list_recording_anyone_is_said_so_not_as_only_0_lists() -> None:
    """"only 0 lists recorded any victim (none)" (found by an analyst pass)."""
    params = {"n": 0, "names": [], "by": "network", "others": ["channel", "material_type"]}
    with translation.override("en"):
        said = texts.refusal("lists_recorded", params)
    assert said.startswith("no list recorded any victim") and "(none)" not in said, said
