"""Evidence pages: list, upload (with progress), item, search.

Restricted items are invisible to users not cleared for their compartment: they get 404,
so not even the existence of an item leaks.
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dhakira.dossier import access, protected
from dhakira.dossier.access import member_required, writer_required
from dhakira.dossier.errors import NotCleared
from dhakira.dossier.forms import RevealForm
from dhakira.dossier.models import Information
from dhakira.evidence import search
from dhakira.evidence.errors import IntakeRejected
from dhakira.evidence.forms import SearchForm, UploadForm
from dhakira.evidence.intake import Collection, ingest_stream
from dhakira.evidence.models import EvidenceItem, pk_for
from dhakira.ledger import store
from dhakira.ledger.models import LedgerEntry
from dhakira.web import uploads


def cleared(request: HttpRequest) -> list[str]:
    """The compartments the requesting user is cleared for."""
    return sorted(access.readable_compartments(request.user))


def visible_items(request: HttpRequest) -> QuerySet[EvidenceItem]:
    """Items the user may see."""
    return access.visible(request.user, EvidenceItem.objects.all())


def _item_for(request: HttpRequest, uid: str) -> EvidenceItem:
    pk = pk_for(uid)
    item = visible_items(request).filter(pk=pk).first() if pk else None
    if item is None:
        raise Http404
    return item


@member_required
def item_list(request: HttpRequest) -> HttpResponse:
    items = visible_items(request).filter(parent=None).order_by("-pk")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "evidence/item_list.html", {"page": page})


@member_required
def item_detail(request: HttpRequest, uid: str) -> HttpResponse:
    item = _item_for(request, uid)
    if item.compartment:
        # Opening a restricted item is a read of protected material: the ledger keeps who.
        store.record(actor=request.user.get_username(), action="read_protected",
                     subject=item.uid, detail={"compartment": item.compartment})
    return render(request, "evidence/item_detail.html", {
        "item": item, "metadata": _metadata_json(item),
        "protected_rows": _protected_rows(request, item), "reveal_form": RevealForm(),
        "family": visible_items(request).filter(parent=item),
        "parent": visible_items(request).filter(pk=item.parent_id).first(),
        "derived": item.derived.all(),
        # A restricted first receipt or report is named only to readers cleared for it.
        "duplicate_of": visible_items(request).filter(pk=item.duplicate_of_id).first(),
        "report": access.visible(request.user, Information.objects.filter(pk=item.information_id))
        .first(),
        "custody": LedgerEntry.objects.filter(subject=item.uid).order_by("seq"),
    })


def _metadata_json(item: EvidenceItem) -> str:
    meta = getattr(item, "metadata", None)
    return json.dumps(meta.data, ensure_ascii=False, indent=2, sort_keys=True) if meta else ""


def _protected_rows(request: HttpRequest, item: EvidenceItem) -> list[dict[str, object]]:
    """The protected metadata parts this user is cleared for, and whether each is recorded."""
    user = request.user
    return [{"field": f, "recorded": protected.has_value(user, item, f.name)}  # type: ignore[arg-type]
            for f in protected.fields_of(EvidenceItem)
            if access.is_cleared(user, f.compartment)]


@require_POST
@member_required
def reveal(request: HttpRequest, uid: str) -> HttpResponse:
    """Who or where the item's metadata names, read with a reason that goes into custody.

    The field travels in the POST body, never the URL, so no access log names it; an uncleared
    user gets the same 404 before the form is looked at, whether or not a value exists.
    """
    item = _item_for(request, uid)
    try:
        spec = protected.field_for(item, str(request.POST.get("field", "")))
    except protected.UnknownProtectedField:
        raise Http404 from None
    if not access.is_cleared(request.user, spec.compartment):
        raise Http404  # outsiders learn nothing, not even that a value exists
    back = reverse("evidence:item_detail", args=[item.uid])
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "dossier/reveal.html",
                      {"obj": item, "spec": spec, "form": form, "back": back}, status=400)
    try:
        value = protected.read(request.user, item, spec.name,  # type: ignore[arg-type]
                               reason=form.cleaned_data["reason"])
    except NotCleared:
        raise Http404 from None
    return render(request, "dossier/reveal.html",
                  {"obj": item, "spec": spec, "value": value, "back": back})


@writer_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, cleared=cleared(request))
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if request.method == "POST" and uploads.too_large(request):
        return _too_large(request, wants_json)
    if request.method != "POST" or not form.is_valid():
        if wants_json and request.method == "POST":
            return JsonResponse({"error": "; ".join(m for ms in form.errors.values() for m in ms)},
                                status=400)
        status = 400 if request.method == "POST" else 200
        return render(request, "evidence/upload.html", {"form": form}, status=status)
    taken, failed = _take_uploads(request, form)
    if wants_json:
        return JsonResponse({"items": taken, "errors": failed}, status=200 if not failed else 422)
    return render(request, "evidence/upload.html", {"form": UploadForm(cleared=cleared(request)),
                                                    "taken": taken, "failed": failed})


def _too_large(request: HttpRequest, wants_json: bool) -> HttpResponse:
    message = _("The upload is larger than %(mb)s MiB and was not kept. Upload fewer or "
                "smaller files at a time.") % {"mb": uploads.max_megabytes()}
    if wants_json:
        return JsonResponse({"error": message}, status=413)
    return render(request, "evidence/upload.html", {"form": UploadForm(cleared=cleared(request)),
                                                    "failed": [message]}, status=413)


def _take_uploads(request: HttpRequest, form: UploadForm) -> tuple[list[str], list[str]]:
    d = form.cleaned_data
    collection = Collection(collector=request.user.get_username(), method=d["method"],
                            compartment=d["compartment"], graphic=d["graphic"])
    taken, failed = [], []
    for upload in d["files"]:
        try:
            item = ingest_stream(upload.file, name=upload.name or "upload",
                                 origin=d["origin"] or "web upload", collection=collection)
        except IntakeRejected as exc:
            failed.append(str(exc))
        else:
            taken.append(item.uid)
    return taken, failed


@member_required
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits: list[search.Hit] = []
    if form.is_valid() and form.cleaned_data["q"]:
        hits = search.search(form.cleaned_data["q"], cleared=cleared(request),
                             filters=form.filters(), limit=50)
    return render(request, "evidence/search.html", {"form": form, "hits": hits})
