"""Name-normalisation tables as data, versioned.

Every key and score that :mod:`dhakira.core.names` produces depends on these tables; results record
:data:`TABLES_VERSION` so that a change here can be told apart from a change in the data.
"""

from __future__ import annotations

TABLES_VERSION = "names-tables-2026.1"

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


# --- known spellings -------------------------------------------------------------------
# Common names of the region and their usual Latin spellings (the demo generator's stock). An
# Arabic spelling listed here is compared with a Latin one through these spellings: محمد and
# Mahmud share a skeleton and Arabic script does not write the vowels that tell them apart.
KNOWN_SPELLINGS_RAW: dict[str, tuple[str, ...]] = {
    "محمد": ("Mohammed", "Muhammad", "Mohamad", "Mohammad", "Mohamed"),
    "أحمد": ("Ahmed", "Ahmad"),
    "علي": ("Ali", "Aly"),
    "حسين": ("Hussein", "Husayn", "Hussain", "Hussen"),
    "حسن": ("Hassan", "Hasan"),
    "عمر": ("Omar", "Umar"),
    "خالد": ("Khaled", "Khalid"),
    "إبراهيم": ("Ibrahim", "Ebrahim"),
    "يوسف": ("Yousef", "Yusuf", "Youssef"),
    "عبد الله": ("Abdullah", "Abdallah", "Abd Allah"),
    "عبد الرحمن": ("Abdulrahman", "Abd al-Rahman", "Abdul Rahman"),
    "مصطفى": ("Mustafa", "Mostafa"),
    "محمود": ("Mahmoud", "Mahmud"),
    "سعد": ("Saad", "Sa'd"),
    "صالح": ("Saleh", "Salih"),
    "جاسم": ("Jassim", "Jasim", "Jassem"),
    "قاسم": ("Qasim", "Kasim", "Qassem"),
    "فيصل": ("Faisal", "Faysal"),
    "ياسر": ("Yasser", "Yasir"),
    "زياد": ("Ziad", "Ziyad"),
    "رائد": ("Raed", "Ra'id"),
    "حيدر": ("Haidar", "Haider", "Hayder"),
    "عادل": ("Adel", "Adil"),
    "نبيل": ("Nabil", "Nabeel"),
    "وليد": ("Walid", "Waleed"),
    "كريم": ("Karim", "Kareem"),
    "ماهر": ("Maher", "Mahir"),
    "فاضل": ("Fadhil", "Fadel", "Fadil"),
    "عماد": ("Imad", "Emad"),
    "أيمن": ("Ayman", "Aiman"),
    "هشام": ("Hisham", "Hesham"),
    "طارق": ("Tariq", "Tarek", "Tareq"),
    "بشار": ("Bashar",),
    "نزار": ("Nizar", "Nezar"),
    "منذر": ("Munthir", "Mundhir", "Monther"),
    "غانم": ("Ghanim", "Ghanem"),
    "ثامر": ("Thamer", "Thamir"),
    "عدنان": ("Adnan",),
    "شاكر": ("Shakir", "Shaker"),
    "حامد": ("Hamid", "Hamed"),
    "سعيد": ("Saeed", "Said", "Sa'id"),
    "إسماعيل": ("Ismail", "Ismael", "Isma'il"),
    "يونس": ("Younis", "Yunus", "Younes"),
    "ذنون": ("Thanoon", "Dhannun", "Thanon"),
    "مؤيد": ("Muayad", "Moayad", "Mu'ayyad"),
    "فارس": ("Fares", "Faris"),
    "باسم": ("Basim", "Basem"),
    "أنس": ("Anas",),
    "معاذ": ("Muath", "Moaz", "Mu'adh"),
    "زيد": ("Zaid", "Zayd"),
    "عمار": ("Ammar", "Amar"),
    "بلال": ("Bilal", "Belal"),
    "حمزة": ("Hamza", "Hamzah"),
    "مهند": ("Muhannad", "Mohanad"),
    "لؤي": ("Louay", "Luay", "Lu'ay"),
    "رعد": ("Raad", "Ra'd"),
    "نوري": ("Nouri", "Nuri"),
    "صباح": ("Sabah",),
    "جمال": ("Jamal", "Gamal"),
    "كمال": ("Kamal",),
    "عبد الكريم": ("Abdulkarim", "Abd al-Karim", "Abdul Karim"),
    "عبد العزيز": ("Abdulaziz", "Abd al-Aziz", "Abdul Aziz"),
    "عبد الستار": ("Abdulsattar", "Abd al-Sattar"),
    "خضر": ("Khidir", "Khudhur", "Khider"),
    "إلياس": ("Elias", "Ilyas"),
    "خيري": ("Khairi", "Khayri"),
    "دخيل": ("Dakhil", "Dakheel"),
    "مراد": ("Murad", "Mourad"),
    "نايف": ("Naif", "Nayef"),
    "يوحنا": ("Youhanna", "Yohanna"),
    "بطرس": ("Boutros", "Butrus"),
    "متي": ("Matti", "Matty"),
    "فاطمة": ("Fatima", "Fatma", "Fatimah"),
    "زينب": ("Zainab", "Zaynab", "Zeinab"),
    "مريم": ("Maryam", "Mariam"),
    "عائشة": ("Aisha", "A'isha", "Aysha"),
    "خديجة": ("Khadija", "Khadeeja"),
    "نور": ("Noor", "Nour", "Nur"),
    "هدى": ("Huda", "Hoda"),
    "سارة": ("Sara", "Sarah"),
    "رنا": ("Rana",),
    "هند": ("Hind",),
    "أسماء": ("Asmaa", "Asma"),
    "إيمان": ("Iman", "Eman"),
    "رقية": ("Ruqaya", "Roqaya"),
    "سعاد": ("Suad", "Souad"),
    "ليلى": ("Layla", "Leila", "Laila"),
    "نادية": ("Nadia", "Nadiya"),
    "أمل": ("Amal",),
    "وفاء": ("Wafaa", "Wafa"),
    "شيماء": ("Shaimaa", "Shayma"),
    "حنان": ("Hanan",),
    "جميلة": ("Jamila", "Jameela"),
    "سهام": ("Siham", "Seham"),
    "بشرى": ("Bushra", "Boshra"),
    "غادة": ("Ghada",),
    "رغد": ("Raghad",),
    "دعاء": ("Duaa", "Doaa"),
    "آمنة": ("Amna", "Amina"),
    "نسرين": ("Nisreen", "Nesrin"),
    "جيهان": ("Jihan", "Jehan"),
    "شيرين": ("Shireen", "Shirin"),
    "الجبوري": ("al-Jubouri", "al-Jabouri", "Jubori", "al-Jubury"),
    "الشمري": ("al-Shammari", "Shamari"),
    "العبيدي": ("al-Obaidi", "al-Ubaydi", "Obeidi"),
    "الدليمي": ("al-Dulaimi", "al-Dulaymi", "Duleimi"),
    "الطائي": ("al-Taie", "al-Ta'i", "Tai"),
    "الحمداني": ("al-Hamdani", "Hamdani"),
    "السبعاوي": ("al-Sabawi", "al-Sab'awi"),
    "اللهيبي": ("al-Luhaibi", "al-Lahibi"),
    "النعيمي": ("al-Nuaimi", "al-Naimi", "al-Nuaymi"),
    "الحديدي": ("al-Hadidi", "al-Hadeedi"),
    "العكيدي": ("al-Ugaidi", "al-Agidi"),
    "البياتي": ("al-Bayati", "Bayati"),
    "الجميلي": ("al-Jumaili", "al-Jumaily"),
    "الزبيدي": ("al-Zubaidi", "al-Zubeidi"),
    "الخاتوني": ("al-Khatuni", "al-Khatouni"),
    "الصائغ": ("al-Sayegh", "al-Saigh"),
    "الدباغ": ("al-Dabbagh", "Dabagh"),
    "الحيالي": ("al-Hayali", "Hayyali"),
    "العزاوي": ("al-Azzawi", "Azawi"),
    "الشرابي": ("al-Sharabi", "Sharrabi"),
    "الحسيني": ("al-Husaini", "al-Husseini"),
    "المولى": ("al-Mawla", "al-Mula"),
    "الراوي": ("al-Rawi", "Rawi"),
    "الطالب": ("al-Talib", "al-Taleb"),
    "الموصلي": ("al-Mosuli", "al-Mawsili", "al-Musli"),
    "العراقي": ("al-Iraqi", "al-Eraqi"),
    "الأنصاري": ("al-Ansari",),
    "المهاجر": ("al-Muhajir", "al-Mohajer"),
    "التونسي": ("al-Tunisi", "al-Tounsi"),
    "الشيشاني": ("al-Shishani", "al-Chechani"),
    "السوري": ("al-Suri", "al-Souri"),
    "التلعفري": ("al-Tal'afari", "al-Talafari"),
    "الأثري": ("al-Athari",),
    "البغدادي": ("al-Baghdadi",),
    "الليبي": ("al-Libi", "al-Leebi"),
    "الجزراوي": ("al-Jazrawi",),
    "الأردني": ("al-Urduni", "al-Ordoni"),
    "المصري": ("al-Masri", "al-Misri"),
    "الكردي": ("al-Kurdi",),
}
