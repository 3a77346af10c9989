"""Issue 20, item 4: the import wizard (upload, map, dry run, import) through the Django client.

The wizard calls the same ``import_table`` as ``dhakira import``; these tests pin what the web
adds: the sheet held sealed between steps, every column mapped or ignored, values matched to
terms, refusals listed with row, column and reason in Arabic and English, one import per form,
nothing written on refusal, and who may use it.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from tests.cast import PASSWORD, SETUP, client_for
from tests.importing.sheets import HEADERS, MAPPING, MESSY, messy_xlsx, write_csv

from dhakira.apps.dossier.models import Act, Information
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.importing.models import ImportedRow, PendingSheet
from dhakira.core.importing import load_mapping, messages

pytestmark = pytest.mark.django_db

# What each column of tests.importing.sheets.HEADERS holds.
TARGETS = ["victim_name", "victim_name_other", "victim_age", "victim_sex", "date", "place",
           "act_type", "source", "text", "ignore"]
PHONE = "0770 000 0001"  # in the ignored column: kept with the sheet, never in a report


def upload(client: Any, path: Path, **extra: Any) -> Any:
    data = {"sheet": SimpleUploadedFile(path.name, path.read_bytes()),
            "compartment": "sources", "header_row": 1, "encoding": "utf-8", **extra}
    return client.post("/import/", data)


def held_pk(response: Any) -> int:
    assert response.status_code == 302, response.content[:2000]
    match = re.fullmatch(r"/import/(\d+)/map/", response["Location"])
    assert match, response["Location"]
    return int(match.group(1))


def map_post(targets: list[str] = TARGETS, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {f"col_{i}": t for i, t in enumerate(targets)}
    data.update({"compartment": "sources", "calendar": "gregorian", "default_source": "",
                 "default_channel": "document", "default_received_at": "2016-05-01"})
    data.update(extra)
    return data


def value_field(page: str, value: str) -> str:
    """The name of the select matching ``value`` of a vocabulary column to a term."""
    label = re.search(rf'<label for="id_(val_\d+_\d+)"><bdi>{re.escape(value)}</bdi>', page)
    assert label, f"no value field for {value!r}"
    return label.group(1)


def walk_to_preview(client: Any, pk: int) -> Any:
    """Map the messy sheet: the first check shows the values of the vocabulary columns, the
    second (one value matched to a term by hand) goes on to the dry run."""
    first = client.post(f"/import/{pk}/map/", map_post())
    assert first.status_code == 200
    page = first.content.decode()
    name = value_field(page, "Enforced disappearance")  # neither a code nor a label
    shown = re.findall(r'name="shown" value="(\d+)"', page)
    assert sorted(shown) == ["3", "6"]  # sex and act: the vocabulary columns
    second = client.post(f"/import/{pk}/map/", {**map_post(), "shown": shown,
                                                 name: "abduction_disappearance"})
    assert second.status_code == 302 and second["Location"] == f"/import/{pk}/preview/"
    return client.get(second["Location"])


def count(page: str, name: str) -> int:
    match = re.search(rf'id="count-{name}">(\d+)<', page)
    assert match, name
    return int(match.group(1))


def test_a_messy_arabic_sheet_walks_from_upload_to_reports(tmp_path: Path, cast: Any) -> None:
    client = client_for("rana")
    assert 'href="/import/"' in client.get("/").content.decode()  # found from the dashboard
    pk = held_pk(upload(client, messy_xlsx(tmp_path / "ضحايا.xlsx")))
    assert PendingSheet.objects.get(pk=pk).sealed_data  # held, sealed
    page = client.get(f"/import/{pk}/map/").content.decode()
    for header in HEADERS:  # every column, with samples (the merged date too)
        assert f"<bdi>{header}</bdi>" in page
    assert "أحمد خليل إبراهيم" in page and "Fatima Ali" in page
    preview = walk_to_preview(client, pk)
    body = preview.content.decode()
    assert (count(body, "new"), count(body, "already"), count(body, "refused")) == (6, 0, 0)
    assert Information.objects.count() == 0 and EvidenceItem.objects.count() == 0  # a dry run
    done = client.post(f"/import/{pk}/import/")
    assert done.status_code == 302 and done["Location"].startswith("/import/done/")
    result = client.get(done["Location"]).content.decode()
    reports = Information.objects.order_by("pk")
    assert reports.count() == 6
    for report in reports:  # each new report's id, as a link
        assert f'href="/reports/{report.pk}/">{report.uid}</a>' in result
    sheet = EvidenceItem.objects.get()
    assert sheet.compartment == "sources" and sheet.original_name == "ضحايا.xlsx"
    assert f">{sheet.uid}</a>" in result
    assert not Information.objects.filter(text__contains=PHONE).exists()
    # A second submit of the same form shows the same run and imports nothing.
    again = client.post(f"/import/{pk}/import/")
    assert again.status_code == 302 and again["Location"] == done["Location"]
    assert Information.objects.count() == 6 and EvidenceItem.objects.count() == 1
    held = PendingSheet.objects.get(pk=pk)
    assert held.run_id and not held.sealed_data  # the contents are dropped once imported


def test_importing_the_same_sheet_again_adds_nothing(tmp_path: Path, cast: Any) -> None:
    client = client_for("rana")
    path = messy_xlsx(tmp_path / "victims.xlsx")
    first = held_pk(upload(client, path))
    walk_to_preview(client, first)
    client.post(f"/import/{first}/import/")
    second = held_pk(upload(client, path))
    body = walk_to_preview(client, second).content.decode()
    assert (count(body, "new"), count(body, "already"), count(body, "refused")) == (0, 6, 0)
    done = client.post(f"/import/{second}/import/")
    assert "0 reports imported" in client.get(done["Location"]).content.decode()
    assert Information.objects.count() == 6 and ImportedRow.objects.count() == 6


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_refusals_are_listed_with_row_column_and_reason_and_nothing_is_written(
        tmp_path: Path, cast: Any, lang: str) -> None:
    rows = [list(r) for r in MESSY]
    rows[1][2] = "مئتان"  # row 3: an age in words
    rows[3][6] = "قصف"  # row 5: not a term, and left unmatched
    rows[4][2] = 200  # row 6: an age past 130
    path = write_csv(tmp_path / "bad.csv", rows)
    client = client_for("rana", lang)
    pk = held_pk(upload(client, path))
    first = client.post(f"/import/{pk}/map/", map_post()).content.decode()
    name = value_field(first, "Enforced disappearance")
    shown = re.findall(r'name="shown" value="(\d+)"', first)
    preview = client.post(f"/import/{pk}/map/", {**map_post(), "shown": shown,
                                                  name: "abduction_disappearance"}, follow=True)
    body = preview.content.decode()
    assert (count(body, "new"), count(body, "refused")) == (0, 3)
    cells = re.findall(r'<td data-label="[^"]+" class="num">(\d+)</td><td data-label="[^"]+">'
                       r"<bdi>([^<]*)</bdi></td><td [^>]*>([^<]*)</td>", body)
    assert [(r, c) for r, c, _ in cells] == [("3", "العمر"), ("5", "نوع الانتهاك"), ("6", "العمر")]
    if lang == "ar":
        assert "عدد صحيح" in cells[0][2] and "ليست مصطلحًا" in cells[1][2]
        assert "130" in cells[2][2] and "an age" not in body
    else:
        assert cells[0][2] == "an age is a whole number of years, 0 to 130"
        assert cells[1][2].startswith("&#x27;قصف&#x27; is not a term of act_types")
    assert 'id="import-now"' not in body  # no import button
    refused = client.post(f"/import/{pk}/import/")
    assert refused.status_code == 422
    assert Information.objects.count() == 0 and EvidenceItem.objects.count() == 0
    assert ImportedRow.objects.count() == 0
    assert PendingSheet.objects.get(pk=pk).sealed_data  # still held, to map again


def test_every_column_must_be_mapped_or_ignored(tmp_path: Path, cast: Any) -> None:
    client = client_for("rana")
    pk = held_pk(upload(client, messy_xlsx(tmp_path / "v.xlsx")))
    targets = [*TARGETS[:-1], ""]  # the phone column left alone
    refused = client.post(f"/import/{pk}/map/", map_post(targets))
    assert refused.status_code == 400
    assert "Map this column or ignore it." in refused.content.decode()
    twice = [*TARGETS[:-1], "victim_name"]  # one target from two columns
    body = client.post(f"/import/{pk}/map/", map_post(twice)).content.decode()
    assert "is already filled from column" in body
    nothing = client.post(f"/import/{pk}/map/", map_post(default_channel="")).content.decode()
    assert "Map a column to it or give it here" in nothing
    assert client.get(f"/import/{pk}/mapping.yaml").status_code == 404  # no mapping yet


def test_the_mapping_downloads_as_the_command_takes_it_and_loads_again(
        tmp_path: Path, cast: Any) -> None:
    client = client_for("rana")
    path = messy_xlsx(tmp_path / "v.xlsx")
    pk = held_pk(upload(client, path))
    walk_to_preview(client, pk)
    text = client.get(f"/import/{pk}/mapping.yaml").content.decode()
    mapping = load_mapping(text, "mapping.yaml")  # the command's own reader
    assert mapping.columns["الاسم"] == "victim_name" and mapping.ignore == {"هاتف المخبر"}
    assert mapping.values["act_type"] == {"enforced disappearance": "abduction_disappearance"}
    assert mapping.defaults == {"channel": "document", "received_at": "2016-05-01"}
    other = held_pk(upload(client, path))
    loaded = client.post(f"/import/{other}/map/", {
        "load": "1", "mapping": SimpleUploadedFile("m.yaml", text.encode())})
    assert loaded.status_code == 302
    page = client.get(f"/import/{other}/map/").content.decode()
    assert re.search(r'<option value="victim_name" selected>', page)
    body = client.get(f"/import/{other}/preview/").content.decode()
    assert (count(body, "new"), count(body, "refused")) == (6, 0)
    bad = client.post(f"/import/{other}/map/", {
        "load": "1", "mapping": SimpleUploadedFile("m.yaml", b"columns: {A: nothing}")})
    assert "The mapping was not loaded" in bad.content.decode()


def test_the_sheet_never_reaches_a_disk_in_the_clear(tmp_path: Path, cast: Any, vault: Path,
                                                     monkeypatch: Any) -> None:
    """Upload, map and dry run write nothing of the sheet unencrypted: not in the vault folder,
    not in the temporary folder (where the wizard makes its link into memory)."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    marker = "Qzxsheetmarker"
    rows = [list(r) for r in MESSY]
    rows[0][8] = marker
    client = client_for("rana")
    pk = held_pk(upload(client, write_csv(tmp_path / "v.csv", rows)))
    (tmp_path / "v.csv").unlink()
    walk_to_preview(client, pk)
    found = [p for folder in (vault, scratch) for p in folder.rglob("*")
             if p.is_file() and marker.encode() in p.read_bytes()]
    assert found == []
    assert marker.encode() not in bytes(PendingSheet.objects.get(pk=pk).sealed_data)


def test_who_may_import(tmp_path: Path, cast: Any) -> None:
    from django.test import Client
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from tests.web.test_two_step import code

    from dhakira.apps.dossier.accounts import create_user

    reviewer = create_user("rev.one", PASSWORD, role="reviewer", actor=SETUP)
    device = TOTPDevice.objects.create(user=reviewer, name="totp", confirmed=True)
    external = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="127.0.0.1")
    external.post(reverse("login"), {"username": "rev.one", "password": PASSWORD})
    assert external.post(reverse("twofactor:verify"),
                         {"token": code(device.bin_key)}).status_code == 302
    assert external.get("/import/").status_code == 403  # an external reviewer, fully logged in
    assert client_for("victor").get("/import/").status_code == 403  # a viewer
    assert client_for("oscar").get("/import/").status_code == 404  # no role: an outsider
    assert client_for(None).get("/import/").status_code == 302  # the login page
    rana = client_for("rana")
    pk = held_pk(upload(rana, messy_xlsx(tmp_path / "v.xlsx")))
    assert client_for("victor").post("/import/", {}).status_code == 403
    for who in ("amal", "samir"):  # writers, but the sheet is rana's
        other = client_for(who)
        assert other.get("/import/").status_code == 200
        for step in ("map/", "preview/", "mapping.yaml"):
            assert other.get(f"/import/{pk}/{step}").status_code == 404
        assert other.post(f"/import/{pk}/import/").status_code == 404
        other.post(f"/import/{pk}/discard/")
    assert PendingSheet.objects.filter(pk=pk).exists()  # nobody else's discard reached it
    walk_to_preview(rana, pk)
    done = rana.post(f"/import/{pk}/import/")["Location"]
    assert client_for("samir").get(done).status_code == 404  # the result is the importer's
    assert rana.post(f"/import/{pk}/discard/").status_code == 302


def test_every_refusal_reason_has_its_arabic_words() -> None:
    """Each template a row can be refused with (the core's messages.ALL) is translated, with
    the same values to put in."""
    from django.utils.translation import gettext, ngettext

    for template in messages.ALL:
        plural = messages.PLURALS.get(template)
        with translation.override("ar"):
            said = ([ngettext(template, plural, n) for n in (0, 1, 2, 3, 11, 100)] if plural
                    else [gettext(template)])
        for arabic in said:
            assert arabic != template and re.search("[\u0600-\u06ff]", arabic), template
            assert set(re.findall(r"%\((\w+)\)s", arabic)) <= set(
                re.findall(r"%\((\w+)\)s", template)), template
        # Only the forms that hold one number (zero, one, two) may leave the figure out.
        assert all(re.findall(r"%\((\w+)\)s", a) for a in said[3:]), template


def test_a_count_of_values_right_of_the_headers_takes_its_numbers_form() -> None:
    """It said "1 value(s) right of the last headed column" (issue 17)."""
    from dhakira.apps.importing.texts import reason
    from dhakira.core.importing import Refusal

    def of(n: int) -> Refusal:
        return Refusal("w.csv", 2, "", str(messages.said(messages.RIGHT_OF_HEADERS, n=n)),
                       messages.said(messages.RIGHT_OF_HEADERS, n=n))

    with translation.override("en"):
        assert [reason(of(n)) for n in (1, 2)] == [
            "1 value right of the last headed column", "2 values right of the last headed column"]
    with translation.override("ar"):
        assert [reason(of(n)) for n in (1, 2, 3, 11)] == [
            "قيمة واحدة على يسار آخر عمود له عنوان", "قيمتان على يسار آخر عمود له عنوان",
            "3 قيم على يسار آخر عمود له عنوان", "11 قيمةً على يسار آخر عمود له عنوان"]


def test_a_held_sheet_is_not_offered_by_the_report_form(tmp_path: Path, cast: Any) -> None:
    """Held in its own table: the report form's kept files (and its discard) never see it."""
    from dhakira.apps.dossier import pending

    client = client_for("rana")
    pk = held_pk(upload(client, messy_xlsx(tmp_path / "v.xlsx")))
    assert pending.count(cast["rana"]) == 0
    pending.discard(cast["rana"])
    assert PendingSheet.objects.filter(pk=pk).exists()
    assert client.get(f"/import/{pk}/map/").status_code == 200


def test_a_rekey_forgets_the_held_sheets(tmp_path: Path, cast: Any) -> None:
    """What was sealed under the old key must not outlive it (a held sheet is uploaded again)."""
    from dhakira.apps.vault import rekey

    pk = held_pk(upload(client_for("rana"), messy_xlsx(tmp_path / "v.xlsx")))
    rekey._rewrite_rows(b"\x01" * 32, b"\x02" * 32)
    assert not PendingSheet.objects.filter(pk=pk).exists()


def test_a_sheet_over_the_limits_is_refused_and_not_held(tmp_path: Path, cast: Any,
                                                          settings: Any, monkeypatch: Any) -> None:
    """The upload's cap (as for evidence) and the held files' limit (as for the report form)."""
    from dhakira.apps.importing import held

    client = client_for("rana")
    path = messy_xlsx(tmp_path / "v.xlsx")
    monkeypatch.setattr(held, "MAX_HELD_BYTES", path.stat().st_size - 1)
    refused = upload(client, path)
    assert refused.status_code == 400 and "dhakira import command" in refused.content.decode()
    settings.UPLOAD_MAX_BYTES = 1024
    capped = upload(client, path)
    assert capped.status_code == 400 and "was not kept" in capped.content.decode()
    assert not PendingSheet.objects.exists()


# A mapping with defaults past source, channel and received date, and values for a column with
# more distinct values than the page lists (past survey.DISTINCT): the page has no value field
# for that column, and none of it may be lost by submitting the page.
WEAPONS = [f"سلاح-{n:02d}" for n in range(45)]
FULL_MAPPING = """\
columns: {الاسم: victim_name, السلاح: method, المصدر: source}
defaults:
  act_type: killing
  place: قرية اصطناعية
  victim_sex: female
  channel: document
  received_at: "2016-05-01"
values:
  method: {SPELLINGS}
""".replace("SPELLINGS", ", ".join(f"{w}: {'shooting' if n % 2 else 'burning'}"
                                  for n, w in enumerate(WEAPONS)))


def test_a_loaded_mapping_survives_the_page_whole(tmp_path: Path, cast: Any) -> None:
    rows = [[f"ضحية {n}", w, "NIN-09"] for n, w in enumerate(WEAPONS)]
    path = write_csv(tmp_path / "weapons.csv", rows, headers=["الاسم", "السلاح", "المصدر"])
    client = client_for("rana")
    pk = held_pk(upload(client, path))
    loaded = client.post(f"/import/{pk}/map/", {
        "load": "1", "mapping": SimpleUploadedFile("full.yaml", FULL_MAPPING.encode())})
    assert loaded.status_code == 302
    page = client.get(f"/import/{pk}/map/").content.decode()
    # The defaults are fields, filled from the file; the values no field lists are shown.
    assert re.search(r'name="default_act_type"[^>]*>.*?<option value="killing" selected>',
                     page, re.S)
    assert re.search(r'name="default_place"[^>]*value="قرية اصطناعية"', page)
    assert re.search(r'name="default_victim_sex"[^>]*>.*?<option value="female" selected>',
                     page, re.S)
    assert not re.search(r'name="val_1_\d+"', page)  # too many values for fields
    assert page.count('class="kept-value"') == 45 and "<bdi>سلاح-07</bdi> → Shooting" in page
    # Submitted as the page fills it in: the whole mapping comes back.
    submit = {"compartment": "sources", "calendar": "gregorian", "col_0": "victim_name",
              "col_1": "method", "col_2": "source", "default_source": "",
              "default_channel": "document", "default_received_at": "2016-05-01",
              "default_act_type": "killing", "default_place": "قرية اصطناعية",
              "default_victim_sex": "female"}
    sent = client.post(f"/import/{pk}/map/", submit)
    assert sent.status_code == 302 and sent["Location"] == f"/import/{pk}/preview/"
    text = client.get(f"/import/{pk}/mapping.yaml").content.decode()
    assert load_mapping(text, "m.yaml") == load_mapping(FULL_MAPPING, "m.yaml")
    body = client.get(f"/import/{pk}/preview/").content.decode()
    assert (count(body, "new"), count(body, "refused")) == (45, 0)
    client.post(f"/import/{pk}/import/")
    acts = Act.objects.select_related("event__place", "victim")
    assert acts.count() == 45
    assert {(a.act_type, a.event.place.name_ar if a.event.place else None, a.victim.sex)
            for a in acts} == {("killing", "قرية اصطناعية", "female")}
    assert {a.method for a in acts} == {"shooting", "burning"}


def test_a_default_the_page_has_no_field_for_is_kept_and_shown(tmp_path: Path,
                                                                cast: Any) -> None:
    path = messy_xlsx(tmp_path / "v.xlsx")
    client = client_for("rana")
    pk = held_pk(upload(client, path))
    text = (MAPPING.replace("defaults:\n", "defaults:\n  media: none.jpg\n")
            .replace('"2016-05-01"', '"2016-05-01T10:30"')
            .replace("ignore: [هاتف المخبر]", "ignore: [هاتف المخبر, عمود قديم]"))
    client.post(f"/import/{pk}/map/", {
        "load": "1", "mapping": SimpleUploadedFile("m.yaml", text.encode())})
    page = client.get(f"/import/{pk}/map/").content.decode()
    assert '<li class="kept-default">' in page and "<bdi>none.jpg</bdi>" in page
    # A received date with a time is shown whole (a date picker would blank it).
    assert re.search(r'type="text" name="default_received_at" value="2016-05-01T10:30"', page)
    # A column the sheet lacks cannot be kept (the command refuses it): the page says so.
    assert re.search(r'id="absent-columns">[^<]*<bdi>عمود قديم</bdi>', page)
    name = value_field(page, "Enforced disappearance")
    shown = re.findall(r'name="shown" value="(\d+)"', page)
    client.post(f"/import/{pk}/map/", {**map_post(default_received_at="2016-05-01T10:30"),
                                       "shown": shown, name: "abduction_disappearance"})
    back = load_mapping(client.get(f"/import/{pk}/mapping.yaml").content.decode(), "m.yaml")
    assert back.defaults == {"media": "none.jpg", "channel": "document",
                             "received_at": "2016-05-01T10:30"}
