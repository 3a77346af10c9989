"""How one informant renders a name, a date and an act: the realistic variation.

Every function takes a ``random.Random`` so that the whole dossier follows from one seed.
"""

from __future__ import annotations

import datetime as dt
import random

from hijridate import Gregorian

from dhakira.apps.demo._names_data import Name

NameOut = tuple[str, str, str]  # text, script ("arab"/"latn"), kind ("full"/"kunya"/"alias")

_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
_GREG_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December")
_GREG_AR = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
            "تشرين الأول", "تشرين الثاني", "كانون الأول")
_HIJRI_AR = ("محرم", "صفر", "ربيع الأول", "ربيع الثاني", "جمادى الأولى", "جمادى الآخرة", "رجب",
             "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة")
_HIJRI_EN = ("Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Ula",
             "Jumada al-Akhirah", "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah",
             "Dhu al-Hijjah")
_PART_EN = (("early", 5), ("mid", 15), ("late", 25))
_PART_AR = {"early": "أوائل", "mid": "منتصف", "late": "أواخر"}


def arabic_variant(text: str, rng: random.Random) -> str:
    """One common spelling variant: bare alef, final ha for ta marbuta, ya/alef maqsura, joined Abd."""
    roll = rng.random()
    if roll < 0.4:
        return text.translate(_HAMZA)
    if roll < 0.6:
        return " ".join(w[:-1] + "ه" if w.endswith("ة") else w for w in text.split(" "))
    if roll < 0.8:
        return " ".join(w[:-1] + "ي" if w.endswith("ى") else w for w in text.split(" "))
    return text.replace("عبد ال", "عبدال")


def typo(text: str, rng: random.Random) -> str:
    """A slip of the keyboard: two letters swapped, one dropped or one doubled."""
    positions = [i for i, ch in enumerate(text[:-1]) if ch.isalpha() and text[i + 1].isalpha()]
    if not positions:
        return text
    i = rng.choice(positions)
    roll = rng.random()
    if roll < 0.4:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if roll < 0.7:
        return text[:i] + text[i + 1:]
    return text[:i] + text[i] + text[i:]


def latin(name: Name, rng: random.Random) -> str:
    """A Latin spelling of ``name``: usually the common one, sometimes a variant."""
    spellings = name[1]
    return spellings[0] if rng.random() < 0.55 else rng.choice(spellings)


def latin_nisba(name: Name, rng: random.Random) -> str:
    text = latin(name, rng)
    roll = rng.random()
    if text.startswith("al-") and roll < 0.15:
        return text[3:].capitalize()
    if text.startswith("al-") and roll < 0.25:
        return "Al " + text[3:].capitalize()
    if text.startswith("al-") and roll < 0.3:
        return "el-" + text[3:]
    return text


def nasab(parts: list[Name], nisba: Name | None, script: str, rng: random.Random,
          *, with_bin: bool = False) -> str:
    """A name of the given parts in one script, as one informant would write it."""
    if script == "arab":
        words = [p[0] for p in parts]
        text = (" بن ".join(words) if with_bin else " ".join(words))
        text = f"{text} {nisba[0]}" if nisba else text
        if rng.random() < 0.3:
            text = arabic_variant(text, rng)
    else:
        words = [latin(p, rng) for p in parts]
        text = " ".join(words) + (f" {latin_nisba(nisba, rng)}" if nisba else "")
    return typo(text, rng) if rng.random() < 0.08 else text


def kunya(son: Name, origin: Name | None, script: str, rng: random.Random) -> str:
    """"Abu Hamza al-Iraqi" or "أبو حمزة العراقي", with the usual variation."""
    if script == "arab":
        abu = "ابو" if rng.random() < 0.3 else "أبو"
        return f"{abu} {son[0]}" + (f" {origin[0]}" if origin else "")
    abu = "Abu" if rng.random() < 0.85 else "Abou"
    return f"{abu} {latin(son, rng)}" + (f" {latin_nisba(origin, rng)}" if origin else "")


def date_text(day: dt.date, language: str, rng: random.Random, *, hijri_share: float) -> str:
    """How a source dates an event: exact, by month part, approximate, Hijri, season, or not at all."""
    roll = rng.random()
    if roll < 0.08:  # remembered a few days off
        day = day + dt.timedelta(days=rng.randint(-10, 10))
    if rng.random() < hijri_share:
        return _hijri(day, language, rng)
    if roll < 0.03:
        return ""
    if roll < 0.25:
        return day.isoformat()
    if roll < 0.4:
        return f"{day.day}/{day.month}/{day.year}"
    if roll < 0.55:
        return f"{day.year}-{day.month:02d}~"
    if roll < 0.62:
        season = "summer" if day.month in (6, 7, 8) else "winter" if day.month in (12, 1, 2) else ""
        # "winter 2014" runs from December 2014 into February 2015.
        year = day.year - 1 if day.month in (1, 2) else day.year
        if season:
            return f"{season} {year}" if language == "en" else (
                f"{'صيف' if season == 'summer' else 'شتاء'} {year}")
    part = next((p for p, limit in _PART_EN if day.day <= limit + 5), "late")
    month = _GREG_EN[day.month - 1] if language == "en" else _GREG_AR[day.month - 1]
    if rng.random() < 0.5:
        return f"{month} {day.year}"
    return f"{part} {month} {day.year}" if language == "en" else f"{_PART_AR[part]} {month} {day.year}"


def _hijri(day: dt.date, language: str, rng: random.Random) -> str:
    h = Gregorian(day.year, day.month, day.day).to_hijri()
    months = _HIJRI_EN if language == "en" else _HIJRI_AR
    if rng.random() < 0.5:
        return f"{h.day} {months[h.month - 1]} {h.year}"
    return f"{months[h.month - 1]} {h.year}"
