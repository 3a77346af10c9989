"""A small JSON API for people; the same access rules as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404

from dhakira.apps.dossier import access
from dhakira.apps.dossier.access import member_required
from dhakira.apps.dossier.models import Act, Person
from dhakira.apps.dossier.views import _queries


def _person_json(person: Person | _queries.PersonRow, user: Any) -> dict[str, object]:
    names = person.names if isinstance(person, _queries.PersonRow) else \
        access.visible_names(user, person.names.all()).order_by("pk")
    return {"id": person.uid, "sex": person.sex, "age": person.age,
            "names": [{"text": n.text, "script": n.script, "kind": n.kind} for n in names]}


@member_required
def api_person_list(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip()
    ids = ([h.person_id for h in _queries.search_people(query, user=request.user)[:200]]
           if query else list(_queries.people_ids("", "pk")[:200]))
    people = _queries.person_rows(ids, request.user)
    return JsonResponse({"results": [_person_json(p, request.user) for p in people]})


@member_required
def api_person_detail(request: HttpRequest, pk: int) -> JsonResponse:
    person = get_object_or_404(Person, pk=pk)
    data = _person_json(person, request.user)
    data["acts"] = [{"id": a.uid, "event": a.event.uid, "act_type": a.act_type, "method": a.method}
                    for a in Act.objects.filter(victim=person).select_related("event")]
    return JsonResponse(data)
