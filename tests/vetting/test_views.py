"""The vetting pages: status on the dossier's pages, refusals answered and in custody, the
external reviewer closed out of every staff page and kept to their scope."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.cast import PASSWORD, client_for
from tests.web.test_two_step import code

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier import consents
from dhakira.apps.vetting import reviewers, tasks
from dhakira.apps.vetting.models import ConfirmationTask, ReviewerGrant, Step
from dhakira.apps.vetting.status import current_status, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _refusals(why: str) -> int:
    return sum(1 for e in LedgerEntry.objects.filter(action="other")
               if e.detail.get("vetting") == "refused" and e.detail.get("why") == why)


def _reviewer(cast: Any, *, charge: Any = None, selection: tuple[str, ...] = (),
              days: int = 14) -> tuple[Any, Client]:
    grant = reviewers.create_reviewer(cast["amal"], "rev.one", PASSWORD, charge=charge,
                                      selection=selection, days=days)
    device = TOTPDevice.objects.create(user=grant.user, name="totp", confirmed=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="127.0.0.1")
    assert client.post(reverse("login"), {"username": "rev.one", "password": PASSWORD}).status_code == 302
    assert client.post(reverse("twofactor:verify"), {"token": code(device.bin_key)}).status_code == 302
    return grant, client


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_status_shows_on_the_report_list_and_page_and_filters(cast, world, lang) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    set_status(cast["layla"], [r1.pk], "under_review", reason="x")
    client = client_for("victor", lang)
    listed = client.get(reverse("dossier:report_list"), {"vetting": "under_review"}).content.decode()
    assert r1.uid in listed and world.reports["R2"].uid not in listed
    assert ("under review" if lang == "en" else "قيد المراجعة") in listed
    recorded = client.get(reverse("dossier:report_list"), {"vetting": "recorded"}).content.decode()
    assert r1.uid not in recorded and world.reports["R2"].uid in recorded
    page = client.get(reverse("dossier:report_detail", args=[r1.pk])).content.decode()
    assert 'data-status="under_review"' in page
    person = client.get(reverse("dossier:person_detail", args=[world.acts["K1"].victim_id]))
    assert person.status_code == 200


def test_the_charge_page_shows_the_vetting_summary(cast, world, charge) -> None:  # type: ignore[no-untyped-def]
    page = client_for("victor").get(reverse("legal:matrix", args=[charge.pk])).content.decode()
    assert 'id="vetting-summary"' in page and "unconfirmed" in page


def test_a_step_through_the_page_and_an_out_of_order_one_refused(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    client = client_for("layla")
    url = reverse("vetting:report_status", args=[r1.pk])
    wrong = client.post(url, {"status": "vetted", "reason": "looks fine"})
    assert wrong.status_code == 409
    assert "cannot become “vetted”" in wrong.content.decode()
    assert _refusals("out of order") == 1 and not Step.objects.exists()
    r2 = world.reports["R2"].uid
    done = client.post(url, {"status": "under_review", "reason": "starting", "against": r2.lower()})
    assert done.status_code == 302
    assert current_status([r1.pk])[r1.pk] == "under_review"
    assert Step.objects.get().against == [r2]


def test_a_viewer_may_not_set_a_status_and_it_is_in_custody(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    refused = client_for("victor").post(reverse("vetting:report_status", args=[r1.pk]),
                                        {"status": "under_review", "reason": "x"})
    assert refused.status_code == 403 and _refusals("role") == 1


def test_comments_and_a_disagreement_through_the_page(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    page = reverse("vetting:report", args=[r1.pk])
    layla, samir = client_for("layla"), client_for("samir", "ar")
    assert layla.post(reverse("vetting:comment"), {"target": r1.uid, "stance": "comment",
                                                   "text": "Date matches.", "next": page}).status_code == 302
    first = world.reports["R1"].uid
    from dhakira.apps.vetting.models import Comment

    c = Comment.objects.get(target=first)
    assert samir.post(reverse("vetting:comment"), {"target": r1.uid, "stance": "disagrees",
                                                   "replies_to": c.pk, "text": "Other square.",
                                                   "next": page}).status_code == 302
    shown = samir.get(page).content.decode()
    assert "Date matches." in shown and "Other square." in shown and 'class="disagree"' in shown


def test_a_comment_id_tells_nothing_of_the_item_it_is_about(cast, world) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import Information
    from dhakira.apps.vetting import comments

    hidden = world.reports["R2"]
    Information.objects.filter(pk=hidden.pk).update(compartment="sources")
    note = comments.add(cast["amal"], hidden.uid, "About the hidden report.")
    samir = client_for("samir")
    # Answering that comment on an item samir may see: the same answer as no comment at all.
    seen = world.reports["R1"].uid
    answers = [samir.post(reverse("vetting:comment"), {"target": seen, "stance": "agrees",
                                                       "replies_to": pk, "text": "x", "next": "/"})
               for pk in (note.pk, note.pk + 1000)]
    assert [a.status_code for a in answers] == [400, 400]
    for answer in answers:
        body = answer.content.decode()
        assert "There is no such comment on this item." in body and hidden.uid not in body
    # Naming the hidden item itself is refused as any item samir may not see.
    probe = samir.post(reverse("vetting:comment"), {"target": hidden.uid, "stance": "agrees",
                                                    "replies_to": note.pk, "text": "x", "next": "/"})
    assert probe.status_code == 403


def test_an_outsider_gets_404_and_a_comment_on_a_hidden_item_is_refused(cast, world) -> None:  # type: ignore[no-untyped-def]
    assert client_for("oscar").get(reverse("vetting:report", args=[world.reports["R1"].pk])).status_code == 404
    refused = client_for("samir").post(reverse("vetting:comment"), {
        "target": "I-9999999", "stance": "comment", "text": "x", "next": "/"})
    assert refused.status_code == 403 and _refusals("not visible") == 1


# --- the external reviewer --------------------------------------------------------------

STAFF_PAGES = ["web:dashboard", "dossier:report_list", "dossier:person_list", "legal:charge_list",
               "protection:dashboard", "evidence:item_list", "vetting:overview", "handover:list"]


def test_a_reviewer_is_sent_to_their_page_and_closed_out_of_every_staff_page(cast, world, charge) -> None:  # type: ignore[no-untyped-def]
    _grant, client = _reviewer(cast, charge=charge)
    assert client.get(reverse("web:dashboard")).url == reverse("vetting:review_home")
    for name in STAFF_PAGES[1:]:
        assert client.get(reverse(name)).status_code in (403, 404), name
    for pk in (world.reports["R1"].pk,):
        assert client.get(reverse("dossier:report_detail", args=[pk])).status_code == 403
        assert client.get(reverse("vetting:report", args=[pk])).status_code == 403


def test_a_reviewer_reads_and_vets_in_scope_every_page_in_custody(cast, world, charge) -> None:  # type: ignore[no-untyped-def]
    r1 = world.reports["R1"]
    set_status(cast["layla"], [r1.pk], "under_review", reason="x")
    grant, client = _reviewer(cast, charge=charge)
    home = client.get(reverse("vetting:review_home")).content.decode()
    assert r1.uid in home and world.reports["R2"].uid in home and 'id="vetting-summary"' in home
    page = client.get(reverse("vetting:review_report", args=[r1.pk])).content.decode()
    assert r1.text in page and "Layla Testsource" not in page and "House 99" not in page
    # Staff are named by id on an outsider's pages, never by user name.
    assert f"U-{cast['layla'].pk:06d}" in page and "layla" not in page.lower()
    assert client.post(reverse("vetting:report_status", args=[r1.pk]),
                       {"status": "corroborated", "reason": "matches R2 and R3"}).status_code == 302
    assert current_status([r1.pk])[r1.pk] == "corroborated"
    reads = [e for e in LedgerEntry.objects.filter(action="other", actor="rev.one")
             if e.detail.get("vetting") == "reviewer page"]
    assert {e.subject for e in reads} >= {r1.uid, f"user:{grant.user.pk}"}


def test_a_reviewer_outside_scope_after_expiry_and_revoked_is_refused_in_custody(cast, world) -> None:  # type: ignore[no-untyped-def]
    r1, k4_report = world.reports["R1"], world.reports["R2"]
    grant, client = _reviewer(cast, selection=(r1.uid,))
    outside = client.get(reverse("vetting:review_report", args=[k4_report.pk]))
    assert outside.status_code == 403 and "outside what you were asked" in outside.content.decode()
    assert client.post(reverse("vetting:comment"), {"target": k4_report.uid, "stance": "comment",
                                                    "text": "x", "next": "/"}).status_code == 403
    assert _refusals("outside scope") == 2
    ReviewerGrant.objects.filter(pk=grant.pk).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    expired = client.get(reverse("vetting:review_home"))
    assert expired.status_code == 403 and "has ended" in expired.content.decode()
    assert _refusals("expired") == 1
    ReviewerGrant.objects.filter(pk=grant.pk).update(expires_at=datetime.now(UTC) + timedelta(days=1))
    reviewers.revoke(cast["amal"], grant.user)
    assert client.get(reverse("vetting:review_home")).status_code == 302  # logged out: to login


def test_a_reviewer_without_a_second_factor_is_sent_to_enrol(cast, world) -> None:  # type: ignore[no-untyped-def]
    reviewers.create_reviewer(cast["amal"], "rev.two", PASSWORD, selection=[world.reports["R1"].uid])
    client = client_for("rev.two")
    assert client.get(reverse("vetting:review_home")).url == reverse("twofactor:setup")
    assert client.get(reverse("twofactor:setup")).status_code == 200


# --- confirmation tasks -----------------------------------------------------------------

def _assigned(cast: Any, world: Any) -> ConfirmationTask:
    report = world.reports["R1"]
    victim = world.acts["K1"].victim
    report.persons.add(victim)
    client = client_for("layla")
    made = client.post(reverse("vetting:task_assign", args=[report.pk]), {
        "person": victim.pk, "with_whom": "victim", "assignee": cast["rana"].pk,
        "question": "The square?"})
    assert made.status_code == 302
    return ConfirmationTask.objects.get()


def test_a_task_without_consent_is_refused_then_done_with_it(cast, world) -> None:  # type: ignore[no-untyped-def]
    task = _assigned(cast, world)
    rana = client_for("rana")
    page = rana.get(reverse("vetting:task", args=[task.pk])).content.decode()
    assert 'id="consent-missing"' in page and world.reports["R1"].text in page
    refused = rana.post(reverse("vetting:task", args=[task.pk]),
                        {"method": "call", "outcome": "confirmed", "text": "Yes."})
    assert refused.status_code == 403 and _refusals("no consent") == 1
    consents.record([task.person], consents.Given(scopes=("recontact",), decision="granted"),
                    actor=cast["rana"], now=datetime.now(UTC))
    done = rana.post(reverse("vetting:task", args=[task.pk]),
                     {"method": "call", "outcome": "confirmed", "text": "Yes, in the square."})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.result is not None and task.outcome == "confirmed"
    assert current_status([task.information_id])[task.information_id] == "confirmed"


def test_a_task_is_hidden_from_who_neither_does_nor_assigns_it(cast, world) -> None:  # type: ignore[no-untyped-def]
    task = _assigned(cast, world)
    assert client_for("victor").get(reverse("vetting:task", args=[task.pk])).status_code == 404
    assert client_for("samir").post(reverse("vetting:task", args=[task.pk]), {
        "method": "call", "outcome": "unreachable"}).status_code == 403  # samir assigns, rana does
    assert tasks.open_for(cast["rana"]) == [task]


def test_a_hidden_report_and_a_missing_one_answer_alike(cast, world) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.dossier.models import Information

    hidden = world.reports["R3"]
    Information.objects.filter(pk=hidden.pk).update(compartment="sources")
    client = client_for("samir")  # an analyst, cleared for nothing
    for pk in (hidden.pk, 9_999_999):
        assert client.post(reverse("vetting:report_status", args=[pk]),
                           {"status": "under_review", "reason": "x"}).status_code == 404
        assert client.get(reverse("vetting:report", args=[pk])).status_code == 404
    assert not Step.objects.exists()


@pytest.mark.parametrize(("lang", "menu", "pages"), [("en", "Main menu", "Pages"),
                                                     ("ar", "القائمة الرئيسية", "الصفحات")])
def test_the_review_pages_navigation_landmarks_each_have_their_own_name(  # type: ignore[no-untyped-def]
        cast, world, charge, monkeypatch, lang, menu, pages) -> None:
    """axe-core's landmark-unique (moderate) on the reviewer's paged list: the menu and the
    pager were two navigation landmarks without names. Each is named, in the reader's
    language."""
    from dhakira.apps.vetting import views

    monkeypatch.setattr(views, "REPORTS_PER_PAGE", 1)
    _, client = _reviewer(cast, charge=charge)
    client.cookies["django_language"] = lang
    for number in (1, 2):
        body = client.get(reverse("vetting:review_home"), {"page": number}).content.decode()
        navs = re.findall(r"<nav\b([^>]*)>", body)
        names = [re.search(r'aria-label="([^"]*)"', attrs) for attrs in navs]
        assert [n.group(1) if n else None for n in names] == [menu, pages], number
