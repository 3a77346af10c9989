"""Named errors of field-kit sync."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dhakira.errors import DhakiraError

# Why a bundle was refused; a stable word each, kept in custody and printed on one line.
REFUSALS = (
    "unreadable",  # not sealed to this vault, or truncated or altered in transit
    "malformed",  # opens, but is not a bundle this release can read
    "newer_format",  # made by a newer Dhakira
    "other_office",  # addressed to another office or kit
    "unknown_device",  # from a device this office never enrolled
    "bad_signature",  # the manifest is not signed by the device's enrolled key
    "altered",  # a file does not match the signed manifest
    "broken_chain",  # the device's custody entries do not verify or do not continue its chain
    "revoked",  # made after the device's revocation time
    "replay",  # a bundle already received, or older than one already merged
    "wrong_kind",  # an acknowledgement given to the office, or a pack to a kit
)


class SyncError(DhakiraError):
    """Field-kit sync cannot go on (no kit state, unknown device, bad input)."""


class BundleRefused(SyncError):
    """A bundle was refused; ``kind`` is one of :data:`REFUSALS`. Nothing was merged.

    ``code`` names the reason (``message`` is its English words, kept in custody) and
    ``params`` its values; ``kind`` is among them, so the command line can say the whole
    refusal in the reader's language.
    """

    exit_code = 5

    def __init__(self, kind: str, message: str, *, code: str = "",
                 params: Mapping[str, Any] | None = None) -> None:
        if kind not in REFUSALS:
            raise ValueError(f"unknown refusal {kind!r}")
        self.kind = kind
        super().__init__(f"bundle refused ({kind}): {message}", code=code,
                         params={**(params or {}), "kind": kind})
