"""Record ids: each kind's prefix and width, formatted and parsed in one place.

A record's id is its prefix, a hyphen and its primary key padded with zeros to the kind's
width: person 44 is ``P-000044``, report 7 is ``I-0000007``. A key wider than the width is
written in full (``P-1234567``). Ids appear in packages, custody entries and the CLI, so a
kind's prefix and width never change.

Example:
    >>> PERSON.format(44)
    'P-000044'
    >>> PERSON.parse("P-000044")
    44
    >>> CHARGE.parse_loose(" ch-0003 "), CHARGE.parse_loose("3")
    (3, 3)
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import cached_property

__all__ = ["ACT", "ASSESSMENT", "CHARGE", "DERIVED", "ESTIMATE", "EVENT", "EVIDENCE", "JOB",
           "KINDS", "Kind", "LINK_RUN", "MAX_KEY", "PERSON", "PLACE", "RECIPIENT", "REPORT",
           "SOURCE", "STAFF", "TASK", "UNIT", "key_or_none"]

#: The largest primary key a database holds (a signed 64-bit integer): a larger number in a
#: query string or a form names no record, and SQLite cannot even be asked about it.
MAX_KEY = 2**63 - 1


def key_or_none(text: object) -> int | None:
    """The primary key written as plain ASCII digits in ``text`` (a query string's or a
    form's value), or None when it is not one: other characters, other digits (²), or more
    than any database holds.

    >>> key_or_none("44"), key_or_none(" 44 "), key_or_none("4x"), key_or_none("9" * 30)
    (44, 44, None, None)
    """
    digits = str(text).strip()
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        return None
    key = int(digits)
    return key if key <= MAX_KEY else None


@dataclass(frozen=True)
class Kind:
    """One kind of record id: ``prefix-`` and the key padded to ``width`` digits."""

    prefix: str
    width: int

    def format(self, pk: int) -> str:
        """The id of the record whose primary key is ``pk`` (a whole number, 0 or more).

        Raises:
            TypeError: ``pk`` is not a whole number (None: the record is not saved yet).
            ValueError: ``pk`` is negative.
        """
        if isinstance(pk, bool):
            raise TypeError("a record id needs a whole number, not a bool")
        n = operator.index(pk)  # numpy and pandas integers too
        if n < 0:
            raise ValueError(f"a record id needs a whole number 0 or more, not {pk!r}")
        return f"{self.prefix}-{n:0{self.width}d}"

    def parse(self, uid: str) -> int:
        """The primary key named by ``uid``, written exactly as :meth:`format` writes it.

        Raises:
            ValueError: ``uid`` is not an id of this kind (or names a key larger than
                :data:`MAX_KEY`).
        """
        m = self._pattern.fullmatch(uid)
        if m is None or (len(m.group(1)) > self.width and m.group(1)[0] == "0") or (
                key_or_none(m.group(1)) is None):  # more than any database holds
            raise ValueError(f"{uid!r} is not an id like {self.format(1)}")
        return int(m.group(1))

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        # Compiled once per kind: a charge's pages parse thousands of ids a request.
        return re.compile(rf"{re.escape(self.prefix)}-([0-9]{{{self.width},}})")

    def pk_or_none(self, uid: str) -> int | None:
        """:meth:`parse`, or None when ``uid`` is not an id of this kind (for mixed lists)."""
        try:
            return self.parse(uid)
        except ValueError:
            return None

    def parse_loose(self, text: str) -> int:
        """The primary key in what a person typed: any case, spaces around, the prefix and
        the zeros optional (``p-44``, ``P-000044`` and ``44`` all name person 44).

        Raises:
            ValueError: no id of this kind can be read from ``text``.
        """
        key = key_or_none(str(text).strip().upper().removeprefix(f"{self.prefix}-"))
        if key is None:
            raise ValueError(f"{text!r} is not an id like {self.format(1)}")
        return key


PERSON = Kind("P", 6)
REPORT = Kind("I", 7)  # an Information row: one report of what someone saw or heard
ACT = Kind("A", 6)
EVENT = Kind("E", 6)
PLACE = Kind("PL", 5)
UNIT = Kind("U", 5)
SOURCE = Kind("S", 5)
RECIPIENT = Kind("RC", 4)
STAFF = Kind("U", 6)  # a user in packages and custody extracts; shares U- with units
EVIDENCE = Kind("EV", 6)
DERIVED = Kind("DC", 6)
CHARGE = Kind("CH", 4)
ASSESSMENT = Kind("AS", 6)
ESTIMATE = Kind("E", 4)  # a stored estimate; shares E- with events
JOB = Kind("J", 4)
LINK_RUN = Kind("R", 5)
TASK = Kind("CT", 6)  # a confirmation task (vetting)

KINDS: dict[str, Kind] = {
    "person": PERSON, "report": REPORT, "act": ACT, "event": EVENT, "place": PLACE,
    "unit": UNIT, "source": SOURCE, "recipient": RECIPIENT, "staff": STAFF,
    "evidence": EVIDENCE, "derived": DERIVED, "charge": CHARGE, "assessment": ASSESSMENT,
    "estimate": ESTIMATE, "job": JOB, "link_run": LINK_RUN, "task": TASK,
}
