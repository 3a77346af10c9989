"""Issue 19 item 2 through the real command line: a kit revoked at T sends two bundles made
after T; both are refused and held in quarantine; ``dhakira sync quarantine`` lists them,
shows one without a protected value, refuses to accept a tampered file, accepts the first
(merged, ``dhakira verify`` passes) and rejects the second (nothing of it merged, the file
kept). Every step is its own ``python -m dhakira`` process. Synthetic data."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from tests.sync.kits import Vault, office_and_two_kits

pytestmark = [pytest.mark.backend_independent, pytest.mark.slow]


def _held(office: Vault, bundle: Path, ack: Path) -> None:
    done = office.run("sync", "receive", str(bundle), "--ack-out", str(ack), *office.acting)
    assert done.returncode == 5 and "bundle refused (revoked)" in done.stderr, done.stderr
    assert not ack.exists()


def test_a_revoked_kits_bundles_are_listed_shown_accepted_and_rejected(tmp_path: Path) -> None:
    office, _, kit = office_and_two_kits(tmp_path)
    office.ok("device", "revoke", "--label", "kit-2", "--at", "now", *office.acting)
    time.sleep(0.01)
    kit.report("Synthetic Person First", "SRC-Q1")
    first = tmp_path / "k9-1.bundle"
    kit.ok("sync", "pack", "--out", str(first), *kit.acting)
    kit.report("Synthetic Person Second", "SRC-Q1")
    second = tmp_path / "k9-2.bundle"  # holds both reports: nothing was acknowledged
    kit.ok("sync", "pack", "--out", str(second), *kit.acting)
    before = office.counts()
    _held(office, first, tmp_path / "k9-1.ack")
    _held(office, second, tmp_path / "k9-2.ack")
    assert office.counts() == before

    listed = office.ok("sync", "quarantine", "list").strip().splitlines()
    assert len(listed) == 2 and all("kit-2" in line and "revoked" in line for line in listed)
    ids = [line.split("\t")[0] for line in listed]
    assert all(re.fullmatch(r"Q-[0-9]{6}", i) for i in ids)
    assert "bundle 1" in listed[0] and "bundle 2" in listed[1]
    sizes = [int(re.search(r"\t([0-9]+) bytes\t", line).group(1)) for line in listed]  # type: ignore[union-attr]
    assert sizes == [first.stat().st_size, second.stat().st_size]

    shown = office.ok("sync", "quarantine", "show", ids[1])
    assert "records: 2 acts, 2 consent records, 2 events, 4 people, 2 reports, 1 source" in shown, shown
    assert "protected values (not shown): 3" in shown, shown
    assert len(re.findall(r"\breport\t[0-9a-f]{16}/I-[0-9]{7}\tnew\b", shown)) == 2, shown
    for secret in ("Synthetic Person", "street 1", "informant", "taken from the square"):
        assert secret not in shown, secret

    # The file in quarantine is altered: accepting it is refused, nothing merged.
    path = next(p for p in (office.path / "quarantine").iterdir()
                if p.read_bytes() == first.read_bytes())
    good = path.read_bytes()
    path.write_bytes(good[:-40] + bytes([good[-40] ^ 1]) + good[-39:])
    refused = office.run("sync", "quarantine", "accept", ids[0], "--reason", "checked",
                         *office.acting)
    assert refused.returncode == 5 and "bundle refused (altered)" in refused.stderr, refused.stderr
    assert office.counts() == before
    path.write_bytes(good)

    accepted = office.ok("sync", "quarantine", "accept", ids[0], "--reason",
                         "the kit was with our team that evening", *office.acting)
    assert "accepted and merged bundle 1 of kit-2" in accepted, accepted
    after = office.counts()
    assert after["reports"] == ["Synthetic Person First was taken from the square."]
    assert "Synthetic Person First street 1, Synthetic Town" in after["protected"]
    verified = office.ok("verify")
    assert "device kit-2" in verified, verified

    office.ok("sync", "quarantine", "reject", ids[1], "--reason", "made after the seizure",
              *office.acting)
    assert office.counts() == after  # nothing of the second bundle merged
    assert second.read_bytes() in [p.read_bytes() for p in (office.path / "quarantine").iterdir()]
    assert office.ok("sync", "quarantine", "list").strip() == "no bundle waits in quarantine"
    decided = office.ok("sync", "quarantine", "list", "--all")
    assert "accepted by amal" in decided and "rejected by amal" in decided
    again = office.run("sync", "quarantine", "accept", ids[1], "--reason", "second thoughts",
                       *office.acting)
    assert again.returncode != 0 and "rejected already" in again.stderr, again.stderr
    office.ok("verify")
