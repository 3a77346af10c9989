"""A report the kit must keep after an acknowledgement is not sent again as an empty copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.sync.kits import office_and_two_kits

pytestmark = pytest.mark.backend_independent


def test_a_report_kept_for_a_later_duplicate_file_is_not_sent_again_emptied(tmp_path: Path) -> None:
    """Report 1 with a file, packed and merged; report 2 with the same file (a duplicate of
    report 1's item, which the kit may then not delete). Taking the acknowledgement purged
    report 1's person, act and event but kept the report: its content changed, so the next
    bundle carried it, and the office stored a copy with no people, acts or files as its
    latest version (found by a field-team pass)."""
    office, kit, _ = office_and_two_kits(tmp_path)
    same = tmp_path / "tiny.txt"
    same.write_text("one synthetic statement\n")
    kit.report("Synthetic Person Held", "SRC-K1", same)
    first, ack = tmp_path / "1.bundle", tmp_path / "1.ack"
    kit.ok("sync", "pack", "--out", str(first), *kit.acting)
    office.ok("sync", "receive", str(first), "--ack-out", str(ack), *office.acting)
    held = office.counts()
    kit.report("Synthetic Person Later", "SRC-K3", same)
    kit.ok("sync", "receive", str(ack), *kit.acting)
    second = tmp_path / "2.bundle"
    kit.ok("sync", "pack", "--out", str(second), *kit.acting)
    office.ok("sync", "receive", str(second), "--ack-out", str(tmp_path / "2.ack"),
              *office.acting)
    now = office.counts()
    assert now["conflicts"] == 0
    assert len(now["origins"]) - len(held["origins"]) == len(set(now["origins"])
                                                               - set(held["origins"]))
    assert now["reports"] == sorted(held["reports"] + [
        "Synthetic Person Later was taken from the square."])
    office.ok("verify")
    kit.ok("verify")
