"""Lists, detail pages, the timeline and the map. Read-only: any member may see them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from dhakira.apps.dossier import access, consents, protected
from dhakira.apps.dossier.access import member_required
from dhakira.apps.dossier.forms import ConsentForm, RevealForm
from dhakira.apps.dossier.models import Act, Event, Information, Person, Source
from dhakira.apps.dossier.views import _map, _queries, same
from dhakira.apps.dossier.views._labels import date_shown, label
from dhakira.apps.dossier.views._paging import PAGE_SIZE, page_number, page_of, query_without_page
from dhakira.apps.linkage.resolution import also_recorded_as, told_apart
from dhakira.apps.vetting import status as vetting_status
from dhakira.core import vetting
from dhakira.core.ids import PERSON
from dhakira.core.names import DIFFERENT


def _ctx(request: HttpRequest, kind: str, default: str, **extra: object) -> dict[str, object]:
    sort, order = _queries.sort_of(kind, request.GET.get("sort"), default)
    params = {k: request.GET.get(k, "").strip() for k in ("q", "sex", "place", "year", "month",
                                                          "kind", "source", "channel", "vetting")}
    return {"sort": sort, "order": order, "params": params, "qs": query_without_page(request),
            "sorts": list(_queries.SORTS[kind]), **extra}


@member_required
def person_list(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request, "person", "old")
    p: dict[str, str] = ctx["params"]  # type: ignore[assignment]
    wanted = vetting_status.list_filter(p["vetting"])
    if p["q"]:
        # The name search reads up to PART_ROWS name parts whatever a page wants, so a status
        # filter applied to its hits looks as far down the ranking as the search does.
        hits = _queries.of_sex(_queries.search_people(
            p["q"], user=request.user, want=page_number(request) * PAGE_SIZE + 1), p["sex"])
        if wanted:
            told = vetting_status.told_status("person", [h.person_id for h in hits], _readable(request))
            hits = [h for h in hits if told[h.person_id] == wanted]
        page = page_of(hits, request)
        people = _queries.person_rows([h.person_id for h in page.rows], request.user)
    else:
        ids = _queries.people_ids(p["sex"], str(ctx["order"]))
        if wanted:
            ids = vetting_status.with_told_status("person", ids, _readable(request), wanted)
        page = page_of(ids, request)
        people = _queries.person_rows(page.rows, request.user)
    counts = _queries.acts_count([x.pk for x in people])
    status = vetting_status.told_status("person", [x.pk for x in people], _readable(request))
    # One reverse() for the page, not one per row (people/<pk>/ under the list's URL).
    base = reverse("dossier:person_list")
    rows = [{"p": x, "href": f"{base}{x.pk}/", "n_acts": counts.get(x.pk, 0),
             "sex": label("sex", x.sex), "vetting": status[x.pk],
             "vetting_label": vetting_status.label(status[x.pk])} for x in people]
    return render(request, "dossier/person_list.html", {**ctx, "page": page, "rows": rows,
                                                        "vetting_choices": _vetting_choices()})


def _readable(request: HttpRequest) -> QuerySet[Information]:
    """The reports the reader may see: an event's or a person's status is told by these only."""
    return access.visible(request.user, Information.objects.all())


def _vetting_choices() -> list[tuple[str, str]]:
    return [(s, vetting_status.label(s)) for s in vetting.STATUSES]


def _protected_rows(request: HttpRequest, obj: Person | Source) -> list[dict[str, object]]:
    rows = []
    for field in protected.fields_of(type(obj)):
        if access.is_cleared(request.user, field.compartment):
            rows.append({"field": field, "recorded": protected.has_value(request.user, obj, field.name)})
    return rows


@member_required
def person_detail(request: HttpRequest, pk: int, consent_form: ConsentForm | None = None,
                  status: int = 200) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    names = list(access.visible_names(request.user, person.names.select_related("source"))
                 .order_by("pk"))
    first = names[0] if names else None
    # A person holding a name the reader may not read is never set beside another for them:
    # "also recorded as" a named person would say who the restricted report is about.
    veiled = access.veiled_persons(request.user)
    links = [] if person.pk in veiled else [
        link for link in same.links_of(person)
        if link.person_id not in veiled and link.canonical_id not in veiled]
    linked = {pk for link in links for pk in (link.person_id, link.canonical_id)}
    also = [] if person.pk in veiled else [
        pk for pk in also_recorded_as(person.pk) if pk not in veiled]
    similar = (_maybe_same(person, first.text, request.user,
                           leave_out=linked | veiled | {*also} | told_apart(person.pk))
               if first else [])
    return render(request, "dossier/person_detail.html", {
        "person": person, "names": names, "sex": label("sex", person.sex),
        "acts": _queries.act_rows(Act.objects.filter(victim=person).select_related("event"),
                                  request.user),
        "perpetrated": _queries.act_rows(_queries.attributed_acts(person), request.user),
        "information": _with_status(access.visible(
            request.user, person.information.select_related("source")).order_by("received_at")),
        "similar": similar,
        "same_links": links, "can_write": access.can_write(request.user),
        "also": [(pk, PERSON.format(pk)) for pk in also],
        "protected_rows": _protected_rows(request, person), "reveal_form": RevealForm(),
        "consents": _consents(person, {*also, *linked} - {person.pk}),
        "consent_form": consent_form or ConsentForm(initial={"obtained_on": timezone.localdate()}),
        }, status=status)


@member_required
def event_list(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request, "event", "date")
    events = _queries.events(ctx["params"], ctx["order"])  # type: ignore[arg-type]
    if wanted := vetting_status.list_filter(ctx["params"]["vetting"]):  # type: ignore[index]
        events = vetting_status.with_told_status("event", events, _readable(request), wanted)
    page = page_of(events, request)
    status = vetting_status.told_status("event", [e.pk for e in page], _readable(request))
    rows = [{"e": e, "vetting": status[e.pk], "vetting_label": vetting_status.label(status[e.pk])}
            for e in page]
    return render(request, "dossier/event_list.html", {**ctx, "page": page, "rows": rows,
                                                       "vetting_choices": _vetting_choices()})


@member_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("place"), pk=pk)
    # Each link of the chain as the reader reads it: the earlier event first, its relation in
    # the reader's language (the vocabulary's label, never the code).
    chain = ([{"before": c.from_event, "relation": label("chain_types", c.chain_type),
               "after": None} for c in event.chains_in.select_related("from_event")]
             + [{"before": None, "relation": label("chain_types", c.chain_type),
                 "after": c.to_event} for c in event.chains_out.select_related("to_event")])
    return render(request, "dossier/event_detail.html", {
        "event": event, "date": date_shown(event),
        "acts": _queries.act_rows(event.acts.all(), request.user),
        "information": access.visible(request.user, _queries.reports_about(event)),
        "chain": chain})


@member_required
def source_list(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request, "source", "code")
    sources = access.visible_sources(request.user, _queries.sources(ctx["params"], ctx["order"]))  # type: ignore[arg-type]
    page = page_of(sources, request)
    return render(request, "dossier/source_list.html", {**ctx, "page": page,
                                                        "kinds": Source._meta.get_field("kind").choices})


@member_required
def report_list(request: HttpRequest) -> HttpResponse:
    ctx = _ctx(request, "report", "-received")
    reports = access.visible(request.user, _queries.reports(ctx["params"], ctx["order"]))  # type: ignore[arg-type]
    if wanted := vetting_status.list_filter(ctx["params"]["vetting"]):  # type: ignore[index]
        reports = vetting_status.with_status(reports, wanted)
    page = page_of(reports, request)
    status = vetting_status.current_status(i.pk for i in page)
    rows = [{"info": i, "channel": label("channels", i.channel), "vetting": status[i.pk],
             "vetting_label": vetting_status.label(status[i.pk])} for i in page]
    return render(request, "dossier/report_list.html", {
        **ctx, "page": page, "rows": rows, "vetting_choices": _vetting_choices()})


@member_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    info: Information = access.get_visible_or_404(
        request.user, Information.objects.select_related("source"), pk=pk)
    current = vetting_status.current_status([info.pk])[info.pk]
    # Plain rows with the names the reader may read: a name another report gave is as
    # restricted as that report.
    people = _queries.person_rows(list(info.persons.order_by("pk").values_list(
        "pk", flat=True)), request.user)
    return render(request, "dossier/report_detail.html", {
        "info": info, "channel": label("channels", info.channel),
        "vetting": current, "vetting_label": vetting_status.label(current),
        "files": _files(request, info),
        "events": info.events.all(),
        "people": people,
        # The acts' people are mostly the report's: their names are read once.
        "acts": _queries.act_rows(info.acts.all(), request.user, people)})


def _maybe_same(person: Person, name: str, user: object,
                leave_out: set[int] | frozenset[int]) -> list[_queries.Suggestion]:
    """Who may be ``person`` too, most alike first: people already known to be them or told
    apart from them by a reviewer (``leave_out``), names the comparison calls another name,
    and people of another role (a victim is not offered a perpetrator, nor a member of a
    unit) are left out."""
    found = [s for s in _queries.similar_people(name, user=user, exclude=person.pk, limit=20)
             if s.person_id not in leave_out and s.score >= DIFFERENT]
    roles = _queries.roles_of([person.pk, *(s.person_id for s in found)])
    mine = roles.get(person.pk, set())
    found = [s for s in found if not mine or not roles.get(s.person_id) or
             mine & roles[s.person_id]]
    return sorted(found, key=lambda s: (-s.score, s.person_id))[:5]


def _consents(person: Person, others: Iterable[int]) -> list[dict[str, object]]:
    """The person's consent as the gate reads it: the latest version of each use and
    recipient on this record and on every other record of the same person (the gate blocks
    on a withdrawal recorded on any of them), each of the others' rows saying where."""
    rows = [(c, "") for c in consents.current(person)]
    for other in Person.objects.filter(pk__in=sorted(others)).order_by("pk"):
        rows += [(c, other.uid) for c in consents.current(other)]
    rows.sort(key=lambda r: (r[0].obtained_at, r[0].pk), reverse=True)
    return [{"c": c, "scope": label("consent_scopes", c.scope), "on": on} for c, on in rows]


def _with_status(reports: Iterable[Information]) -> list[Information]:
    """The reports, each with ``vetting_label``: its vetting status in the reader's language."""
    rows = list(reports)
    status = vetting_status.current_status(i.pk for i in rows)
    for i in rows:
        i.vetting_label = vetting_status.label(status[i.pk])  # type: ignore[attr-defined]
    return rows


def _files(request: HttpRequest, info: Information) -> list[object]:
    """The report's evidence files the user may read (none when evidence is not installed)."""
    from django.apps import apps

    if not apps.is_installed("dhakira.apps.evidence"):
        return []
    return list(access.visible(request.user, info.evidence.all()))  # type: ignore[attr-defined]


@member_required
def timeline(request: HttpRequest) -> HttpResponse:
    return render(request, "dossier/timeline.html", {"months": _queries.months()})


@member_required
def map_view(request: HttpRequest) -> HttpResponse:
    return render(request, "dossier/map.html", {"map": _map.build(_queries.places_with_counts())})
