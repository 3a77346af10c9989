"""Every user-facing string of every app has a real Arabic translation, in one catalogue.

The whole project shares ``src/dhakira/apps/web/locale`` (no app keeps its own ``locale/``). These
tests re-extract the strings from a copy of the sources, so a string marked for translation
anywhere fails here until the catalogue has it, translated and compiled.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from dhakira.apps import evidence, web

SRC = Path(__file__).resolve().parents[2] / "src/dhakira"
LOCALE = Path(web.__file__).parent / "locale"
PO = LOCALE / "ar/LC_MESSAGES/django.po"
AR_PLURALS = 6
# Latin text that is right in an Arabic page: the language switch, units, formats and names
# of file types or tools, and the intake's Latin-script date examples.
LATIN_ALLOWED = re.compile(
    r"English|UTC|PDF|CSV|SHA-256|OCR|LCMCR|Word|Zip|\.eml|\.mbox|ISO|USD|IQD|YYYY-MM-DD HH:MM"
    r"|dhakira estimate --vault DIR --resolution FILE|late October 2014|summer 2015")


def _unquote(lines: str) -> str:
    return "".join(re.findall(r'^"(.*)"$', lines, re.M)).replace('\\"', '"').replace("\\\\", "\\")


def _entries(po: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for every entry but the header; plural entries have one msgstr a form."""
    out = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if msgid:
            out.append((_unquote(msgid.group(1)), [_unquote(s) for s in strs], "#, fuzzy" in block))
    return out


def _extract(root: Path, tmp_path: Path, settings, monkeypatch) -> set[str]:  # type: ignore[no-untyped-def]
    """The msgids ``makemessages`` finds in a copy of ``root``, as the Makefile's catalogue would."""
    copy = tmp_path / "dhakira"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(
        "locale", "__pycache__", "demo", "tests", "static", "data", "migrations"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    return {msgid for msgid, _, _ in _entries(tmp_path / "locale/en/LC_MESSAGES/django.po") if msgid}


@pytest.fixture
def marked(tmp_path, settings, monkeypatch) -> set[str]:  # type: ignore[no-untyped-def]
    return _extract(SRC, tmp_path, settings, monkeypatch)


def test_every_message_has_an_arabic_translation_in_every_plural_form() -> None:
    missing = [msgid for msgid, strs, _ in _entries(PO)
               if msgid and (not strs or not all(strs) or len(strs) not in (1, AR_PLURALS))]
    assert missing == []


def test_no_entry_is_fuzzy_in_either_language() -> None:
    fuzzy = [(lang, msgid) for lang in ("ar", "en")
             for msgid, _, is_fuzzy in _entries(LOCALE / lang / "LC_MESSAGES/django.po") if is_fuzzy]
    assert fuzzy == []


def test_the_arabic_catalogue_writes_tanwin_before_the_alef() -> None:
    """One spelling of the accusative tanwin: on the letter before the alef («حدثًا», the
    modern standard), never on the alef («حدثاً»); the catalogue had both, even for one word."""
    after = [(msgid, s) for msgid, strs, _ in _entries(PO) for s in strs if "\u0627\u064b" in s]
    assert after == []


def test_the_arabic_catalogue_writes_western_digits() -> None:
    """Figures are Western digits in both languages (docs/translating.md); the two-step pages
    said «٦ أرقام» and a refusal «١٥ دقيقة»."""
    eastern = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
    assert [(msgid, s) for msgid, strs, _ in _entries(PO) for s in strs if eastern.search(s)] == []


def test_an_arabic_none_does_not_say_its_zero_again() -> None:
    """The form for none says none in words («لا نتائج», «لم يُستلم أي ملف»): it does not add
    the figure after it, as «لا نتائج (0)» did."""
    zero = re.compile(r"^(لا|لم|ولم|امتلأ).*\(%\((n|m)\)s\)")
    said = [(msgid, strs[0]) for msgid, strs, _ in _entries(PO)
            if len(strs) == 6 and zero.search(strs[0])]
    assert said == []


def test_the_arabic_catalogue_declares_six_plural_forms() -> None:
    header = PO.read_text(encoding="utf-8").split("\n\n")[0]
    assert "nplurals=6;" in header and "Language: ar" in header


def test_every_string_marked_in_any_app_is_in_both_catalogues(marked) -> None:  # type: ignore[no-untyped-def]
    for lang in ("ar", "en"):
        known = {msgid for msgid, _, _ in _entries(LOCALE / lang / "LC_MESSAGES/django.po")}
        assert sorted(marked - known) == [], lang
    assert {"Upload evidence", "Legal analysis", "Open cases", "Disclosure log",
            "Review a pair", "How many were never reported"} <= marked


def test_the_check_catches_a_newly_marked_string(tmp_path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    probe = tmp_path / "src"
    shutil.copytree(Path(evidence.__file__).parent, probe / "evidence", ignore=shutil.ignore_patterns("__pycache__"))
    page = probe / "evidence/templates/evidence/probe.html"
    page.write_text('{% load i18n %}<p>{% translate "A string nobody translated" %}</p>', encoding="utf-8")
    known = {msgid for msgid, _, _ in _entries(PO)}
    assert _extract(probe, tmp_path / "out", settings, monkeypatch) - known == {"A string nobody translated"}


def test_no_template_sizes_a_file_with_django_s_filesizeformat() -> None:
    """Issue 17: Django's Arabic ``filesizeformat`` says "5 بايتان" (two bytes) for 3 to 10
    bytes; pages size files with the project's ``file_size`` filter (the intake's kept files,
    the field-kit quarantine)."""
    assert [str(p.relative_to(SRC)) for p in SRC.rglob("*.html")
            if "filesizeformat" in p.read_text(encoding="utf-8")] == []


def test_no_app_keeps_a_catalogue_of_its_own() -> None:
    assert list(SRC.rglob("locale")) == [LOCALE]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_compiled_catalogue_is_the_po_compiled(lang: str, tmp_path: Path) -> None:
    po = LOCALE / lang / "LC_MESSAGES/django.po"
    subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "django.mo"), str(po)], check=True)
    assert (tmp_path / "django.mo").read_bytes() == po.with_suffix(".mo").read_bytes(), "run make messages"


@pytest.mark.parametrize("msgid", ["New report", "Upload evidence", "Open cases", "Legal analysis",
                                   "Disclosure log", "Awaiting review", "Estimated total"])
def test_the_compiled_catalogue_answers_in_arabic(msgid: str) -> None:
    with translation.override("ar"):
        text = translation.gettext(msgid)
    assert text != msgid and re.search("[\u0600-\u06ff]", text)


@pytest.mark.parametrize(("n", "form"), [(0, 0), (1, 1), (2, 2), (7, 3), (11, 4), (100, 5), (103, 3)])
def test_arabic_plurals_pick_the_right_form(n: int, form: int) -> None:
    forms = dict(
        (msgid, strs) for msgid, strs, _ in _entries(PO) if msgid == "%(n)s item taken in.")["%(n)s item taken in."]
    with translation.override("ar"):
        text = translation.ngettext("%(n)s item taken in.", "%(n)s items taken in.", n)
    assert text == forms[form]


def _visible_text(html: str) -> list[str]:
    """Text a reader sees, and the hints the browser shows; not the data in <option>s."""
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hidden = 0
            self.out: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.hidden += tag in ("script", "style", "option")
            self.out += [v for k, v in attrs if k in ("placeholder", "title", "aria-label", "alt") and v]

        def handle_endtag(self, tag: str) -> None:
            self.hidden -= tag in ("script", "style", "option")

        def handle_data(self, data: str) -> None:
            if not self.hidden and data.strip():
                self.out.append(data.strip())

    parser = Text()
    parser.feed(html)
    return parser.out


APP_PAGES = ["/", "/evidence/", "/evidence/upload/", "/evidence/search/?q=x", "/legal/",
             "/legal/charges/new/", "/legal/perpetrators/", "/counting/", "/identity/",
             "/protection/", "/disclosures/", "/people/", "/reports/new/"]


@pytest.mark.django_db
def test_the_app_pages_show_no_english_in_arabic(settings) -> None:  # type: ignore[no-untyped-def]
    from tests.cast import make_cast

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_cast()
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    client.force_login(get_user_model().objects.get(username="amal"))
    english = {}
    for url in APP_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        left = [t for t in _visible_text(response.content.decode())
                if t != "amal · مدير النظام" and re.search(r"[A-Za-z]{2,}", LATIN_ALLOWED.sub("", t))]
        if left:
            english[url] = left
    assert english == {}


@pytest.mark.django_db
def test_the_charge_form_names_ground_tags_in_arabic(settings) -> None:  # type: ignore[no-untyped-def]
    from tests.cast import make_cast

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_cast()
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    client.force_login(get_user_model().objects.get(username="amal"))
    html = client.get("/legal/charges/new/").content.decode()
    assert re.search(r'value="religious"[^>]*>[^<]*[\u0600-\u06ff]', html)


def test_dates_pages_write_name_their_months_as_the_date_core_does() -> None:
    """Custody dates and the brief said «5 ديسمبر 2026» where the report form's date preview
    says «كانون الأول»: Django's Arabic months, not the Iraqi ones witnesses use (found by a
    field-team pass). Every month, in both of Django's forms, is the date core's."""
    from datetime import date

    from django.utils import formats, translation

    from dhakira.core.dates import format_bounds, parse_fuzzy_date

    with translation.override("ar"):
        for month in range(1, 13):
            day = date(2015, month, 1)
            said = formats.date_format(day, "j F Y")
            assert said == f"1 {formats.date_format(day, 'E')} 2015"
            core = format_bounds(parse_fuzzy_date(day.isoformat()), "ar")
            assert said.split(" ", 1)[1].rsplit(" ", 1)[0] in core, (said, core)
