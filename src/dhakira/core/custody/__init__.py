"""The custody ledger: an append-only, hash-chained, Ed25519-signed record of who did what.

Pure: plain values in, frozen dataclasses out; no Django, no database. The Django side
stores entries as rows through :func:`to_dict` / :func:`from_dict` and calls
:func:`verify_chain`. See docs/custody.md.
"""

from dhakira.core.custody.entry import (
    ACTIONS,
    CustodyEntry,
    UnsignedEntry,
    append,
    from_dict,
    plan_entry,
    sign,
    to_dict,
)
from dhakira.core.custody.errors import (
    ChainVerificationError,
    CustodyError,
    InvalidEntryError,
    InvalidKeyError,
    InvalidSignatureError,
)
from dhakira.core.custody.signing import Signer, key_id_for, verify_signature
from dhakira.core.custody.verify import PROBLEM_KINDS, ChainProblem, ChainReport, verify_chain

__all__ = [
    "ACTIONS",
    "PROBLEM_KINDS",
    "ChainProblem",
    "ChainReport",
    "ChainVerificationError",
    "CustodyEntry",
    "CustodyError",
    "InvalidEntryError",
    "InvalidKeyError",
    "InvalidSignatureError",
    "Signer",
    "UnsignedEntry",
    "append",
    "from_dict",
    "key_id_for",
    "plan_entry",
    "sign",
    "to_dict",
    "verify_chain",
    "verify_signature",
]
