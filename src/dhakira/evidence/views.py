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

from dhakira.dossier import access
from dhakira.dossier.access import member_required, writer_required
from dhakira.dossier.models import Information
from dhakira.evidence import search
from dhakira.evidence.errors import IntakeRejected
from dhakira.evidence.forms import SearchForm, UploadForm
from dhakira.evidence.intake import Collection, ingest_stream
from dhakira.evidence.models import EvidenceItem, pk_for
from dhakira.ledger import store
from dhakira.ledger.models import LedgerEntry


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


@writer_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, cleared=cleared(request))
    wants_json = request.headers.get("Accept", "").startswith("application/json")
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
