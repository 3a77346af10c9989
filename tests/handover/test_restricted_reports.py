"""Finding 1 of issue 13: an uncleared analyst exported a restricted e-mail's body in a package."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.dossier import scenario
from tests.handover.conftest import consent, listed
from tests.handover.test_build import RECIPIENT, _all_bytes
from tests.test_access_walk import BODY, MAIL_NAME, SUBJECT, restricted_mail

from dhakira.apps.dossier.models import Information
from dhakira.apps.evidence.intake import Collection, ingest_stream
from dhakira.apps.handover import build as hb
from dhakira.apps.handover import select

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(vault, cast):  # type: ignore[no-untyped-def]
    base = scenario.build()
    consent(base.victim, "granted", by=cast["amal"])
    mail = ingest_stream(io.BytesIO(restricted_mail()), name=MAIL_NAME, origin="inbox",
                         collection=Collection(collector="rana", compartment="sources"))
    return base, mail.information


def _request(out: Path, base: scenario.Scenario, report: Information) -> hb.Request:
    query = f"item:{base.information.uid} item:{report.uid}"
    return hb.Request(selection=select.select(query), recipient=listed(RECIPIENT), purpose="share_icc",
                      policy="anonymised", out_dir=out, make_zip=True)


def test_finding_01_an_uncleared_analyst_cannot_export_a_restricted_email_report(  # type: ignore[no-untyped-def]
        world, cast, tmp_path) -> None:
    base, report = world
    assert report.compartment == "sources"
    res = hb.build(_request(tmp_path / "pkg", base, report), user=cast["samir"])
    assert report.uid in res.plan.blocked and report.pk not in res.plan.reports
    assert any("compartment" in r for r in res.plan.blocked[report.uid])
    raw = _all_bytes(res.package.directory) + res.zip_path.read_bytes()
    for word in (BODY.split()[0], SUBJECT.split()[0], MAIL_NAME):
        assert word.encode() not in raw
    # Cleared for sources, the documenter's plan lets it go (the policy's leak check still runs).
    plan = hb.plan(_request(tmp_path / "plan", base, report), user=cast["rana"])
    assert report.pk in plan.reports


def test_the_package_check_counts_a_restricted_report_without_naming_it(world, cast) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from tests.cast import PASSWORD

    base, report = world
    query = {"select": f"item:{base.information.uid} item:{report.uid}",
             "recipient": str(listed(RECIPIENT).pk), "purpose": "share_icc", "policy": "full"}
    pages = {}
    for name in ("samir", "rana"):  # an uncleared analyst; a documenter cleared for sources
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        assert client.login(username=name, password=PASSWORD)
        pages[name] = client.get("/packages/check/", query).content.decode()
    # (The form and the command line echo the query as typed; the results never name it.)
    blocked = pages["samir"].split('id="blocked"')[1]
    assert report.uid not in blocked and 'id="hidden-items"' in blocked
    assert f'<span class="uid">{report.uid}</span>' not in pages["samir"]
    assert f'<span class="uid">{report.uid}</span>' in pages["rana"]
    assert 'id="blocked"' not in pages["rana"]


def test_the_recipient_is_not_told_of_an_item_the_builder_may_not_read(  # type: ignore[no-untyped-def]
        world, cast, tmp_path, monkeypatch) -> None:
    """The summary told the recipient "restricted to the sources compartment: 1", and the
    command named the item to a builder not cleared for it, where the check page counts it
    without naming it (found by a red-team pass)."""
    from click.testing import CliRunner
    from tests.cast import PASSWORD
    from tests.handover.test_build import _pdf_text

    from dhakira import cli

    base, report = world
    res = hb.build(_request(tmp_path / "pkg", base, report), user=cast["samir"])
    said = _pdf_text(res.package.directory / "summary.pdf")
    assert "compartment" not in said and "sources" not in said, said
    monkeypatch.setattr(cli.handover, "unlock", lambda *a: b"")  # the test database is open
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    done = CliRunner().invoke(cli.main, [
        "package", "--vault", str(tmp_path), "--select", f"item:{base.information.uid} "
        f"item:{report.uid}", "--recipient", RECIPIENT, "--purpose", "share_icc", "--policy",
        "anonymised", "--out", str(tmp_path / "cli"), "--as", "samir", "--password-file",
        str(tmp_path / "pw")])
    assert done.exit_code == 0, done.output
    assert report.uid not in done.output and "compartment" not in done.output
    assert "1 selected item you are not cleared to read was left out" in done.output


def test_a_purpose_that_is_no_consent_scope_is_a_usage_error(world, cast, tmp_path,  # type: ignore[no-untyped-def]
                                                             monkeypatch) -> None:
    """A bad --recipient exited 64, a bad --purpose 1 (found by a red-team pass)."""
    from click.testing import CliRunner
    from tests.cast import PASSWORD

    from dhakira import cli

    base, _report = world
    listed(RECIPIENT)
    monkeypatch.setattr(cli.handover, "unlock", lambda *a: b"")  # the test database is open
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    done = CliRunner().invoke(cli.main, [
        "package", "--vault", str(tmp_path), "--select", f"item:{base.information.uid}",
        "--recipient", RECIPIENT, "--purpose", "gossip", "--policy", "anonymised", "--out",
        str(tmp_path / "out"),
        "--as", "rana", "--password-file", str(tmp_path / "pw")])
    assert done.exit_code == 64 and "is not a consent scope" in done.output, done.output
