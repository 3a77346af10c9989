"""Named errors of :mod:`dhakira.core.vocabularies`."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from dhakira.errors import DhakiraError


class VocabularyError(DhakiraError):
    """Base class of the errors raised by :mod:`dhakira.core.vocabularies`."""


class UnknownVocabulary(VocabularyError):
    """No data file has this vocabulary name."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        super().__init__(f"No vocabulary named {name!r}. Known vocabularies: {', '.join(known)}.")


class UnknownTerm(VocabularyError):
    """A code is not a term of the vocabulary it was checked against; ``term`` is that code
    (``code`` is the error's own, :class:`DhakiraError`'s)."""

    def __init__(self, vocabulary: str, code: object, valid: Sequence[str]) -> None:
        self.vocabulary = vocabulary
        self.term = code
        close = difflib.get_close_matches(str(code), valid, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        sample = ", ".join(valid[:5]) + (", ..." if len(valid) > 5 else "")
        super().__init__(
            f"{code!r} is not a term of vocabulary {vocabulary!r}.{hint} "
            f"Valid codes ({len(valid)}) include: {sample}."
        )


class InvalidVocabulary(VocabularyError):
    """A vocabulary data file breaks the format rules (see docs/dates.md, Vocabularies)."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(f"Vocabulary file {name}.yaml is invalid: {problem}")
