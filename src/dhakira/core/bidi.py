"""Which script a text is in, and the bidirectional controls removed from what people type.

:func:`script_of` and :func:`is_arabic` are the one test of "is this Arabic?": a text is
Arabic when it holds a letter of the Arabic blocks (Arabic, Supplement, Extended-A and the
presentation forms), whatever else it holds.

The embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) reorder how
text is displayed without changing what it says: ``U+202E`` makes ``fdp.exe`` read as
``exe.pdf``, and a name can be made to display as another. Arabic text never needs them:
the app isolates each value itself (``<bdi>``, ``dir="auto"``). The marks LRM, RLM and ALM
(U+200E, U+200F, U+061C) only nudge neutral characters and are kept.

Example:
    >>> script_of("Ahmad احمد"), script_of("Ahmad")
    ('arab', 'latn')
    >>> strip_controls("report\\u202eexe.pdf")
    'reportexe.pdf'
"""

from __future__ import annotations

import re

__all__ = ["ARABIC", "CONTROLS", "has_controls", "is_arabic", "script_of", "strip_controls"]

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# One regular expression pass: str.translate with a dict looks every character up in Python
# (about four times slower; an import calls this on every cell of every row).
_CONTROL_RUN = re.compile("[" + "".join(sorted(CONTROLS)) + "]+")


def strip_controls(text: str) -> str:
    """``text`` without bidirectional embedding, override or isolate controls."""
    return _CONTROL_RUN.sub("", text)


def has_controls(text: str) -> bool:
    """Whether ``text`` holds any bidirectional control."""
    return not CONTROLS.isdisjoint(text)


def is_arabic(text: str) -> bool:
    """Whether ``text`` holds any character of the Arabic blocks."""
    return ARABIC.search(text) is not None


def script_of(text: str) -> str:
    """``'arab'`` when ``text`` holds an Arabic character, else ``'latn'``."""
    return "arab" if is_arabic(text) else "latn"
