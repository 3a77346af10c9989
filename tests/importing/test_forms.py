"""Issue 20, item 5: the XLSForm for KoBoToolbox/ODK, and its submission exports imported."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PIL import Image

from dhakira.apps.dossier.models import Information, NameVariant
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.importing.services import import_table
from dhakira.core.importing import read_mapping
from dhakira.core.vocabularies import load

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "forms" / "report.xlsx"
MAPPING = ROOT / "forms" / "report-mapping.yaml"


def _build() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_xlsform", ROOT / "scripts" / "build_xlsform.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.build()


def _values(book: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}


def test_the_committed_form_is_the_one_its_readable_source_builds() -> None:
    assert _values(load_workbook(FORM)) == _values(_build())


def test_pyxform_converts_the_form_in_arabic_and_english_with_the_vocabularies() -> None:
    from pyxform.xls2xform import convert

    xform = convert(xlsform=str(FORM), validate=False).xform
    assert 'lang="Arabic (ar)"' in xform and 'lang="English (en)"' in xform
    assert "الاسم الرمزي للمصدر" in xform and "Source's code name" in xform
    for term in load("act_types").terms:  # every act type, as its code and both labels
        assert f"<name>{term.code}</name>" in xform
        assert f"<value>{term.ar}</value>" in xform and f"<value>{term.en}</value>" in xform
    assert 'type="binary"' in xform  # the photo


KOBO_HEADERS = ["start", "end", "source", "channel", "event_title", "date", "place",
                "victim_name", "victim_name_other", "victim_age", "victim_sex", "act_type",
                "method", "result", "perpetrator_name", "text", "photo", "photo_URL", "_id",
                "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                "_submitted_by", "__version__", "_tags", "_index"]


def _submission(i: int, **given: str) -> dict[str, str]:
    row = {h: "" for h in KOBO_HEADERS}
    row.update(start="2024-05-01T09:00:00.000+03:00", end="2024-05-01T09:10:00.000+03:00",
               source="FIELD-07", channel="in_person_interview", date="رمضان 1436",
               place="سنجار", victim_name=f"ضحية اصطناعية {i}", victim_age=str(20 + i),
               victim_sex="female", act_type="abduction_disappearance", result="missing",
               text="رواية اصطناعية للاختبار", _id=str(1000 + i),
               _uuid=f"00000000-0000-4000-8000-00000000000{i}",
               _submission_time=f"2024-05-0{i}T10:00:00", _status="submitted_via_web",
               __version__="v1", _index=str(i))
    row.update(given)
    return row


def _export(folder: Path, rows: list[dict[str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, KOBO_HEADERS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    path = folder / "dhakira_report_-_all_versions_-_labels_-_2024-05-03.csv"
    path.write_text(out.getvalue().replace(";", ","), encoding="utf-8-sig")
    return path


def _photo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), (120, 30, 30)).save(path, "JPEG")


@pytest.mark.django_db
def test_a_kobo_export_with_a_photo_feeds_the_same_dossier(tmp_path: Path,
                                                           cast: dict[str, Any]) -> None:
    media = tmp_path / "attachments"
    _photo(media / "aXf3" / "00000000-0000-4000-8000-000000000001" / "1714550000123.jpg")
    export = _export(tmp_path, [_submission(1, photo="1714550000123.jpg",
                                            photo_URL="https://kobo.example/1714550000123.jpg"),
                                _submission(2, victim_sex="", act_type="killing",
                                            result="killed", perpetrator_name="Abu Synthetic")])
    out = import_table(export, read_mapping(MAPPING), actor=cast["rana"], media=media)
    assert out.ok and out.new == 2, out.refusals
    first = NameVariant.objects.get(text="ضحية اصطناعية 1").information
    assert first.source.code_name == "FIELD-07" and first.channel == "in_person_interview"
    assert first.received_at.isoformat().startswith("2024-05-01T10:00")
    photo = EvidenceItem.objects.get(original_name="1714550000123.jpg")
    assert photo.information == first
    act = first.acts.get()
    assert act.date_calendar == "hijri" and act.date_earliest.isoformat() == "2015-06-16"
    second = NameVariant.objects.get(text="ضحية اصطناعية 2").information
    assert second.acts.get().involvements.get().perpetrator.names.get().text == "Abu Synthetic"
    # The export again, after a third submission: only that one comes in.
    again = _export(tmp_path, [_submission(1, photo="1714550000123.jpg",
                                           photo_URL="https://kobo.example/1714550000123.jpg"),
                               _submission(2, victim_sex="", act_type="killing",
                                           result="killed", perpetrator_name="Abu Synthetic"),
                               _submission(3)])
    later = import_table(again, read_mapping(MAPPING), actor=cast["rana"], media=media)
    assert (later.new, later.already) == (1, 2) and Information.objects.count() == 3


@pytest.mark.django_db
def test_a_submission_naming_a_photo_not_in_the_media_folder_is_refused(
        tmp_path: Path, cast: dict[str, Any]) -> None:
    (tmp_path / "attachments").mkdir()
    export = _export(tmp_path, [_submission(1, photo="missing.jpg")])
    out = import_table(export, read_mapping(MAPPING), actor=cast["rana"],
                       media=tmp_path / "attachments")
    assert not out.ok and str(out.refusals[0]).endswith(
        "row 2, column 'photo': a file the row names is not in the media folder (give "
        "--media FOLDER)")
    assert not Information.objects.exists() and not EvidenceItem.objects.exists()
