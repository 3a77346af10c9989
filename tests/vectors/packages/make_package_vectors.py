"""Regenerate package_vectors.json: ``.venv/bin/python tests/vectors/packages/make_package_vectors.py``.

Builds a small synthetic package with a fixed, published test key (Ed25519 private bytes
``01 02 … 20``) and a fixed clock, stores every file of it, and lists tampering cases with
the problems the verifier must name. Ed25519 is deterministic, so the signature is too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from pathlib import Path

from dhakira.core.handover import PackageBuilder
from dhakira.core.vault.signing import Signer

HERE = Path(__file__).parent
KEY = bytes(range(1, 33))
CREATED = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
ITEMS = [
    # item id, role, ext, content, parent, relationship
    ("E-0001", "native", "eml", b"Subject: synthetic report\r\n\r\nbody\r\n", None, None),
    ("E-0002", "redacted", "txt", "مرفق منقح: [ضحية]".encode(), "E-0001", "attachment"),
    ("AU-0003", "native", "ogg", bytes(range(256)), None, None),
    ("TR-0004", "transcript", "txt", "نص المقابلة".encode(), "AU-0003", "transcript"),
]
INVALID = [
    ("altered_file", {"op": "write", "path": "files/E-0001.eml", "utf8": "Subject: x\r\n"},
     [["altered", "files/E-0001.eml"]]),
    ("missing_file", {"op": "delete", "path": "files/TR-0004.txt"},
     [["missing", "files/TR-0004.txt"]]),
    ("added_file", {"op": "write", "path": "files/X-0009.jpg", "utf8": "planted"},
     [["extra", "files/X-0009.jpg"]]),
    ("renamed_file", {"op": "rename", "path": "files/AU-0003.ogg", "to": "files/AU-0003.wav"},
     [["renamed", "files/AU-0003.ogg"]]),
    ("forged_manifest", {"op": "replace", "path": "manifest.json", "old": "synthetic",
                         "new": "Synthetic"}, [["forged_manifest", "manifest.json"]]),
    ("missing_signature", {"op": "delete", "path": "manifest.sig"},
     [["forged_manifest", "manifest.json"]]),
]


def build(out: Path) -> Path:
    """Build the vector package in ``out`` and return its directory."""
    builder = PackageBuilder(out, package_id="VEC-0001", recipient="synthetic recipient",
                             purpose="vector", policy="anonymised", created_at=CREATED,
                             signer=Signer.from_private_bytes(KEY))
    for item_id, role, ext, data, parent, rel in ITEMS:
        builder.add_file(item_id, data, role=role, ext=ext,
                         stands_for_sha256=hashlib.sha256(b"original:" + data).hexdigest(),
                         parent=parent, relationship=rel, confidentiality="confidential",
                         date_created="20150603")
    builder.add_text("AU-0003", "نص", stands_for_sha256=hashlib.sha256(b"o").hexdigest(),
                     confidentiality="confidential")
    builder.add_custody("AU-0003", [{"event": "intake", "actor": "U-1"}])
    builder.add_summary(b"%PDF-1.4 synthetic\n")
    return builder.finish().directory


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build(Path(tmp) / "pkg")
        files = {p.relative_to(root).as_posix(): p.read_bytes().hex()
                 for p in sorted(root.rglob("*")) if p.is_file()}
    doc = {
        "format": "dhakira-package/1",
        "signer_private_key_hex": KEY.hex(),
        "valid": {"files_hex": files},
        "invalid": [{"name": n, "mutation": m, "expect": e} for n, m, e in INVALID],
    }
    (HERE / "package_vectors.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
