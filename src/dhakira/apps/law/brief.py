"""The brief of one charge, as a lawyer reads it: a narrative, one paragraph per element, an annex.

The main text opens with the charge, its period and places and the numbers (documented acts
and victims, and the estimate of all victims when one was made, with its interval); then, for
each element, a paragraph: how many items support it, from how many independent origins, how
many are vetted or confirmed, the span in time and place, the strongest items described in
words, what undermines it and the gap; then the patterns as figures. The annex lists every
item cited with its id, SHA-256 and vetting status, as a table that runs over as many pages as
it needs. Every word comes from the translation catalogue, every vocabulary term is shown by
its label (never its code), and the PDF is tagged (PDF/UA-1) with the headings as bookmarks.

The brief leaves the vault. It cites only items with no compartment, never names a person
(victims and perpetrators appear as ``P-…``) or a source, prints no report text (a report's
words can name people; they leave the vault only through the consent-gated package), no
address and no assessment note, and names staff by role (``BRIEF_STAFF`` in the settings:
``role``, the default; ``id``, role and pseudonymous staff id; ``name``, role and user name).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Act, Information, Profile, Role, comma
from dhakira.apps.dossier.models import lang as reader_lang
from dhakira.apps.law import charts
from dhakira.apps.law.items import load_items, report_grades
from dhakira.apps.law.models import Charge
from dhakira.apps.law.presentation import pattern_context, place_labels, unit_labels
from dhakira.apps.law.scope import scope_facts
from dhakira.apps.law.services import AUTO_NOTE, EstimatedTotal, matrix_for
from dhakira.apps.law.summary import (
    ElementBrief,
    Strong,
    element_brief,
    summarise_matrix,
    ungraded_origins,
)
from dhakira.apps.vetting.status import label as status_label
from dhakira.apps.vetting.summary import item_statuses
from dhakira.core import law
from dhakira.core.ids import ACT, PLACE, REPORT, STAFF
from dhakira.core.law import ActFact
from dhakira.core.vocabularies import load

LANGS = ("en", "ar")
STAFF_NAMING = ("role", "id", "name")
ANNEX = "annex"  # the id of the annex's heading: where the main text ends
HASH_BASIS = {
    "evidence": _("SHA-256 of the original file"),
    "information": _("SHA-256 of the report text (NFC, UTF-8)"),
    "act": _("SHA-256 of the act's coded fields (canonical JSON)"),
}
ROLE_IN_BRIEF = {  # how the brief names a member of staff: by the work they do
    Role.ADMINISTRATOR: _("an administrator"), Role.DOCUMENTER: _("a documenter"),
    Role.ANALYST: _("an analyst"), Role.LEGAL: _("a legal officer"), Role.VIEWER: _("a viewer"),
}
PATTERN_ROWS = 8  # rows of each pattern table in the main text (the full counts are a page away)


def list_charges() -> list[tuple[str, str, str]]:
    """Return ``(uid, crime id, title in the active language)`` of every charge."""
    return [(c.uid, c.crime_id, c.local_title) for c in Charge.objects.order_by("pk")]


def staff_naming() -> str:
    """How the brief names staff (``BRIEF_STAFF`` setting): ``role``, ``id`` or ``name``."""
    naming = getattr(settings, "BRIEF_STAFF", "role")
    if naming not in STAFF_NAMING:
        raise ValueError(f"BRIEF_STAFF must be one of {STAFF_NAMING}, not {naming!r}")
    return str(naming)


def brief_context(charge: Charge, *, lang: str = "en", estimate: EstimatedTotal | None = None,
                  now: datetime | None = None, staff: str | None = None) -> dict[str, Any]:
    """Return everything the brief template shows, in ``lang`` (labels, ids; no names).

    ``staff`` names staff ``role``, ``id`` or ``name`` (default: the ``BRIEF_STAFF`` setting);
    a package's brief passes ``role``, whatever the organisation chose for its own copies.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    if staff is not None and staff not in STAFF_NAMING:
        raise ValueError(f"staff must be one of {STAFF_NAMING}, not {staff!r}")
    with translation.override(lang):
        return _context(charge, lang, estimate, now, staff or staff_naming())


def _context(charge: Charge, lang: str, estimate: EstimatedTotal | None,
             now: datetime | None, naming: str) -> dict[str, Any]:
    # The brief leaves the vault: only items with no compartment (reader None).
    matrix = matrix_for(charge, None, staff_ids=naming != "name")
    grades = report_grades(ungraded_origins(matrix) | _undermining_origins(matrix))
    summaries = summarise_matrix(matrix, automatic_note=AUTO_NOTE, grades=grades)
    cited = sorted({e.item_id for row in matrix.rows for e in (*row.supporting, *row.undermining)})
    statuses = item_statuses(matrix)  # as the charge's vetting summary counts them
    facts = scope_facts(charge)
    by_item = _facts_by_item(cited, facts)
    elements = [element_brief(s, statuses=statuses, facts=by_item, grades=grades)
                for s in summaries]
    places = place_labels(lang)
    crime = law.load_catalogue().crime(charge.crime_id)
    patterns = pattern_context(charge, lang, None)
    shown = {x.entry.item_id for e in elements for x in (*e.summary.strongest, *e.undermining)}
    described = _describe(shown, places)
    found = load_items(cited)
    return {
        "lang": lang, "charge": charge, "crime": crime, "matrix": matrix,
        "comma": comma(lang),
        "semicolon": "؛ " if lang == "ar" else "; ",
        "crime_name": crime.name_ar if lang == "ar" else crime.name_en,
        "charge_title": charge.title_in(lang), "victim_group": charge.victim_group_in(lang),
        "place_names": [places[p.uid] for p in charge.places.all()],
        "unit_names": [unit_labels(lang)[u.uid] for u in charge.units.all()],
        "perpetrators": [p.uid for p in charge.perpetrators.all()],
        "date_from": _day(charge.date_from), "date_to": _day(charge.date_to),
        "generated": (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        "opening": _opening(facts, matrix, elements, places),
        "staff": _staff(matrix, naming),
        "automatic": sum(e.summary.automatic for e in elements),
        "elements": [_element(e, described, places) for e in elements],
        "gaps": [r for r in matrix.rows if r.gap],
        "estimate": estimate, "counting": _counting(estimate, lang),
        "patterns": _patterns(patterns, places),
        "annex": [(uid, found[uid].kind, found[uid].sha256, HASH_BASIS[found[uid].kind],
                   status_label(statuses[uid])) for uid in cited],
        "annex_id": ANNEX,
    }


def _undermining_origins(matrix: law.ProofMatrix) -> set[str]:
    return {o for row in matrix.rows for e in row.undermining for o in e.origin_ids}


def _day(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def month_label(month: str | None) -> str:
    """``"2015-03"`` as the active language writes a month (``March 2015``)."""
    if not month:
        return ""
    year, number = map(int, month.split("-"))
    return formats.date_format(date(year, number, 1), "YEAR_MONTH_FORMAT")


def _facts_by_item(cited: Iterable[str], facts: Iterable[ActFact]) -> dict[str, list[ActFact]]:
    """Item -> the pattern facts of the acts it describes (acts in the charge's scope only)."""
    by_act = {f.act_id: f for f in facts}
    out: dict[str, list[ActFact]] = {}
    report_pks = set()
    for uid in cited:
        if uid in by_act:
            out[uid] = [by_act[uid]]
        elif (pk := REPORT.pk_or_none(uid)) is not None:
            report_pks.add(pk)
    for info_id, act_id in (Information.acts.through.objects.filter(information_id__in=report_pks)
                            .values_list("information_id", "act_id")):
        if (fact := by_act.get(ACT.format(act_id))) is not None:
            out.setdefault(REPORT.format(info_id), []).append(fact)
    return out


@dataclass(frozen=True)
class Opening:
    """The numbers of the opening paragraph."""

    acts: int
    victims: int
    first_month: str
    last_month: str
    districts: int
    places: int
    top_districts: list[tuple[str, int]]
    supporting_items: int
    origins: int
    elements: int
    elements_supported: int
    gaps: int


def _people(mentions: set[int]) -> int:
    """How many people these victim mentions are, as the estimate counts them: the latest
    victim linkage run's clusters with the reviewers' decisions on top; a mention linkage has
    not covered counts alone. (Counting mentions said "2 documented victims" beside an
    estimate whose lists documented 1, when two reports named the same person.)"""
    if not mentions:
        return 0
    from dhakira.apps.linkage.resolution import resolve

    mapping = resolve("victim", persons=mentions).mapping
    return len({("c", mapping[m]) if m in mapping else ("m", m) for m in mentions})


def _opening(facts: list[ActFact], matrix: law.ProofMatrix, elements: list[ElementBrief],
             places: Mapping[str, str]) -> Opening:
    acts = [f.act_id for f in facts]
    pks = [pk for a in acts if (pk := ACT.pk_or_none(a)) is not None]
    victims = _people(set(Act.objects.filter(pk__in=pks, victim__isnull=False)
                          .values_list("victim_id", flat=True)))
    months = sorted(f.month for f in facts if f.month)
    districts = Counter(f.district_id for f in facts if f.district_id)
    supporting = {e.item_id for row in matrix.rows for e in row.supporting}
    origins = {o for row in matrix.rows for e in row.supporting for o in e.origin_ids}
    return Opening(
        acts=len(set(acts)), victims=victims, first_month=month_label(months[0] if months else None),
        last_month=month_label(months[-1] if months else None), districts=len(districts),
        places=len({f.place_id for f in facts if f.place_id}),
        top_districts=[(places.get(d, d), n) for d, n in districts.most_common(3)],
        supporting_items=len(supporting), origins=len(origins), elements=len(elements),
        elements_supported=sum(1 for e in elements if e.summary.items),
        gaps=sum(1 for row in matrix.rows if row.gap))


def _staff(matrix: law.ProofMatrix, naming: str) -> list[tuple[str, int]]:
    """Who assessed: ``(how the brief names them, assessments)``; by role unless set otherwise."""
    counts = Counter(e.reviewer for row in matrix.rows for e in (*row.supporting, *row.undermining))
    model = get_user_model()
    if naming == "name":
        users = dict(model.objects.filter(**{f"{model.USERNAME_FIELD}__in": set(counts)})
                     .values_list(model.USERNAME_FIELD, "pk"))
        pk_of = {name: users.get(name) for name in counts}
    else:
        pk_of = {uid: STAFF.pk_or_none(uid) for uid in counts}
    roles: dict[int, str] = dict(Profile.objects.filter(
        user_id__in={p for p in pk_of.values() if p}).values_list("user_id", "role"))
    named: Counter[str] = Counter()
    for reviewer, n in counts.items():
        pk = pk_of[reviewer]
        code = roles.get(pk, "") if pk is not None else ""
        role = str(ROLE_IN_BRIEF.get(code, _("a member of staff")))  # type: ignore[call-overload]
        named[role if naming == "role" else f"{role} ({reviewer})"] += n
    return sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))


def _describe(uids: Iterable[str], places: Mapping[str, str]) -> dict[str, list[str]]:
    """Item -> what it is, in words from its coded fields (labels; never free text)."""
    lang = reader_lang()
    vocab = {name: dict(load(name).choices(lang)) for name in
             ("act_types", "methods", "grounds", "channels", "source_material_types")}
    uids = set(uids)
    out: dict[str, list[str]] = {}
    acts = {pk for u in uids if (pk := ACT.pk_or_none(u)) is not None}
    for pk, act_type, method, grounds, place, event_place, earliest, latest in (
            Act.objects.filter(pk__in=acts).values_list(
                "pk", "act_type", "method", "grounds", "place_id", "event__place_id",
                "date_earliest", "date_latest")):
        where = place or event_place
        words = [vocab["act_types"].get(act_type, act_type)]
        words += [vocab["methods"].get(method, method)] if method else []
        words += [str(_("ground attributed: %(ground)s") % {
            "ground": vocab["grounds"].get(grounds[0], grounds[0])})] if grounds else []
        words += [places.get(PLACE.format(where), "")] if where else []
        words += [_when(earliest, latest)] if earliest else []
        out[ACT.format(pk)] = [w for w in words if w]
    reports = {pk for u in uids if (pk := REPORT.pk_or_none(u)) is not None}
    for pk, channel, material, received in (Information.objects.filter(pk__in=reports)
                                            .values_list("pk", "channel", "material_type",
                                                         "received_at")):
        words = [vocab["source_material_types"].get(material, material)] if material else []
        words += [str(_("received by %(channel)s") % {
            "channel": vocab["channels"].get(channel, channel)})] if channel else []
        words += [formats.date_format(received.date(), "j F Y")] if received else []
        out[REPORT.format(pk)] = words
    return out


def _when(earliest: date, latest: date | None) -> str:
    if latest is None or earliest == latest:
        return formats.date_format(earliest, "j F Y")
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        return formats.date_format(earliest, "YEAR_MONTH_FORMAT")
    return str(_("between %(start)s and %(end)s") % {
        "start": formats.date_format(earliest, "j F Y"), "end": formats.date_format(latest, "j F Y")})


def _element(e: ElementBrief, described: Mapping[str, list[str]],
             places: Mapping[str, str]) -> dict[str, Any]:
    def items(strong: Iterable[Strong]) -> list[dict[str, Any]]:
        return [{"s": s, "words": described.get(s.entry.item_id, [])} for s in strong]

    span = e.span
    return {"e": e, "row": e.summary.row, "strongest": items(e.summary.strongest),
            "undermining": items(e.undermining), "first": month_label(span.first_month),
            "last": month_label(span.last_month),
            "top_districts": [(places.get(d, d), n) for d, n in span.top_districts],
            "statuses": [(status_label(s), n) for s, n in e.by_status]}


def _patterns(patterns: dict[str, Any], places: Mapping[str, str]) -> dict[str, Any]:
    """The pattern figures: charts as SVG (escaped in charts), tables of labels and counts."""
    tables = {t["name"]: t for t in patterns["tables"]}
    summary = patterns["summary"]
    return {
        "summary": summary,
        "month_chart": mark_safe(tables["by_month"]["chart"]),  # noqa: S308 (escaped in charts)
        "district_chart": mark_safe(charts.bar_chart(  # noqa: S308
            summary.by_district, labels=places, title=str(_("By district")))),
        "tables": [{"title": tables[name]["title"], "rows": [
            (label, n) for _key, label, n in tables[name]["rows"][:PATTERN_ROWS]],
            "more": max(0, len(tables[name]["rows"]) - PATTERN_ROWS)}
            for name in ("by_act_type", "by_method", "by_ground", "by_unit")
            if tables[name]["rows"]],
        "clusters": patterns["clusters"][:5], "more_clusters": max(0, len(patterns["clusters"]) - 5),
        "policy_documents": patterns["policy_documents"],
        "first": month_label(summary.first_month), "last": month_label(summary.last_month),
    }


def _counting(estimate: EstimatedTotal | None, lang: str) -> dict[str, Any] | None:
    """The Counting page's reading of the estimate's run: verdict, sentence, linkage."""
    if estimate is None or estimate.run_id is None:
        return None
    from dhakira.apps.counting.models import EstimateRun
    from dhakira.apps.counting.presentation import brief_section

    run = EstimateRun.objects.filter(pk=estimate.run_id).first()
    return brief_section(run, lang) if run is not None else None


def brief_html(charge: Charge, *, lang: str = "en", **options: Any) -> str:
    """Return the brief as HTML (what :func:`render_brief` turns into PDF)."""
    context = brief_context(charge, lang=lang, **options)
    with translation.override(lang):
        return render_to_string("legal/brief.html", context)


@dataclass(frozen=True)
class RenderedBrief:
    """A brief's PDF and its length: the main text's pages, then the annex's."""

    pdf: bytes
    main_pages: int
    pages: int
    html: str = ""  # what was rendered: a package checks its words for protected values


def render_brief_document(charge: Charge, *, lang: str = "en",
                          estimate: EstimatedTotal | None = None,
                          now: datetime | None = None, staff: str | None = None) -> RenderedBrief:
    """Render the brief of one charge as a tagged PDF (PDF/UA-1), with its page counts.

    Args:
        charge: the charge.
        lang: ``"en"`` or ``"ar"`` (right to left).
        estimate: an estimate of all victims from :mod:`dhakira.core.counting`, if one was made;
            without it the brief says that none was supplied (never a made-up number).
        now: the time printed as "generated".
        staff: how staff are named (see :func:`brief_context`).

    Returns:
        The PDF, the pages of the main text (before the annex), all pages, and the HTML.

    Raises:
        ValueError: unknown language or ``BRIEF_STAFF`` setting.
    """
    from weasyprint import HTML

    html = brief_html(charge, lang=lang, estimate=estimate, now=now, staff=staff)
    document = HTML(string=html).render()
    main = next((i for i, page in enumerate(document.pages) if ANNEX in page.anchors),
                len(document.pages))
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return RenderedBrief(pdf=bytes(pdf), main_pages=main, pages=len(document.pages), html=html)


def render_brief(charge: Charge, *, lang: str = "en", estimate: EstimatedTotal | None = None,
                 now: datetime | None = None) -> bytes:
    """Render the brief of one charge as PDF bytes (see :func:`render_brief_document`)."""
    return render_brief_document(charge, lang=lang, estimate=estimate, now=now).pdf
