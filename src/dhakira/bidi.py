"""Unicode bidirectional controls: removed from what people type, never shown by the app.

The embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) reorder how
text is displayed without changing what it says: ``U+202E`` makes ``fdp.exe`` read as
``exe.pdf``, and a name can be made to display as another. Arabic text never needs them:
the app isolates each value itself (``<bdi>``, ``dir="auto"``). The marks LRM, RLM and ALM
(U+200E, U+200F, U+061C) only nudge neutral characters and are kept.

Example:
    >>> strip_controls("report\\u202eexe.pdf")
    'reportexe.pdf'
"""

from __future__ import annotations

__all__ = ["CONTROLS", "has_controls", "strip_controls"]

CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_TABLE = dict.fromkeys(map(ord, CONTROLS))


def strip_controls(text: str) -> str:
    """``text`` without bidirectional embedding, override or isolate controls."""
    return text.translate(_TABLE)


def has_controls(text: str) -> bool:
    """Whether ``text`` holds any bidirectional control."""
    return not CONTROLS.isdisjoint(text)
