"""The brief: a PDF that cites uids and hashes, shapes Arabic, and names no one."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from tests.legal import scenario

from dhakira.apps.law import brief, services

pytestmark = pytest.mark.django_db
NOW = datetime(2024, 5, 1, tzinfo=UTC)
FORBIDDEN = (*scenario.VICTIM_NAMES, *scenario.SOURCE_CODES, scenario.SOURCE_IDENTITY,
             scenario.VICTIM_ADDRESS, scenario.PERPETRATOR_NAME, "Testvictim", "Testsource")


@pytest.fixture
def charge(cast, world):  # type: ignore[no-untyped-def]
    charge = services.create_charge(
        cast["layla"], crime_id="CAH-PERSECUTION", title="Persecution, Ninawa",
        places=[world.places["ninawa"]], date_from=date(2014, 6, 1), date_to=date(2017, 12, 31),
        ground_tags=["sexual_orientation"], perpetrators=[world.member])
    for key in ("R1", "R2", "R3"):
        services.record_assessment(cast["layla"], charge, item_uid=world.reports[key].uid,
                                   element_id="CAH-PER-1", stance="supports",
                                   standard="reasonable_grounds", now=NOW,
                                   note=f"names {scenario.VICTIM_NAMES[0]}")
    services.record_assessment(cast["layla"], charge, item_uid=world.reports["EXCUL"].uid,
                               element_id="CAH-PER-3", stance="undermines",
                               standard="unverified_allegation", now=NOW)
    return charge


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() or "" for p in reader.pages))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_brief_cites_uids_and_hashes_and_names_no_one(charge, world, lang):  # type: ignore[no-untyped-def]
    pdf = brief.render_brief(charge, lang=lang, now=NOW)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    compact = text.replace("\n", "").replace(" ", "")
    for key in ("R1", "R2", "R3", "EXCUL"):
        assert world.reports[key].uid in text
    assert world.member.uid in text and charge.uid in text
    assert world.reports["R1"].uid in text
    sha = brief.load_items([world.reports["R1"].uid])[world.reports["R1"].uid].sha256
    assert sha[:16] in compact
    for secret in FORBIDDEN:
        needle = unicodedata.normalize("NFKC", secret)
        assert needle not in text and needle.replace(" ", "") not in compact
        assert secret.encode() not in pdf


def test_the_arabic_brief_has_arabic_text(charge):  # type: ignore[no-untyped-def]
    text = _text(brief.render_brief(charge, lang="ar", now=NOW))
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    assert arabic > 200
    # pypdf returns shaped words in visual order; check words both ways round.
    for word in ("الأركان", "الملحق", "الثغرة"):
        assert word in text or word[::-1] in text


def test_the_estimate_section_is_empty_unless_an_estimate_is_given(charge):  # type: ignore[no-untyped-def]
    html = brief.brief_html(charge, lang="en", now=NOW)
    assert "no estimate was supplied" in html
    estimate = services.EstimatedTotal(point=812, lower=640, upper=1105, method="LCMCR")
    html = brief.brief_html(charge, lang="en", now=NOW, estimate=estimate)
    assert "812" in html and "640" in html and "no estimate was supplied" not in html


def test_list_charges_gives_ids_and_titles(charge):  # type: ignore[no-untyped-def]
    assert brief.list_charges() == [(charge.uid, "CAH-PERSECUTION", "Persecution, Ninawa")]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_finding_low_staff_the_brief_names_reviewers_by_role_not_user_name(
        charge, cast, lang) -> None:  # type: ignore[no-untyped-def]
    pdf = brief.render_brief(charge, lang=lang, now=NOW)
    text = _text(pdf)
    assert "layla" not in text.lower() and b"layla" not in pdf.lower()
    assert f"U-{cast['layla'].pk:06d}" not in text  # by role, unless DHAKIRA_BRIEF_STAFF says
    role = "a legal officer" if lang == "en" else "موظف قانوني"
    assert any(v in text for v in (role, role[::-1], " ".join(reversed(role.split()))))
