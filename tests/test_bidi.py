"""Bidirectional controls (issue 13, Low): U+202E, U+2066… kept in names, titles and text
could spoof what a page displays. Records lose them on the way in; pages never show them;
evidence originals keep every byte.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from tests.cast import make_cast
from tests.dossier.intake_data import post_data

from dhakira.apps.dossier.models import Information, Person
from dhakira.core.bidi import CONTROLS, has_controls, strip_controls

pytestmark = pytest.mark.django_db

RLO, RLI, PDI = "\u202e", "\u2067", "\u2069"


def test_it_strips_every_embedding_override_and_isolate_but_keeps_marks_and_arabic() -> None:
    assert strip_controls("".join(sorted(CONTROLS))) == ""
    assert strip_controls(f"محمد{RLO}علي{RLI}x{PDI}") == "محمدعليx"
    assert strip_controls("a\u200fb\u200ec\u061cd\u200ce") == "a\u200fb\u200ec\u061cd\u200ce"
    assert not has_controls("ذاكرة") and has_controls(f"a{RLO}")


def _rows_with_controls() -> list[str]:
    """Every text value of every record of the dossier that still holds a control."""
    found = []
    for model in apps.get_app_config("dossier").get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField)]
        for row in model.objects.values_list(*fields):
            found += [v for v in row if isinstance(v, str) and has_controls(v)]
    return found


def test_finding_low_a_report_typed_with_overrides_is_stored_without_them(db) -> None:  # type: ignore[no-untyped-def]
    make_cast()
    client = Client()
    client.force_login(get_user_model().objects.get(username="rana"))
    data = post_data(**{"v-0-name": f"محمد{RLO}علي حسين", "r-event_title": f"Execution{RLI}x{PDI}",
                        "r-text": f"قال{RLO} المخبر", "p-0-name": f"أبو{RLO} عمر",
                        "r-place_text": f"Mosul{RLO}", "r-source_code": f"NINAWA{RLO}-07"})
    response = client.post("/reports/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _rows_with_controls() == []
    info = Information.objects.get()
    assert info.text == "قال المخبر"
    assert Person.objects.filter(names__text="محمدعلي حسين").exists()


def test_finding_low_text_stored_earlier_is_never_shown_with_its_controls(db) -> None:  # type: ignore[no-untyped-def]
    from tests.dossier import scenario

    cast = make_cast()
    s = scenario.build()
    # A row written before this check (update() bypasses it): the page and the API hide it.
    Person.objects.filter(pk=s.victim.pk).update(notes=f"spoof{RLO}txt.exe")
    s.victim.names.update(text=f"محمد{RLO}exe.pdf")
    client = Client()
    client.force_login(cast["rana"])
    for url in (f"/people/{s.victim.pk}/", f"/api/people/{s.victim.pk}/", "/people/"):
        body = client.get(url).content
        assert not any(c.encode() in body for c in CONTROLS), url
        assert b"\\u202e" not in body.lower(), url
        assert b"exe.pdf" in body or url == "/people/", url
    payload = json.loads(client.get(f"/api/people/{s.victim.pk}/").content)
    assert "محمدexe.pdf" in json.dumps(payload, ensure_ascii=False)


def test_finding_low_an_evidence_original_keeps_its_bytes_and_its_name_is_defused(
        vault: Path, tmp_path: Path) -> None:
    from dhakira.apps.evidence.intake import Collection, blob_store, ingest_paths
    from dhakira.apps.evidence.models import EvidenceItem

    content = f"a text whose bytes include {RLO} on purpose".encode()
    path = tmp_path / f"report{RLO}fdp.exe"
    path.write_bytes(content)
    ingest_paths([path], collection=Collection(collector="rana", method="copied", tool="t/1"))
    item = EvidenceItem.objects.get()
    assert not has_controls(item.original_name) and "fdp.exe" in item.original_name
    out = io.BytesIO()
    blob_store().read_to(item.sha256, out)
    assert out.getvalue() == content  # the original is immutable, controls and all


@pytest.fixture
def vault(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    from tests.conftest import new_vault_dir

    return new_vault_dir(settings, tmp_path / "vault")


def test_the_byte_pattern_of_the_output_check_matches_exactly_the_controls() -> None:
    from dhakira.apps.web.bidi_guard import _RAW

    assert all(_RAW.fullmatch(c.encode()) for c in CONTROLS)
    others = "".join(chr(c) for c in range(0x2000, 0x2100) if chr(c) not in CONTROLS)
    assert _RAW.search((others + "محمد\u200f\u061c").encode()) is None
