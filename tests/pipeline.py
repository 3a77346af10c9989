"""The user's path from nothing to a number, through the real command line.

``init`` → ``demo-data`` → ``link`` → ``estimate --vault`` (our own linkage) and
``estimate --vault --resolution truth.json`` (the generator's true identities), each one a
separate ``python -m dhakira`` process as a user would type them. Shared by the end-to-end
test (small dossiers) and ``bench/bench_end_to_end.py`` (the default demo over seeds).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "amal"
PASSPHRASE = "pipeline passphrase, synthetic"  # noqa: S105 - a throwaway test vault
PASSWORD = "pipeline-password-1"  # noqa: S105


@dataclass(frozen=True)
class PipelineRun:
    """What one pass through the commands gave: counts, the two estimates and the truth."""

    seed: int
    capture: str
    true_total: int
    documented: int
    mentions: int
    people_linked: int
    linkage: dict[str, Any]
    ours: dict[str, Any]
    true_linkage: dict[str, Any]
    seconds: dict[str, float]
    cpu_seconds: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        """The run as plain JSON-ready values."""
        return asdict(self)


def dhakira(*args: str, env: dict[str, str] | None = None) -> str:
    """Run one ``dhakira`` command; return its stdout, or raise with its stderr.

    A process of its own, not forked warm (``tests/warm.py``): the benchmark reports each
    step's CPU from this process's children, as a user's run would spend it."""
    done = subprocess.run([sys.executable, "-m", "dhakira", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"dhakira {args[0]} exited {done.returncode}: "
                           f"{done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def run_pipeline(folder: Path, *, seed: int, victims: int, perpetrators: int = 200,
                 informants: int = 40, capture: str = "heterogeneous",
                 method: str = "lcmcr", budget: float = 300.0) -> PipelineRun:
    """Build a dossier in ``folder`` and estimate it both ways, through the real CLI.

    Args:
        folder: an empty folder for the vault, its secrets and the truth file.
        seed: the demo generator's seed (also the estimate's).
        victims: documented victims to generate.
        perpetrators: perpetrators in the unit hierarchy.
        informants: informants (3 to 6 lists).
        capture: the generator's capture model (``heterogeneous`` or ``dependent``).
        method: the estimation method.
        budget: each estimate's LCMCR time budget in seconds (``--budget``).

    Returns:
        The counts, both estimates (the CLI's JSON) and the wall and CPU times of each step.
    """
    vault, truth = folder / "vault", folder / "truth.json"
    secret, password = folder / "passphrase", folder / "password"
    secret.write_text(PASSPHRASE + "\n")
    password.write_text(PASSWORD + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    unlock = ("--vault", str(vault), "--passphrase-file", str(secret))
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(step: str, *args: str) -> str:
        # CPU beside wall: on a shared machine the wall time says more about the load.
        started, used = time.perf_counter(), _child_cpu()
        out = dhakira(*args, env=env)
        seconds[step] = round(time.perf_counter() - started, 2)
        cpu[step] = round(_child_cpu() - used, 2)
        return out

    timed("init", "init", *unlock, "--admin", ADMIN, "--admin-password-file", str(password))
    timed("demo_data", "demo-data", *unlock, "--victims", str(victims), "--perpetrators",
          str(perpetrators), "--informants", str(informants), "--seed", str(seed),
          "--capture", capture, "--truth-out", str(truth))
    linked = timed("link", "link", *unlock, "--actor", ADMIN, "--password-file", str(password),
                   "--role", "victim", "--evaluate", str(truth))
    ours = json.loads(timed("estimate", "estimate", *unlock, "--method", method,
                            "--seed", str(seed), "--budget", str(budget)))
    true = json.loads(timed("estimate_truth", "estimate", *unlock, "--method", method,
                            "--seed", str(seed), "--budget", str(budget),
                            "--resolution", str(truth)))
    facts = json.loads(truth.read_text(encoding="utf-8"))
    return PipelineRun(seed=seed, capture=capture, true_total=int(facts["true_total"]),
                       documented=int(facts["documented"]), mentions=_mentions(linked),
                       people_linked=_people(linked), linkage=_scores(linked), ours=ours,
                       true_linkage=true, seconds=seconds, cpu_seconds=cpu)


def _child_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's finished children."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _mentions(linked: str) -> int:
    # "R-00001: 7,758 victim mentions resolved to 4,644 people at p >= 0.99; ..."
    return int(linked.split(":", 1)[1].split()[0].replace(",", ""))


def _people(linked: str) -> int:
    return int(linked.split("resolved to", 1)[1].split()[0].replace(",", ""))


def _scores(linked: str) -> dict[str, Any]:
    for line in linked.splitlines():
        if line.startswith("pairwise"):
            parts = line.split()
            return {"precision": float(parts[2]), "recall": float(parts[4]),
                    "f1": float(parts[6])}
    return {}
