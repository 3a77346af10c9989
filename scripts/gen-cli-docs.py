"""Write docs/cli.md from the real `--help` of every `dhakira` command.

Run after changing a command: .venv/bin/python scripts/gen-cli-docs.py
tests/test_docs.py fails when docs/cli.md is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.testing import CliRunner

from dhakira.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _walk(group: click.Group, prefix: list[str]) -> list[list[str]]:
    paths = []
    for name in sorted(group.commands):
        command = group.commands[name]
        paths.append(prefix + [name])
        if isinstance(command, click.Group):
            paths += _walk(command, prefix + [name])
    return paths


def render() -> str:
    runner = CliRunner()
    parts = ["# The `dhakira` command\n",
             "Generated from `--help` by `scripts/gen-cli-docs.py`; do not edit by hand.\n"]
    for path in [[]] + _walk(main, []):
        # English whatever the maintainer's own language (the usage label is translated)
        result = runner.invoke(main, [*path, "--help"], prog_name="dhakira",
                               env={"DHAKIRA_LANG": "en"})
        title = " ".join(["dhakira", *path])
        parts.append(f"## {title}\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    DOC.write_text(render())
    sys.stdout.write(f"wrote {DOC}\n")
