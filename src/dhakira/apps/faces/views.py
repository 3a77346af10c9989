"""The faces part of an evidence item's page: boxes over the picture, a decision for each.

Writers may ask for a picture to be looked at; analysts (``access.ANALYSTS``) confirm or
reject each face and mark faces by hand. Every form is a plain form with real buttons: the
keyboard reaches each, and each answer returns to the item page. An item the user may not
see answers 404, before anything else is looked at.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import access
from dhakira.apps.dossier.access import role_required, writer_required
from dhakira.apps.evidence import items
from dhakira.apps.faces import services
from dhakira.apps.faces.forms import BoxForm
from dhakira.apps.faces.models import Face, Scan
from dhakira.core.faces import Box, FacesError

__all__ = ["add", "decide", "look", "panel"]


def panel(request: HttpRequest, item: Any) -> dict[str, object] | None:
    """What the item page shows of the faces of ``item`` (None: it is no JPEG or PNG)."""
    if item.mime not in items.PHOTOS:
        return None
    scan = Scan.objects.filter(item=item).first()
    shown: list[dict[str, object]] = []
    waiting = 0
    if scan is not None and scan.width and scan.height:
        for number, face in enumerate(Face.objects.filter(item=item), start=1):
            waiting += not face.decision
            # Drawn by an SVG in the picture's own pixels (faces/_boxes.html): the boxes sit
            # on the faces at whatever size the picture is shown.
            shown.append({"face": face, "number": number})
    return {"scan": scan, "faces": shown,
            "awaiting": waiting,
            "may_look": access.can_write(request.user) and scan is None,
            "may_decide": access.has_role(request.user, access.ANALYSTS),
            "form": BoxForm(),
            # Numbers on the boxes: legible at any size the picture is drawn.
            "label_size": max(12, max(scan.width or 0, scan.height or 0) // 25) if scan else 12}


def _item(request: HttpRequest, uid: str) -> Any:
    item = items.visible_item(request.user, uid)
    if item is None or item.mime not in items.PHOTOS:
        raise Http404
    return item


def _back(item: Any) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("evidence:item_detail", args=[item.uid]) + "#faces")


@require_POST
@writer_required
def look(request: HttpRequest, uid: str) -> HttpResponse:
    """Look for faces in the picture now."""
    item = _item(request, uid)
    scan = services.scan(item, actor=request.user.get_username())
    if scan.state == Scan.State.FAILED:
        messages.error(request, _("Faces could not be looked for: %(reason)s")
                       % {"reason": scan.reason})
    else:
        n = Face.objects.filter(item=item, origin=Face.Origin.DETECTOR).count()
        messages.success(request, ngettext("%(n)d face found: confirm or reject it.",
                                           "%(n)d faces found: confirm or reject each.", n)
                         % {"n": n} if n else _("No face was found."))
    return _back(item)


@require_POST
@role_required(access.ANALYSTS)
def decide(request: HttpRequest, uid: str, pk: int) -> HttpResponse:
    """Confirm or reject one face."""
    item = _item(request, uid)
    face = Face.objects.filter(item=item, pk=pk).first()
    decision = request.POST.get("decision")
    if face is None or decision not in ("confirmed", "rejected"):
        raise Http404
    services.decide(face, actor=request.user.get_username(), confirmed=decision == "confirmed")
    messages.success(request, _("Face confirmed: it will be blurred in hand-over copies.")
                     if decision == "confirmed" else
                     _("Face rejected: it will not be blurred."))
    return _back(item)


@require_POST
@role_required(access.ANALYSTS)
def add(request: HttpRequest, uid: str) -> HttpResponse:
    """Mark a face by hand."""
    item = _item(request, uid)
    form = BoxForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The face was not marked: give four whole numbers of pixels."))
        return _back(item)
    d = form.cleaned_data
    try:
        services.add(item, Box(d["x"], d["y"], d["w"], d["h"]),
                     actor=request.user.get_username())
    except FacesError:
        messages.error(request, _("The face was not marked: the box must lie inside the "
                                  "picture, after faces have been looked for."))
        return _back(item)
    messages.success(request, _("Face marked: it will be blurred in hand-over copies."))
    return _back(item)
