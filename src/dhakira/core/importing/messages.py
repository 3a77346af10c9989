"""The words of a row's refusal, kept apart from the values put into them.

A refusal's reason is English (the CLI prints it, logs may hold it). The web wizard shows it in
the reader's language too: it looks the *template* up in its translation catalogue and puts the
same values in. So every reason a row can be refused for is one of the templates below (never an
f-string), and the values go in by name (``%(name)s``). No Django here: the catalogue lookup
is the shell's.

>>> said(AGE, max=130)
Said(template='an age is a whole number of years, 0 to %(max)s', params=(('max', '130'),))
>>> str(said(AGE, max=130))
'an age is a whole number of years, 0 to 130'

A template that counts (``%(n)s``) has its plural in :data:`PLURALS`; the shell looks the pair
up with ``ngettext`` (:func:`words`), so each number takes its own form:

>>> str(said(RIGHT_OF_HEADERS, n=1)), str(said(RIGHT_OF_HEADERS, n=3))
('1 value right of the last headed column', '3 values right of the last headed column')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["ALL", "PLURALS", "Said", "said", "words"]

# --- a cell that cannot be trusted (tables) ---
RIGHT_OF_HEADERS = "%(n)s value right of the last headed column"
RIGHT_OF_HEADERS_PLURAL = "%(n)s values right of the last headed column"
NOT_IN_ENCODING = ("bytes that are not %(encoding)s text (is the file in another encoding? set "
                   "encoding: in the mapping)")
NUL = "a NUL character (a binary file saved as CSV?)"
FORMULA_WITHOUT_VALUE = ("a formula saved without its value (open the file in a spreadsheet "
                         "program and save it, or paste the values)")
FORMULA_ERROR = "a formula error (%(value)s)"
# --- a row that says too little or too much (records) ---
NO_HEADER = "a value in a column with no header"
PAST_LAST_COLUMN = "values past the last column"
NOTHING_TO_RECORD = "no victim's name, act or event title: nothing to record"
AGE = "an age is a whole number of years, 0 to %(max)s"
NO_SOURCE = "no source: map a column to source or give defaults: {source: CODE}"
NO_CHANNEL = "no channel: map a column to channel or give a default"
NO_RECEIVED = "no received_at: map a column to it or give a default"
NOT_ISO = "not a date, or a date and time, as YYYY-MM-DD or YYYY-MM-DDTHH:MM"
RECEIVED_IN_FUTURE = "the time received is in the future"
LOOKS_GREGORIAN = ("this looks like a Gregorian date, but the mapping reads dates as Hijri "
                   "(calendar: hijri): write it in the Hijri calendar or mark its calendar, or "
                   "map the sheet with calendar: gregorian")
LOOKS_HIJRI = ("this looks like a Hijri date, but the mapping reads dates as Gregorian "
               "(calendar: gregorian): write it in the Gregorian calendar or mark its calendar, "
               "or map the sheet with calendar: hijri")
NOT_A_GREGORIAN_DATE = ("not a date the Gregorian calendar can read (calendar: gregorian): give "
                        "a day, month or year, such as 22/6/2015, 2015-06 or 2015, or leave the "
                        "cell empty")
NOT_A_HIJRI_DATE = ("not a date the Hijri calendar can read (calendar: hijri): give a day, month "
                    "or year, such as 5/9/1436, رمضان 1436 or 1436, or leave the cell empty")
TOO_LONG = "longer than %(limit)s characters"
PERPETRATOR_WITHOUT_ACT = ("a perpetrator without an act: map act_type or give it a default")
NOT_A_TERM = ("%(value)s is not a term of %(vocabulary)s (give its code or label, or list it "
              "under values: %(target)s:)")

# --- a row the sheet kept as evidence would show to the wrong readers (apps/importing) ---
SHEET_ELSEWHERE = ("this row is kept in the %(row)s compartment, but the sheet is kept as "
                   "evidence in %(sheet)s, where members not cleared for %(row)s could read it: "
                   "keep the sheet in %(row)s (--sheet-compartment %(row)s), or import these "
                   "rows from a sheet of their own")
MEDIA_MISSING = "a file the row names is not in the media folder (give --media FOLDER)"
MEDIA_TWICE = "a file the row names is in the media folder twice, in different folders"

#: a template that counts, and its plural: said with ``ngettext`` by the count ``n``.
PLURALS: dict[str, str] = {RIGHT_OF_HEADERS: RIGHT_OF_HEADERS_PLURAL}

#: every template, so a test can check that each has its translation.
ALL: tuple[str, ...] = (
    RIGHT_OF_HEADERS, NOT_IN_ENCODING, NUL, FORMULA_WITHOUT_VALUE, FORMULA_ERROR, NO_HEADER,
    PAST_LAST_COLUMN, NOTHING_TO_RECORD, AGE, NO_SOURCE, NO_CHANNEL, NO_RECEIVED, NOT_ISO,
    RECEIVED_IN_FUTURE,
    LOOKS_GREGORIAN, LOOKS_HIJRI, NOT_A_GREGORIAN_DATE, NOT_A_HIJRI_DATE,
    TOO_LONG, PERPETRATOR_WITHOUT_ACT, NOT_A_TERM, SHEET_ELSEWHERE, MEDIA_MISSING, MEDIA_TWICE,
)


@dataclass(frozen=True)
class Said:
    """A template and the values that go into it (as text, so it can be kept and compared)."""

    template: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return words(self.template, dict(self.params))


def said(template: str, **params: object) -> Said:
    """``template`` with its values, each turned to text."""
    return Said(template, tuple((k, str(v)) for k, v in sorted(params.items())))


def _english(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def words(template: str, params: Mapping[str, str], gettext: Callable[[str], str] = str,
          ngettext: Callable[[str, str, int], str] = _english) -> str:
    """``template`` with ``params`` put in, in the language ``gettext`` and ``ngettext`` speak
    (English without them): a template in :data:`PLURALS` is looked up with its plural and its
    count ``n``, so a shell passes its catalogue's two functions and no Django is needed here."""
    plural = PLURALS.get(template)
    text = ngettext(template, plural, int(params["n"])) if plural else gettext(template)
    return text % dict(params) if params else text
