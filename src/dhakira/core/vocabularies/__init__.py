"""Controlled vocabularies as data: YAML files with English and Arabic labels.

Act types, methods, grounds attributed by the perpetrator, rights deprived and the other
lists of the HURIDOCS Events Standard Formats (plus local terms HURIDOCS lacks, such as
stoning and sexual slavery) live in ``data/*.yaml``. Records store a term's ``code``;
labels come from here. To add a term, edit the file (see docs/dates.md, Vocabularies).

>>> load("act_types").label("forced_marriage", "ar")
'الزواج القسري'
"""

from dhakira.core.vocabularies._loader import load, names
from dhakira.core.vocabularies._model import GROUND_TAGS, LANGUAGES, Term, Vocabulary
from dhakira.core.vocabularies.errors import (
    InvalidVocabulary,
    UnknownTerm,
    UnknownVocabulary,
    VocabularyError,
)

__all__ = [
    "GROUND_TAGS",
    "LANGUAGES",
    "InvalidVocabulary",
    "Term",
    "UnknownTerm",
    "UnknownVocabulary",
    "Vocabulary",
    "VocabularyError",
    "load",
    "names",
]
