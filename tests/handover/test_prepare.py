"""Issue 17 finding 4: a package picks its recipient from the list; the check says which it
is when nothing can go (nothing selected, or everything blocked) and why, per item."""

from __future__ import annotations

import unittest.mock

import pytest
from django.test import Client
from tests.cast import PASSWORD, client_for
from tests.handover import dossier
from tests.handover.conftest import consent, listed

pytestmark = pytest.mark.django_db


def _check(client: Client, query: str, recipient: int) -> str:
    page = client.get("/packages/check/", {"select": query, "recipient": str(recipient),
                                           "purpose": "share_un_investigators",
                                           "policy": "pseudonymised"})
    assert page.status_code == 200, page.content.decode()[:3000]
    return page.content.decode()


def test_issue17_04_unitad_package_goes_on_unitad_consent_and_says_why_not_on_another(
        vault, cast) -> None:  # type: ignore[no-untyped-def]
    d = dossier.build(with_evidence=False)
    unitad, team = listed("UNITAD"), listed("UN investigative team")
    query = f"person:{d.base.victim.uid}"
    consent(d.base.victim, "granted", scope="share_un_investigators",
            recipient="UN investigative team", by=cast["amal"])
    page = _check(client_for("rana"), query, unitad.pk)
    assert 'id="all-blocked"' in page and 'id="nothing-selected"' not in page
    assert (f'<span class="uid">{d.base.victim.uid}</span>: <bdi>no consent for this recipient '
            f"(consent for this use was given to {team.code})</bdi>") in page
    consent(d.base.victim, "granted", scope="share_un_investigators", recipient="UNITAD",
            by=cast["amal"])
    page = _check(client_for("rana"), query, unitad.pk)
    assert 'id="may-go"' in page and "--recipient UNITAD" in page


def test_issue17_04_nothing_selected_is_not_everything_blocked(vault, cast) -> None:  # type: ignore[no-untyped-def]
    dossier.build(with_evidence=False)
    page = _check(client_for("rana"), "place:Atlantis", listed("UNITAD").pk)
    assert 'id="nothing-selected"' in page and 'id="all-blocked"' not in page


def test_the_check_is_for_members_who_may_build_packages(vault, cast) -> None:  # type: ignore[no-untyped-def]
    assert client_for("victor").get("/packages/check/").status_code == 403
    assert client_for("rana").get("/packages/check/").status_code == 200


def test_the_package_command_takes_the_recipient_from_the_list(vault, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from dhakira import cli

    d = dossier.build(with_evidence=False)
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    runner = CliRunner()
    args = ["package", "--vault", str(vault), "--select", f"person:{d.base.victim.uid}",
            "--purpose", "share_un_investigators", "--policy", "pseudonymised", "--out",
            str(tmp_path / "pkg"), "--as", "rana", "--password-file", str(tmp_path / "pw")]
    with unittest.mock.patch.object(cli.handover, "unlock", lambda *a: b""):
        unknown = runner.invoke(cli.main, [*args, "--recipient", "UNITAD"])
        assert unknown.exit_code == 64 and "not in the recipient list" in unknown.output
        listed("UNITAD")
        blocked = runner.invoke(cli.main, [*args, "--recipient", "unitad"])
    assert blocked.exit_code != 0 and "Traceback" not in blocked.output
    # worded as the "blocked:" lines word it (handover.reasons.in_words)
    assert "every one of the" in blocked.output and "no consent for this use" in blocked.output


@pytest.mark.parametrize(("lang", "words"), [
    ("ar", "مفتاح غير معروف «charge»؛ استخدم أحد المفاتيح: event, act"),
    ("en", "unknown key “charge”; use one of event, act")])
def test_a_selection_that_cannot_be_read_is_refused_in_the_readers_language(
        vault, cast, lang, words) -> None:  # type: ignore[no-untyped-def]
    """The walk of issue 17 typed charge:CH-0001 on the Arabic page and was answered in English."""
    page = client_for("rana", lang).get("/packages/check/", {
        "select": "charge:CH-0001", "recipient": str(listed("UNITAD").pk),
        "purpose": "share_un_investigators", "policy": "pseudonymised"})
    html = page.content.decode()
    assert words in html.replace("&#x27;", "'")
    assert 'id="package-result"' not in html
