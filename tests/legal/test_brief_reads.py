"""The brief a lawyer can read: short, in words not codes, tagged, with an annex of every item.

Issue 21, item 5: the main text of a charge the size of the demo's fits in 15 pages in both
languages; vocabulary shows as labels, never codes; staff are named by role; the PDF is
PDF/UA-tagged with the headings as bookmarks; the annex lists every item with its id, SHA-256
and vetting status.
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader
from tests.legal import big, scenario
from tests.legal.test_brief import NOW

from dhakira.apps.law import brief, services
from dhakira.apps.law.forms import GROUND_TAG_LABELS, STANDARDS
from dhakira.apps.vetting.status import set_status
from dhakira.core import vetting
from dhakira.core.vocabularies import load

pytestmark = pytest.mark.django_db
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # how codes look: credible_allegation
VOCABULARIES = ("act_types", "methods", "grounds", "channels", "source_material_types", "results")


def _pages(pdf: bytes) -> list[str]:
    """Each page's text as poppler's ``pdftotext`` reads it (as fast as a reader's viewer;
    pypdf took about 1.5 s of CPU for each language's 16 pages)."""
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True, timeout=120)
    return [unicodedata.normalize("NFKC", page)
            for page in done.stdout.decode().split("\f")[:-1]]  # each page ends with a form feed


def _codes() -> set[str]:
    """Every code a brief could show by mistake: vocabulary terms with an underscore (a plain
    word such as ``gender`` is also English prose), standards, ground tags, vetting statuses."""
    codes = {c for name in VOCABULARIES for c in load(name).codes() if "_" in c}
    return codes | {c for c in (*STANDARDS, *GROUND_TAG_LABELS, *vetting.STATUSES) if "_" in c}


@pytest.fixture
def demo_sized(cast):  # type: ignore[no-untyped-def]
    return big.build(cast["layla"])


@pytest.mark.slow
def test_a_demo_sized_charge_reads_in_at_most_15_pages_in_words_not_codes(demo_sized,
                                                                          cast) -> None:
    charge = demo_sized
    assert charge.assessments.count() >= 1_150  # the demo's charge has 1,152
    acts = list(charge.assessments.values_list("item_uid", flat=True).distinct())
    for lang in ("en", "ar"):  # one dossier, both languages: the dossier is the costly part
        done = brief.render_brief_document(charge, lang=lang, now=NOW)
        print(f"{lang}: {done.main_pages} pages of brief, {done.pages - done.main_pages} of annex")
        pages = _pages(done.pdf)
        assert len(pages) == done.pages and 1 <= done.main_pages <= 15
        assert done.main_pages < done.pages  # the annex follows on its own pages
        main = "\n".join(pages[:done.main_pages])
        annex = "\n".join(pages[done.main_pages:])
        _no_codes(main, lang)
        # Staff by role, never by user name or staff id (the default).
        assert "layla" not in (main + annex).lower() and b"layla" not in done.pdf.lower()
        assert f"U-{cast['layla'].pk:06d}" not in main + annex
        # The annex: every cited item with its hash and status, paged as a table.
        compact = annex.replace("\n", "").replace(" ", "")
        for uid in (acts[0], acts[len(acts) // 2], acts[-1]):
            assert uid in annex
        item = brief.load_items([acts[0]])[acts[0]]
        assert item.sha256 and item.sha256[:20] in compact
        if lang == "en":
            assert "recorded" in annex.replace("\n", " ")


def _no_codes(main: str, lang: str) -> None:
    """No code in the main text, in either language (ids and hashes are not codes)."""
    flat = main.replace("\n", " ")
    assert not SNAKE.findall(flat), SNAKE.findall(flat)[:5]
    for code in _codes():
        assert code not in flat
    if lang == "ar":  # no English word among the Arabic, ids and hashes aside
        latin = set(re.findall(r"[A-Za-z]{3,}", re.sub(r"\b[A-Z]{1,3}-[\w-]+", "", flat)))
        assert latin <= {"UTC", "SHA"}, latin


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_pdf_is_tagged_pdf_ua_with_the_headings_as_bookmarks(charge_with_title, lang) -> None:
    pdf = brief.render_brief(charge_with_title, lang=lang, now=NOW)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == lang
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp  # the PDF/UA identification in the XMP metadata
    titles = [o.title for o in _flatten(reader.outline)]
    words = {"en": ("The charge", "The elements", "Patterns", "Annex: the items cited"),
             "ar": ("التهمة", "الأركان", "الأنماط", "الملحق: العناصر المستشهد بها")}[lang]
    for word in words:
        assert word in titles, titles
    assert any(t.startswith("CAH-PER-1") for t in titles)


def _flatten(outline: list) -> list:  # type: ignore[type-arg]
    out = []
    for entry in outline:
        out += _flatten(entry) if isinstance(entry, list) else [entry]
    return out


@pytest.fixture
def charge_with_title(cast, world):  # type: ignore[no-untyped-def]
    charge = services.create_charge(
        cast["layla"], crime_id="CAH-PERSECUTION", title="Persecution, Ninawa",
        title_ar="الاضطهاد، نينوى", places=[world.places["ninawa"]], date_from=date(2014, 6, 1),
        date_to=date(2017, 12, 31), ground_tags=["sexual_orientation"],
        victim_group="Men accused of homosexuality", victim_group_ar="رجال اتُّهموا بالمثلية")
    for key in ("R1", "R2", "C1", "C2"):
        services.record_assessment(cast["layla"], charge, item_uid=world.reports[key].uid,
                                   element_id="CAH-PER-1", stance="supports",
                                   standard="reasonable_grounds", now=NOW)
    services.record_assessment(cast["layla"], charge, item_uid=world.acts["K1"].uid,
                               element_id="CAH-PER-1", stance="supports",
                               standard="credible_allegation", now=NOW)
    services.record_assessment(cast["layla"], charge, item_uid=world.acts["K2"].uid,
                               element_id="CAH-PER-2", stance="supports",
                               standard="credible_allegation", now=NOW)
    services.record_assessment(cast["layla"], charge, item_uid=world.reports["EXCUL"].uid,
                               element_id="CAH-PER-1", stance="undermines",
                               standard="unverified_allegation", now=NOW)
    return charge


def test_the_arabic_brief_counts_in_arabic_plurals_with_the_arabic_comma(charge_with_title) -> None:
    """It read "في أماكن عددها 1 , " (one of the "1 places" kind, and a Latin comma): each
    count now takes the plural form its number takes (six in Arabic), and Arabic sentences
    are joined with "،"."""
    html = brief.brief_html(charge_with_title, lang="ar", now=NOW)
    part = html[html.index('id="element-CAH-PER-1"'):].split("</section>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", part))
    assert "في مكان واحد ضمن قضاء واحد" in text
    assert "(فعل واحد، 4 بلاغات، 0 أدلة)، من 4 مصادر مستقلة" in text
    assert "عنصر مُضعِف واحد، من مصدر مستقل واحد" in text
    body = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.split("<body>", 1)[1]))
    opening = body.split("يوثّق الملف", 1)[1].split("هذه أفعال", 1)[0]
    assert "، في مكانين ضمن قضاءين (أكثرها في" in opening and "," not in opening
    assert "؛ قضاء تلعفر" in opening and ";" not in opening  # the Arabic semicolon too
    assert not re.search(r"[\u0600-\u06ff]\)? ?[,;] ", body), \
        re.findall(r".{20}[\u0600-\u06ff]\)? ?[,;] .{20}", body)


def test_an_element_paragraph_gives_its_numbers_in_words(charge_with_title, world) -> None:
    html = brief.brief_html(charge_with_title, lang="en", now=NOW)
    part = html[html.index('id="element-CAH-PER-1"'):].split("</section>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", part))
    # R1, R2 (two sources), C1, C2 (copies of one video: one origin) and K1 (told by R1–R3).
    assert "Supporting items: 5 (1 act, 4 reports, 0 evidence items), from 4 independent" in text
    assert "recorded 5" in text and "vetted: 0" in text
    assert "The acts behind it run from March 2015 to April 2015" in text
    assert "2 places in 1 district" not in text  # K1 and K2 are both in Mosul city
    assert "1 place in 1 district (most in Mosul: 2)" in text  # not "1 places"
    assert "1 undermining item," in text and world.reports["EXCUL"].uid in text
    assert "report: received by Phone call, 1 June 2015" in text  # the report in words
    other = html[html.index('id="element-CAH-PER-2"'):].split("</section>")[0]
    assert "act: Killing, Thrown from a height" in other and "12 April 2015" in other
    assert "reasonable grounds to believe" in text and "reasonable_grounds" not in text
    assert "tribal dispute" not in html  # no report text


def test_the_arabic_paragraph_is_arabic(charge_with_title) -> None:
    html = brief.brief_html(charge_with_title, lang="ar", now=NOW)
    part = html[html.index('id="element-CAH-PER-1"'):].split("</section>")[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", part))
    assert "العناصر الداعمة: 5 (فعل واحد، 4 بلاغات، 0 أدلة)" in text
    assert "مُسجَّل 5" in text
    assert "بلاغ: ورد عبر مكالمة هاتفية، 1 حزيران 2015" in text  # Iraqi month names
    assert not SNAKE.findall(text)


@pytest.mark.parametrize(("naming", "shown"), [("role", "a legal officer (7)"),
                                                ("id", "a legal officer (U-")])
def test_staff_are_named_by_role_unless_the_setting_says_otherwise(
        charge_with_title, cast, settings, naming, shown) -> None:
    settings.BRIEF_STAFF = naming
    html = brief.brief_html(charge_with_title, lang="en", now=NOW)
    staff = re.sub(r"<[^>]+>", "", html[html.index('id="staff"'):].split("</p>")[0])
    assert shown in staff and "layla" not in html
    assert (f"U-{cast['layla'].pk:06d}" in html) is (naming == "id")
    settings.BRIEF_STAFF = "name"
    assert "a legal officer (layla)" in brief.brief_html(charge_with_title, lang="en", now=NOW)
    settings.BRIEF_STAFF = "everyone"
    with pytest.raises(ValueError, match="BRIEF_STAFF"):
        brief.brief_html(charge_with_title, lang="en", now=NOW)


def test_a_report_under_review_is_under_review_in_the_brief(charge_with_title, world, cast) -> None:
    # The brief asks the vetting app, as the charge's vetting summary does: one count.
    set_status(cast["layla"], [world.reports["R1"].pk], "under_review", reason="checking")
    html = brief.brief_html(charge_with_title, lang="en", now=NOW)
    annex = html[html.index('id="annex"'):]
    row = annex[annex.index(f'<span class="id">{world.reports["R1"].uid}</span>'):].split("</tr>")[0]
    assert "<td>under review</td>" in row


def test_no_name_and_no_source_reaches_the_brief(charge_with_title) -> None:
    for lang in ("en", "ar"):
        html = brief.brief_html(charge_with_title, lang=lang, now=NOW)
        for secret in (*scenario.VICTIM_NAMES, *scenario.SOURCE_CODES, scenario.SOURCE_IDENTITY,
                       scenario.VICTIM_ADDRESS, scenario.PERPETRATOR_NAME):
            assert secret not in html
