"""Evidence pages: list, upload (with progress), item, search.

Restricted items are invisible to users not cleared for their compartment: they get 404,
so not even the existence of an item leaks.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dhakira.apps.custody import store
from dhakira.apps.dossier import access, protected
from dhakira.apps.dossier.access import member_required, writer_required
from dhakira.apps.dossier.errors import NotCleared
from dhakira.apps.dossier.forms import RevealForm
from dhakira.apps.dossier.models import Information, ProtectedValue
from dhakira.apps.evidence import _mail, items, labels, timeline, translations
from dhakira.apps.evidence import render as pictures
from dhakira.apps.evidence._common import blob_store
from dhakira.apps.evidence.errors import IntakeRejected
from dhakira.apps.evidence.extract import EML, Unreadable
from dhakira.apps.evidence.forms import SearchForm, TranslationForm, UploadForm
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.evidence.models import EvidenceItem
from dhakira.apps.faces import views as faces_views
from dhakira.apps.search import services as search
from dhakira.apps.web import uploads
from dhakira.core.vault.blobs import BlobNotFound

R = TypeVar("R", HttpResponse, StreamingHttpResponse)
# An e-mail larger than this is not parsed for the page (download it instead).
MAX_SHOWN_MAIL = 32 * 1024 * 1024
MAX_SHOWN_BODY = 200_000
MAX_PAGES = 50  # PDF pages offered on the page (each drawn only when scrolled to)
# The e-mail headers that may name a person: protected values of the sources compartment.
NAMING_HEADERS = ("From", "To", "Cc")
_HEADER_LABELS = (("From", _lazy("From")), ("To", _lazy("To")), ("Cc", _lazy("Cc")),
                  ("Subject", _lazy("Subject")), ("Date", _lazy("Sent")))


def cleared(request: HttpRequest) -> list[str]:
    """The compartments the requesting user is cleared for."""
    return sorted(access.readable_compartments(request.user))


def visible_items(request: HttpRequest) -> QuerySet[EvidenceItem]:
    """Items the user may see."""
    return access.visible(request.user, EvidenceItem.objects.all())


def _item_for(request: HttpRequest, uid: str) -> EvidenceItem:
    item = items.visible_item(request.user, uid)
    if item is None:
        raise Http404
    return item


@member_required
def item_list(request: HttpRequest) -> HttpResponse:
    items = visible_items(request).filter(parent=None).order_by("-pk")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(request, "evidence/item_list.html", {"page": page})


@member_required
def item_detail(request: HttpRequest, uid: str, translation_form: TranslationForm | None = None,
                status: int = 200) -> HttpResponse:
    item = _item_for(request, uid)
    if item.compartment:
        # Opening a restricted item is a read of protected material: the ledger keeps who.
        store.record(actor=request.user.get_username(), action="read_protected",
                     subject=item.uid, detail={"compartment": item.compartment})
    meta = getattr(item, "metadata", None)
    return render(request, "evidence/item_detail.html", {
        "item": item, "metadata": labels.sections(meta.data) if meta else [],
        "protected_rows": _protected_rows(request, item), "reveal_form": RevealForm(),
        "family": visible_items(request).filter(parent=item),
        "parent": visible_items(request).filter(pk=item.parent_id).first(),
        "derived": [{"copy": c, "language": translations.language_label(c.language)
                     if c.language else "", "operation": labels.operation_label(c.operation)}
                    for c in item.derived.all()],
        "method": labels.method_label(item.method),
        "origin": labels.origin_label(item.origin),
        "may_translate": access.can_write(request.user),
        "translation_form": translation_form or TranslationForm(
            initial={"language": "en" if request.LANGUAGE_CODE == "ar" else "ar"}),
        # A restricted first receipt or report is named only to readers cleared for it.
        "duplicate_of": visible_items(request).filter(pk=item.duplicate_of_id).first(),
        "report": access.visible(request.user, Information.objects.filter(pk=item.information_id))
        .first(),
        "preview": _preview(item, meta.data if meta else {}),
        "mail": _mail_shown(request, item),
        "faces": faces_views.panel(request, item),
        "may_download": _may_download(request, item),
        # Read after this page's own entries are written, so the timeline includes them.
        "custody": timeline.for_item(item),
    }, status=status)


@require_POST
@writer_required
def translate(request: HttpRequest, uid: str) -> HttpResponse:
    """Add a translation of the item as a derived copy (the original is never edited)."""
    _item_for(request, uid)  # 404 for an item the user may not see, before anything is read
    form = TranslationForm(request.POST, request.FILES)
    if not form.is_valid():
        return item_detail(request, uid, translation_form=form, status=400)
    upload = form.cleaned_data.get("file")
    try:
        translations.add_translation(
            request.user, uid, language=form.cleaned_data["language"],
            text=form.cleaned_data.get("text") or "", data=upload.read() if upload else None,
            file_name=PurePath(upload.name).name if upload else "")
    except translations.TranslationError as exc:
        form.add_error(None, str(exc))
        return item_detail(request, uid, translation_form=form, status=400)
    return redirect(reverse("evidence:item_detail", args=[uid]) + "#derived")


def _preview(item: EvidenceItem, meta: dict[str, object]) -> dict[str, object] | None:
    """What the page shows of the original: a picture, or the pages of a PDF."""
    if not pictures.renderable(item.mime) or item.size > pictures.MAX_RENDER_BYTES:
        return None
    pages = meta.get("pages") if item.mime == pictures.PDF else 1
    count = pages if isinstance(pages, int) and pages > 0 else 1
    return {"pdf": item.mime == pictures.PDF, "pages": range(1, min(count, MAX_PAGES) + 1),
            "more": count > MAX_PAGES, "count": count}


def _mail_shown(request: HttpRequest, item: EvidenceItem) -> dict[str, object] | None:
    """An e-mail's headers and body; each reading a custody entry.

    The headers that name people read "protected" for everyone: a reader cleared for the
    sources compartment sees them only by revealing them (with a reason, audited), like any
    protected field, never just by opening the page."""
    if item.mime != EML or item.size > MAX_SHOWN_MAIL:
        return None
    try:
        mail = _mail.parse(_plaintext(item), item.uid)
    except (Unreadable, pictures.NotRenderable):
        return None
    headers = [(label, None if name in NAMING_HEADERS else mail.headers[name])
               for name, label in _HEADER_LABELS if name in mail.headers]
    store.record(actor=request.user.get_username(), action="other", subject=item.uid,
                 detail={"event": "view", "rendition": "email"})
    attachments = visible_items(request).filter(
        parent=item, relationship=EvidenceItem.Relationship.ATTACHMENT)
    return {"headers": headers, "body": mail.body[:MAX_SHOWN_BODY],
            "cut": len(mail.body) > MAX_SHOWN_BODY, "attachments": attachments}


def _plaintext(item: EvidenceItem) -> bytes:
    """The original's bytes, decrypted (and authenticated) in memory only."""
    return items.original_bytes(item)


def _protected_compartments(item: EvidenceItem) -> set[str]:
    """The compartments of what the original's own metadata names (its sender, GPS...)."""
    return set(ProtectedValue.objects.filter(owner=item.uid).values_list("compartment", flat=True))


def _may_download(request: HttpRequest, item: EvidenceItem) -> bool:
    """Writers may take the original away, if cleared for every compartment its bytes name:
    an e-mail's original carries its sender, a photo's its GPS position."""
    return (access.can_write(request.user)
            and _protected_compartments(item) <= access.readable_compartments(request.user))


@member_required
def picture(request: HttpRequest, uid: str, page: int) -> HttpResponse:
    """A photo (page 1) or one PDF page, drawn from the encrypted original on request."""
    item = _item_for(request, uid)
    if not pictures.renderable(item.mime) or (item.mime != pictures.PDF and page != 1):
        raise Http404
    try:
        data = _plaintext(item)
        shown = (pictures.pdf_page(data, page) if item.mime == pictures.PDF
                 else pictures.image(data))
    except pictures.NotRenderable as exc:
        if "no such page" in str(exc):
            raise Http404 from None
        return _no_store(HttpResponse(str(exc), status=422, content_type="text/plain"))
    store.record(actor=request.user.get_username(), action="other", subject=item.uid,
                 detail={"event": "view", "rendition": "picture", "page": page})
    return _no_store(HttpResponse(shown.data, content_type=shown.content_type))


@member_required
def original(request: HttpRequest, uid: str) -> StreamingHttpResponse:
    """The original as received, for roles allowed to take it away (custody entry first)."""
    item = _item_for(request, uid)
    if not _may_download(request, item):
        raise PermissionDenied
    try:
        chunks = blob_store().open_stream(item.sha256)
    except BlobNotFound:
        raise Http404 from None
    store.record(actor=request.user.get_username(), action="other", subject=item.uid,
                 subject_hash=item.sha256, detail={"event": "download"})
    # Never the sniffed type: a browser must not run an HTML "original" as this site's page.
    response = StreamingHttpResponse(chunks, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{_download_name(item)}"'
    response["Content-Length"] = str(item.size)
    return _no_store(response)


def _download_name(item: EvidenceItem) -> str:
    """The item's id and the original's extension when it is a plain one (``EV-000007.pdf``):
    the file name itself may name someone and stays on the page."""
    suffix = PurePath(item.original_name).suffix.lower()
    plain = 1 < len(suffix) <= 8 and suffix[1:].isascii() and suffix[1:].isalnum()
    return item.uid + (suffix if plain else "")


def _no_store(response: R) -> R:
    """Kept by no cache, and embedded by no other site (its cookies are not sent anyway)."""
    response["Cache-Control"] = "no-store, max-age=0"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


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
    taken, refused = _take_uploads(request, form)
    outcome = _outcome(taken, refused)
    if wants_json:
        return JsonResponse({**outcome, "items": taken,
                             "errors": [f"{r['name']}: {r['reason']}" for r in refused]},
                            status=200 if not refused else 422)
    return render(request, "evidence/upload.html", {"form": UploadForm(cleared=cleared(request)),
                                                    **outcome})


def _outcome(taken: list[str], refused: list[dict[str, str]]) -> dict[str, object]:
    """What an upload did, said in the reader's language: each item taken in (with its
    page) and each file refused, and why."""
    said = [ngettext("%(n)d item taken in.", "%(n)d items taken in.", len(taken))
            % {"n": len(taken)} if taken else _("Nothing was taken in.")]
    if refused:
        said.append(ngettext("%(n)d file refused:", "%(n)d files refused:", len(refused))
                    % {"n": len(refused)})
    return {"summary": " ".join(said),
            "taken": [{"uid": uid, "url": reverse("evidence:item_detail", args=[uid])}
                      for uid in taken],
            "refused": refused}


def _too_large(request: HttpRequest, wants_json: bool) -> HttpResponse:
    message = _("The upload is larger than %(mb)s MiB and was not kept. Upload fewer or "
                "smaller files at a time.") % {"mb": uploads.max_megabytes()}
    if wants_json:
        return JsonResponse({"error": message}, status=413)
    return render(request, "evidence/upload.html", {"form": UploadForm(cleared=cleared(request)),
                                                    "error": message}, status=413)


def _take_uploads(request: HttpRequest, form: UploadForm
                  ) -> tuple[list[str], list[dict[str, str]]]:
    d = form.cleaned_data
    collection = Collection(collector=request.user.get_username(), method=d["method"],
                            compartment=d["compartment"], graphic=d["graphic"])
    taken: list[str] = []
    refused: list[dict[str, str]] = []
    for upload in d["files"]:
        try:
            item = ingest_stream(upload.file, name=upload.name or "upload",
                                 origin=d["origin"] or "web upload", collection=collection)
        except IntakeRejected as exc:
            refused.append({"name": exc.name, "reason": labels.reason_words(exc.reason)})
        else:
            taken.append(item.uid)
    return taken, refused


@member_required
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits: list[search.Hit] = []
    if form.is_valid() and form.cleaned_data["q"]:
        hits = search.search(form.cleaned_data["q"], cleared=cleared(request),
                             filters=form.filters(), limit=50)
    return render(request, "evidence/search.html", {"form": form, "hits": hits})
