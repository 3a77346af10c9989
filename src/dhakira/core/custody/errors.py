"""Named errors of the custody ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dhakira.errors import DhakiraError

if TYPE_CHECKING:
    from dhakira.core.custody.verify import ChainReport


class CustodyError(DhakiraError):
    """Something is wrong with a custody entry, key or chain."""


class InvalidSignatureError(CustodyError):
    """A signature does not verify under the given public key (one opaque error)."""


class InvalidEntryError(CustodyError, ValueError):
    """A custody entry cannot be planned or read back: a field is missing or malformed."""


class InvalidKeyError(CustodyError, ValueError):
    """A key is not 32 raw Ed25519 bytes, or a public key is filed under the wrong key id."""


class ChainVerificationError(CustodyError):
    """A custody chain has problems; ``report`` lists every one of them."""

    exit_code = 5

    def __init__(self, report: ChainReport) -> None:
        self.report = report
        lines = [f"seq {p.seq}: {p.kind}: {p.message}" for p in report.problems[:10]]
        more = len(report.problems) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more")
        n = len(report.problems)
        super().__init__(
            f"the custody chain has {n:,} {'problem' if n == 1 else 'problems'}:\n"
            + "\n".join(lines)
        )
