"""Charges, the proof matrix, pattern evidence and perpetrators.

Every member may read (outsiders get 404, see dhakira.dossier.access); only legal staff,
analysts and administrators may write (other members get 403). A charge that does not exist
is a 404. Citations of items the reader may not read are left out.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from dhakira.dossier.access import ANALYSTS, member_required, role_required
from dhakira.dossier.models import Person, Unit
from dhakira.law import load_catalogue
from dhakira.legal import perpetrators as perps
from dhakira.legal import services
from dhakira.legal.forms import AssessmentForm, ChargeForm, FlagForm
from dhakira.legal.models import Charge
from dhakira.legal.presentation import pattern_context


def _lang() -> str:
    return "ar" if (get_language() or "ar").startswith("ar") else "en"


writer_required = role_required(ANALYSTS)


@member_required
def charge_list(request: HttpRequest) -> HttpResponse:
    charges = Charge.objects.prefetch_related("places")
    return render(request, "legal/charge_list.html", {
        "charges": charges, "crimes": load_catalogue().crimes,
        "can_write": services.can_write(request.user)})


@writer_required
def charge_create(request: HttpRequest) -> HttpResponse:
    form = ChargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        charge = services.create_charge(request.user, **form.cleaned_data)
        return redirect("legal:matrix", charge.pk)
    return render(request, "legal/charge_form.html", {"form": form}, status=400 if form.errors else 200)


def _matrix_page(request: HttpRequest, charge: Charge, form: AssessmentForm, status: int = 200) -> HttpResponse:
    return render(request, "legal/matrix.html", {
        "charge": charge, "matrix": services.matrix_for(charge, request.user), "form": form,
        "crime": load_catalogue().crime(charge.crime_id), "lang": _lang(),
        "auto_note": services.AUTO_NOTE, "can_write": services.can_write(request.user)},
        status=status)


@member_required
def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    charge = get_object_or_404(Charge, pk=pk)
    return _matrix_page(request, charge, AssessmentForm(crime_id=charge.crime_id,
                                                        reader=request.user))


@require_POST
@writer_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    charge = get_object_or_404(Charge, pk=pk)
    form = AssessmentForm(request.POST, crime_id=charge.crime_id, reader=request.user)
    if not form.is_valid():
        return _matrix_page(request, charge, form, status=400)
    data = form.cleaned_data
    services.record_assessment(request.user, charge, item_uid=data["item_uid"],
                               element_id=data["element_id"], stance=data["stance"],
                               standard=data["standard_claimed"],
                               reviewed_at=data["reviewed_at"], note=data["note"])
    return redirect("legal:matrix", charge.pk)


@member_required
def patterns(request: HttpRequest, pk: int) -> HttpResponse:
    charge = get_object_or_404(Charge, pk=pk)
    context = pattern_context(charge, _lang(), request.user)
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
    back = request.POST.get("charge", "")
    return redirect("legal:patterns", int(back)) if back.isdigit() else redirect("legal:charge_list")


@member_required
def perpetrator_list(request: HttpRequest) -> HttpResponse:
    people, units = perps.perpetrators()
    return render(request, "legal/perpetrator_list.html", {"people": people, "units": units})


@member_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(Person.objects.prefetch_related("names"), pk=pk)
    return render(request, "legal/perpetrator.html", {
        "subject": subject, "record": perps.person_profile(subject, request.user), "is_unit": False})


@member_required
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(Unit, pk=pk)
    return render(request, "legal/perpetrator.html", {
        "subject": subject, "record": perps.unit_profile(subject, request.user), "is_unit": True})
