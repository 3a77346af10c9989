"""Hypothesis strategies shared by the property tests: Arabic and Latin name-like text."""

from __future__ import annotations

from hypothesis import strategies as st

# The 28 letters and the forms folding maps (alef forms, alef maqsura, ta marbuta, hamza carriers).
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآٱىةؤئء"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
TATWEEL = "\u0640"
ALEF_FORMS = "أإآٱ"

arabic_words = st.text(alphabet=ARABIC_LETTERS, min_size=1, max_size=9)
latin_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzḤḥāīū'-", min_size=1, max_size=10)
# Articles, compounds and particles are where the keys' rules live: draw them often.
particles = st.sampled_from(["ال", "عبد", "ابو", "ام", "بن", "الدين", "al-", "Abd", "Abu",
                             "bin", "el", "ud-Din", "وال", "بال", "لل"])
words = st.one_of(arabic_words, latin_words, particles,
                  st.builds(lambda a, b: a + b, st.sampled_from(["ال", "وال", "بال", "لل"]),
                            arabic_words))
texts = st.lists(words, min_size=1, max_size=5).map(" ".join)


def decorate(word: str, marks: list[int]) -> str:
    """Put harakat or tatweel after letters of ``word``, as a writer might."""
    out = []
    for i, char in enumerate(word):
        out.append(char)
        if i < len(marks) and char in ARABIC_LETTERS:
            out.append((HARAKAT + TATWEEL)[marks[i] % (len(HARAKAT) + 1)])
    return "".join(out)
