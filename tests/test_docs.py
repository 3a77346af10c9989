"""Documentation is checked by tests: the CLI reference and the settings page stay true."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_cli_reference_matches_the_commands() -> None:
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen-cli-docs.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (ROOT / "docs" / "cli.md").read_text() == gen.render(), \
        "docs/cli.md is out of date: run scripts/gen-cli-docs.py"


def test_every_setting_is_documented() -> None:
    settings_py = (ROOT / "src" / "dhakira" / "apps" / "web" / "settings.py").read_text()
    documented = (ROOT / "docs" / "settings.md").read_text()
    names = set(re.findall(r"\bDHAKIRA_[A-Z_]+\b", settings_py))
    assert names, "no settings found"
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert not missing, f"undocumented settings: {missing}"


def test_the_readme_gives_exactly_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Set-up", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
