""""This is the same person" on the person page, and its undo.

Linking two records of one person, or splitting them again, is a review decision: users who
can write may do it (other members 403, outsiders 404), through :mod:`dhakira.apps.linkage.services`,
which writes the custody entry. Nothing is merged or deleted: a link is a reversible row.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dhakira.apps.dossier.access import writer_required
from dhakira.apps.dossier.models import Person
from dhakira.apps.linkage import services
from dhakira.apps.linkage.forms import SplitForm
from dhakira.apps.linkage.models import PersonLink


class SamePersonForm(forms.Form):
    canonical = forms.IntegerField(min_value=1)
    reason = forms.CharField(label=gettext_lazy("why they are the same person"), required=False,
                             max_length=2000)


def links_of(person: Person) -> list[PersonLink]:
    """The active links from or to ``person``, oldest first."""
    return list(PersonLink.objects.filter(Q(person=person) | Q(canonical=person), active=True)
                .select_related("person", "canonical").order_by("pk"))


@require_POST
@writer_required
def person_same(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    form = SamePersonForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    canonical = get_object_or_404(Person, pk=form.cleaned_data["canonical"])
    reason = form.cleaned_data["reason"] or _("Recorded as the same person on the person page.")
    try:
        services.link_same_person(person, canonical, actor=request.user.get_username(),
                                  reason=reason)
    except ValueError:
        messages.error(request, _("%(a)s and %(b)s are already recorded as one person.")
                       % {"a": person.uid, "b": canonical.uid})
    else:
        messages.success(request, _("%(a)s is now recorded as the same person as %(b)s.")
                         % {"a": person.uid, "b": canonical.uid})
    return redirect("dossier:person_detail", pk=pk)


@require_POST
@writer_required
def person_unlink(request: HttpRequest, pk: int, link: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    person_link = get_object_or_404(PersonLink.objects.filter(Q(person=person) | Q(canonical=person)),
                                    pk=link, active=True)
    form = SplitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why these are different people."))
        return redirect("dossier:person_detail", pk=pk)
    services.split(person_link, actor=request.user.get_username(),
                   reason=form.cleaned_data["reason"])
    messages.success(request, _("%(a)s and %(b)s are separate people again.")
                     % {"a": person_link.person.uid, "b": person_link.canonical.uid})
    return redirect("dossier:person_detail", pk=pk)
