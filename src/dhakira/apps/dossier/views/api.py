"""A small JSON API for people; the same access rules as the pages."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404

from dhakira.apps.dossier.access import member_required
from dhakira.apps.dossier.models import Act, Person
from dhakira.apps.dossier.views import _queries


def _person_json(person: Person | _queries.PersonRow) -> dict[str, object]:
    names = person.names if isinstance(person, _queries.PersonRow) else person.names.all()
    return {"id": person.uid, "sex": person.sex, "age": person.age,
            "names": [{"text": n.text, "script": n.script, "kind": n.kind} for n in names]}


@member_required
def api_person_list(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip()
    ids = ([h.person_id for h in _queries.search_people(query)[:200]] if query
           else list(_queries.people_ids("", "pk")[:200]))
    people = _queries.person_rows(ids)
    return JsonResponse({"results": [_person_json(p) for p in people]})


@member_required
def api_person_detail(request: HttpRequest, pk: int) -> JsonResponse:
    person = get_object_or_404(Person.objects.prefetch_related("names"), pk=pk)
    data = _person_json(person)
    data["acts"] = [{"id": a.uid, "event": a.event.uid, "act_type": a.act_type, "method": a.method}
                    for a in Act.objects.filter(victim=person).select_related("event")]
    return JsonResponse(data)
