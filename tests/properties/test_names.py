"""Properties of the name keys and the search key, on random Arabic and Latin text."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from tests.properties.strategies import ALEF_FORMS, arabic_words, decorate, texts

from dhakira.core.names import name_key, search_key
from dhakira.core.names._tables import ARABIC_NOT_ARTICLE

pytestmark = pytest.mark.backend_independent


@given(texts)
@example("الالتحاق")  # stripped once to «التحاق», which strips again to «تحاق»
@example("والوالدين")
def test_search_key_is_idempotent(text):
    key = search_key(text)
    assert search_key(key) == key


@given(texts)
@example("ء")  # keyed "~" (no consonant), which keyed again gave "": the unit was lost
@example("آية علي")
def test_keying_a_name_key_again_keeps_every_unit(text):
    key = name_key(text)
    assert len(name_key(key).split()) == len(key.split())


@given(st.text(alphabet="a~ بx-"))
@example("a~b")  # a "~" inside a word recursed without end (the demo's package leak test)
@example("~~")
def test_a_tilde_anywhere_never_breaks_the_name_key(text):
    assert isinstance(name_key(text), str)


@pytest.mark.xfail(strict=True, reason=(
    "not fixed: keys share the Latin letters they are read from, so a key read again as a "
    "Latin name changes (ش is keyed x, and Latin x reads ks; س+ه gives sh, read as ش). "
    "Needs a key alphabet of its own in names/_shape.py and every stored name key rebuilt."))
@given(texts)
@example("شمس")
def test_name_key_is_idempotent(text):
    key = name_key(text)
    assert name_key(key) == key


@pytest.mark.parametrize("root", ["التحاق", "التزام", "التقاط"])
def test_a_root_initial_alef_lam_meets_the_same_word_with_the_article(root):
    assert search_key(root) == search_key("ال" + root) == search_key("بال" + root)


@given(st.lists(arabic_words, min_size=1, max_size=4), st.data())
def test_harakat_and_tatweel_do_not_change_the_keys(words, data):
    plain = " ".join(words)
    marked = " ".join(
        decorate(w, data.draw(st.lists(st.integers(0, 20), max_size=len(w)))) for w in words)
    assert search_key(marked) == search_key(plain)
    assert name_key(marked) == name_key(plain)


def _vary_alefs(words: list[str], data, *, article: bool) -> tuple[str, str]:
    """The words with plain alefs, and with each alef drawn from its forms (ا أ إ آ ٱ);
    with ``article`` False, a word-initial «ال» keeps its plain alef."""
    plain = [w.translate(str.maketrans(ALEF_FORMS, "ا" * len(ALEF_FORMS))) for w in words]
    varied = []
    for word in plain:
        varied.append("".join(
            data.draw(st.sampled_from("ا" + ALEF_FORMS))
            if c == "ا" and (article or i > 0 or not word.startswith("ال")) else c
            for i, c in enumerate(word)))
    return " ".join(plain), " ".join(varied)


@given(st.lists(arabic_words, min_size=1, max_size=4), st.data())
def test_alef_forms_do_not_change_the_search_key(words, data):
    plain, varied = _vary_alefs(words, data, article=True)
    assert search_key(varied) == search_key(plain)


@given(st.lists(arabic_words, min_size=1, max_size=4), st.data())
def test_alef_forms_do_not_change_the_name_key(words, data):
    # Not the alef of a word-initial article: «أل» is read as letters, since names begin
    # with it (ألطاف, Altaf); see the next test. Nor the few names spelled like an article
    # (الياس, Ilyas), which are listed letter for letter.
    plain, varied = _vary_alefs(words, data, article=False)
    assume(not any(w.startswith(tuple(ARABIC_NOT_ARTICLE)) for w in plain.split()))
    assert name_key(varied) == name_key(plain)


def test_names_that_begin_with_alef_hamza_lam_keep_their_lam():
    assert name_key("ألطاف") == name_key("Altaf") == "ltf"
