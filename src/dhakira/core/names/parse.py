"""Parsing a full Arabic name into ism, nasab, nisba/laqab, kunya and honorifics."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from dhakira.core.names._units import (
    detect_script,
    fold_word,
    has_article,
    is_article,
    is_honorific,
    is_nasab_marker,
    kunya_gender,
    split_units,
    split_words,
)
from dhakira.core.names.errors import EmptyNameError

__all__ = ["ParsedName", "parse_name", "shortened"]


@dataclass(frozen=True)
class ParsedName:
    """The parts of one name, each as written (compound names kept whole).

    Attributes:
        text: the text parsed.
        ism: the given name, or None (a kunya or nisba alone).
        nasab: father, grandfather, ... in order.
        nisba: family, tribal, place names and laqab with the article (al-Jubouri, الجبوري).
        kunya: Abu/Umm + a name, or None.
        honorifics: titles removed (Sheikh, الحاج, ...).
        script: 'arab', 'latn' or 'mixed'.
    """

    text: str
    ism: str | None = None
    nasab: tuple[str, ...] = ()
    nisba: tuple[str, ...] = ()
    kunya: str | None = None
    honorifics: tuple[str, ...] = field(default=())
    script: str = "latn"

    @property
    def father(self) -> str | None:
        """The first name of the nasab chain, if any."""
        return self.nasab[0] if self.nasab else None

    @property
    def grandfather(self) -> str | None:
        """The second name of the nasab chain, if any."""
        return self.nasab[1] if len(self.nasab) > 1 else None

    @property
    def kunya_gender(self) -> str | None:
        """'m' for Abu, 'f' for Umm, None without a kunya."""
        if self.kunya is None:
            return None
        return kunya_gender(fold_word(self.kunya.split()[0]))

    @property
    def kunya_name(self) -> str | None:
        """The name in the kunya (Ali in Abu Ali), if any."""
        if self.kunya is None:
            return None
        return self.kunya.split(maxsplit=1)[1]


def _is_honorific_unit(display: str) -> bool:
    return is_honorific("-".join(fold_word(w) for w in display.split()))


def _strip_honorifics(units: list[tuple[str, str]]) -> tuple[list[str], list[tuple[str, str]]]:
    titles: list[str] = []
    while len(units) > 1 and _is_honorific_unit(units[0][0]):
        titles.append(units.pop(0)[0])
    return titles, units


def _is_nisba(display: str, first_fold: str) -> bool:
    return is_article(first_fold) or has_article(fold_word(display.split()[0]))


@lru_cache(maxsize=1 << 16)
def parse_name(text: str) -> ParsedName:
    """Parse a name in Arabic script, a Latin transliteration or a mix.

    Words after bin/ibn/bint/بن/ابن/بنت are the nasab; without markers (Iraqi style
    "محمد علي حسين") the words after the ism are father, grandfather, ... Words with the
    article are nisba/laqab; Abu/Umm + the next unit is the kunya; leading titles are removed.

    Args:
        text: the name as written.

    Returns:
        The parsed name.

    Raises:
        EmptyNameError: text holds no name word.

    Examples:
        >>> p = parse_name("الحاج محمد علي حسين الجبوري")
        >>> p.ism, p.nasab, p.nisba, p.honorifics, p.script
        ('محمد', ('علي', 'حسين'), ('الجبوري',), ('الحاج',), 'arab')
        >>> p = parse_name("Sheikh Abu Ali Abd al-Rahman bin Khalid al-Tikriti")
        >>> p.kunya, p.ism, p.nasab, p.nisba
        ('Abu Ali', 'Abd al-Rahman', ('Khalid',), ('al-Tikriti',))
        >>> parse_name("Nour el-Din Mohammed").ism
        'Nour el-Din'
    """
    titles, units = _strip_honorifics(split_units(split_words(text)))
    if not units:
        raise EmptyNameError(text)
    ism: str | None = None
    nasab: list[str] = []
    nisba: list[str] = []
    kunya: str | None = None
    i = 0
    while i < len(units):
        display, first = units[i]
        has_next = i + 1 < len(units)
        if has_next and kunya is None and kunya_gender(first):
            kunya = f"{display} {units[i + 1][0]}"
            i += 2
            continue
        if has_next and is_nasab_marker(first):
            nasab.append(units[i + 1][0])
            i += 2
            continue
        if nisba or _is_nisba(display, first):
            nisba.append(display)
        elif ism is None:
            ism = display
        else:
            nasab.append(display)
        i += 1
    return ParsedName(
        text=text,
        ism=ism,
        nasab=tuple(nasab),
        nisba=tuple(nisba),
        kunya=kunya,
        honorifics=tuple(titles),
        script=detect_script(text),
    )


def shortened(text: str) -> tuple[str, ...]:
    """The shorter forms prose uses for a full name, each of two words or more: given name
    and family name (the nisba, or the last name of an unmarked chain), given name and
    father, the kunya with the family name, and the name without its titles.

    Redaction looks for these too: a testimony names «رنا فاضل عباس الحديدي» as «رنا
    الحديدي». A single word is never one (a given name alone names too many people to
    redact on its own). A text that is not a name gives no forms.

    Args:
        text: a full name as written.

    Returns:
        The shorter forms, each once, in the order above; never ``text`` itself.

    Examples:
        >>> shortened("رنا فاضل عباس الحديدي")
        ('رنا الحديدي', 'رنا فاضل', 'رنا فاضل الحديدي', 'رنا عباس')
        >>> shortened("Sheikh Abu Ali Ahmed bin Khalid al-Tikriti")[:3]
        ('Ahmed al-Tikriti', 'Ahmed Khalid', 'Ahmed Khalid al-Tikriti')
        >>> shortened("Ali")
        ()
    """
    try:
        p = parse_name(text)
    except EmptyNameError:
        return ()
    forms: list[str] = []
    if p.ism:
        forms += [f"{p.ism} {n}" for n in p.nisba]
        if p.nasab:
            forms.append(f"{p.ism} {p.nasab[0]}")
            forms += [f"{p.ism} {p.nasab[0]} {n}" for n in p.nisba]
            if len(p.nasab) > 1:  # an unmarked chain's last name is often the family's
                forms.append(f"{p.ism} {p.nasab[-1]}")
    if p.kunya:
        forms += [f"{p.kunya} {n}" for n in p.nisba]
    if p.honorifics:
        forms.append(" ".join(split_words(text)[len(" ".join(p.honorifics).split()):]))
    whole = " ".join(text.split())
    return tuple(f for f in dict.fromkeys(forms) if len(f.split()) > 1 and f != whole)
