"""Issue 17: the command line's counts in the form each number takes. ``dhakira link`` said
"2 victim mentions resolve to 1 people" (the sentence took its form from the pairs alone),
and other commands said "picture(s)", "slot(s)", "record(s)". Each count now carries its own
noun, in English's two forms and Arabic's six (the catalogue's Plural-Forms)."""

from __future__ import annotations

import pytest
from django.utils import translation

from dhakira.cli.dossier import _resolved


def _link(lang: str, role: str = "victim", **counts: int) -> str:
    with translation.override(lang):
        return _resolved(role, "R-00001", threshold=0.99, **counts)


def test_link_says_one_person_one_mention_and_one_pair_in_the_singular() -> None:
    assert _link("en", mentions=1, people=1, pairs=1) == \
        "R-00001: 1 victim mention resolved to 1 person at p >= 0.99; 1 pair queued for review"
    assert _link("en", "perpetrator", mentions=2, people=1, pairs=0) == (
        "R-00001: 2 perpetrator mentions resolved to 1 person at p >= 0.99; 0 pairs queued "
        "for review")
    assert _link("en", mentions=7758, people=4644, pairs=12) == (
        "R-00001: 7,758 victim mentions resolved to 4,644 people at p >= 0.99; 12 pairs "
        "queued for review")


@pytest.mark.parametrize(("n", "mentions", "people", "pairs"), [
    (1, "إشارة واحدة لضحية", "شخص واحد", "وأُحيل زوج واحد (1) إلى المراجعة"),
    (2, "إشارتان لضحايا", "شخصين", "وأُحيل زوجان (2) إلى المراجعة"),
    (3, "3 إشارات لضحايا", "3 أشخاص", "وأُحيلت 3 أزواج إلى المراجعة"),
    (11, "11 إشارةً لضحايا", "11 شخصًا", "وأُحيل 11 زوجًا إلى المراجعة"),
    (100, "100 إشارة لضحايا", "100 شخص", "وأُحيل 100 زوج إلى المراجعة"),
    (1203, "1,203 إشارات لضحايا", "1,203 أشخاص", "وأُحيلت 1,203 أزواج إلى المراجعة"),
])
def test_link_speaks_each_arabic_plural_form(n, mentions, people, pairs) -> None:  # type: ignore[no-untyped-def]
    assert _link("ar", mentions=n, people=n, pairs=n) == \
        f"R-00001: تعود {mentions} إلى {people} عند p ≥ 0.99؛ {pairs}"


def _repair(lang: str, **counts: int) -> str:
    from dhakira.cli.evidence import _repaired

    with translation.override(lang):
        return _repaired(**counts)


def test_repair_says_each_count_in_its_form_not_x_s() -> None:
    """``dhakira repair`` said "1 unreferenced blob(s) and 0 partial file(s)"."""
    assert _repair("en", dry_run=False, blobs=1, partial=0, young=0, minutes=60) == \
        "removed 1 unreferenced blob"
    assert _repair("en", dry_run=True, blobs=2, partial=1, young=1, minutes=1) == (
        "would remove 2 unreferenced blobs and 1 partial file; 1 leftover newer than "
        "1 minute left alone")
    assert _repair("ar", dry_run=False, blobs=1, partial=2, young=0, minutes=60) == \
        "ما أُزيل: كتلة واحدة لا يذكرها أي عنصر وملفان جزئيان"
    assert _repair("ar", dry_run=True, blobs=3, partial=11, young=100, minutes=60) == (
        "ما سيُزال: 3 كتل لا يذكرها أي عنصر و11 ملفًا جزئيًا؛ تُركت 100 بقية عمرها دون "
        "60 دقيقةً على حالها")


@pytest.mark.parametrize(("items", "said"), [(1, "1 item"), (2, "2 items"), (0, "0 items")])
def test_the_disclosures_listing_counts_items_in_their_form_the_same_in_every_language(
        items: int, said: str) -> None:
    """``dhakira disclosures`` said "1 item(s)". Its lines are a tab-separated listing that
    programs read, so the column is English's form whatever the reader's language."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from dhakira.cli.handover import _disclosure_line

    d = SimpleNamespace(package_id="PKG-1", created_at=datetime(2026, 3, 1, tzinfo=UTC),
                        recipient="ICC-OTP", purpose="share_icc", policy="pseudonymised",
                        items=[object()] * items, acknowledged_at=None)
    for lang in ("en", "ar"):
        with translation.override(lang):
            assert _disclosure_line(d).split("\t")[5:] == [said, "unacknowledged"]


def _sync_counts(lang: str, counts: dict[str, int]) -> str:
    from dhakira.cli.sync import _counts

    with translation.override(lang):
        return _counts(counts, "none")


def test_sync_names_each_kind_of_record_as_a_noun_in_its_numbers_form() -> None:
    """Sync's counts said the bundle format's kind names: "3 person, 1 report"."""
    assert _sync_counts("en", {"person": 3, "report": 1, "consent": 2, "evidence": 1}) == \
        "2 consent records, 1 evidence item, 3 people, 1 report"
    assert _sync_counts("en", {"act": 1200, "source": 1, "event": 2}) == \
        "1,200 acts, 2 events, 1 source"
    assert _sync_counts("en", {}) == "none"
    assert _sync_counts("ar", {"person": 3, "report": 1, "event": 2, "act": 11,
                               "source": 100}) == \
        "11 فعلًا، حدثان، 3 أشخاص، بلاغ واحد، 100 مصدر"


@pytest.mark.parametrize("dry_run", [True, False])
def test_repair_with_nothing_to_remove_says_so_in_one_plain_sentence(dry_run: bool) -> None:
    """``dhakira repair --dry-run`` said «لا شيء من الكتل … (0) ولا شيء من الملفات الجزئية (0)»;
    a count of none is not said beside one that is not."""
    assert _repair("en", dry_run=dry_run, blobs=0, partial=0, young=0, minutes=60) == \
        "nothing to remove: no unreferenced blob and no partial file"
    assert _repair("ar", dry_run=dry_run, blobs=0, partial=0, young=0, minutes=60) == \
        "لا شيء لإزالته: لا كتلة لا يذكرها أي عنصر ولا ملف جزئي"
    assert _repair("ar", dry_run=dry_run, blobs=0, partial=2, young=0, minutes=60) == \
        ("ما سيُزال: ملفان جزئيان" if dry_run else "ما أُزيل: ملفان جزئيان")
    assert _repair("en", dry_run=dry_run, blobs=0, partial=0, young=3, minutes=60) == \
        ("nothing to remove: no unreferenced blob and no partial file; 3 leftovers newer than "
         "60 minutes left alone")
    for lang in ("en", "ar"):
        for blobs, partial in ((0, 0), (0, 5), (7, 0)):
            said = _repair(lang, dry_run=dry_run, blobs=blobs, partial=partial, young=0,
                           minutes=60)
            assert "(0)" not in said and " 0 " not in said, said


def test_repair_names_each_leftover_in_the_readers_language() -> None:
    from types import SimpleNamespace

    from dhakira.cli.evidence import _removed

    part = SimpleNamespace(name=".tmp-1.part", size=1, partial=True)
    blob = SimpleNamespace(name="ab12", size=2048, partial=False)
    with translation.override("en"):
        assert _removed(part, dry_run=True) == "would remove partial file .tmp-1.part (1 byte)"
        assert _removed(blob, dry_run=False) == "removed unreferenced blob ab12 (2,048 bytes)"
    with translation.override("ar"):
        assert _removed(part, dry_run=False) == "أُزيل الملف الجزئي .tmp-1.part (1 بايت)"
        assert _removed(blob, dry_run=True) == \
            "ستُزال الكتلة التي لا يذكرها أي عنصر ab12 (2,048 بايت)"


def _leaks(lang: str, n: int, kind: str = "protected", detail: str = "",
           redacted_copy: bool = True) -> str:
    from dhakira.apps.handover.errors import leaks_found
    from dhakira.cli._words import error_text

    leaks = [("records/acts.csv", kind, detail)] * n
    exc = leaks_found(leaks, redacted_copy=redacted_copy)
    with translation.override(lang):
        return error_text(exc)


def test_a_leak_refusal_counts_its_leaks_in_their_form_not_leak_s() -> None:
    """``dhakira package`` and ``dhakira export`` said "1 leak(s) found"."""
    from dhakira.apps.handover.errors import leaks_found

    one = leaks_found([("a.csv", "protected", "")], redacted_copy=False)
    assert str(one) == ("nothing was written: 1 leak found, first a.csv: a protected name or "
                        "value; fix the record and try again")
    many = leaks_found([("a.csv", "coordinates", "0.1")] * 1242, redacted_copy=True)
    assert str(many) == ("nothing was written: 1,242 leaks found, first a.csv: coordinates "
                         "finer than 0.1°; fix the record or add a redacted copy and try again")
    assert _leaks("en", 1242, "coordinates", "0.1") == str(many).replace("a.csv", "records/acts.csv")
    assert _leaks("en", 1, redacted_copy=False) == str(one).replace("a.csv", "records/acts.csv")


@pytest.mark.parametrize(("n", "said"), [
    (1, "وُجد تسرّب واحد، في"), (2, "وُجد تسرّبان، أولهما"), (3, "وُجدت 3 تسرّبات، أولها"),
    (11, "وُجد 11 تسرّبًا، أولها"), (100, "وُجد 100 تسرّب، أولها"),
    (1203, "وُجدت 1,203 تسرّبات، أولها")])
def test_a_leak_refusal_speaks_each_arabic_plural_form(n: int, said: str) -> None:
    assert _leaks("ar", n) == (f"لم يُكتب شيء: {said} records/acts.csv: اسم أو قيمة محمية؛ "
                               "صحّح السجل أو أضف نسخة منقّحة ثم أعد المحاولة")
    assert _leaks("ar", n, "metadata", "GPS").split("؛")[0].endswith(
        "records/acts.csv: بيانات وصفية للصورة (GPS)")


def _reasons(lang: str, *reasons: str) -> list[str]:
    from dhakira.apps.handover.reasons import _kind, in_words

    with translation.override(lang):
        return [why for _who, why in in_words(list(reasons), {})] + \
            [_kind(r, {}) for r in reasons]


def test_an_evidence_file_s_reasons_count_hits_and_faces_in_the_readers_language() -> None:
    """A file held back said "(1 hit(s))" and "2 face(s) found in it await", in English to
    every reader; each kind (the check's group) has no count in it."""
    hits, faces = ("holds a protected name or value (1 hit)",
                   "2 faces found in it await an analyst's decision on the item page")
    assert _reasons("en", hits, faces) == [hits, faces, "holds a protected name or value",
                                           "faces found in it await an analyst's decision on "
                                           "the item page"]
    assert _reasons("en", "1 face found in it awaits an analyst's decision on the item page",
                    "holds a protected name or value (1,242 hits)")[:2] == [
        "1 face found in it awaits an analyst's decision on the item page",
        "holds a protected name or value (1,242 hits)"]
    assert _reasons("ar", hits, faces, "record a redacted derived copy of it first") == [
        "يحوي اسمًا أو قيمة محمية (في موضع واحد)",
        "وُجد فيه وجهان ينتظران قرار محلّل في صفحة العنصر",
        "سجّل أولًا نسخة مشتقة منقّحة منه",
        "يحوي اسمًا أو قيمة محمية",
        "وُجدت فيه وجوه تنتظر قرار محلّل في صفحة العنصر",
        "سجّل أولًا نسخة مشتقة منقّحة منه"]
    assert _reasons("ar", "11 faces found in it await an analyst's decision on the item "
                    "page")[0] == "وُجد فيه 11 وجهًا تنتظر قرار محلّل في صفحة العنصر"


@pytest.mark.parametrize(("reason", "english", "arabic"), [
    ("OCR: the page without text could not be read",
     "OCR: the page without text could not be read",
     "التعرف الضوئي على النصوص: تعذّرت قراءة الصفحة الخالية من النص"),
    ("OCR: the 2 pages without text could not be read",
     "OCR: the 2 pages without text could not be read",
     "التعرف الضوئي على النصوص: تعذّرت قراءة الصفحتين الخاليتين من النص"),
    ("OCR: the 1,242 pages without text could not be read",
     "OCR: the 1,242 pages without text could not be read",
     "التعرف الضوئي على النصوص: تعذّرت قراءة 1,242 صفحةً خاليةً من النص"),
    ("corrupt PDF (PdfReadError)", "corrupt PDF (PdfReadError)", "ملف PDF تالف (PdfReadError)"),
    ("a reason kept before Dhakira had words for it", "a reason kept before Dhakira had words "
     "for it", "a reason kept before Dhakira had words for it")])
def test_dhakira_process_says_unread_pages_in_the_readers_language(reason: str, english: str,
                                                                   arabic: str) -> None:
    """``dhakira process`` printed "the 3 page(s) without text could not be read" in English
    to every reader; a reason Dhakira has no words for is printed as it was kept."""
    from dhakira.apps.evidence.labels import reason_words

    for lang, said in (("en", english), ("ar", arabic)):
        with translation.override(lang):
            assert reason_words(reason) == said


def _verified(lang: str, **counts: object) -> list[str]:
    from types import SimpleNamespace

    from dhakira.cli.evidence import _verified as said

    report = SimpleNamespace(**{"items": 1, "blobs": 2, "devices": [], "unclaimed": 0,
                                **counts})
    with translation.override(lang):
        return said(report)


def test_verify_groups_its_numbers_by_thousands_in_both_languages() -> None:
    """``dhakira verify`` said "ok: 1242 ledger entries, ... (10485760 bytes)"."""
    english = _verified("en", entries=1242, bytes_checked=10_485_760,
                        devices=[("kit-1", "ab12", 1203)], unclaimed=1001)
    assert english == [
        "ok: 1,242 ledger entries, 1 item, 2 blobs (10,485,760 bytes) verified",
        "ok: device kit-1 (ab12): 1,203 custody entries verified under its own key",
        "note: 1,001 blobs written in the last hour belong to no item yet: a write in "
        "progress, or left by an interrupted one (dhakira repair removes those once they are "
        "an hour old)"]
    arabic = _verified("ar", entries=1242, bytes_checked=10_485_760,
                       devices=[("kit-1", "ab12", 1203)], unclaimed=1001)
    assert "1,242" in arabic[0] and "10,485,760" in arabic[0] and "1242" not in arabic[0]
    assert "1,203" in arabic[1] and "1,001" in arabic[2]
    assert _verified("en", entries=1, bytes_checked=1)[0] == \
        "ok: 1 ledger entry, 1 item, 2 blobs (1 byte) verified"
