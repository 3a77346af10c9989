"""Validators that tie model fields to the controlled vocabularies (data, not code)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible
class VocabularyValidator:
    """Accept only codes of one vocabulary; a list field accepts a list of them."""

    def __init__(self, vocabulary: str) -> None:
        self.vocabulary = vocabulary

    def __call__(self, value: Any) -> None:
        from dhakira.core import vocabularies

        vocab = vocabularies.load(self.vocabulary)
        codes = value if isinstance(value, list) else [value]
        for code in codes:
            if code and code not in vocab.codes():
                raise ValidationError(
                    _("“%(code)s” is not a term of the %(vocab)s list; choose one of its terms."),
                    code="unknown_term",
                    params={"code": code, "vocab": self.vocabulary},
                )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VocabularyValidator) and other.vocabulary == self.vocabulary
