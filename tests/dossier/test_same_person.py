"""Issue 15, item 4: "this is the same person" on the intake suggestion and the person page.

The issue's case: the documenter recorded the same call twice and got two people. Choosing
the suggestion links the new victim to the existing person (a PersonLink with a reason and
no pair), with a custody entry; splitting it undoes the link; only writers may do either.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.cast import client_for
from tests.dossier.intake_data import post_data

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier.models import Information, NameVariant, Person
from dhakira.apps.linkage import services
from dhakira.apps.linkage.models import PersonLink

pytestmark = pytest.mark.django_db


def _person(text: str) -> Person:
    person = Person.objects.create(sex="male")
    NameVariant.objects.create(person=person, text=text, script="arab")
    return person


def _victim_of(info: Information, text: str) -> Person:
    return Person.objects.get(names__information=info, names__text=text)


def test_issue15_4_the_same_call_recorded_twice_leaves_one_person(cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for("rana")
    assert client.post("/reports/new/", post_data()).status_code == 302
    first = _victim_of(Information.objects.get(), "محمّد علي حسين")
    # The second time, the suggestion lists him; the documenter says "this is the same person".
    results = client.post(reverse("dossier:name_suggestions"),
                          {"name": "محمّد علي حسين"}).json()["results"]
    assert first.uid in [r["id"] for r in results]
    chosen = next(r for r in results if r["id"] == first.uid)["pk"]
    response = client.post("/reports/new/", post_data(**{"v-0-same_as": str(chosen)}))
    assert response.status_code == 302, response.content.decode()[:2000]
    second = _victim_of(Information.objects.order_by("-pk").first(), "محمّد علي حسين")
    assert second.pk != first.pk  # the mention is kept as recorded...
    link = PersonLink.objects.get(active=True)
    assert (link.person_id, link.canonical_id, link.pair) == (second.pk, first.pk, None)
    assert link.created_by == "rana" and link.reason
    assert services.canonical_of(second.pk) == first.pk  # ...and resolves to him
    entry = LedgerEntry.objects.filter(action="merge").get()
    assert entry.subject == second.uid and entry.detail["into"] == first.uid
    assert entry.actor == "rana"
    # The other victim of the report, not chosen, stays unlinked.
    other = _victim_of(Information.objects.order_by("-pk").first(), "Khalid Saleh Omar")
    assert services.canonical_of(other.pk) == other.pk


def test_issue15_4_a_choice_of_nobody_saves_nothing(cast) -> None:  # type: ignore[no-untyped-def]
    response = client_for("rana").post("/reports/new/", post_data(**{"v-0-same_as": "999999"}))
    assert response.status_code == 400
    assert not Information.objects.exists() and not PersonLink.objects.exists()


def test_issue15_4_the_person_page_links_shows_and_splits(cast) -> None:  # type: ignore[no-untyped-def]
    old, new = _person("عبد الله يوسف الجبوري"), _person("عبد الله الجبوري")
    client = client_for("rana")
    body = client.get(f"/people/{new.pk}/").content.decode()
    assert old.uid in body and "This is the same person" in body
    response = client.post(reverse("dossier:person_same", args=[new.pk]), {"canonical": old.pk})
    assert response.status_code == 302
    link = PersonLink.objects.get(active=True)
    assert (link.person_id, link.canonical_id) == (new.pk, old.pk)
    assert LedgerEntry.objects.filter(action="merge", subject=new.uid).exists()
    for page in (new, old):  # both pages say so
        body = client.get(f"/people/{page.pk}/").content.decode()
        assert "Recorded as the same person" in body and "Not the same person: split" in body
    # Once more is refused: they are one person already.
    client.post(reverse("dossier:person_same", args=[old.pk]), {"canonical": new.pk})
    assert PersonLink.objects.count() == 1
    # Split without a reason: nothing changes; with one: separate people again.
    url = reverse("dossier:person_unlink", args=[old.pk, link.pk])
    client.post(url, {"reason": ""})
    assert PersonLink.objects.get().active
    client.post(url, {"reason": "different fathers"})
    link.refresh_from_db()
    assert not link.active and link.end_reason == "different fathers" and link.ended_by == "rana"
    assert services.canonical_of(new.pk) == new.pk
    assert LedgerEntry.objects.filter(action="split", subject=new.uid).exists()
    assert "Recorded as the same person" not in client.get(f"/people/{new.pk}/").content.decode()


def test_issue15_4_only_writers_may_link_or_split(cast) -> None:  # type: ignore[no-untyped-def]
    old, new = _person("عبد الله يوسف الجبوري"), _person("عبد الله الجبوري")
    same = reverse("dossier:person_same", args=[new.pk])
    assert client_for("victor").post(same, {"canonical": old.pk}).status_code == 403
    assert client_for("oscar").post(same, {"canonical": old.pk}).status_code == 404
    assert "This is the same person" not in client_for("victor").get(f"/people/{new.pk}/").content.decode()
    link = services.link_same_person(new, old, actor="rana", reason="same call")
    split = reverse("dossier:person_unlink", args=[new.pk, link.pk])
    assert client_for("victor").post(split, {"reason": "no"}).status_code == 403
    assert client_for("oscar").post(split, {"reason": "no"}).status_code == 404
    # A link that does not touch this person is not split from this person's page.
    stranger = _person("Fatima Saleh")
    wrong = reverse("dossier:person_unlink", args=[stranger.pk, link.pk])
    assert client_for("rana").post(wrong, {"reason": "no"}).status_code == 404
    link.refresh_from_db()
    assert link.active


def test_issue15_4_link_same_person_joins_what_each_resolves_to(cast) -> None:  # type: ignore[no-untyped-def]
    a, b, c = _person("Ali Hassan"), _person("Ali Hasan"), _person("Aly Hassan")
    services.link_same_person(b, a, actor="rana", reason="same call")
    link = services.link_same_person(c, b, actor="rana", reason="same call")
    assert (link.person_id, link.canonical_id) == (c.pk, a.pk)
    with pytest.raises(ValueError, match="already one person"):
        services.link_same_person(c, a, actor="rana", reason="again")
    with pytest.raises(ValueError):
        services.link_same_person(a, Person.objects.create(), actor="rana", reason="")


def test_the_person_page_offers_the_most_alike_first_and_only_who_may_be_them(cast) -> None:  # type: ignore[no-untyped-def]
    """Offered at 91 %, 2 %, 92 %, 92 %: a torture victim was offered a perpetrator, names
    the comparison calls another name, and people already recorded as him."""
    import re

    from dhakira.apps.dossier.models import Act, Event, Involvement

    event = Event.objects.create(title="synthetic")
    subject = _person("عبد الله يوسف الجبوري")
    alike = _person("عبد الله يوسف الجبوري")  # the same name written again: 100 %
    close = _person("عبدالله يوسف الجبوري")
    other_name = _person("عبد الرحمن يوسف الجبوري")  # shares parts, another given name
    perpetrator = _person("عبد الله يوسف الجبوري")
    known = _person("عبد الله يوسف الجبوري")
    for victim in (subject, alike, close, other_name, known):
        Act.objects.create(event=event, victim=victim, act_type="torture")
    act = Act.objects.create(event=event, victim=_person("ضحية أخرى"), act_type="torture")
    Involvement.objects.create(act=act, perpetrator=perpetrator, degree="directly_carried_out")
    services.link_same_person(known, subject, actor="rana", reason="same call")
    body = client_for("rana").get(f"/people/{subject.pk}/").content.decode()
    section = re.search(r'<section class="card" id="similar">.*?</section>', body, re.S)
    assert section is not None
    offered = re.findall(r'href="/people/(\d+)/"', section.group())
    scores = [float(x) for x in re.findall(r'<span class="muted num">([\d.]+)', section.group())]
    assert offered[:2] == [str(alike.pk), str(close.pk)], offered
    assert str(perpetrator.pk) not in offered and str(known.pk) not in offered
    assert str(other_name.pk) not in offered  # another given name: below DIFFERENT
    assert len(scores) == len(offered) and scores == sorted(scores, reverse=True)


def test_the_person_page_no_longer_offers_who_a_reviewer_told_apart_nor_a_units_member(cast) -> None:  # type: ignore[no-untyped-def]
    """After a reviewer rejected the pair, the page still offered the other record as "maybe
    the same person", and offered a victim a perpetrator known only as a unit's member (found
    by an analyst pass). A split link tells them apart too; a later acceptance joins again."""
    import re
    from datetime import UTC, datetime

    from tests.identity.conftest import new_run

    from dhakira.apps.dossier.models import Act, Event, Unit, UnitMembership
    from dhakira.apps.linkage.models import CandidatePair, Status

    event = Event.objects.create(title="synthetic")
    subject, rejected, split, member = (_person("عبد الله يوسف الجبوري") for _ in range(4))
    for victim in (subject, rejected, split):
        Act.objects.create(event=event, victim=victim, act_type="torture")
    UnitMembership.objects.create(person=member, unit=Unit.objects.create(
        name_en="Synthetic unit", name_ar="وحدة", kind="other"))
    run = new_run()
    a, b = sorted((subject, rejected), key=lambda p: p.pk)
    CandidatePair.objects.create(run=run, left=a, right=b, match_weight=10.0, probability=0.999,
                                 levels={}, status=Status.REJECTED,
                                 decided_at=datetime(2026, 1, 2, tzinfo=UTC))
    link = services.link_same_person(split, subject, actor="rana", reason="same call")
    services.split(link, actor="amal", reason="different fathers")

    def offered() -> list[str]:
        body = client_for("rana").get(f"/people/{subject.pk}/").content.decode()
        section = re.search(r'<section class="card" id="similar">.*?</section>', body, re.S)
        return re.findall(r'href="/people/(\d+)/"', section.group()) if section else []

    assert offered() == []
