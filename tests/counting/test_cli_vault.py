"""``dhakira estimate --vault`` through the real command, on a real vault (issue 14, item 1).

Without a link run it refuses in one line; after ``dhakira link`` it counts the run's people,
names the run and the decisions, and gives the looser and stricter estimates beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.test_vault_commands import run
from tests.clivault import new_vault

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("estimate")
    vault = new_vault(base)
    done = run("demo-data", "--vault", str(vault), "--passphrase-file", str(base / "pass"),
               "--victims", "300", "--perpetrators", "100", "--informants", "20", "--seed", "3",
               "--truth-out", str(base / "truth.json"))
    assert done.returncode == 0, done.stderr
    return vault


def _estimate(vault: Path) -> tuple[int, str, str]:
    done = run("estimate", "--vault", str(vault), "--passphrase-file",
               str(vault.parent / "pass"), "--method", "independence")
    return done.returncode, done.stdout, done.stderr


def test_issue_14_item_1_without_linkage_the_command_refuses_in_one_line(vault: Path) -> None:
    code, out, err = _estimate(vault)
    assert code == 1 and out == ""
    assert err == ("dhakira: No victim linkage run exists yet, so victims cannot be counted as "
                   "people: run linkage first (dhakira link).\n")


def test_issue_14_item_1_after_linkage_it_counts_the_runs_people(vault: Path) -> None:
    done = run("link", "--vault", str(vault), "--passphrase-file", str(vault.parent / "pass"),
               "--actor", "amal", "--password-file", str(vault.parent / "web"))
    assert done.returncode == 0, done.stderr
    # "R-00001: 449 victim mentions resolved to 306 people at p >= 0.99; ..."
    words = done.stdout.split()
    mentions, people = int(words[1].replace(",", "")), int(words[6].replace(",", ""))
    assert people < mentions
    code, out, err = _estimate(vault)
    assert code == 0, err
    result = json.loads(out)
    # The run's people, less those whose every mention names no one (set aside).
    assert result["set_aside"] > 0
    assert people - result["set_aside"] <= result["observed"] == result["victims"] <= people
    assert result["linkage"] == {"run": "R-00001", "threshold": 0.99, "decisions": 0,
                                 "stale": False}
    looser, stricter = result["sensitivity"]["looser"], result["sensitivity"]["stricter"]
    assert looser["threshold"] < 0.99 < stricter["threshold"]
    assert looser["observed"] <= result["observed"] <= stricter["observed"]
    assert {"estimate", "interval", "warnings"} <= set(looser) & set(stricter)
    # the interval allowing for doubt over who is the same person, made from all three
    low, high = result["with_matching"]["interval"]
    ends = [result["interval"], looser["interval"], stricter["interval"]]
    assert min(e[0] for e in ends) <= low <= result["estimate"] <= high <= max(e[1] for e in ends)


def test_a_resolution_file_naming_few_of_the_vaults_victims_is_refused(vault: Path) -> None:
    """Another dossier's truth file (its ids are this vault's first few persons) was
    counted, every mention it left out as a person of its own, with no word of it. The
    vault's own truth file is still taken."""
    other = vault.parent / "other-truth.json"
    other.write_text(json.dumps({f"P-{i:06d}": i // 2 for i in range(1, 31)}))
    done = run("estimate", "--vault", str(vault), "--passphrase-file",
               str(vault.parent / "pass"), "--method", "independence", "--resolution", str(other))
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.startswith("dhakira: The resolution given names only ")
    assert "without --resolution" in done.stderr and len(done.stderr.splitlines()) == 1
    own = run("estimate", "--vault", str(vault), "--passphrase-file",
              str(vault.parent / "pass"), "--method", "independence", "--resolution",
              str(vault.parent / "truth.json"))
    assert own.returncode == 0, own.stderr
    assert json.loads(own.stdout)["unresolved"] == 0
