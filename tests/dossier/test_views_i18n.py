"""Every user-facing string of the dossier and web pages has a real Arabic translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "src/dhakira/web/locale/ar/LC_MESSAGES/django.po"
TEMPLATES = Path(__file__).resolve().parents[2] / "src/dhakira/dossier/templates/dossier"


def _entries() -> list[tuple[str, str, bool]]:
    out = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        ids = re.search(r'^msgid ((?:".*"\n)+)', block + "\n", re.M)
        strs = re.search(r'^msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if ids and strs:
            msgid = "".join(re.findall(r'"(.*)"', ids.group(1)))
            msgstr = "".join(re.findall(r'"(.*)"', strs.group(1)))
            out.append((msgid, msgstr, "#, fuzzy" in block))
    return [e for e in out if e[0]]


def test_every_message_has_an_arabic_translation() -> None:
    missing = [msgid for msgid, msgstr, fuzzy in _entries() if not msgstr or fuzzy]
    assert missing == []


def test_every_template_string_is_in_the_catalogue() -> None:
    known = {msgid for msgid, _, _ in _entries()}
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r'{% translate "([^"]+)"', path.read_text(encoding="utf-8")))
    assert sorted(u for u in used if u not in known) == []


@pytest.mark.parametrize("msgid", ["New report", "Save the report", "Maybe the same person"])
def test_the_compiled_catalogue_answers_in_arabic(msgid: str) -> None:
    with translation.override("ar"):
        text = translation.gettext(msgid)
    assert text != msgid and re.search("[\u0600-\u06ff]", text)
