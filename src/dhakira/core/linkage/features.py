"""Mention records in, a feature table out: name-part keys, date bounds, places, age, sex, units.

A *mention* is one report's account of one person (before linkage each is its own Person).
:func:`build_features` turns mentions into the columns the Splink model compares. Names are
parsed with :mod:`dhakira.core.names` into ism, father, grandfather, nisba and kunya, and each part
is keyed into one consonant-skeleton space, so that "محمد علي" and "Mohammed Ali" agree exactly.

Examples:
    >>> from datetime import date
    >>> rows = build_features([
    ...     Mention(1, names=("محمد علي حسين الجبوري",), date_lo=date(2015, 3, 1)),
    ...     Mention(2, names=("Mohammed Ali al-Jubouri",))])
    >>> rows["ism"].tolist(), rows["father"].tolist(), rows["nisba"].tolist()
    (['mhmd', 'mhmd'], ['l', 'l'], ['jbr', 'jbr'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pandas as pd

from dhakira.core.names import EmptyNameError, name_key, normalise, normalise_arabic, parse_name

__all__ = ["EPOCH", "FEATURE_COLUMNS", "Mention", "NameParts", "build_features", "identifies",
           "name_parts"]

EPOCH = date(1970, 1, 1)
_ARABIC_LETTER = re.compile("[\u0620-\u064a]")
SPELLED_PARTS = ("ism", "father", "grandfather")
FEATURE_COLUMNS = ("unique_id", "ism", "father", "grandfather", "nisba", "kunya", "nasab",
                   "full", "ism_block", "ism_ar", "father_ar", "grandfather_ar", "date_lo", "date_hi",
                   "date_month", "date_text", "place",
                   "district", "age", "sex", "unit", "act_type", "method", "event", "source",
                   "document")


@dataclass(frozen=True)
class Mention:
    """One report's account of one person, as plain values.

    Attributes:
        id: the Person's primary key (unique among the mentions linked together).
        names: the names given, full names first, in any script.
        kunyas: kunya or alias texts given separately (Abu Ali, أبو عمر).
        sex: 'male', 'female' or '' when not stated.
        age: stated age in years, or None.
        date_lo: earliest date of the acts reported, or None.
        date_hi: latest date of the acts reported, or None.
        place: place id of the main act, or None.
        district: id of that place's district (its ancestor), or None.
        units: ids of units the person belongs to or acted with (perpetrators), main first.
        act_type: type of the main act reported ('' when none).
        method: its method ('' when not stated).
        event: id of the event the main act belongs to, or None.
        source: id of the source (informant) who gave the report, or None. One source's
            reports about one event are taken to name different people (a cannot-link).
        document: the number of an identity document the report gives (civil ID, passport),
            '' when none; compared allowing for a digit or two miscopied.
    """

    id: int
    names: tuple[str, ...] = ()
    kunyas: tuple[str, ...] = ()
    sex: str = ""
    age: int | None = None
    date_lo: date | None = None
    date_hi: date | None = None
    place: int | None = None
    district: int | None = None
    units: tuple[int, ...] = ()
    act_type: str = ""
    method: str = ""
    event: int | None = None
    source: int | None = None
    document: str = ""


@dataclass(frozen=True)
class NameParts:
    """The keyed parts of a mention's names (None where a part was not given).

    The ``*_ar`` fields are the Arabic spelling of ism, father and grandfather (folded, no
    spaces), from the first Arabic-script name giving them. The consonant keys cannot tell
    أحمد from حامد or محمد from محمود (both ``hmd``, ``mhmd``); two Arabic spellings can.
    """

    ism: str | None = None
    father: str | None = None
    grandfather: str | None = None
    nisba: str | None = None
    kunya: str | None = None
    ism_ar: str | None = None
    father_ar: str | None = None
    grandfather_ar: str | None = None

    @property
    def nasab(self) -> str | None:
        """ism, father and grandfather keys joined: a shorter chain is a prefix of a longer."""
        chain = [k for k in (self.ism, self.father, self.grandfather) if k]
        return " ".join(chain) if self.ism and chain else None

    @property
    def full(self) -> str | None:
        """The nasab chain followed by the nisba key."""
        words = [k for k in (self.nasab, self.nisba) if k]
        return " ".join(words) or None


def _key(text: str | None) -> str | None:
    if not text:
        return None
    key = name_key(text).replace(" ", "")
    return key or None


def _arabic(text: str | None) -> str | None:
    """The folded Arabic spelling of a name part, or None when it is not in Arabic script."""
    if not text or not _ARABIC_LETTER.search(text):
        return None
    return normalise_arabic(text).replace(" ", "") or None


@lru_cache(maxsize=1 << 18)
def _parts_of(text: str) -> NameParts:
    try:
        parsed = parse_name(text)
    except EmptyNameError:
        return NameParts()
    return NameParts(ism=_key(parsed.ism), father=_key(parsed.father),
                     grandfather=_key(parsed.grandfather),
                     nisba=_key(parsed.nisba[-1]) if parsed.nisba else None,
                     kunya=_key(parsed.kunya), ism_ar=_arabic(parsed.ism),
                     father_ar=_arabic(parsed.father),
                     grandfather_ar=_arabic(parsed.grandfather))


def name_parts(names: Iterable[str], kunyas: Iterable[str] = ()) -> NameParts:
    """Key the parts of a mention's names, filling each part from the first name giving it.

    The nisba is the exception: one written with a kunya or alias ("Abu Omar al-Mosuli")
    comes before a full name's. A perpetrator's other mentions often give his alias alone,
    so its origin, not his family nisba, is what they can agree on.

    Args:
        names: full names, most complete first, in any script.
        kunyas: kunya or alias texts given on their own.

    Returns:
        The keyed parts.

    Examples:
        >>> p = name_parts(["محمد علي حسين", "Mohammed Ali"], ["Abu Omar"])
        >>> p.ism, p.father, p.grandfather, p.kunya, p.nasab
        ('mhmd', 'l', 'hsn', 'bmr', 'mhmd l hsn')
    """
    kunyas = tuple(kunyas)
    found: dict[str, str | None] = dict.fromkeys(
        ("ism", "father", "grandfather", "nisba", "kunya",
         *(f"{p}_ar" for p in SPELLED_PARTS)))
    # A man named by his real name and family nisba beside his alias ("منذر الحلبي", "أبو عمر
    # الموصلي") is compared on the alias's origin, as his alias-only mentions are.
    for text in kunyas:
        if found["nisba"] is None:
            found["nisba"] = _parts_of(text).nisba
    for text in [*names, *kunyas]:
        parts = _parts_of(text)
        for part in found:
            if found[part] is None:
                found[part] = getattr(parts, part)
    return NameParts(**found)


# What a documenter writes where nobody gave the victim's name (the report form asks for
# «مجهول»): a word, not a name. Compared after normalise().
UNNAMED = frozenset(normalise(w) for w in (
    "مجهول", "مجهولة", "مجهول الهوية", "مجهولة الهوية", "غير معروف", "غير معروفة",
    "unknown", "unnamed", "anonymous", "not known", "no name"))


def identifies(names: Iterable[str]) -> bool:
    """Whether a mention's full names name the person: one of them gives a given name (ism)
    and is not a word for "unknown".

    A kunya or an alias alone (Abu Raed), a family name alone or «مجهول» does not: such a
    mention cannot be told apart from another victim of the same event. Counting sets these
    mentions aside (docs/estimation.md, "Mentions without a name").

    Examples:
        >>> identifies(["Abu Raed"]), identifies(["مجهول"]), identifies(["الجبوري"])
        (False, False, False)
        >>> identifies(["مجهول", "Rana Hamdani"]), identifies(["شاكر حسن"])
        (True, True)
    """
    return any(normalise(text) not in UNNAMED and _parts_of(text).ism is not None
               for text in names)


def _days(value: date | None) -> int | None:
    return None if value is None else (value - EPOCH).days


def _row(m: Mention) -> tuple[object, ...]:
    p = name_parts(m.names, m.kunyas)
    lo, hi = _days(m.date_lo), _days(m.date_hi if m.date_hi is not None else m.date_lo)
    if lo is None:
        lo = hi
    return (m.id, p.ism, p.father, p.grandfather, p.nisba, p.kunya, p.nasab, p.full,
            p.ism[:3] if p.ism else None, p.ism_ar, p.father_ar, p.grandfather_ar, lo, hi,
            None if m.date_lo is None else m.date_lo.year * 12 + m.date_lo.month,
            # Digits as written (YYYYMMDD), for a typo level: 1944 read as 1984.
            None if m.date_lo is None else m.date_lo.strftime("%Y%m%d"),
            m.place, m.district, m.age, m.sex or None,
            m.units[0] if m.units else None, m.act_type or None, m.method or None, m.event,
            m.source, m.document.strip() or None)


def build_features(mentions: Iterable[Mention]) -> pd.DataFrame:
    """Turn mentions into the feature table the linkage model compares.

    Args:
        mentions: the mention records; ids must be unique.

    Returns:
        A DataFrame with one row per mention and the columns in :data:`FEATURE_COLUMNS`;
        dates are whole days since 1970-01-01 (``date_text``: the earliest as YYYYMMDD),
        missing values are nulls.
    """
    frame = pd.DataFrame.from_records([_row(m) for m in mentions], columns=list(FEATURE_COLUMNS))
    for column in ("date_lo", "date_hi", "date_month", "place", "district", "age", "unit",
                   "event", "source"):
        frame[column] = frame[column].astype("Int64")
    return frame
