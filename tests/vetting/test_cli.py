"""``dhakira reviewer``: add, list and revoke external reviewers (in process, on the test
database, as the account commands' tests run)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from tests.cast import PASSWORD, make_cast

from dhakira import cli
from dhakira.apps.vetting.models import ReviewerGrant


@pytest.fixture
def run(db: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_cast()
    monkeypatch.setattr(cli.vetting, "unlock", lambda *a: b"")  # the test database is open
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    (tmp_path / "new").write_text("a long reviewer password\n")

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(cli.main, [*args, "--vault", str(tmp_path)])
    return invoke


def test_add_list_and_revoke_a_reviewer(run: Any, tmp_path: Path, world: Any) -> None:
    uid = world.reports["R1"].uid
    added = run("reviewer", "add", "--username", "lawyer.a", "--report", uid, "--days", "7",
                "--as", "amal", "--password-file", str(tmp_path / "pw"),
                "--new-password-file", str(tmp_path / "new"))
    assert added.exit_code == 0, added.output
    assert ReviewerGrant.objects.get().selection == [uid]
    listed = run("reviewer", "list")
    assert listed.exit_code == 0 and "lawyer.a" in listed.output and "active" in listed.output
    revoked = run("reviewer", "revoke", "--username", "lawyer.a", "--as", "amal",
                  "--password-file", str(tmp_path / "pw"))
    assert revoked.exit_code == 0 and "Revoked" in revoked.output
    assert not get_user_model().objects.get(username="lawyer.a").is_active
    assert "revoked" in run("reviewer", "list").output


def test_only_an_administrator_adds_and_a_bad_scope_is_named(run: Any, tmp_path: Path, world: Any) -> None:
    refused = run("reviewer", "add", "--username", "lawyer.b", "--report", world.reports["R1"].uid,
                  "--as", "rana", "--password-file", str(tmp_path / "pw"),
                  "--new-password-file", str(tmp_path / "new"))
    assert refused.exit_code == 64 and "not an administrator" in refused.output
    bad = run("reviewer", "add", "--username", "lawyer.b", "--report", "I-9999999",
              "--as", "amal", "--password-file", str(tmp_path / "pw"),
              "--new-password-file", str(tmp_path / "new"))
    assert bad.exit_code != 0 and "I-9999999" in bad.output
    assert not get_user_model().objects.filter(username="lawyer.b").exists()
