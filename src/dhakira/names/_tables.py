"""Name-normalisation tables as data, versioned.

Every key and score that :mod:`dhakira.names` produces depends on these tables; results record
:data:`TABLES_VERSION` so that a change here can be told apart from a change in the data.
"""

from __future__ import annotations

TABLES_VERSION = "names-tables-2025.1"

# --- characters removed by normalisation -------------------------------------------------
# Harakat and other combining marks: fathatan..sukun, maddah/hamza above/below, superscript
# alef, Quranic annotation signs and small high letters.
HARAKAT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0610, 0x061A),  # Quranic honorific signs (small high ligatures)
    (0x064B, 0x065F),  # fathatan .. wavy hamza below (includes U+064B-U+0652 harakat)
    (0x0670, 0x0670),  # superscript alef
    (0x06D6, 0x06ED),  # Quranic annotation marks
)
TATWEEL = "\u0640"

# --- Arabic folding used by search and display-independent comparison --------------------
ARABIC_FOLD: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ء": "",
    "ک": "ك",  # Persian/Urdu keheh
    "ی": "ي",  # Persian/Urdu yeh
    "ۀ": "ه",
    "ھ": "ه",
    "ہ": "ه",
}
# Arabic-Indic (U+0660..) and Extended Arabic-Indic (U+06F0..) digits to ASCII.
ARABIC_DIGITS: dict[str, str] = {
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
}

# --- Arabic script -> Latin consonant key ----------------------------------------------------
# Groups chosen for what transliterations actually confuse: ذ ض ظ are written d/dh (Kadhim,
# Ramadhan), ث is written th/t, ص/س both s, ق/ك both k/q, ح/خ both h (kh is folded to h).
# ش is "x" so that Hisham (هشام) and Husam (حسام) stay apart.
ARABIC_CONSONANTS: dict[str, str] = {
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "h",
    "خ": "h",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "x",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "d",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ک": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ھ": "h",
    "ہ": "h",
    "پ": "b",
    "چ": "x",
    "ژ": "j",
    "گ": "g",
    "ڤ": "f",
    "ڨ": "g",
}
# Letters that are consonants at the start of a word and long vowels elsewhere.
ARABIC_SEMIVOWELS: dict[str, tuple[str, str]] = {
    "و": ("w", "u"),
    "ي": ("y", "i"),
    "ی": ("y", "i"),
    "ے": ("y", "i"),
}
ARABIC_ALEFS = frozenset("اأإآٱ")
# Medial long vowels written with a letter that is never a consonant. Alef maqsura is
# pronounced a (Issa, Mousa, Mustafa) but is often written for, and as, ya: class "ai" is
# satisfied by either.
ARABIC_LONG_VOWELS: dict[str, str] = {"ا": "a", "آ": "a", "ى": "ai"}
# Ayn and hamza carriers: transliterations write them as a vowel, an apostrophe or nothing.
ARABIC_WILD = frozenset("عءأإؤئٱ")
ARABIC_TA_MARBUTA = frozenset("ةۀ")
# Words whose final ه is a real consonant that transliterations keep.
ARABIC_KEEP_FINAL_HA = frozenset({"طه"})

# --- Latin transliterations -> the same key space --------------------------------------------
LATIN_SPECIAL: dict[str, str] = {
    "ø": "o",
    "đ": "d",
    "ł": "l",
    "æ": "ae",
    "œ": "oe",
    "ı": "i",
    "ʿ": "",
    "ʾ": "",
    "'": "",
    "’": "",
    "‘": "",
    "`": "",
    "´": "",
}
# Digraphs first (longest first), then single letters.
LATIN_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("sch", "x"),
    ("kh", "h"),
    ("gh", "g"),
    ("sh", "x"),
    ("ch", "x"),
    ("th", "t"),
    ("dh", "d"),
    ("zh", "d"),
    ("ph", "f"),
    ("dj", "j"),
    ("ck", "k"),
)
LATIN_SINGLE: dict[str, str] = {"c": "k", "q": "k", "p": "b", "v": "f"}
LATIN_VOWELS = frozenset("aeiou")
LATIN_SEMIVOWELS: dict[str, tuple[str, str]] = {"w": ("w", "u"), "y": ("y", "i")}
# Vowel classes of single Latin vowel letters; "e" stands for fatha or kasra.
LATIN_VOWEL_CLASSES: dict[str, frozenset[str]] = {
    "a": frozenset("a"),
    "e": frozenset("ai"),
    "i": frozenset("i"),
    "y": frozenset("i"),
    "o": frozenset("u"),
    "u": frozenset("u"),
    "w": frozenset("u"),
}
# Two-letter clusters that spell one Arabic long vowel or diphthong.
LATIN_CLUSTER_CLASSES: dict[str, frozenset[str]] = {
    **{c: frozenset("i") for c in ("ai", "ay", "ei", "ey", "ee", "ie", "ii", "iy", "ea")},
    **{c: frozenset("u") for c in ("ou", "oo", "uu", "uo", "ow", "aw", "au", "ew", "ue")},
    "aa": frozenset("a"),
}
# Coarse key: z is written for ذ/ظ as often as d/dh is (Kazim/Kadhim).
COARSE_FOLD: dict[str, str] = {"z": "d"}

# --- name structure ----------------------------------------------------------------------
LATIN_ARTICLES = frozenset({"al", "el", "ul", "il"})
# Assimilated article spellings: only recognised when hyphen- or apostrophe-joined.
LATIN_ARTICLE_PREFIXES = frozenset(
    v + c for v in "aeiou" for c in ("l", "d", "t", "r", "s", "z", "n", "sh", "th", "dh")
)
LATIN_ABD = frozenset(
    {"abd", "abdul", "abdel", "abdal", "abdol", "abdil", "abdur", "abdar", "abdus", "abdas"}
    | {"abdun", "abduz", "abdut", "abdud", "abdush", "abdesh", "abdelh"}
)
LATIN_KUNYA = {
    **dict.fromkeys(("abu", "abou", "abo", "aboo", "abi", "aba", "abou"), "m"),
    **dict.fromkeys(("umm", "um", "om", "omm", "oum", "umm", "ummu"), "f"),
}
LATIN_NASAB = frozenset({"bin", "ibn", "ben", "bint", "binti", "b", "ibnu"})
LATIN_HONORIFICS = frozenset(
    {"sheikh", "shaikh", "shaykh", "sheik", "shaik", "cheikh", "sheykh", "shiekh"}
    | {"hajji", "haji", "hajj", "hajja", "hajjah", "hadji", "alhajj", "alhaj"}
    | {"sayyid", "sayyed", "sayid", "syed", "seyyed", "sayyida", "sayyidah", "sayeda"}
    | {"dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "eng"}
    | {"mullah", "mulla", "ustadh", "ustaz", "ustad", "imam", "mawlana", "maulana"}
)
# Stored already folded by normalise_arabic (see normalise.py, which folds these at import).
ARABIC_ARTICLE = "ال"
ARABIC_ABD = "عبد"
ARABIC_DIN = "الدين"
ARABIC_KUNYA_RAW: dict[str, str] = {
    "أبو": "m",
    "ابو": "m",
    "أبا": "m",
    "أبي": "m",
    "أم": "f",
}
ARABIC_NASAB_RAW = frozenset({"بن", "ابن", "إبن", "بنت"})
ARABIC_HONORIFICS_RAW = frozenset(
    {"الشيخ", "شيخ", "الحاج", "حاج", "الحاجة", "حاجة", "حجي", "الحجي", "السيد", "سيد"}
    | {"السيدة", "سيدة", "الدكتور", "دكتور", "الدكتورة", "دكتورة", "د", "الأستاذ", "أستاذ"}
    | {"الملا", "ملا", "الإمام", "المهندس", "مهندس", "الأستاذة"}
)


# Given names that begin like the article but are not "al-" + a name (Ilyas, Ilham, Alaa,
# Ulfat, al-Yasa'): normalised spellings, as they appear after alef folding.
ARABIC_NOT_ARTICLE = frozenset({"الياس", "الهام", "الاء", "الفت", "اليسع"})
