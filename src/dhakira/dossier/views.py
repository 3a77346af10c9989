"""Pages for people, events and reports. Protected values only through dossier.protected."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from dhakira.dossier import protected
from dhakira.dossier.errors import NotCleared
from dhakira.dossier.forms import RevealForm
from dhakira.dossier.models import Act, Event, Information, NameVariant, Person, Source
from dhakira.names import name_key

PAGE_SIZE = 50


def _people(query: str) -> QuerySet[Person]:
    people = Person.objects.prefetch_related(Prefetch("names", NameVariant.objects.order_by("pk")))
    if query:
        key = name_key(query)
        match = Q(names__text__icontains=query)
        if key:
            match |= Q(names__key__contains=key)
        people = people.filter(match).distinct()
    return people.annotate(n_acts=Count("acts_suffered", distinct=True)).order_by("pk")


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = Paginator(_people(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossier/person_list.html", {"page": page, "q": query})


def _protected_rows(request: HttpRequest, obj: Person | Source) -> list[dict[str, object]]:
    rows = []
    for field in protected.fields_of(type(obj)):
        if protected.is_cleared(request.user, field.compartment):
            rows.append({"field": field, "recorded": protected.has_value(request.user, obj, field.name)})
    return rows


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.prefetch_related("names"), pk=pk)
    acts = (Act.objects.filter(victim=person).select_related("event", "place")
            .prefetch_related("involvements__perpetrator__names", "involvements__unit"))
    return render(request, "dossier/person_detail.html", {
        "person": person, "acts": acts,
        "perpetrated": Act.objects.filter(involvements__perpetrator=person).select_related("event"),
        "information": person.information.select_related("source").order_by("received_at"),
        "protected_rows": _protected_rows(request, person),
        "reveal_form": RevealForm(),
    })


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.select_related("place").annotate(n_acts=Count("acts")).order_by(
        "date_earliest", "pk")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dossier/event_list.html", {"page": page})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("place"), pk=pk)
    acts = (event.acts.select_related("victim", "place")
            .prefetch_related("victim__names", "involvements__perpetrator__names", "involvements__unit"))
    return render(request, "dossier/event_detail.html", {
        "event": event, "acts": acts,
        "information": Information.objects.filter(Q(events=event) | Q(acts__event=event))
        .select_related("source").distinct().order_by("received_at"),
        "chains": event.chains_out.select_related("to_event"),
    })


_MODELS = {"person": Person, "source": Source}


@require_POST
@login_required
def reveal(request: HttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    """Reveal one protected value, with a reason that goes into the custody ledger.

    The value is shown in the response body only: never in a URL, title or redirect.
    """
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


def _person_json(person: Person) -> dict[str, object]:
    return {"id": person.uid, "sex": person.sex, "age": person.age,
            "names": [{"text": n.text, "script": n.script, "kind": n.kind} for n in person.names.all()]}


@login_required
def api_person_list(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip()
    people = _people(query)[:200]
    return JsonResponse({"results": [_person_json(p) for p in people]})


@login_required
def api_person_detail(request: HttpRequest, pk: int) -> JsonResponse:
    person = get_object_or_404(Person.objects.prefetch_related("names"), pk=pk)
    data = _person_json(person)
    data["acts"] = [{"id": a.uid, "event": a.event.uid, "act_type": a.act_type, "method": a.method}
                    for a in Act.objects.filter(victim=person).select_related("event")]
    return JsonResponse(data)
