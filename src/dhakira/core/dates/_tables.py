"""Month and season names, digit folding and text normalisation for date parsing."""

from __future__ import annotations

import re

# Arabic-Indic (U+0660..) and Extended/Persian (U+06F0..) digits fold to ASCII.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Harakat, tatweel and the Arabic comma are noise for matching month names.
_ARABIC_NOISE = re.compile("[\u064b-\u0652\u0670\u0640]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "،": ","})


def normalise(text: str) -> str:
    """Fold digits and Arabic letter variants, lower-case, and squeeze spaces.

    >>> normalise("  أواخر  تشرين الأول ٢٠١٤ ")
    'اواخر تشرين الاول 2014'
    """
    folded = _ARABIC_NOISE.sub("", text.translate(_DIGITS)).translate(_ALEF)
    folded = folded.replace("\u200f", " ").replace("\u200e", " ")
    return " ".join(folded.lower().split())


def _keys(*names: str) -> tuple[str, ...]:
    return tuple(normalise(n) for n in names)


# Gregorian months: English names and abbreviations, Levantine/Iraqi and Egyptian/Gulf
# Arabic names (witnesses in Iraq use both sets).
GREGORIAN_MONTHS: dict[str, int] = {}
_GREG_NAMES: tuple[tuple[str, ...], ...] = (
    ("january", "jan", "كانون الثاني", "يناير"),
    ("february", "feb", "شباط", "فبراير"),
    ("march", "mar", "آذار", "اذار", "مارس"),
    ("april", "apr", "نيسان", "أبريل", "إبريل", "ابريل"),
    ("may", "أيار", "ايار", "مايو"),
    ("june", "jun", "حزيران", "يونيو", "يونيه"),
    ("july", "jul", "تموز", "يوليو", "يوليه"),
    ("august", "aug", "آب", "أغسطس", "اغسطس", "آغسطس"),
    ("september", "sep", "sept", "أيلول", "سبتمبر"),
    ("october", "oct", "تشرين الأول", "تشرين اول", "أكتوبر", "اكتوبر"),
    ("november", "nov", "تشرين الثاني", "تشرين ثاني", "نوفمبر"),
    ("december", "dec", "كانون الأول", "كانون اول", "ديسمبر"),
)
for _number, _names in enumerate(_GREG_NAMES, start=1):
    for _key in _keys(*_names):
        GREGORIAN_MONTHS[_key] = _number

# Arabic Hijri month names (normalised), with the common spelling variants.
HIJRI_MONTHS_AR: dict[str, int] = {}
_HIJRI_AR: tuple[tuple[str, ...], ...] = (
    ("محرم", "المحرم"),
    ("صفر",),
    ("ربيع الأول", "ربيع الاول", "ربيع أول"),
    ("ربيع الثاني", "ربيع الآخر", "ربيع ثاني", "ربيع الاخر"),
    ("جمادى الأولى", "جمادى الاولى", "جمادي الاولى", "جمادى الأول"),
    ("جمادى الآخرة", "جمادى الثانية", "جمادى الاخرة", "جمادي الاخره", "جمادى الآخر"),
    ("رجب",),
    ("شعبان",),
    ("رمضان",),
    ("شوال",),
    ("ذو القعدة", "ذي القعدة", "ذو القعده", "ذي القعده"),
    ("ذو الحجة", "ذي الحجة", "ذو الحجه", "ذي الحجه"),
)
for _number, _names in enumerate(_HIJRI_AR, start=1):
    for _key in _keys(*_names):
        HIJRI_MONTHS_AR[_key] = _number

# Latin transliterations vary too much for a list; match a squeezed key instead
# (letters only, doubled letters collapsed: "Dhu al-Hijjah" -> "dhualhijah").
_DHU = r"(?:dh|th|z|d)[uiy]+(?:[ae]?l)?"
_HIJRI_LATIN: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (number, re.compile(pattern))
    for number, pattern in (
        (1, r"(?:al)?m[ou]har[ae]m"),
        (2, r"s[ae]f[ae]r"),
        (4, r"rab[iye]+[aeu]?(?:[aeu]?l)?(?:than[iy]|san[iy]|akh[ie]r|2)"),
        (3, r"rab[iye]+[aeu]?(?:[aeu]?l)?(?:aw[ae]l|av[ae]l|ula|1)"),
        (
            6,
            r"j[ou]m[ae]d[aeiy]?(?:[aeu]?l)?(?:[aou]?kh?[aie]?r[ae]?h?|than[iy][ae]?h?|san[iy][ae]?h?|2)",
        ),
        (5, r"j[ou]m[ae]d[aeiy]?(?:[aeu]?l)?(?:[ou]l[ae]h?|aw[ae]l|1)"),
        (7, r"r[ae]j[ae]b"),
        (8, r"sh?a?[ae]?b[ae]n"),
        (9, r"ram[ae](?:d|dh|z|th)[ae]n"),
        (10, r"sh[ae]w[ae]l"),
        (11, _DHU + r"q[aei]+d[aeh]*"),
        (12, _DHU + r"h[ie]j[ae]?h?"),
    )
)


def latin_key(text: str) -> str:
    """Squeeze a Latin month name to letters and digits with doubled letters collapsed.

    >>> latin_key("Rabi' al-Thani")
    'rabialthani'
    """
    # Roman numerals ("Rabi II") become digits before doubled letters are collapsed.
    words = [{"i": "1", "ii": "2"}.get(w, w) for w in re.split(r"[\s\-]+", text.lower())]
    letters = re.sub(r"[^a-z0-9]", "", "".join(words))
    return re.sub(r"([a-z])\1+", r"\1", letters)


def hijri_month(name: str) -> int | None:
    """The Hijri month number (1-12) of a name in Arabic or Latin script, else None.

    >>> [hijri_month(n) for n in ("Ramadhan", "Thul-Hijja", "رمضان", "October")]
    [9, 12, 9, None]
    """
    key = normalise(name)
    if key in HIJRI_MONTHS_AR:
        return HIJRI_MONTHS_AR[key]
    squeezed = latin_key(key)
    if not squeezed:
        return None
    for number, pattern in _HIJRI_LATIN:
        if pattern.fullmatch(squeezed):
            return number
    return None


def gregorian_month(name: str) -> int | None:
    """The Gregorian month number of an English or Arabic month name, else None.

    >>> [gregorian_month(n) for n in ("Oct.", "تشرين الأول", "أكتوبر", "Ramadan")]
    [10, 10, 10, None]
    """
    key = normalise(name).rstrip(".")
    return GREGORIAN_MONTHS.get(key)


SEASONS: dict[str, str] = {
    **dict.fromkeys(_keys("spring", "ربيع", "الربيع"), "spring"),
    **dict.fromkeys(_keys("summer", "صيف", "الصيف"), "summer"),
    **dict.fromkeys(_keys("autumn", "fall", "خريف", "الخريف"), "autumn"),
    **dict.fromkeys(_keys("winter", "شتاء", "الشتاء"), "winter"),
}

# Parts of a month: days 1-10, 11-20, 21-end (legal-and-evidence.md section 7.1).
MONTH_PARTS: dict[str, str] = {
    **dict.fromkeys(
        _keys(
            "early",
            "beginning of",
            "start of",
            "the beginning of",
            "the start of",
            "اوائل",
            "بداية",
            "مطلع",
            "أول",
            "بدايات",
            "اول",
        ),
        "early",
    ),
    **dict.fromkeys(
        _keys("mid", "mid-", "middle of", "the middle of", "اواسط", "منتصف", "وسط", "أواسط"),
        "mid",
    ),
    **dict.fromkeys(
        _keys("late", "end of", "the end of", "اواخر", "نهاية", "أواخر", "آخر", "اخر", "نهايات"),
        "late",
    ),
}

# Markers of the era: Hijri ("AH", "هـ") and Gregorian ("AD", "CE", "م").
HIJRI_ERA = re.compile(r"\s*(?:a\.?\s?h\.?|h|هـ|ه|هجري|هجريه|للهجره)$")
GREGORIAN_ERA = re.compile(r"\s*(?:a\.?\s?d\.?|c\.?e\.?|م|ميلادي|ميلاديه|للميلاد)$")

# Leading words that carry no date information ("in 2014", "في صيف 2015").
FILLER = re.compile(r"^(?:(?:in|on|during|the|في|خلال|بتاريخ|يوم|شهر)\s+)+")
APPROXIMATE = re.compile(
    r"^(?:around|about|approximately|approx\.?|circa|c\.|ca\.?|"
    r"حوالي|تقريبا|نحو)\s+"
)
