"""Finding 12 of issue 13: the flag form was an oracle for restricted evidence ids, and the
citation then showed to viewers and in the brief."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from tests.cast import client_for
from tests.conftest import new_vault_dir
from tests.evidence import files

from dhakira.apps.dossier.models import Information, Source
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.law import brief, services
from dhakira.apps.law.errors import UnknownItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(settings: Any, tmp_path: Path, cast: dict[str, Any]) -> Any:
    new_vault_dir(settings, tmp_path / "vault")
    return ingest_stream(io.BytesIO(files.pdf_bytes("decree")), name="decree.pdf", origin="usb",
                         collection=Collection(collector="rana", compartment="sources"))


def _flag(username: str, uid: str) -> tuple[int, str]:
    response = client_for(username).post(reverse("legal:flag"), {"item_uid": uid, "note": "x"})
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return response.status_code, body.replace(uid, "UID")


def test_finding_12_a_restricted_id_answers_like_one_that_does_not_exist(cast, restricted) -> None:  # type: ignore[no-untyped-def]
    missing = f"EV-{restricted.pk + 100:06d}"
    # The red team's proof: the same analyst, not cleared for sources, tries both ids.
    assert _flag("samir", restricted.uid) == _flag("samir", missing)
    assert _flag("samir", restricted.uid)[0] == 400
    assert not services.policy_documents(cast["amal"])
    # A cleared writer may flag it (302 back to the list), and it is then on the record.
    assert client_for("amal").post(reverse("legal:flag"),
                                {"item_uid": restricted.uid}).status_code == 302
    with pytest.raises(UnknownItem, match="no such item"):
        services.flag_document(cast["samir"], restricted.uid)


def test_finding_12_citations_of_restricted_items_reach_only_cleared_readers(cast, restricted) -> None:  # type: ignore[no-untyped-def]
    charge = services.create_charge(cast["amal"], crime_id="CAH-PERSECUTION", title="Persecution")
    services.record_assessment(cast["amal"], charge, item_uid=restricted.uid, element_id="CAH-PER-3",
                               stance="supports", standard="credible_allegation")
    services.flag_document(cast["amal"], restricted.uid, "decree")
    for page in ("legal:matrix", "legal:patterns"):
        url = reverse(page, args=[charge.pk])
        assert restricted.uid in client_for("rana").get(url).content.decode()
        for username in ("victor", "samir"):
            response = client_for(username).get(url)
            assert response.status_code == 200 and restricted.uid not in response.content.decode()
    # The brief leaves the vault: it cites no restricted item, whoever renders it.
    assert restricted.uid not in brief.brief_html(charge, lang="en")


def test_finding_12_a_restricted_report_behind_an_act_is_no_origin_for_uncleared_readers(  # type: ignore[no-untyped-def]
        cast, world) -> None:
    act = next(iter(world.acts.values()))
    hidden = Information.objects.create(
        source=Source.objects.create(code_name="MAIL-test"), received_at=datetime(2015, 1, 1, tzinfo=UTC),
        channel="email", text="restricted words", compartment="sources")
    hidden.acts.add(act)
    charge = services.create_charge(cast["amal"], crime_id="CAH-PERSECUTION", title="Persecution")
    services.record_assessment(cast["amal"], charge, item_uid=act.uid, element_id="CAH-PER-3",
                               stance="supports", standard="credible_allegation")
    origins = [e.origin_ids for row in services.matrix_for(charge, cast["rana"]).rows
               for e in row.supporting]
    assert any(hidden.uid in o for o in origins)
    for reader in (cast["samir"], cast["victor"], None):
        matrix = services.matrix_for(charge, reader)
        assert all(hidden.uid not in e.origin_ids for row in matrix.rows for e in row.supporting)
    assert hidden.uid not in brief.brief_html(charge, lang="en")
    assert hidden.uid not in client_for("victor").get(reverse("legal:matrix", args=[charge.pk])).content.decode()
