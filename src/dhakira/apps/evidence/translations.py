"""Translators' work: a translation of an evidence item, kept as a derived copy.

A translation never touches the original: it is a :class:`~dhakira.apps.evidence.models.DerivedCopy`
of kind ``translation`` made through :func:`dhakira.apps.evidence.intake.derive`, the one way a
derived copy is made, so it has the same custody entry as every other copy (``derive``: who,
when, the original's id as subject and the copy's SHA-256) and its text goes into the same
search index as extracted and OCR text. Dhakira has no translator role: a translation is
recorded material, so the roles that may record material (``dossier.access.WRITERS``) may add
one, on an item they may see.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.conf.locale import LANG_INFO
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import get_language_info

from dhakira.apps.dossier import access
from dhakira.apps.evidence.errors import EvidenceError
from dhakira.apps.evidence.intake import derive
from dhakira.apps.evidence.items import visible_item
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem

__all__ = ["MAX_FILE_BYTES", "NotAllowed", "TranslationError", "add_translation",
           "language_choices", "language_label"]

#: The largest translation file taken (a translated document, not a recording).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000


class TranslationError(EvidenceError):
    """Bad input: no text or file, an unknown language, a file too large, or no item the user
    may see by that id. Nothing is written."""

    exit_code = 64


class NotAllowed(EvidenceError):
    """The user's role may not record material."""


def _known(code: str) -> bool:
    # Django's table of languages (LANG_INFO) also holds fallbacks (``zh-cn`` -> ``zh-hans``)
    # with no name of their own: only entries with a name are languages a copy can be in.
    return "name" in LANG_INFO.get(code, {})


def language_label(code: str) -> str:
    """The language's name in the reader's language (its code only if Django knows none)."""
    return str(get_language_info(code)["name_translated"]) if _known(code) else code


def language_choices() -> list[tuple[str, str]]:
    """Every language a translation may be in, as (code, name in the reader's language)."""
    return sorted(((c, language_label(c)) for c in LANG_INFO if _known(c)), key=lambda p: p[1])


def add_translation(user: AbstractBaseUser, uid: str, *, language: str, text: str = "",
                    data: bytes | None = None, file_name: str = "",
                    now: datetime | None = None) -> DerivedCopy:
    """Record ``user``'s translation of item ``uid`` into ``language`` as a derived copy.

    Args:
        text: the translation typed in, or
        data: a file holding it (stored encrypted as the copy's blob; when it is UTF-8 text,
            its words are kept as the copy's text too, so search finds them).
        file_name: the file's name, said in the copy's operation.

    Raises:
        NotAllowed: the user's role may not record material.
        TranslationError: no item ``uid`` the user may see (restricted and missing alike), no
            text and no file, both, an unknown language, too large.
    """
    if not access.can_write(user):
        raise NotAllowed("your role may not record material, so it may not add a translation")
    item: EvidenceItem | None = visible_item(user, uid)
    if item is None:
        raise TranslationError(f"no evidence item {uid} that you may see")
    language = language.strip().lower()
    if not _known(language):
        raise TranslationError(f"{language!r} is not a language code Dhakira knows "
                               "(use one such as ar, en, ku, ckb, tr, fr)")
    text = text.strip()
    if bool(text) == bool(data):
        raise TranslationError("give the translation either as text or as a file (one of the two)")
    if len(text) > MAX_TEXT_CHARS:
        raise TranslationError(f"the text is longer than {MAX_TEXT_CHARS:,} characters; "
                               "give it as a file")
    if data is not None and len(data) > MAX_FILE_BYTES:
        raise TranslationError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    operation = f"translation into {language}" + (f" from file {file_name}" if file_name else "")
    stream = None
    if data is not None:
        stream = io.BytesIO(data)
        try:
            decoded = data.decode("utf-8")
        except UnicodeDecodeError:
            decoded = ""
        text = decoded.strip() if "\x00" not in decoded else ""
    return derive(item, kind=str(DerivedCopy.Kind.TRANSLATION), actor=user.get_username(),
                  operation=operation, text=text, stream=stream, language=language, now=now)
