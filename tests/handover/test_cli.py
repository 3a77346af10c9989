"""`dhakira package` and `dhakira disclosures`, run in process on the test database."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.cast import PASSWORD
from tests.handover import dossier
from tests.handover.conftest import consent, listed

from dhakira import cli
from dhakira.apps.handover.models import Disclosure

pytestmark = pytest.mark.django_db
ICC = "International Criminal Court"


@pytest.fixture
def run(vault, cast, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli.handover, "unlock", lambda *a: b"")  # the test database is already open
    (tmp_path / "pw").write_text(PASSWORD + "\n")

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli.main, [args[0], "--vault", str(vault), *args[1:]])
    return invoke


@pytest.fixture
def world(cast):  # type: ignore[no-untyped-def]
    d = dossier.build(with_evidence=False)
    listed(ICC)
    consent(d.base.victim, "granted", by=cast["amal"])
    consent(d.refuser, "refused", by=cast["amal"])
    return d


def _package(run, tmp_path: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run("package", "--select", "place:Mosul", "--recipient", ICC, "--purpose", "share_icc",
               "--policy", "pseudonymised", "--out", str(tmp_path / "pkg"), "--as", "rana",
               "--password-file", str(tmp_path / "pw"), *extra)


def test_package_lists_blocked_items_with_reasons_and_logs_the_disclosure(run, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _package(run, tmp_path)
    assert result.exit_code == 0, result.output
    assert f"blocked: {world.refuser_act.uid}: {world.refuser.uid}: consent refused" in result.output
    d = Disclosure.objects.get()
    assert d.package_id in result.output and d.override_by is None
    listed = run("disclosures", "--person", world.base.victim.uid)
    assert listed.exit_code == 0 and ICC in listed.output and d.package_id in listed.output


@pytest.mark.parametrize("env", [{"DHAKIRA_LANG": "ar"}, {"LANG": "ar_IQ.UTF-8"},
                                 {"LC_ALL": "ar_IQ.UTF-8", "LANG": "en_GB.UTF-8"}])
def test_issue17_4_package_says_what_is_blocked_in_the_readers_language(run, world, tmp_path,  # type: ignore[no-untyped-def]
                                                                     monkeypatch, env) -> None:
    # The blocked: lines were English whatever the reader's language.
    for name in ("DHAKIRA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = _package(run, tmp_path)
    assert result.exit_code == 0, result.output
    assert f"محجوب: {world.refuser_act.uid}: {world.refuser.uid}: الموافقة مرفوضة" in result.output
    assert "blocked" not in result.output and "consent refused" not in result.output
    assert "كُتب" in result.output


def test_issue17_4_package_speaks_english_when_the_locale_is_not_arabic(run, world, tmp_path,  # type: ignore[no-untyped-def]
                                                                     monkeypatch) -> None:
    monkeypatch.delenv("DHAKIRA_LANG", raising=False)
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LANG", "ar_IQ.UTF-8")
    monkeypatch.setenv("DHAKIRA_LANG", "en")  # the explicit choice wins over the locale
    result = _package(run, tmp_path)
    assert f"blocked: {world.refuser_act.uid}: {world.refuser.uid}: consent refused" in result.output


def test_an_override_by_a_second_legal_officer_is_recorded(run, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _package(run, tmp_path, "--override-by", "layla", "--override-password-file",
                      str(tmp_path / "pw"), "--override-reason", "court order 12/2025")
    assert result.exit_code == 0, result.output
    d = Disclosure.objects.get()
    assert d.override_by.username == "layla" and d.override_reason == "court order 12/2025"
    assert world.refuser_act.uid in d.items
    row = d.persons.get(person=world.refuser)
    assert row.overridden


@pytest.mark.parametrize("approver,message", [
    ("rana", "second person"),          # the acting user cannot approve their own override
    ("samir", "cannot approve"),        # an analyst is not an administrator or legal officer
    ("nobody", "wrong user name or password"),
])
def test_an_override_needs_a_second_distinct_authorised_user(run, world, tmp_path, approver,  # type: ignore[no-untyped-def]
                                                             message) -> None:
    result = _package(run, tmp_path, "--override-by", approver, "--override-password-file",
                      str(tmp_path / "pw"), "--override-reason", "x")
    assert result.exit_code != 0 and message in result.output
    assert not Disclosure.objects.exists() and not (tmp_path / "pkg").exists()


def test_an_override_needs_a_reason(run, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = _package(run, tmp_path, "--override-by", "layla", "--override-password-file",
                      str(tmp_path / "pw"))
    assert result.exit_code != 0 and "--override-reason" in result.output


def test_a_viewer_cannot_build_a_package(run, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run("package", "--select", "place:Mosul", "--recipient", ICC, "--purpose",
                 "share_icc", "--policy", "full", "--out", str(tmp_path / "pkg"), "--as", "victor",
                 "--password-file", str(tmp_path / "pw"))
    assert result.exit_code != 0 and "may not build packages" in result.output


def test_withdrawn_lists_the_recipients_to_notify(run, world, tmp_path, cast) -> None:  # type: ignore[no-untyped-def]
    assert _package(run, tmp_path).exit_code == 0
    consent(world.base.victim, "withdrawn", by=cast["amal"])
    result = run("disclosures", "--withdrawn")
    assert result.exit_code == 0
    assert f"notify\t{ICC}\t" in result.output and world.base.victim.uid in result.output


def test_select_and_charge_are_exclusive(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run("package", "--recipient", ICC, "--purpose", "share_icc", "--policy", "full",
                 "--out", str(tmp_path / "p"), "--as", "rana")
    assert result.exit_code == 64 and "exactly one of --select" in result.output


def test_finding_06_an_override_by_a_freshly_reset_approver_is_refused(  # type: ignore[no-untyped-def]
        run, world, cast, tmp_path, settings) -> None:
    from dhakira.apps.dossier import accounts

    settings.ACCOUNT_SETTLING_HOURS = 24
    accounts.set_password(cast["layla"], "chosen by the administrator", actor=cast["amal"])
    (tmp_path / "taken").write_text("chosen by the administrator\n")
    result = _package(run, tmp_path, "--override-by", "layla", "--override-password-file",
                      str(tmp_path / "taken"), "--override-reason", "x")
    assert result.exit_code != 0 and "cannot approve yet" in result.output
    assert not Disclosure.objects.exists() and not (tmp_path / "pkg").exists()


def test_finding_09_dhakira_prints_the_fingerprint_recipients_pin(run, world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    from dhakira.core.handover import verify

    built = _package(run, tmp_path, "--zip")
    assert built.exit_code == 0, built.output
    d = Disclosure.objects.get()
    assert f"signer key fingerprint {d.key_fingerprint}" in built.output
    shown = run("fingerprint", "--pem", str(tmp_path / "signer.pem"))
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines()[0] == d.key_fingerprint
    for pin in (["--fingerprint", d.key_fingerprint], ["--key", str(tmp_path / "signer.pem")]):
        checked = subprocess.run([sys.executable, "-I", verify.__file__, str(tmp_path / "pkg.zip"),
                                  *pin], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_issue17_04_recipient_add_and_list(run, vault, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dhakira.apps.custody.models import LedgerEntry
    from dhakira.apps.dossier.models import Recipient

    def run(*args: str):  # type: ignore[no-untyped-def]  # the group's command takes --vault
        return CliRunner().invoke(cli.main, [*args[:2], "--vault", str(vault), *args[2:]])

    add = ["recipient", "add", "--code", "unitad", "--name-en", "UNITAD", "--name-ar", "يونيتاد",
           "--kind", "un_mechanism", "--password-file", str(tmp_path / "pw")]
    refused = run(*add, "--as", "rana")  # a documenter records, but does not keep the list
    assert refused.exit_code == 64 and "may not manage recipients" in refused.output
    bad_key = run(*add, "--as", "layla", "--public-key", "ssh-ed25519 AAAA")
    assert bad_key.exit_code == 64 and "Not an age public key" in bad_key.output
    assert not Recipient.objects.exists()
    made = run(*add, "--as", "layla")
    assert made.exit_code == 0, made.output
    row = Recipient.objects.get()
    assert row.code == "UNITAD" and f"{row.uid}\tUNITAD\tadded" in made.output
    assert LedgerEntry.objects.get(subject=row.uid).actor == "layla"
    again = run(*add, "--as", "layla")
    assert again.exit_code == 64 and "exists already" in again.output
    listed_now = run("recipient", "list")
    assert listed_now.exit_code == 0 and "UNITAD\tun_mechanism\tUNITAD\tيونيتاد\tno key" in listed_now.output


def test_issue17_04_seal_uses_the_listed_recipients_key(run, world, cast, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pyrage

    from dhakira.apps.dossier import recipients
    from dhakira.apps.dossier.models import Recipient

    icc = Recipient.objects.get(name_en=ICC)
    no_key = _package(run, tmp_path, "--seal")
    assert no_key.exit_code == 64 and "has no public key" in no_key.output
    identity = pyrage.x25519.Identity.generate()
    recipients.change(icc, actor="layla", public_key=str(identity.to_public()))
    result = _package(run, tmp_path, "--seal")
    assert result.exit_code == 0, result.output
    sealed = (tmp_path / "pkg.zip.age").read_bytes()
    assert pyrage.decrypt(sealed, [identity])[:2] == b"PK"  # the recipient opens it
    assert Disclosure.objects.get().sealed_to == str(identity.to_public())
