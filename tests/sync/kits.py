"""Three vaults (an office and two field kits) driven through the real command line.

Each step is its own ``python -m dhakira`` process, as a user would type it. Synthetic data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests import once, warm

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PASSPHRASE = "a long synthetic passphrase for field kits"  # noqa: S105 - throwaway vaults
PASSWORD = "synthetic-password-9"  # noqa: S105


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k != "DHAKIRA_DATABASE_URL"}
    return {**out, "PYTHONPATH": str(ROOT / "src"), **extra}


@dataclass(frozen=True)
class Vault:
    """One vault of the scenario and the user who acts on it."""

    path: Path
    user: str
    secrets: Path

    @property
    def unlock(self) -> tuple[str, ...]:
        return ("--vault", str(self.path), "--passphrase-file", str(self.secrets / "pp"))

    @property
    def acting(self) -> tuple[str, ...]:
        return ("--as", self.user, "--password-file", str(self.secrets / "pw"))

    def run(self, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """``dhakira ARGS --vault … --passphrase-file …``; the caller judges the outcome."""
        return warm.python("-m", "dhakira", *args, *self.unlock, cwd=ROOT,
                           env=env(**(extra_env or {})), timeout=600)

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, f"dhakira {' '.join(args)}: {done.stderr}{done.stdout}"
        return done.stdout

    def report(self, victim: str, source: str, attach: Path | None = None) -> str:
        """Save one report as the intake page does; returns its uid."""
        done = warm.python(str(HERE / "_make_report.py"), str(self.path), str(self.secrets / "pp"),
                           self.user, source, victim, *([str(attach)] if attach else []),
                           cwd=ROOT, env=env(), timeout=600)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def counts(self) -> dict[str, Any]:
        done = warm.python(str(HERE / "_counts.py"), str(self.path), str(self.secrets / "pp"),
                           cwd=ROOT, env=env(), timeout=600)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)  # type: ignore[no-any-return]


def secrets(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pp").write_text(PASSPHRASE + "\n")
    (folder / "pw").write_text(PASSWORD + "\n")
    return folder


def make_office(root: Path) -> tuple[Vault, Path]:
    """An office vault and its card."""
    office = Vault(root / "office", "amal", secrets(root / "secrets"))
    office.ok("init", "--admin", "amal", "--admin-password-file", str(office.secrets / "pw"))
    card = root / "office.card"
    office.ok("device", "export", "--out", str(card))
    return office, card


def make_kit(root: Path, name: str, office: Vault, office_card: Path) -> Vault:
    """A field kit of ``office``, enrolled there under ``name``."""
    kit = Vault(root / name, "rana", secrets(root / "secrets"))
    kit.ok("init", "--admin", "rana", "--admin-password-file", str(kit.secrets / "pw"),
           "--field-kit", "--hq", str(office_card))
    card = root / f"{name}.card"
    kit.ok("device", "export", "--out", str(card))
    office.ok("device", "enrol", "--card", str(card), "--label", name, *office.acting)
    return kit


def office_and_two_kits(root: Path) -> tuple[Vault, Vault, Vault]:
    """An office and its field kits kit-1 and kit-2, enrolled there, copied into ``root``.

    Made once per run (:func:`tests.once.made_once`: three ``init`` runs, each every
    migration, and five more commands, about 35 s of CPU) and copied for each test, as
    :func:`tests.clivault.new_vault` copies a vault. Copies share their devices' keys, as a
    restored backup would; tests that need other kits make them with :func:`make_kit`.
    """
    def build(folder: Path) -> None:
        office, card = make_office(folder)
        make_kit(folder, "kit-1", office, card)
        make_kit(folder, "kit-2", office, card)

    shutil.copytree(once.made_once("field-kits", build), root, dirs_exist_ok=True)
    folder = root / "secrets"
    return (Vault(root / "office", "amal", folder), Vault(root / "kit-1", "rana", folder),
            Vault(root / "kit-2", "rana", folder))
