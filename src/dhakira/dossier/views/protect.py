"""Revealing one protected value at a time, with a reason that goes into custody."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from dhakira.dossier import protected
from dhakira.dossier.access import member_required
from dhakira.dossier.errors import NotCleared
from dhakira.dossier.forms import RevealForm
from dhakira.dossier.models import Person, Source

_MODELS = {"person": Person, "source": Source}


@require_POST
@member_required
def reveal(request: HttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    """The value is shown in the response body only: never in a URL, title or redirect."""
    model = _MODELS.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    form = RevealForm(request.POST)
    try:
        spec = protected.field_for(obj, field)
        if not form.is_valid():
            return render(request, "dossier/reveal.html", {"obj": obj, "spec": spec, "form": form},
                          status=400)
        value = protected.read(request.user, obj, field, reason=form.cleaned_data["reason"])
    except (NotCleared, protected.UnknownProtectedField):
        raise Http404 from None  # outsiders learn nothing, not even that a value exists
    return render(request, "dossier/reveal.html", {"obj": obj, "spec": spec, "value": value})
