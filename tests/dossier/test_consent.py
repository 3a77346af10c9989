"""Issue 17 finding 4: consent per use, per listed recipient, with who gave it, never edited;
the list of recipients kept by administrators and legal officers, each change in custody."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests.cast import client_for
from tests.dossier import scenario
from tests.dossier.intake_data import post_data

from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.dossier import recipients
from dhakira.apps.dossier.models import Consent, Information, Recipient

pytestmark = pytest.mark.django_db
# A valid age public key (synthetic: made for these tests, its identity thrown away).
AGE_KEY = "age1sm9apwdr3ey5auwkketrlgedjdyw0e0r0ym9wuaycfqd0p60uy7su3ehx9"


@pytest.fixture
def unitad(cast: dict[str, Any]) -> Recipient:
    return recipients.add(code="unitad", name_en="UNITAD", name_ar="يونيتاد",
                          kind="un_mechanism", public_key=AGE_KEY, actor="amal")


def test_issue17_04_two_uses_given_by_a_relative_are_two_versions_with_who_gave_them(
        cast: dict[str, Any], unitad: Recipient) -> None:
    victim = scenario.build().victim
    form = {"scopes": ["share_un_investigators", "share_icc"], "recipient": str(unitad.pk),
            "decision": "granted", "given_by": "relative", "relationship": "mother",
            "obtained_on": "2024-03-01", "note": ""}
    response = client_for("rana", lang="ar").post(f"/people/{victim.pk}/consent/", form)
    assert response.status_code == 302
    made = list(Consent.objects.filter(person=victim).order_by("scope"))
    assert [(c.scope, c.recipient_id, c.given_by, c.relationship, c.version) for c in made] == [
        ("share_icc", unitad.pk, "relative", "mother", 1),
        ("share_un_investigators", unitad.pk, "relative", "mother", 1)]
    entry = LedgerEntry.objects.filter(subject=victim.uid, action="consent").get()
    assert entry.detail["scopes"] == "share_un_investigators share_icc"
    assert entry.detail["given_by"] == "relative" and entry.detail["recipient"] == unitad.uid
    # A withdrawal is a new version superseding the last, never an edit.
    client_for("rana", lang="ar").post(f"/people/{victim.pk}/consent/", {**form, "scopes": ["share_icc"],
                                                           "decision": "withdrawn"})
    latest = Consent.objects.get(person=victim, scope="share_icc", version=2)
    assert latest.supersedes == made[0] and latest.decision == "withdrawn"
    with pytest.raises(ValidationError):
        made[1].save()
    # The page shows labels in the reader's language, never the codes.
    page = client_for("victor", lang="ar").get(f"/people/{victim.pk}/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "المشاركة مع المحكمة الجنائية الدولية" in page and "share_icc" not in page.replace(
        'data-scope="share_icc"', "")


def test_a_relative_without_the_relationship_is_refused_and_a_viewer_may_not_record(
        cast: dict[str, Any]) -> None:
    victim = scenario.build().victim
    form = {"scopes": ["share_icc"], "decision": "granted", "given_by": "relative",
            "obtained_on": "2024-03-01"}
    response = client_for("rana", lang="ar").post(f"/people/{victim.pk}/consent/", form)
    assert response.status_code == 400 and not Consent.objects.exists()
    assert client_for("victor", lang="ar").post(f"/people/{victim.pk}/consent/",
                                  {**form, "relationship": "son"}).status_code == 403


def test_issue17_04_the_intake_records_consent_given_by_the_informant_for_two_uses(
        cast: dict[str, Any], unitad: Recipient) -> None:
    data = post_data(**{"r-consent_recipient": str(unitad.pk), "r-consent_given_by": "informant"})
    data["r-consent_scopes"] = ["share_un_investigators", "share_icc"]  # type: ignore[assignment]
    response = client_for("rana", lang="ar").post("/reports/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    info = Information.objects.get()
    rows = Consent.objects.filter(person__in=info.persons.all(), person__acts_suffered__isnull=False)
    assert {(c.scope, c.given_by, c.recipient_id) for c in rows} == {
        ("share_un_investigators", "informant", unitad.pk), ("share_icc", "informant", unitad.pk)}


def test_issue17_04_recipients_are_kept_by_administrators_and_legal_each_change_in_custody(
        cast: dict[str, Any]) -> None:
    assert client_for("rana", lang="ar").get("/recipients/").status_code == 403
    assert client_for("rana", lang="ar").post("/recipients/new/", {}).status_code == 403
    admin = client_for("amal", lang="ar")
    form = {"code": "unitad", "name_en": "UNITAD", "name_ar": "يونيتاد", "kind": "un_mechanism",
            "public_key": "ssh-ed25519 AAAA", "contact": ""}
    refused = admin.post("/recipients/new/", form)
    assert refused.status_code == 400 and "age1" in refused.content.decode()
    assert admin.post("/recipients/new/", {**form, "public_key": AGE_KEY}).status_code == 302
    row = Recipient.objects.get()
    assert row.code == "UNITAD"
    assert admin.post("/recipients/new/", {**form, "code": "Unitad", "public_key": ""}
                      ).status_code == 400  # codes are unique whatever the case
    changed = admin.post(f"/recipients/{row.pk}/", {**form, "code": "OTHER", "public_key": AGE_KEY,
                                                    "contact": "desk@unitad.example"})
    assert changed.status_code == 302
    row.refresh_from_db()
    assert row.code == "UNITAD" and row.contact == "desk@unitad.example"  # the code never changes
    entries = LedgerEntry.objects.filter(subject=row.uid).order_by("seq")
    assert [e.detail["change"] for e in entries] == ["recipient added", "recipient changed"]
    assert entries[1].detail["fields"] == "contact"


def test_consent_for_many_people_reads_their_chains_once_and_versions_each(
        cast: dict[str, Any], unitad: Recipient) -> None:
    """A report's victims' consents cost one read of their chains, not a query per person,
    scope and foreign key (issue 19: a report's save); every version still follows its
    chain's last, and a person named twice gets the next one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dhakira.apps.dossier import consents
    from dhakira.apps.dossier.models import Person

    rana = cast["rana"]
    people = [Person.objects.create() for _ in range(4)]
    given = consents.Given(scopes=("share_icc", "share_un_investigators"), decision="granted",
                           recipient=unitad)
    consents.record(people[:1], given, actor=rana, now=timezone.now(), log=False)
    with CaptureQueriesContext(connection) as captured:
        made = consents.record([*people, people[3]], given, actor=rana, now=timezone.now(),
                               log=False)
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1, reads  # was 58: per row its chain, each key, the unique checks
    assert [(c.person_id, c.scope, c.version, c.supersedes_id) for c in made][:2] == [
        (people[0].pk, "share_icc", 2, made[0].supersedes_id),
        (people[0].pk, "share_un_investigators", 2, made[1].supersedes_id)]
    assert made[0].supersedes is not None and made[0].supersedes.version == 1
    assert [c.version for c in made[2:]] == [1, 1, 1, 1, 1, 1, 2, 2]
    assert made[-1].supersedes == made[-3] and made[-2].supersedes == made[-4]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_withdrawal_on_another_record_of_the_same_person_shows_on_this_ones_page(
        cast: dict[str, Any], unitad: Recipient, lang: str) -> None:
    """The gate blocks on it; the page showed only this record's "granted", so the
    documenter read that consent was given."""
    from dhakira.apps.dossier.models import Person
    from dhakira.apps.linkage.services import link_same_person

    victim = scenario.build().victim
    dup = Person.objects.create(sex=victim.sex)
    form = {"scopes": ["share_icc"], "recipient": str(unitad.pk), "decision": "granted",
            "given_by": "self", "obtained_on": "2024-03-01", "note": ""}
    client = client_for("rana", lang=lang)
    assert client.post(f"/people/{victim.pk}/consent/", form).status_code == 302
    assert client.post(f"/people/{dup.pk}/consent/", {**form, "decision": "withdrawn",
                                                      "obtained_on": "2024-04-01"}
                       ).status_code == 302
    said = {"en": f"recorded on {dup.uid}, the same person",
            "ar": f"سُجِّلت على {dup.uid}، وهو الشخص نفسه"}[lang]
    assert said not in client.get(f"/people/{victim.pk}/").content.decode()  # not linked yet
    link_same_person(dup, victim, actor="amal", reason="same call")
    page = client.get(f"/people/{victim.pk}/").content.decode()
    assert said in page and 'class="decision-withdrawn"' in page
    assert 'class="decision-granted"' in page  # this record's own version still shows
