"""Findings 06 and 10 on the command line: actors prove who they are, accounts change only
by an administrator, and weak passphrases and passwords are refused before anything is written.

Account commands run in process on the test database (its key is already held)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from tests.cast import PASSWORD, make_cast

from dhakira import cli
from dhakira.apps.custody.models import LedgerEntry


@pytest.fixture
def run(db: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_cast()
    for module in (cli.vault, cli.protection, cli.dossier):
        monkeypatch.setattr(module, "unlock", lambda *a: b"")  # the test database is open
    for name, text in {"pw": PASSWORD, "wrong": "not amal's password", "weak": "1234",
                       "good": "a perfectly fine new password"}.items():
        (tmp_path / name).write_text(text + "\n")

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(cli.main, [*args, "--vault", str(tmp_path)])
    return invoke


def _add(run: Any, tmp_path: Path, as_user: str, password: str, new: str = "good") -> Any:
    return run("user", "add", "--username", "puppet", "--role", "legal", "--as", as_user,
               "--password-file", str(tmp_path / password), "--new-password-file",
               str(tmp_path / new))


def _puppet_exists() -> bool:
    return get_user_model().objects.filter(username="puppet").exists()


def test_finding_06_user_add_needs_the_administrators_password(run: Any, tmp_path: Path) -> None:
    wrong = _add(run, tmp_path, "amal", "wrong")
    assert wrong.exit_code == 2 and "wrong user name or password" in wrong.output
    assert not _puppet_exists()
    documenter = _add(run, tmp_path, "rana", "pw")
    assert documenter.exit_code == 64 and "not an administrator" in documenter.output
    assert not _puppet_exists()
    missing = run("user", "add", "--username", "puppet", "--role", "legal")
    assert missing.exit_code == 64 and "--as" in missing.output
    done = _add(run, tmp_path, "amal", "pw")
    assert done.exit_code == 0, done.output
    puppet = get_user_model().objects.get(username="puppet")
    entry = LedgerEntry.objects.get(subject=f"user:{puppet.pk}")
    assert entry.actor == "amal" and entry.detail["account"] == "created"


def test_finding_10_user_add_refuses_a_weak_password(run: Any, tmp_path: Path) -> None:
    result = _add(run, tmp_path, "amal", "pw", new="weak")
    assert result.exit_code == 64 and "too short" in result.output and not _puppet_exists()


def test_user_change_and_passwd_are_recorded(run: Any, tmp_path: Path) -> None:
    result = run("user", "change", "--username", "rana", "--as", "amal", "--password-file",
                 str(tmp_path / "pw"), "--clearance", "sources", "--deactivate")
    assert result.exit_code == 0 and "clearances, deactivated" in result.output, result.output
    own = run("user", "passwd", "--username", "samir", "--as", "samir", "--password-file",
              str(tmp_path / "pw"), "--new-password-file", str(tmp_path / "good"))
    assert own.exit_code == 0, own.output
    samir = get_user_model().objects.get(username="samir")
    entry = LedgerEntry.objects.filter(subject=f"user:{samir.pk}").last()
    assert entry is not None and entry.detail == {"account": "password", "by_owner": True,
                                                  "actor_id": samir.pk}
    other = run("user", "passwd", "--username", "amal", "--as", "samir", "--password-file",
                str(tmp_path / "good"), "--new-password-file", str(tmp_path / "good"))
    assert other.exit_code == 64 and "not an administrator" in other.output


@pytest.mark.parametrize("command", [
    ("purge-expired", "--actor", "amal"),
    ("link", "--actor", "amal"),
])
def test_finding_06_a_custody_writing_command_authenticates_its_actor(
        run: Any, tmp_path: Path, command: tuple[str, ...]) -> None:
    before = LedgerEntry.objects.count()
    result = run(*command, "--password-file", str(tmp_path / "wrong"))
    assert result.exit_code == 2 and "wrong user name or password" in result.output
    viewer = run(command[0], "--actor", "victor", "--password-file", str(tmp_path / "pw"))
    assert viewer.exit_code == 64 and "read-only role" in viewer.output
    assert LedgerEntry.objects.count() == before


def test_user_list_shows_each_role_clearance_and_whether_they_may_log_in(run: Any,
                                                                          tmp_path: Path) -> None:
    """The coordinator had no way to see who has which role and clearance, or whether an
    account was deactivated (found by a field-team pass)."""
    assert run("user", "change", "--username", "victor", "--as", "amal", "--password-file",
               str(tmp_path / "pw"), "--deactivate").exit_code == 0
    listed = run("user", "list")
    assert listed.exit_code == 0, listed.output
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in listed.output.splitlines()}
    assert rows["rana"][:2] == ["documenter", "sources, addresses"]
    assert rows["victor"][0] == "viewer" and rows["victor"][2] == "deactivated"
    assert rows["amal"][2] == "may log in" and rows["amal"][3] == "no second factor"
