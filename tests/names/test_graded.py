"""Finding 2 (issue 15): compare is graded: the same name > a known spelling > another name.

The finding: compare gave exactly 1.0 to Sami / Samia, Ahmed / Hamed, Sharaf / Ashraf, al-Saedi
/ al-Sayed, Armand / Armando, Hans / Hansi, Keith / Keita, Lamar / Lamari and Abd al-Hakim / Abd
al-Hakam, the same 1.0 as Mohammed / Muhammad; a score of 1.0 for Sami and Samia merges a man
and a woman into one victim.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dhakira.apps.demo._names_data import FEMALE, MALE
from dhakira.core.names import EmptyNameError, compare, compare_parts, normalise

pytestmark = pytest.mark.backend_independent

# Below this, reviewers and intake suggestions treat two names as different.
DIFFERENT = 0.6
# (name, a known spelling of it, a different name that the finding scored 1.0 against it)
FINDING = [
    ("Sami", "Samy", "Samia"),
    ("Sami", "سامي", "Samia"),
    ("Ahmed", "Ahmad", "Hamed"),
    ("أحمد", "Ahmed", "حامد"),
    ("Ahmed", "أحمد", "حامد"),
    ("Sharaf", "شرف", "Ashraf"),
    ("al-Saedi", "al-Saidi", "al-Sayed"),
    ("Armand", "أرماند", "Armando"),
    ("Hans", "Hanns", "Hansi"),
    ("Keith", "كيث", "Keita"),
    ("Lamar", "لامار", "Lamari"),
    ("Abd al-Hakim", "Abdul Hakim", "Abd al-Hakam"),
]
# (a, b): one name, two spellings: just below 1.0.
KNOWN_SPELLINGS = [
    ("Mohammed", "Muhammad"),
    ("محمد", "Mohammed"),
    ("Abdul Rahman", "Abd al-Rahman"),
    ("عبد الرحمن", "Abdulrahman"),
    ("Ahmed bin Khalid", "Ahmed ibn Khalid"),
    ("Khalid al-Jubouri", "Khalid el-Jubouri"),
    ("خالد الجبوري", "Khalid al-Jubouri"),
]
# (man's name, woman's name)
GENDERED = [
    ("سامي", "سامية"),
    ("Sami", "Samia"),
    ("Sami", "سامية"),
    ("سامي", "Samia"),
    ("Jamil", "Jamila"),
    ("جميل", "جميلة"),
    ("Jamil", "جميلة"),
    ("Said", "Saida"),
    ("Ali bin Hassan", "Ali bint Hassan"),
    ("Abu Ali", "Umm Ali"),
]


@pytest.mark.parametrize(("name", "spelling", "other"), FINDING)
def test_finding_2_the_same_name_beats_a_spelling_beats_another_name(
    name: str, spelling: str, other: str
) -> None:
    assert compare(name, name) == 1.0
    assert 1.0 > compare(name, spelling) > compare(name, other)
    assert compare(name, spelling) >= 0.9
    assert compare(name, other) <= compare(name, spelling) - 0.15
    assert compare(name, other) < 0.8


@pytest.mark.parametrize(("a", "b"), KNOWN_SPELLINGS)
def test_finding_2_known_spellings_score_just_below_one(a: str, b: str) -> None:
    assert 0.95 <= compare(a, b) <= 0.99


@pytest.mark.parametrize(("man", "woman"), GENDERED)
def test_finding_2_a_man_and_a_woman_score_low(man: str, woman: str) -> None:
    assert compare(man, woman) <= 0.35


def test_finding_2_per_part_explanations_are_kept() -> None:
    c = compare_parts("Sami Ahmed", "Samia Ahmed")
    assert c.ism is not None and c.ism < 0.5
    assert c.father == 1.0
    assert c.explanation[0].startswith("ism differs: Sami ≠ Samia")
    assert "vowels differ" in c.explanation[0]


def test_a_glued_article_is_still_one_name() -> None:
    c = compare_parts("Elakher", "al-Akher")
    assert c.score >= 0.9
    assert c.explanation == ("name agrees: Elakher ≈ al-Akher",)


def test_kh_and_h_are_different_letters() -> None:
    assert compare("Khalid", "Halid") < DIFFERENT
    assert compare("خالد", "Halid") < DIFFERENT
    assert compare("خالد", "Khaled") >= 0.9


def test_egyptian_g_is_jim() -> None:
    assert compare("Gamal", "جمال") >= 0.85
    assert compare("Gamal", "Jamal") >= 0.85


# --- properties ----------------------------------------------------------------------------

STOCK = [(ar, spellings) for ar, spellings in (*MALE, *FEMALE)]
PIECES = [ar for ar, _ in STOCK] + [s for _, sp in STOCK for s in sp] + [
    "al-", "Al ", "el-", "bin ", "bint ", "ibn ", "Abu ", "Umm ", "Sheikh ", "الحاج ", "ال", "بن ",
    "عبد ", "Abdul ", "ة", "ى", "أ", "ا", "-", "'", " ", "a", "e", "i", "o", "u", "h", "y", "w"]
names = st.lists(st.sampled_from(PIECES), min_size=1, max_size=5).map("".join)


def _compare(a: str, b: str) -> float | None:
    try:
        return compare(a, b)
    except EmptyNameError:
        return None


@settings(max_examples=400, deadline=None)
@given(names, names)
def test_compare_is_symmetric_and_in_the_unit_interval(a: str, b: str) -> None:
    score = _compare(a, b)
    if score is None:
        return
    assert 0.0 <= score <= 1.0
    assert _compare(b, a) == score


@settings(max_examples=400, deadline=None)
@given(names, names)
def test_compare_is_one_exactly_for_the_same_normalised_name(a: str, b: str) -> None:
    score = _compare(a, b)
    if score is None:
        return
    assert (score == 1.0) == (normalise(a) == normalise(b))


# Pairs of the demo's stock names that score 0.85 or more though they are two names: a vowel
# Latin writes differently, or a long vowel (docs/names.md, "Known limits"). Found by checking
# every pair once (13 of 65,448 comparisons); a random draw met one about one run in ten.
KNOWN_CLOSE = frozenset({
    ("Hassan", "Hussen"), ("Saad", "Saeed"), ("Saad", "سعاد"), ("Raed", "رعد"), ("Raed", "Raad"),
    ("Ayman", "Iman"), ("Ayman", "Eman"), ("Saeed", "Saad"), ("عمار", "Umar"), ("رعد", "Raed"),
    ("Raad", "Raed"), ("Iman", "Ayman"), ("سعاد", "Saad")})


def test_the_known_close_pairs_are_still_close() -> None:
    """If one of them comes apart, take it out of the list (the property then checks it)."""
    assert [pair for pair in sorted(KNOWN_CLOSE) if compare(*pair) < 0.85] == []


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(STOCK), st.sampled_from(STOCK), st.data())
def test_writing_a_name_in_arabic_script_does_not_change_the_decision(
    x: tuple[str, tuple[str, ...]], y: tuple[str, tuple[str, ...]], data: st.DataObject
) -> None:
    """A name with a standard transliteration: its Arabic spelling and its usual Latin one
    are both told apart from any spelling of another name (below the 0.85 line), and the
    Arabic spelling meets every usual spelling of its own name (two Latin spellings may
    disagree on a vowel, Younis / Yunus, which Arabic script does not write)."""
    other = data.draw(st.sampled_from([y[0], *y[1]]))
    arabic, latin = x[0], x[1][0]
    if x is y:
        assert normalise(arabic) == normalise(other) or compare(arabic, other) >= 0.85
        return
    for mine in (arabic, latin):
        assert (mine, other) in KNOWN_CLOSE or compare(mine, other) < 0.85, (mine, other)


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("أحمد", "احمد", 1.0, 1.0),  # hamza form: the same name after normalisation
        ("فاطمة", "فاطمه", 1.0, 1.0),  # ta marbuta written as ha
        ("عبد الرحمن", "عبدالرحمن", 0.95, 0.99),  # joined ʿAbd
        ("مصطفى", "مصطفي", 1.0, 1.0),  # alef maqsura written as ya
        ("أحمد", "حامد", 0.0, 0.3),
        ("حسين", "حسن", 0.0, 0.6),
        ("جميل", "جميلة", 0.0, 0.35),
    ],
)
def test_arabic_against_arabic_is_graded_too(a: str, b: str, low: float, high: float) -> None:
    assert low <= compare(a, b) <= high


# --- particles glued or spelled the French way (Maghrebi names) ------------------------------

# (a, b): one name, written with the particle apart and glued, or with French letters: the
# held-out errors of round 6 (Ben Youcef / Benyoucef, el Ouardi / Wardi, Ouahab / Wahhab, all
# 0.00) and their kin.
GLUED_OR_FRENCH = [
    ("Ben Youcef", "Benyoucef"),
    ("Benyoucef", "بن يوسف"),
    ("Ahmed Benali", "Ahmed ben Ali"),
    ("Ben Naceur", "Benaceur"),  # the n written once for the particle and the name
    ("Aboutaleb", "Abu Talib"),
    ("Aboutaleb", "أبو طالب"),
    ("el Ouardi", "Wardi"),  # ou before a vowel at the start is و, a consonant
    ("Ouardi", "وردي"),
    ("Ouahab", "Wahhab"),
    ("Elouali", "الوالي"),
    ("Youcef", "يوسف"),  # c before e / i is s
    ("Youcef", "Yusuf"),
    ("Belkacem", "بلقاسم"),
    ("Ettounsi", "al-Tounsi"),  # the article assimilated to a sun letter, glued
    ("Errachidi", "al-Rashidi"),
]
# (a, b): a name that begins like a particle or an article, against the name it would leave
# if it were split: different names, and a glued particle is not read apart without one on
# the other side (bin Youcef is not Youcef).
NOT_SPLIT = [
    ("Benjamin", "Jamin"),
    ("Bennett", "Nett"),
    ("Benedict", "Edict"),
    ("Elena", "Lena"),
    ("Elias", "Lias"),
    ("Essam", "Sam"),
    ("Ezzat", "Zat"),
    ("Assad", "Sad"),
    ("Benyoucef", "Youcef"),
    ("Benali", "Ali"),
    ("Benyoucef", "Bint Youcef"),
]


@pytest.mark.parametrize(("a", "b"), GLUED_OR_FRENCH)
def test_a_glued_or_french_particle_is_one_name(a: str, b: str) -> None:
    assert 0.9 <= compare(a, b) < 1.0
    assert compare(b, a) == compare(a, b)


@pytest.mark.parametrize(("a", "b"), NOT_SPLIT)
def test_a_name_that_only_looks_glued_is_not_split(a: str, b: str) -> None:
    """These pass before the change too: they guard against reading too much apart."""
    assert compare(a, b) < DIFFERENT
    assert not any(line.startswith("read apart") for line in compare_parts(a, b).explanation)


def test_reading_a_particle_apart_is_explained() -> None:
    c = compare_parts("Benyoucef", "Ben Youcef")
    assert c.father == 1.0
    assert c.explanation[-1] == "read apart: Benyoucef as Ben youcef"


# Latin spellings of one word from the demo stock: any of them may follow a glued particle.
ONE_WORD = sorted({s for _, sp in STOCK for s in sp if s.isalpha() and s.isascii()})
ARABIC_PIECES = [p for p in PIECES if p.strip() and not any("a" <= c.lower() <= "z" for c in p)]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ONE_WORD), st.sampled_from(["Ben", "Bin", "Ibn", "Abu", "Abou"]),
       st.sampled_from(["", "Ahmed ", "محمد "]))
def test_a_particle_glued_or_apart_is_one_name(word: str, particle: str, first: str) -> None:
    apart, glued = f"{first}{particle} {word}", f"{first}{particle}{word.lower()}"
    assert 0.9 <= compare(apart, glued) < 1.0
    assert compare(glued, apart) == compare(apart, glued)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ARABIC_PIECES), min_size=1, max_size=5).map("".join))
def test_an_arabic_script_name_is_never_read_apart(text: str) -> None:
    from dhakira.core.names.compare import _read_apart

    assert _read_apart(text, frozenset({"nasab", "kunya"})) == ()


# Round 8 (issue 15): readings found among the dev split's misses. Each pair scored below 0.6
# before (the Arabic letters the Latin one stands for were read as one: s h as ش; آل written
# apart as a letter; the article's l glued to the name after a particle or alone).
ROUND_8 = [
    ("Ishak", "إسحاق"),  # s and h, not sh
    ("al Azhari", "الأزهري"),  # z and h, not zh
    ("al Adhami", "الأدهمي"),  # d and h, not dh
    ("Kassem", "آل قاسم"),  # آل written apart: the family of
    ("Lamri", "العمري"),  # the article's l glued (al-Amri)
    ("Ben Lamri", "بن العمري"),
    ("Benlamri", "بن العمري"),  # particle and article glued
    ("Aboulkheir", "أبو الخير"),
    ("Aboulkheir", "Abu al-Khair"),
    ("Francesca", "فرانشيسكا"),  # Italian c before e / i: ch, sc: sh
    ("Bartolucci", "بارتولوتشي"),
]
# Look-alikes the new readings must not join (not even "agrees", 0.85): the l read as the
# article only when the Arabic writes one; the letters read apart only where the Arabic has
# them both; Ben / Abu not split without a particle on the other side; Hakim / Hakam stay
# "close" at most.
AGREES = 0.85
ROUND_8_APART = [
    ("Lamri", "عمري"),
    ("Laziz", "عزيز"),
    ("Shadi", "سادي"),
    ("Benlamri", "العمري"),
    ("Aboulkheir", "الخير"),
    ("Abd al-Hakim", "Abd al-Hakam"),
    ("Elena", "Lena"),
    ("Benjamin", "Jamin"),
]


@pytest.mark.parametrize(("a", "b"), ROUND_8)
def test_round_8_readings_join_two_spellings_of_one_name(a: str, b: str) -> None:
    assert 0.9 <= compare(a, b) < 1.0
    assert compare(b, a) == compare(a, b)


@pytest.mark.parametrize(("a", "b"), ROUND_8_APART)
def test_round_8_readings_keep_look_alikes_apart(a: str, b: str) -> None:
    assert compare(a, b) < AGREES


# Arabic names of the demo stock that start with a vowel letter, with their Latin spellings
# that start with a vowel, four letters or more (Lina, Lama are names of their own): the article's l
# glued to them (Lahmed, Lamine) is al-Ahmed, al-Amine.
VOWEL_START = [(ar, s) for ar, sp in STOCK for s in sp
               if ar[0] in "اأإع" and s[0].lower() in "aeiou" and s.isalpha() and len(s) >= 4
               and " " not in ar]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(VOWEL_START))
def test_the_article_l_glued_to_a_name_is_read_against_the_article(pair: tuple[str, str]) -> None:
    arabic, latin = pair
    glued = "L" + latin.lower()
    assert compare(glued, "ال" + arabic) >= 0.9
    assert compare(glued, arabic) < compare(glued, "ال" + arabic)  # without the article: less


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(ONE_WORD), st.sampled_from(["Ben", "Bin", "Abu", "Abou"]))
def test_a_particle_and_article_glued_are_read_apart(word: str, particle: str) -> None:
    glued = f"{particle}l{word.lower()}"
    assert 0.9 <= compare(glued, f"{particle} al-{word}") < 1.0


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(STOCK), st.data())
def test_al_written_apart_reads_as_the_article(entry: tuple[str, tuple[str, ...]], data: st.DataObject) -> None:
    arabic, spellings = entry
    latin = data.draw(st.sampled_from(spellings))
    assert abs(compare(latin, "آل " + arabic) - compare(latin, "ال" + arabic)) < 0.1


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(STOCK), st.sampled_from(STOCK), st.data())
def test_scores_are_symmetric_bounded_and_one_only_for_the_same_name(
    x: tuple[str, tuple[str, ...]], y: tuple[str, tuple[str, ...]], data: st.DataObject
) -> None:
    """Any two spellings of the demo stock, either script: the score is in [0, 1], the same
    both ways, 1.0 for a name against itself and only for the same name after normalisation."""
    a = data.draw(st.sampled_from([x[0], *x[1]]))
    b = data.draw(st.sampled_from([y[0], *y[1]]))
    score = compare(a, b)
    assert 0.0 <= score <= 1.0
    assert compare(b, a) == score
    assert compare(a, a) == 1.0
    assert (score == 1.0) == (normalise(a) == normalise(b))
