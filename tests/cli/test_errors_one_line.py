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


@pytest.mark.parametrize("command", ["estimate", "demo-data"])
def test_a_negative_seed_is_a_usage_error_not_a_traceback(tmp_path: Path, command: str) -> None:
    """`--seed -5` reached numpy's SeedSequence and ended in a traceback (found by an analyst
    pass); the web form already refused it."""
    (tmp_path / "x.json").write_text("{}")
    extra = (["--table", str(tmp_path / "x.json")] if command == "estimate"
             else ["--truth-out", str(tmp_path / "t.json")])
    done = CliRunner().invoke(cli_module.main, [command, *extra, "--vault", str(tmp_path),
                                                "--seed", "-5"])
    assert done.exit_code == 64 and "-5 is below 0; give 0 or more" in done.output, done.output
