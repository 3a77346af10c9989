"""Every URL pattern, as every role, the outsider and an anonymous visitor (issue 13, #7, #1, #12).

The walk resolves the URLconf itself, so a new page is walked as soon as it exists: a pattern
with path parameters must be given real ids below, or the walk fails. The small dossier holds
an e-mail taken into the ``sources`` compartment (its report, its attachment), a restricted
PDF, a public report and item, a charge citing restricted evidence and flagging it as a
policy document, and a sealed protection case. Each URL is asked with ``?q=`` set to a word
of the restricted e-mail, so search pages and list filters are walked too, and again plain
when the page read its query (``query_readers``): a page that never reads it answers both
alike.

What must hold:

* anonymous: every page sends to the login page (or refuses the method);
* the outsider (logged in, no role): 404 everywhere (or the method refused), never content;
* members: a restricted report or item answers 404 unless cleared for ``sources``; every
  protection page answers 404 unless cleared for ``protection``; and no page, snippet or
  citation shows a word, file name or id of restricted material to anyone not cleared.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from random import Random
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from tests.cast import client_for, make_cast
from tests.conftest import new_vault_dir
from tests.dossier import scenario
from tests.evidence import files

from dhakira.apps.dossier import access
from dhakira.apps.evidence.intake import Collection, ingest_stream

pytestmark = pytest.mark.django_db

# Words of the restricted e-mail; none may reach anyone not cleared for ``sources``.
SUBJECT = "Qzxsubjectword list of the hisba"
BODY = "Qzxbodyword the informant at the Qzxmillword mill saw the lists"
MAIL_NAME = "qzxmailname-informant.eml"
PDF_NAME = "qzxpdfname-ledger.pdf"
QUERY = "Qzxmillword"  # a page may echo the query; the walk looks for the words around it
THREAT = "Qzxthreatword named at the checkpoint"

ROLES = ["amal", "rana", "samir", "victor", "oscar", None]  # None: anonymous
# The second-factor code page is the login's second half: it needs a pending login, not a role
# (so do its passkey steps, which answer JSON: tests/web/test_passkeys.py).
PUBLIC_PAGES = {"login", "logout", "set_language", "unlock", "twofactor:verify",
                "twofactor:passkey_login_options", "twofactor:passkey_login"}
GET_ONLY = {"dossier:date_preview"}  # refuses a POST before it asks who is there


@dataclass
class Dossier:
    users: dict[str, Any]
    base: scenario.Scenario
    mail: Any
    attachment: Any
    pdf: Any
    public_item: Any
    report: Any
    charge: Any
    case: Any
    quarantined: int  # a revoked kit's bundle held in quarantine, holding a restricted report

    @property
    def restricted_uids(self) -> list[str]:
        return [self.mail.uid, self.attachment.uid, self.pdf.uid, self.report.uid, "I-0000091"]


def restricted_mail() -> bytes:
    message = EmailMessage()
    message["From"] = "Informant <informant7@example.org>"
    message["To"] = "desk@example.org"
    message["Subject"] = SUBJECT
    message["Date"] = "Tue, 14 Oct 2014 09:30:00 +0300"
    message.set_content(BODY)
    message.add_attachment(files.pdf_bytes(), maintype="application", subtype="pdf",
                           filename="qzxattachname.pdf")
    return bytes(message)


def build(users: dict[str, Any]) -> Dossier:
    """The walk's dossier; restricted material is taken in as the red team did."""
    from dhakira.apps.law import services as legal
    from dhakira.apps.protection import sealing
    from dhakira.apps.protection import services as protection

    base = scenario.build()
    sources = Collection(collector="rana", method="forwarded", compartment="sources")
    mail = ingest_stream(io.BytesIO(restricted_mail()), name=MAIL_NAME, origin="inbox",
                         collection=sources)
    pdf = ingest_stream(io.BytesIO(files.pdf_bytes("Qzxpdftext ledger")), name=PDF_NAME,
                        origin="usb", collection=sources)
    # The same bytes as the restricted PDF, received again openly: its page must not name the
    # restricted first receipt (that would confirm what the restricted compartment holds).
    public_item = ingest_stream(io.BytesIO(files.pdf_bytes("Qzxpdftext ledger")),
                                name="statement.pdf", origin="usb",
                                collection=Collection(collector="rana"))
    assert public_item.duplicate_of_id == pdf.pk
    # A documenter links the restricted report to the public act: every page that lists an
    # act's, an event's or a perpetrator's reports must still leave it out.
    mail.information.acts.add(base.act)
    mail.information.events.add(base.event)
    amal = users["amal"]
    charge = legal.create_charge(amal, crime_id="CAH-PERSECUTION", title="Persecution")
    legal.record_assessment(amal, charge, item_uid=mail.uid, element_id="CAH-PER-3",
                            stance="supports", standard="credible_allegation")
    legal.record_assessment(amal, charge, item_uid=base.act.uid, element_id="CAH-PER-3",
                            stance="supports", standard="credible_allegation")
    legal.flag_document(amal, pdf.uid, "Qzxflagnote")
    case = protection.open_case(amal, threat=THREAT, risk_level="critical", person=base.victim,
                                rng=Random(7))
    sealing.seal(amal, case)
    return Dossier(users, base, mail, mail.family.get(), pdf, public_item, mail.information,
                   charge, case, quarantined_bundle(amal))


def quarantined_bundle(amal: Any) -> int:
    """A revoked kit's bundle made after its revocation time, held in quarantine; it holds
    a report of the ``sources`` compartment whose stable id only the cleared may see."""
    from datetime import UTC, datetime, timedelta

    from tests.sync.fakekit import FakeKit

    from dhakira.apps.fieldkit import keys, office
    from dhakira.apps.fieldkit.models import Received
    from dhakira.apps.fieldkit.records import content_hash
    from dhakira.core.sync import BundleRefused

    kit = FakeKit()
    kit.log("I-0000091")
    office.enrol(kit.card(), label="kit-walk", actor="amal")
    at = datetime.now(UTC) - timedelta(hours=1)
    office.revoke("kit-walk", at=at, actor="amal")
    fields = {"compartment": "sources", "text": BODY}
    report = {"kind": "report", "gid": f"{kit.signer.key_id}/I-0000091", "seen": [],
              "hash": content_hash("report", fields), "fields": fields}
    with pytest.raises(BundleRefused, match="revoked"):
        office.receive(kit.bundle(keys.card(), [report], made_at=at + timedelta(minutes=1)),
                       actor=amal)
    return int(Received.objects.get(outcome="quarantined").pk)


@pytest.fixture
def dossier(settings: Any, tmp_path: Path) -> Dossier:
    new_vault_dir(settings, tmp_path / "vault")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build(make_cast())


def patterns(resolver: URLResolver | None = None, prefix: str = "",
             namespace: str = "") -> Iterator[tuple[str, URLPattern, str]]:
    """Every URL pattern as (namespaced name, pattern, route)."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from patterns(p, prefix + str(p.pattern), ns)
        else:
            yield (f"{namespace}:{p.name}" if namespace else str(p.name)), p, prefix + str(p.pattern)


def arguments(d: Dossier) -> dict[str, list[dict[str, Any]]]:
    """Real ids for every pattern with path parameters: restricted ones first."""
    code = d.case.code
    task = {"code": code, "pk": 1}
    person = d.base.victim.pk
    return {
        "evidence:item_detail": [{"uid": d.mail.uid}, {"uid": d.attachment.uid},
                                 {"uid": d.pdf.uid}, {"uid": d.public_item.uid}],
        "dossier:report_detail": [{"pk": d.report.pk}, {"pk": d.base.information.pk}],
        "dossier:person_detail": [{"pk": person}, {"pk": d.base.perpetrator.pk}],
        "dossier:event_detail": [{"pk": d.base.event.pk}],
        "dossier:api_person_detail": [{"pk": person}],
        "dossier:person_same": [{"pk": person}],
        "dossier:person_consent": [{"pk": person}],
        "dossier:recipient_edit": [{"pk": 1}],
        "dossier:person_unlink": [{"pk": person, "link": 1}],
        "dossier:reveal": [{"kind": "source", "pk": d.base.source.pk},
                           {"kind": "person", "pk": person}],
        "evidence:reveal": [{"uid": d.mail.uid}, {"uid": d.public_item.uid}],
        "evidence:translate": [{"uid": d.mail.uid}, {"uid": d.public_item.uid}],
        "evidence:picture": [{"uid": d.pdf.uid, "page": 1}, {"uid": d.public_item.uid, "page": 1}],
        "evidence:original": [{"uid": d.mail.uid}, {"uid": d.attachment.uid},
                              {"uid": d.public_item.uid}],
        "legal:matrix": [{"pk": d.charge.pk}],
        "legal:assess": [{"pk": d.charge.pk}],
        "legal:patterns": [{"pk": d.charge.pk}],
        "legal:charge_items": [{"pk": d.charge.pk}],
        "legal:person": [{"pk": person}, {"pk": d.base.perpetrator.pk}],
        "legal:unit": [{"pk": d.base.unit.pk}],
        "counting:run": [{"pk": 1}], "counting:csv": [{"pk": 1}],
        "counting:job": [{"pk": 1}], "counting:job_status": [{"pk": 1}],
        "counting:job_cancel": [{"pk": 1}],
        "identity:pair": [{"pk": 1}], "identity:decide": [{"pk": 1}],
        "identity:split": [{"pk": 1}], "identity:next": [{"pk": 1}],
        "identity:alike": [{"pk": 1}], "identity:alike_decide": [{"pk": 1}],
        "protection:case_detail": [{"code": code}],
        "protection:case_transition": [{"code": code}],
        "protection:case_add": [{"code": code, "what": "note"}],
        "protection:task_done": [task], "protection:disbursement_reverse": [task],
        "protection:case_purge": [{"code": code}], "protection:case_seal": [{"code": code}],
        "protection:open_request": [{"code": code}], "protection:open_approve": [task],
        "handover:detail": [{"pk": 1}], "handover:acknowledge": [{"pk": 1}],
        "handover:holders": [{"pk": person}],
        "vetting:report": [{"pk": d.report.pk}, {"pk": d.base.information.pk}],
        "vetting:report_status": [{"pk": d.report.pk}, {"pk": d.base.information.pk}],
        "vetting:task_assign": [{"pk": d.report.pk}, {"pk": d.base.information.pk}],
        "vetting:task": [{"pk": 1}],
        "vetting:review_report": [{"pk": d.report.pk}, {"pk": d.base.information.pk}],
        "fieldkit:decide": [{"pk": 1}],
        "fieldkit:quarantine_detail": [{"pk": d.quarantined}],
        "fieldkit:quarantine_accept": [{"pk": d.quarantined}],
        "fieldkit:quarantine_reject": [{"pk": d.quarantined}],
        "faces:look": [{"uid": d.mail.uid}, {"uid": d.public_item.uid}],
        "faces:add": [{"uid": d.mail.uid}, {"uid": d.public_item.uid}],
        "faces:decide": [{"uid": d.mail.uid, "pk": 1}, {"uid": d.public_item.uid, "pk": 1}],
        # A sheet held for the import wizard is its uploader's alone (404 to everyone else).
        "importing:map": [{"pk": 1}], "importing:mapping": [{"pk": 1}],
        "importing:preview": [{"pk": 1}], "importing:import": [{"pk": 1}],
        "importing:discard": [{"pk": 1}], "importing:result": [{"pk": 1}],
    }


def urls(d: Dossier) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(name, url, kwargs) for every pattern, each parameterised one with real ids."""
    table = arguments(d)
    for name, pattern, route in patterns():
        if not pattern.pattern.converters:
            yield name, "/" + route, {}
            continue
        assert name in table, f"{name} ({route}) has path parameters: give it ids in arguments()"
        for kwargs in table[name]:
            url = "/" + route
            for key, value in kwargs.items():
                url = re.sub(rf"<(\w+:)?{key}>", str(value), url)
            assert "<" not in url, url
            yield name, url, kwargs


def restricted(d: Dossier, name: str, kwargs: dict[str, Any]) -> str:
    """The compartment that guards this page ('' when none does)."""
    if name.startswith("protection:"):
        return "protection"
    if kwargs.get("uid") in d.restricted_uids:
        return "sources"
    if name in {"dossier:report_detail", "vetting:report"} and kwargs["pk"] == d.report.pk:
        return "sources"
    return ""


@pytest.fixture
def query_readers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the requests that read their query string (``request.GET``), in order.

    A page that never reads ``request.GET`` answers ``?q=`` exactly as it answers without it
    (the query can only be echoed in a link back to the page), so the walk asks such a page
    once, with ``?q=``, and asks again without it only the pages that did read their query.
    """
    from django.core.handlers.wsgi import WSGIRequest

    readers: list[str] = []
    cached = WSGIRequest.__dict__["GET"]  # a cached_property: the first read computes it

    class Watched:
        def __get__(self, request: Any, owner: Any = None) -> Any:
            if request is None:
                return self
            readers.append(request.path)
            return cached.__get__(request, owner)  # stored on the request: read once

    monkeypatch.setattr(WSGIRequest, "GET", Watched())
    return readers


@pytest.mark.slow
@pytest.mark.parametrize("who", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_finding_07_every_url_as_every_role_shows_only_what_the_role_may_read(
        dossier: Dossier, query_readers: list[str], who: str | None) -> None:
    user = dossier.users.get(who) if who else None
    client = client_for(who)
    secrets = [SUBJECT.split()[0], BODY.split()[0], MAIL_NAME, PDF_NAME, "qzxattachname",
               "Qzxflagnote", dossier.report.source.code_name, *dossier.restricted_uids]
    cleared_sources = access.is_cleared(user, "sources")
    walked, problems, read_query = 0, [], set()
    for name, url, kwargs in urls(dossier):
        if name in PUBLIC_PAGES:
            continue
        guard = restricted(dossier, name, kwargs)
        # Outsiders also post to every page: a write refused only after acting is a hole too.
        posts = [url] if not access.is_member(user) else []
        asks = [("get", f"{url}?q={QUERY}"), ("get", url), *(("post", u) for u in posts)]
        while asks:
            method, full = asks.pop(0)
            query_readers.clear()
            response = getattr(client, method)(full)
            if full.endswith(f"?q={QUERY}") and not query_readers:
                asks.remove(("get", url))  # it answers the plain URL the same: asked once
            elif full.endswith(f"?q={QUERY}"):
                read_query.add(name)
            walked += 1
            status = response.status_code
            raw = (b"".join(response.streaming_content) if response.streaming
                   else response.content)  # a downloaded original streams
            body = raw.decode("utf-8", "replace")
            if who is None:
                login = status == 302 and "/login/" in response["Location"]
                if not (login or status == 405):
                    problems.append(f"{method} {full}: anonymous got {status}")
                continue
            if not access.is_member(user):
                if status not in (404, 405) or (method == "post" and status == 405
                                                  and name not in GET_ONLY):
                    problems.append(f"{method} {full}: outsider got {status}")
                continue
            if guard and not access.is_cleared(user, guard) and status not in (404, 405):
                problems.append(f"{full}: {who} not cleared for {guard} got {status}")
            if guard == "sources" and access.is_cleared(user, guard) and status not in (200, 405):
                problems.append(f"{full}: {who} cleared for sources got {status}")
            if not cleared_sources:
                problems += [f"{full}: {who} sees {s!r}" for s in secrets if s in body]
            if THREAT.split()[0] in body:
                problems.append(f"{full}: {who} sees the sealed case's threat")
    assert walked > 100
    assert problems == []
    if user is not None and access.is_member(user):  # the watch sees the pages that filter
        assert {"evidence:search", "dossier:report_list"} <= read_query, sorted(read_query)


def test_the_walk_would_see_a_leak(dossier: Dossier) -> None:
    """The walk's eyes work: the cleared documenter does read the restricted report."""
    body = client_for("rana").get(f"/reports/{dossier.report.pk}/").content.decode()
    assert BODY.split()[0] in body and dossier.mail.uid in body
    hits = client_for("rana").get(f"/evidence/search/?q={QUERY}").content.decode()
    assert BODY.split()[0] in hits
