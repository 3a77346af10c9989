"""Charges, the proof matrix, pattern evidence and perpetrators.

Every member may read (outsiders get 404, see dhakira.apps.dossier.access); only legal staff,
analysts and administrators may write (other members get 403). A charge that does not exist
is a 404. Citations of items the reader may not read are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import access
from dhakira.apps.dossier.access import ANALYSTS, member_required, role_required
from dhakira.apps.dossier.models import Person, Unit, lang
from dhakira.apps.law import items as legal_items
from dhakira.apps.law import perpetrators as perps
from dhakira.apps.law import services
from dhakira.apps.law.forms import AssessmentForm, ChargeForm, FlagForm
from dhakira.apps.law.models import Charge
from dhakira.apps.law.presentation import pattern_context
from dhakira.apps.law.summary import entries, graded, summarise_matrix, ungraded_origins
from dhakira.apps.vetting import status as vetting_status
from dhakira.apps.vetting import summary as vetting_summary
from dhakira.core import vetting
from dhakira.core.ids import key_or_none
from dhakira.core.law import load_catalogue
from dhakira.core.law.errors import LawError

ITEMS_PER_PAGE = 50
ACTS_PER_PAGE = 100  # a perpetrator's acts on one page of the perpetrator view
FOUND = 10  # people offered per name search on the charge form


writer_required = role_required(ANALYSTS)


@member_required
def charge_list(request: HttpRequest) -> HttpResponse:
    crimes = load_catalogue().crimes
    # Each charge beside its crime, so the list names the crime as its page does, not by its id.
    charges = [(c, crimes.get(c.crime_id)) for c in Charge.objects.prefetch_related("places")]
    return render(request, "legal/charge_list.html", {
        "charges": charges, "lang": lang(), "can_write": services.can_write(request.user)})


@writer_required
def charge_create(request: HttpRequest) -> HttpResponse:
    form = ChargeForm(request.POST or None, reader=request.user)
    if request.method == "POST" and form.is_valid():
        try:  # one transaction: a refused charge writes nothing
            charge = services.create_charge(request.user, **form.cleaned_data)
        except LawError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("legal:matrix", charge.pk)
    return render(request, "legal/charge_form.html", {"form": form}, status=400 if form.errors else 200)


def _summary_page(request: HttpRequest, charge: Charge, form: AssessmentForm,
                  status: int = 200) -> HttpResponse:
    matrix = services.matrix_for(charge, request.user, hashes=False)
    grades = legal_items.report_grades(ungraded_origins(matrix))  # origins the reader may read
    elements = summarise_matrix(matrix, automatic_note=services.AUTO_NOTE, grades=grades)
    return render(request, "legal/charge.html", {
        "summary": vetting_summary.as_table(vetting_summary.charge_summary(matrix)),
        "buckets": vetting_summary.bucket_labels(),
        "charge": charge, "elements": elements, "form": form,
        "crime": load_catalogue().crime(charge.crime_id), "lang": lang(),
        "automatic": sum(e.automatic for e in elements),
        "supporting": sum(len(e.row.supporting) for e in elements),
        "can_write": services.can_write(request.user)}, status=status)


@member_required
def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    """A charge as a summary per element; the full list of items is :func:`charge_items`."""
    charge = get_object_or_404(Charge, pk=pk)
    return _summary_page(request, charge, AssessmentForm(crime_id=charge.crime_id,
                                                         reader=request.user))


@member_required
def charge_items(request: HttpRequest, pk: int) -> HttpResponse:
    """Every assessed item of a charge, paged, optionally for one element or one stance."""
    charge = get_object_or_404(Charge, pk=pk)
    matrix = services.matrix_for(charge, request.user, hashes=False)
    elements = {row.element_id for row in matrix.rows}
    element = request.GET.get("element", "")
    element = element if element in elements else ""
    stance = request.GET.get("stance", "")
    stance = stance if stance in ("supports", "undermines") else ""
    statuses = vetting_summary.item_statuses(matrix)  # one pass over the matrix's reports
    wanted = vetting_status.list_filter(request.GET.get("vetting"))
    listed = [(row, e) for row, e in entries(matrix, element, stance)
              if not wanted or statuses[e.item_id] == wanted]
    page = Paginator(listed, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    # An act is graded by its best report, as the charge's summary ranks it (one grade an item).
    grades = legal_items.report_grades({o for _, e in page.object_list if not e.source_reliability
                                        and e.credibility is None for o in e.origin_ids})
    page.object_list = [(row, e, statuses[e.item_id], vetting_status.label(statuses[e.item_id]),
                         graded(e, grades)) for row, e in page.object_list]
    query = "&".join(f"{k}={v}" for k, v in (("element", element), ("stance", stance),
                                             ("vetting", wanted)) if v)
    return render(request, "legal/charge_items.html", {
        "charge": charge, "rows": matrix.rows, "page": page, "element": element,
        "stance": stance, "query": query, "lang": lang(), "auto_note": services.AUTO_NOTE,
        "vetting_wanted": wanted,
        "vetting_choices": [(s, vetting_status.label(s)) for s in vetting.STATUSES]})


@require_POST
@writer_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    charge = get_object_or_404(Charge, pk=pk)
    form = AssessmentForm(request.POST, crime_id=charge.crime_id, reader=request.user)
    if not form.is_valid():
        return _summary_page(request, charge, form, status=400)
    data = form.cleaned_data
    services.record_assessment(request.user, charge, item_uid=data["item_uid"],
                               element_id=data["element_id"], stance=data["stance"],
                               standard=data["standard_claimed"],
                               reviewed_at=data["reviewed_at"], note=data["note"])
    return redirect("legal:matrix", charge.pk)


@member_required
def patterns(request: HttpRequest, pk: int) -> HttpResponse:
    charge = get_object_or_404(Charge, pk=pk)
    context = pattern_context(charge, lang(), request.user)
    context["spread_chart"] = mark_safe(context["spread_chart"])  # noqa: S308 (escaped in charts)
    for table in context["tables"]:
        table["chart"] = mark_safe(table["chart"])  # noqa: S308
    return render(request, "legal/patterns.html", {
        "charge": charge, "flag_form": FlagForm(), "can_write": services.can_write(request.user),
        **context})


@require_POST
@writer_required
def flag(request: HttpRequest) -> HttpResponse:
    form = FlagForm(request.POST, reader=request.user)
    if not form.is_valid():
        return render(request, "legal/flag_error.html", {"form": form}, status=400)
    services.flag_document(request.user, form.cleaned_data["item_uid"], form.cleaned_data["note"])
    back = key_or_none(request.POST.get("charge", ""))
    return redirect("legal:patterns", back) if back is not None else redirect("legal:charge_list")


@require_POST
@writer_required
def find_perpetrator(request: HttpRequest) -> JsonResponse:
    """People whose names hold what was typed (the people search), for the charge form.

    Only ids and recorded names, as on the people list: never a protected field. POST keeps
    names out of URLs and logs.
    """
    from dhakira.apps.dossier.views import _queries

    name = request.POST.get("name", "").strip()[:300]
    hits = _queries.search_people(name, user=request.user, want=FOUND) if len(name) >= 3 else []
    people = _queries.person_rows([h.person_id for h in hits[:FOUND]], request.user)
    return JsonResponse({"results": [
        {"pk": p.pk, "id": p.uid, "names": [n.text for n in p.names]} for p in people]})


@member_required
def perpetrator_list(request: HttpRequest) -> HttpResponse:
    pks, units = perps.perpetrators()
    # One reverse() for the page, not one per person: hundreds of rows.
    base = reverse("legal:person", args=[0]).removesuffix("0/")
    people = [(f"P-{pk:06d}", f"{base}{pk}/") for pk in pks]
    return render(request, "legal/perpetrator_list.html", {"people": people, "units": units})


def _perpetrator_page(request: HttpRequest, subject: Person | Unit, record: perps.Standing,
                      names: Sequence[str] = ()) -> HttpResponse:
    acts = Paginator(record.involvements, ACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "legal/perpetrator.html", {
        "subject": subject, "record": record, "acts": acts, "is_unit": isinstance(subject, Unit),
        "names": names})


@member_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(Person, pk=pk)
    # Only the names the reader may read: a name is as restricted as the report that gave it.
    names = access.visible_names(request.user, subject.names.order_by("pk"))
    return _perpetrator_page(request, subject, perps.person_profile(subject, request.user),
                             [n.text for n in names])


@member_required
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(Unit, pk=pk)
    return _perpetrator_page(request, subject, perps.unit_profile(subject, request.user))
