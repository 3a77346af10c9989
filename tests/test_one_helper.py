"""Issue 18 item 6: one "is this Arabic?" and one "which language does the reader read?"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import dhakira
from dhakira.apps.dossier import intake
from dhakira.apps.dossier.models import lang
from dhakira.core import bidi
from dhakira.core.handover import _arabic

pytestmark = pytest.mark.backend_independent

SRC = Path(dhakira.__file__).parent


def _sources() -> list[tuple[str, str]]:
    return [(p.relative_to(SRC).as_posix(), p.read_text("utf-8")) for p in SRC.rglob("*.py")
            if "migrations" not in p.parts]


@pytest.mark.parametrize(("text", "script"), [
    ("محمد", "arab"), ("Mohammed", "latn"), ("Abu محمد", "arab"), ("", "latn"),
    ("ﻣﺤﻤﺪ", "arab"),  # presentation forms, as some PDFs extract Arabic
    ("ݐ", "arab"),  # Arabic Supplement
    ("123 ٤٥", "arab"),  # Arabic-Indic digits are in the Arabic block
])
def test_issue18_6_one_script_of_for_names_reports_and_packages(text: str, script: str) -> None:
    assert bidi.script_of(text) == script
    assert intake.script_of is bidi.script_of and _arabic.is_arabic is bidi.is_arabic


def test_issue18_6_no_other_module_spells_out_the_arabic_block() -> None:
    # A second copy of the range is how the five copies disagreed (some missed the
    # presentation forms). Letter classes for folding names are a different question.
    spelled = [rel for rel, text in _sources()
               if re.search(r"\\u0600|\\u06ff", text) and not rel.endswith("bidi.py")]
    assert spelled == []


def test_issue18_6_one_lang_follows_the_active_language() -> None:
    with translation.override("en"):
        assert lang() == "en"
    with translation.override("ar"):
        assert lang() == "ar"
    with translation.override(None):
        assert lang() == "ar"  # Arabic unless English is asked for


def test_issue18_6_only_lang_asks_django_for_the_language() -> None:
    asking = [rel for rel, text in _sources() if re.search(r"\bget_language\(\)", text)]
    assert len(asking) == 1 and asking[0].endswith("dossier/models.py"), asking


def test_one_arabic_list_comma() -> None:
    """Six modules spelt ``"، " if lang == "ar" else ", "``; ``dossier.models.comma`` is the
    one that does, and follows the reader's language."""
    spelled = [rel for rel, text in _sources() if re.search(r"""["']، ["']""", text)]
    assert spelled == ["apps/dossier/models.py"], spelled
    from dhakira.apps.dossier.models import comma

    with translation.override("ar"):
        assert comma() == "، " and comma("en") == ", "
    with translation.override("en"):
        assert comma() == ", " and comma("ar") == "، "
