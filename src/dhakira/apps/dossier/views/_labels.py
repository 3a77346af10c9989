"""Vocabulary labels in the request's language, for rows shown in templates."""

from __future__ import annotations

from functools import cache

from dhakira.apps.dossier.models import lang
from dhakira.core import vocabularies


@cache
def _labels(name: str, language: str) -> dict[str, str]:
    return dict(vocabularies.load(name).choices(language))


def label(name: str, code: str) -> str:
    """The label of ``code`` in vocabulary ``name``; unknown or empty codes as given."""
    return _labels(name, lang()).get(code, code) if code else ""
