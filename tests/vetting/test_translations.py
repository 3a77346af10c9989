"""Translators' work (issue 21, item 2): a translation of an evidence item is a derived copy
with its custody entry (who, when, the original, the copy's SHA-256), shown on the item page,
searchable, from the web and the command line; the original is never touched."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.urls import reverse
from django.utils import translation
from tests.cast import PASSWORD, client_for
from tests.conftest import new_vault_dir

from dhakira import cli
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.evidence import translations
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem
from dhakira.apps.search import services as search

pytestmark = pytest.mark.django_db

ORIGINAL = "شهادة مكتوبة عن الاحتجاز في المدرسة القديمة".encode()
ENGLISH = "A written account of the detention in the qzxoldschool"


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def item(settings: Any, tmp_path: Path, cast: dict[str, Any]) -> EvidenceItem:
    new_vault_dir(settings, tmp_path / "vault")
    return ingest_stream(io.BytesIO(ORIGINAL), name="account.txt", origin="usb",
                         collection=Collection(collector="rana", method="handed over"))


def _fixed(item: EvidenceItem) -> tuple[Any, ...]:
    fresh = EvidenceItem.objects.get(pk=item.pk)
    return fresh.sha256, fresh.size, fresh.blob_name, fresh.collected_at


def test_a_translation_is_a_derived_copy_in_custody_and_searchable(cast, item) -> None:  # type: ignore[no-untyped-def]
    before = _fixed(item)
    copy = translations.add_translation(cast["rana"], item.uid, language="en", text=ENGLISH)
    assert (copy.kind, copy.language, copy.created_by, copy.original_id) == (
        "translation", "en", "rana", item.pk)
    assert _fixed(item) == before  # the original is untouched
    entry = LedgerEntry.objects.filter(action="derive", subject=item.uid).latest("seq")
    assert entry.actor == "rana"
    assert entry.subject_hash == hashlib.sha256(ENGLISH.encode()).hexdigest()
    assert entry.detail["copy"] == copy.uid and entry.detail["kind"] == "translation"
    hits = search.search("qzxoldschool")
    assert [h.ref for h in hits] == [item.uid]


def test_a_translation_given_as_a_file_is_stored_and_its_text_searchable(cast, item) -> None:  # type: ignore[no-untyped-def]
    data = ENGLISH.encode()
    copy = translations.add_translation(cast["samir"], item.uid, language="en", data=data,
                                        file_name="account.en.txt")
    assert copy.blob_sha256 == hashlib.sha256(data).hexdigest() and copy.text == ENGLISH
    assert "account.en.txt" in copy.operation
    assert search.search("qzxoldschool")


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"language": "en"}, "either as text or as a file"),
    ({"language": "en", "text": "x", "data": b"y"}, "either as text or as a file"),
    ({"language": "xx-nowhere", "text": "x"}, "not a language code"),
])
def test_bad_input_is_named_and_writes_nothing(cast, item, kwargs, says) -> None:  # type: ignore[no-untyped-def]
    entries = LedgerEntry.objects.count()
    with pytest.raises(translations.TranslationError, match=says):
        translations.add_translation(cast["rana"], item.uid, **kwargs)
    assert not DerivedCopy.objects.filter(kind="translation").exists()
    assert LedgerEntry.objects.count() == entries


def test_a_viewer_may_not_and_a_hidden_item_is_answered_as_missing(cast, item) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(translations.NotAllowed):
        translations.add_translation(cast["victor"], item.uid, language="en", text=ENGLISH)
    EvidenceItem.objects.filter(pk=item.pk).update(compartment="sogi")
    with pytest.raises(translations.TranslationError, match="no evidence item"):
        translations.add_translation(cast["rana"], item.uid, language="en", text=ENGLISH)
    with pytest.raises(translations.TranslationError, match="no evidence item"):
        translations.add_translation(cast["rana"], "EV-999999", language="en", text=ENGLISH)
    assert not DerivedCopy.objects.filter(kind="translation").exists()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_item_page_adds_and_shows_a_translation_with_who_and_when(cast, item, lang) -> None:  # type: ignore[no-untyped-def]
    client = client_for("rana", lang)
    url = reverse("evidence:translate", args=[item.uid])
    empty = client.post(url, {"language": "en", "text": ""})
    assert empty.status_code == 400
    assert ("either as text or as a file" if lang == "en" else "نصًّا أو ملفًّا") in empty.content.decode()
    done = client.post(url, {"language": "en", "text": ENGLISH})
    assert done.status_code == 302
    page = client.get(reverse("evidence:item_detail", args=[item.uid])).content.decode()
    row = next(r for r in page.split("<tr") if 'data-kind="translation"' in r)
    with translation.override(lang):
        label = translations.language_label("en")
    assert label == "English" if lang == "en" else label.startswith("الإن")
    assert ">rana<" in row and f">{label}<" in row
    assert ENGLISH in page
    assert client_for("victor", lang).post(url, {"language": "en", "text": "x"}).status_code == 403
    assert client.get(url).status_code == 405
    assert DerivedCopy.objects.filter(kind="translation").count() == 1


def test_the_command_line_records_a_translation(cast, item, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli.evidence, "unlock", lambda *a: b"")  # the test database is open
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    result = CliRunner().invoke(cli.main, [
        "translate", "--vault", str(tmp_path), "--translator", "rana", "--password-file",
        str(tmp_path / "pw"), "--language", "en", "--text-file", str(tmp_path / "en.txt"), item.uid])
    assert result.exit_code == 0, result.output
    copy = DerivedCopy.objects.get(kind="translation")
    assert copy.uid in result.output and copy.created_by == "rana" and copy.text == ENGLISH
    refused = CliRunner().invoke(cli.main, [
        "translate", "--vault", str(tmp_path), "--translator", "rana", "--password-file",
        str(tmp_path / "pw"), "--language", "en", "--text-file", str(tmp_path / "en.txt"), "EV-999999"])
    assert refused.exit_code == 64 and "no evidence item EV-999999" in refused.output
