"""The annex of a legal brief: the proof matrix, pattern evidence and gaps of one charge, as PDF.

The PDF is an HTML template rendered by WeasyPrint; Pango and HarfBuzz shape Arabic and lay
it out right to left. It cites items by uid and SHA-256 only. It never names a person (victims
and perpetrators appear as ``P-…``), never names a source (not even its code name: sources are
cited as ``S-…`` if at all), names reviewers by staff id (``U-000007``), never by user name,
and prints no address, no report text and no assessment note (notes are free text and stay in
the vault).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from dhakira.apps.law import charts
from dhakira.apps.law.items import load_items
from dhakira.apps.law.models import Charge
from dhakira.apps.law.presentation import pattern_context, place_labels
from dhakira.apps.law.services import EstimatedTotal, matrix_for
from dhakira.core import law

LANGS = ("en", "ar")
HASH_BASIS = {
    "evidence": {"en": "SHA-256 of the original file", "ar": "SHA-256 للملف الأصلي"},
    "information": {"en": "SHA-256 of the report text (NFC, UTF-8)",
                    "ar": "SHA-256 لنص التقرير (NFC، UTF-8)"},
    "act": {"en": "SHA-256 of the act's coded fields (canonical JSON)",
            "ar": "SHA-256 للحقول المرمّزة للفعل (JSON قانوني)"},
}
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Annex: proof matrix and pattern evidence", "charge": "Charge", "crime": "Crime",
        "scope": "Scope", "places": "Places (with places inside them)", "dates": "Dates",
        "victim_group": "Victim group", "grounds": "Ground tags", "perpetrators": "Perpetrators",
        "catalogue": "Catalogue version", "generated": "Generated",
        "caveat": "Element texts are paraphrases, not quotations; check each against the official "
                  "ICC Elements of Crimes before filing. No standard claimed is a court finding. "
                  "Persons are cited by id only; sources, report texts and notes stay in the vault.",
        "matrix": "Proof matrix", "element": "Element", "supporting": "Supporting",
        "undermining": "Undermining (always listed)", "origins": "Independent origins",
        "best": "Best standard", "gap": "Gap", "none": "none", "gaps": "Gaps",
        "no_gaps": "No element without support.", "patterns": "Pattern evidence",
        "acts": "Acts documented", "spread": "Geographic spread", "months": "Months with acts",
        "public": "In public", "announced": "Announced", "clusters": "Repeated modus operandi",
        "no_clusters": "No repeated modus operandi.", "policy": "Documents that show a policy",
        "no_policy": "None flagged.", "estimate": "Estimated total victims (optional)",
        "no_estimate": "Not included: no estimate was supplied for this brief.",
        "items": "Items cited", "item": "Item", "kind": "Kind", "hash": "SHA-256",
        "basis": "Hash of", "reliability": "reliability", "credibility": "credibility",
        "documented_note": "Counts are of documented acts, not of all acts.",
        "method": "Method", "ground": "Stated ground", "unit": "Unit", "count": "Acts",
        "interval": "interval", "via": "method",
        "by_month": "By month", "by_district": "By district", "by_place": "By place",
        "by_act_type": "By act type", "by_method": "By method",
        "by_ground": "By stated ground", "by_unit": "By unit",
    },
    "ar": {
        "title": "ملحق: مصفوفة الإثبات وأدلة النمط", "charge": "التهمة", "crime": "الجريمة",
        "scope": "النطاق", "places": "الأماكن (مع ما يقع ضمنها)", "dates": "التواريخ",
        "victim_group": "فئة الضحايا", "grounds": "أسس الاضطهاد", "perpetrators": "الجناة",
        "catalogue": "إصدار الفهرس", "generated": "تاريخ الإعداد",
        "caveat": "نصوص الأركان صياغات موجزة وليست اقتباساً؛ يجب مراجعة كل ركن على نص «أركان الجرائم» "
                  "الرسمي قبل أي إحالة. لا يُعدّ أي معيار إثبات مدَّعى حكماً قضائياً. يُشار إلى "
                  "الأشخاص برموزهم فقط؛ وتبقى المصادر ونصوص التقارير والملاحظات داخل الخزنة.",
        "matrix": "مصفوفة الإثبات", "element": "الركن", "supporting": "البنود الداعمة",
        "undermining": "البنود المضعِفة (تُدرج دائماً)", "origins": "المصادر المستقلة",
        "best": "أعلى معيار", "gap": "الثغرة", "none": "لا شيء", "gaps": "الثغرات",
        "no_gaps": "لا يوجد ركن بلا دعم.", "patterns": "أدلة النمط",
        "acts": "الأفعال الموثقة", "spread": "الانتشار الجغرافي", "months": "الأشهر التي شهدت أفعالاً",
        "public": "علناً", "announced": "معلن عنها", "clusters": "تكرار أسلوب العمل",
        "no_clusters": "لا يوجد أسلوب عمل متكرر.", "policy": "وثائق تدل على سياسة",
        "no_policy": "لم توسم أي وثيقة.", "estimate": "العدد التقديري الكلي للضحايا (اختياري)",
        "no_estimate": "غير مدرج: لم يُقدَّم تقدير لهذا الملحق.",
        "items": "البنود المستشهد بها", "item": "البند", "kind": "النوع", "hash": "SHA-256",
        "basis": "البصمة محسوبة على", "reliability": "الموثوقية", "credibility": "المصداقية",
        "documented_note": "الأعداد للأفعال الموثقة وليست لجميع الأفعال.",
        "method": "الأسلوب", "ground": "التهمة المعلنة", "unit": "الوحدة", "count": "الأفعال",
        "interval": "المجال", "via": "الطريقة",
        "by_month": "حسب الشهر", "by_district": "حسب القضاء", "by_place": "حسب المكان",
        "by_act_type": "حسب نوع الفعل", "by_method": "حسب الأسلوب",
        "by_ground": "حسب التهمة المعلنة", "by_unit": "حسب الوحدة",
    },
}


def list_charges() -> list[tuple[str, str, str]]:
    """Return ``(uid, crime id, title in the active language)`` of every charge."""
    return [(c.uid, c.crime_id, c.local_title) for c in Charge.objects.order_by("pk")]


def brief_context(charge: Charge, *, lang: str = "en", estimate: EstimatedTotal | None = None,
                  now: datetime | None = None) -> dict[str, Any]:
    """Return everything the brief template shows (ids, codes and labels; no names)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    # The brief leaves the vault: it cites only items with no compartment (reader None) and
    # names reviewers by staff id, never by user name.
    matrix = matrix_for(charge, None, staff_ids=True)
    patterns = pattern_context(charge, lang, None)
    cited = sorted({e.item_id for row in matrix.rows for e in (*row.supporting, *row.undermining)})
    found = load_items(cited)
    places = place_labels(lang)
    crime = law.load_catalogue().crime(charge.crime_id)
    for table in patterns["tables"]:
        table["chart"] = mark_safe(table["chart"])  # noqa: S308 (escaped in charts)
        table["label"] = LABELS[lang][table["name"]]
    return {
        "lang": lang, "L": LABELS[lang], "charge": charge, "matrix": matrix, "crime": crime,
        "crime_name": crime.name_ar if lang == "ar" else crime.name_en,
        "charge_title": charge.title_in(lang), "charge_victim_group": charge.victim_group_in(lang),
        "place_names": [places[p.uid] for p in charge.places.all()],
        "perpetrators": matrix.charge.perpetrator_ids,
        "generated": (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        "gaps": matrix.gaps(), "estimate": estimate, "counting": _counting(estimate, lang),
        "items": [(uid, found[uid].kind, found[uid].sha256, HASH_BASIS[found[uid].kind][lang])
                  for uid in cited],
        "spread_chart": mark_safe(charts.bar_chart(  # noqa: S308
            patterns["summary"].by_district, labels=places, title="districts")),
        **{k: v for k, v in patterns.items() if k != "spread_chart"},
    }


def _counting(estimate: EstimatedTotal | None, lang: str) -> dict[str, Any] | None:
    """The Counting page's reading of the estimate's run: verdict, sentence, linkage."""
    if estimate is None or estimate.run_id is None:
        return None
    from dhakira.apps.counting.models import EstimateRun
    from dhakira.apps.counting.presentation import brief_section

    run = EstimateRun.objects.filter(pk=estimate.run_id).first()
    return brief_section(run, lang) if run is not None else None


def brief_html(charge: Charge, **options: Any) -> str:
    """Return the brief as HTML (what :func:`render_brief` turns into PDF)."""
    return render_to_string("legal/brief.html", brief_context(charge, **options))


def render_brief(charge: Charge, *, lang: str = "en", estimate: EstimatedTotal | None = None,
                 now: datetime | None = None) -> bytes:
    """Render the annex of a legal brief for one charge as PDF bytes.

    Args:
        charge: the charge.
        lang: ``"en"`` or ``"ar"`` (right to left).
        estimate: an estimate of all victims from :mod:`dhakira.core.counting`, if one was made;
            without it the section says that none was supplied (never a made-up number).
        now: the time printed as "generated".

    Returns:
        The PDF.

    Raises:
        ValueError: unknown language.
    """
    from weasyprint import HTML

    html = brief_html(charge, lang=lang, estimate=estimate, now=now)
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)
