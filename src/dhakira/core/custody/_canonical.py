"""Canonical encoding and field validation shared by entries and verification."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from dhakira.core.custody.errors import InvalidEntryError

GENESIS_HASH = "0" * 64
HEX64 = re.compile(r"[0-9a-f]{64}")
# Integers beyond 2**53 lose precision in JavaScript and many JSON parsers; a third party's
# verifier must re-encode exactly what was signed.
_SAFE_INT = 2**53
SIGNED_FIELDS = (
    "seq",
    "prev_hash",
    "timestamp",
    "actor",
    "action",
    "subject",
    "subject_hash",
    "detail",
    "key_id",
)


def canonical_bytes(fields: Mapping[str, Any]) -> bytes:
    """Encode the signed fields as JSON: sorted keys, no spaces, UTF-8 (not ASCII-escaped)."""
    payload = {name: fields[name] for name in SIGNED_FIELDS}
    payload["detail"] = dict(payload["detail"])
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def format_timestamp(now: datetime) -> str:
    """Render an aware datetime as UTC ISO 8601 with microseconds and a Z."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidEntryError("`now` must be timezone-aware; pass datetime.now(UTC)")
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str) -> datetime | None:
    """Parse a ledger timestamp; None if it is not in the ledger's own format."""
    if not isinstance(text, str) or not text.endswith("Z"):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def check_detail(detail: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return a copy of ``detail`` after checking it holds only JSON scalars.

    Floats are refused: their text form differs between languages, which would make the
    hash irreproducible by a third party. Write decimals as strings.
    """
    if detail is None:
        return {}
    if not isinstance(detail, Mapping):
        raise InvalidEntryError("detail must be a mapping of names to JSON scalars")
    for key, value in detail.items():
        if not isinstance(key, str):
            raise InvalidEntryError(f"detail keys must be strings, got {key!r}")
        if isinstance(value, float):
            raise InvalidEntryError(f"detail[{key!r}] is a float; write it as a string")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _SAFE_INT:
            raise InvalidEntryError(f"detail[{key!r}] is too large; write it as a string")
        if value is not None and not isinstance(value, str | int | bool):
            raise InvalidEntryError(
                f"detail[{key!r}] must be a string, integer, boolean or null, "
                f"not {type(value).__name__}"
            )
    return dict(detail)


def check_text(name: str, value: object) -> str:
    """Require a non-blank string: an audit trail never guesses who acted or on what."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidEntryError(f"{name} is required and must be a non-empty string")
    return value


def check_hex64(name: str, value: object, *, optional: bool = False) -> str | None:
    """Require 64 lowercase hex characters (or None when optional)."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or not HEX64.fullmatch(value):
        raise InvalidEntryError(f"{name} must be 64 lowercase hex characters, got {value!r}")
    return value
