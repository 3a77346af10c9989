"""Terms and vocabularies: frozen values read from the YAML data files."""

from __future__ import annotations

from dataclasses import dataclass, field

from dhakira.core.vocabularies.errors import UnknownTerm, VocabularyError

LANGUAGES: tuple[str, ...] = ("en", "ar")
GROUND_TAGS: frozenset[str] = frozenset(
    {"gender", "sexual_orientation", "gender_identity", "religious", "ethnic", "political", "other"}
)


@dataclass(frozen=True)
class Term:
    """One entry of a controlled vocabulary.

    Attributes:
        code: stable snake_case identifier stored in records; never renamed.
        en, ar: English and Arabic labels.
        parent: the code of a broader term in the same vocabulary, if any.
        huridocs: the HURIDOCS micro-thesaurus term this maps to ("MT05 Burning").
        description_en: a short scope note for documenters.
        ground_tags: persecution-ground tags (grounds vocabulary only).
        liability: suggested Rome Statute liability id (involvement degrees only).
    """

    code: str
    en: str
    ar: str
    parent: str | None = None
    huridocs: str | None = None
    description_en: str | None = None
    ground_tags: tuple[str, ...] = ()
    liability: str | None = None

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` ('en' or 'ar').

        Raises:
            VocabularyError: ``lang`` is not 'en' or 'ar'.
        """
        if lang not in LANGUAGES:
            raise VocabularyError(f"Unknown language {lang!r}; use 'en' or 'ar'.")
        return self.ar if lang == "ar" else self.en


@dataclass(frozen=True)
class Vocabulary:
    """A versioned list of terms with English and Arabic labels.

    >>> from dhakira.core.vocabularies import load
    >>> methods = load("methods")
    >>> methods.label("thrown_from_height")
    'Thrown from a height'
    >>> methods.validate("thrown_from_height")
    """

    name: str
    version: str
    label_en: str
    label_ar: str
    terms: tuple[Term, ...]
    _index: dict[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {term.code: term for term in self.terms})

    def codes(self) -> tuple[str, ...]:
        """All codes, in file order."""
        return tuple(term.code for term in self.terms)

    def get(self, code: str) -> Term:
        """The term with this code.

        Raises:
            UnknownTerm: no such code; the message lists valid codes.
        """
        try:
            return self._index[code]
        except (KeyError, TypeError):
            raise UnknownTerm(self.name, code, self.codes()) from None

    def validate(self, code: str) -> None:
        """Return None when ``code`` is a term here.

        Raises:
            UnknownTerm: no such code; the message lists valid codes.
        """
        self.get(code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._index

    def label(self, code: str, lang: str = "en") -> str:
        """The label of ``code`` in ``lang`` ('en' or 'ar').

        Raises:
            UnknownTerm: no such code.
            VocabularyError: unknown language.
        """
        return self.get(code).label(lang)

    def choices(self, lang: str = "en") -> list[tuple[str, str]]:
        """(code, label) pairs in file order, for form select widgets.

        Raises:
            VocabularyError: unknown language.
        """
        return [(term.code, term.label(lang)) for term in self.terms]

    def children(self, code: str) -> tuple[Term, ...]:
        """Terms whose parent is ``code``.

        Raises:
            UnknownTerm: no such code.
        """
        self.get(code)
        return tuple(term for term in self.terms if term.parent == code)
