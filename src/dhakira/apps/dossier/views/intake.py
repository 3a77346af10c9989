"""The report intake page and its helpers: draft saving, date preview, name suggestions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dhakira.apps.dossier import access, intake, pending
from dhakira.apps.dossier.access import writer_required
from dhakira.apps.dossier.forms import Intake, preview_date
from dhakira.apps.dossier.models import Place, Source
from dhakira.apps.dossier.views import _drafts, _queries
from dhakira.apps.dossier.views._labels import lang
from dhakira.apps.evidence.errors import IntakeRejected
from dhakira.apps.evidence.labels import reason_words


def _page(request: HttpRequest, forms: Intake, status: int = 200) -> HttpResponse:
    return render(request, "dossier/intake.html", {
        "f": forms, "errors": forms.errors() if forms.report_form.is_bound else [],
        "draft": _drafts.load(request.user) if not forms.report_form.is_bound else {},
        "places": Place.objects.order_by("name_en").values_list("name_en", "name_ar")[:2000],
        # Code names and grades only, of the sources this reader may see: the list never
        # carries who a source is, nor that a restricted source exists.
        "sources": [(code, grade.upper()) for code, grade in
                    access.visible_sources(request.user, Source.objects.order_by("code_name"))
                    .values_list("code_name", "reliability")],
    }, status=status)


def _keep_uploads(request: HttpRequest, forms: Intake, *, refused: str = "") -> None:
    """Seal this try's uploads (but a refused one) so the corrected form still carries them."""
    pending.retain(request.user, [k.pk for k in forms.kept])  # the ones unticked go
    uploads = [u for u in forms.uploads if u.name != refused]
    too_large = pending.hold(request.user, uploads, graphic=bool(request.POST.get("f-graphic")))
    forms.kept = pending.kept(request.user)
    for name in too_large:
        forms.files.add_error("files", _(
            "The file %(file)s is too large to keep until the form is corrected: attach it "
            "again before saving.") % {"file": name})


def _save(request: HttpRequest, forms: Intake) -> HttpResponse:
    try:
        info = intake.save_report(forms.report(), actor=request.user, now=timezone.now(),
                                  same_reason=_("The same person, chosen on the intake page."))
    except ValidationError as exc:
        forms.report_form.add_error(None, _("The report was not saved: %(why)s") % {"why": exc})
        _keep_uploads(request, forms)
        return _page(request, forms, status=400)
    except IntakeRejected as exc:
        # The form is fine, one attached file is not: keep what was typed, name the file.
        forms.report_form.add_error(None, _(
            "The report was not saved because the file %(file)s was refused: %(why)s. "
            "What you typed is still here: remove or replace the file and save again.")
            % {"file": exc.name, "why": reason_words(exc.reason)})
        _keep_uploads(request, forms, refused=exc.name)
        return _page(request, forms)
    pending.discard(request.user)
    _drafts.discard(request.user)
    messages.success(request, _("Report %(uid)s saved.") % {"uid": info.uid})
    return redirect("dossier:report_detail", pk=info.pk)


@writer_required
def report_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, Intake(kept=pending.kept(request.user)))
    refused = Intake(request.POST).too_many()
    if refused:
        return render(request, "dossier/refused.html", {"message": refused}, status=400)
    kept = pending.kept(request.user, request.POST.getlist("f-pending"))
    forms = Intake(request.POST, request.FILES, kept=kept,
                   kept_files=[pending.to_file_in(request.user, k) for k in kept])
    if not forms.is_valid():
        _keep_uploads(request, forms)
        return _page(request, forms, status=400)
    return _save(request, forms)


@require_POST
@writer_required
def draft_save(request: HttpRequest) -> JsonResponse:
    try:
        fields = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": _("The draft could not be read.")}, status=400)
    if not isinstance(fields, dict) or not _drafts.save(request.user, fields):
        return JsonResponse({"error": _("The draft is too large to keep.")}, status=400)
    return JsonResponse({"saved": timezone.now().isoformat()})


@require_POST
@writer_required
def draft_discard(request: HttpRequest) -> HttpResponse:
    _drafts.discard(request.user)
    pending.discard(request.user)
    return redirect(reverse("dossier:report_new"))


@require_GET
@writer_required
def date_preview(request: HttpRequest) -> JsonResponse:
    return JsonResponse(preview_date(request.GET.get("text", "")[:200], lang()))


@require_POST
@writer_required
def name_suggestions(request: HttpRequest) -> JsonResponse:
    """People who may be the one being typed; POST keeps names out of URLs and logs."""
    name = request.POST.get("name", "").strip()[:300]
    found = _queries.similar_people(name, user=request.user) if len(name) >= 3 else []
    return JsonResponse({"results": [{"id": s.uid, "pk": s.person_id, "names": list(s.names),
                                      "score": s.score,
                                      "url": reverse("dossier:person_detail", args=[s.person_id])}
                                     for s in found]})
