"""Finding 16 #13: database and file errors reach the user as one line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import DatabaseError, OperationalError
from tests.cli.test_migrate import OLD, cli

from dhakira import cli as cli_module


@pytest.mark.parametrize("error", [OperationalError("database or disk is full"),
                                   DatabaseError("database disk image is malformed\ndetail")])
def test_finding_16_13_a_database_error_is_one_line_and_exit_8(
        monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def refuse(*args: object) -> bytes:
        raise error  # as the disk-full run of the reliability pass met it, mid-command

    monkeypatch.setattr(cli_module.vault, "unlock", refuse)
    result = CliRunner().invoke(cli_module.main, ["check", "--vault", str(OLD / "vault")])
    assert result.exit_code == 8
    assert result.output.splitlines() == [
        f"dhakira: the database refused: {str(error).splitlines()[0]}; nothing after that was "
        "done (run `dhakira check` to see that the vault is intact)"]


def test_finding_16_13_a_file_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> bytes:
        raise OSError(28, "No space left on device", "/somewhere/blob.part")

    monkeypatch.setattr(cli_module.vault, "unlock", refuse)
    result = CliRunner().invoke(cli_module.main, ["check", "--vault", str(OLD / "vault")])
    assert result.exit_code == 8
    assert result.output == "dhakira: cannot use /somewhere/blob.part: No space left on device\n"


def test_finding_16_13_a_passphrase_file_that_is_not_text_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "pass").write_bytes(b"\xff\xfe\x00binary")
    result = cli("check", "--vault", str(OLD / "vault"), "--passphrase-file", str(tmp_path / "pass"))
    assert result.returncode == 64, result.stderr
    assert result.stderr.splitlines() == [
        f"dhakira: {tmp_path / 'pass'} is not UTF-8 text: put the passphrase on its first line"]
