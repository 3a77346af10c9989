"""Spreadsheet-safe cells for every CSV and load file a package carries (OWASP CSV injection).

A cell a spreadsheet would read as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is prefixed with ``'``, so ``=HYPERLINK(…)`` in a place name is shown as
text instead of being run on the recipient's machine. Plain numbers (``-33.5``) are left alone.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def safe_cell(value: object) -> str:
    """``value`` as text a spreadsheet will not evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
