"""Known-answer package vectors (tests/vectors/packages/README.md)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.vectors.packages.make_package_vectors import build

from dhakira.core.handover import verify

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "packages" /
                      "package_vectors.json").read_text())
# These depend on the bytes of verify.py, which is copied into every package.
VERIFIER_DEPENDENT = {"verify.py", "manifest.csv", "manifest.json", "manifest.sig"}


def _materialise(root: Path) -> Path:
    for rel, hexdata in VECTORS["valid"]["files_hex"].items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(bytes.fromhex(hexdata))
    return root


def _mutate(root: Path, m: dict[str, str]) -> None:
    target = root / m["path"]
    if m["op"] == "write":
        target.write_text(m["utf8"], encoding="utf-8")
    elif m["op"] == "delete":
        target.unlink()
    elif m["op"] == "rename":
        target.rename(root / m["to"])
    elif m["op"] == "replace":
        target.write_text(target.read_text(encoding="utf-8").replace(m["old"], m["new"], 1),
                          encoding="utf-8")


def test_the_valid_vector_verifies(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTORS["signer_private_key_hex"]))
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    assert verify.verify_package(str(_materialise(tmp_path)), public_key_pem=pem).ok


def test_the_valid_vector_checks_independently_of_the_verifier(tmp_path: Path) -> None:
    # Written from docs/disclosure.md with only hashlib and the Ed25519 primitive.
    root = _materialise(tmp_path)
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTORS["signer_private_key_hex"]))
    body = (root / "manifest.json").read_bytes()
    key.public_key().verify(base64.b64decode((root / "manifest.sig").read_bytes()), body)
    for entry in json.loads(body)["files"]:
        data = (root / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]


@pytest.mark.parametrize("case", VECTORS["invalid"], ids=lambda c: c["name"])
def test_each_invalid_vector_is_named(tmp_path: Path, case: dict) -> None:
    root = _materialise(tmp_path)
    _mutate(root, case["mutation"])
    report = verify.verify_package(str(root))
    assert [[p.kind, p.path] for p in report.problems] == case["expect"]


def test_the_builder_reproduces_the_vector(tmp_path: Path) -> None:
    root = build(tmp_path / "again")
    for rel, hexdata in VECTORS["valid"]["files_hex"].items():
        if rel not in VERIFIER_DEPENDENT:
            assert (root / rel).read_bytes().hex() == hexdata, rel
