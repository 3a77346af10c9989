"""The recipient's verifier names each kind of tampering."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.disclosure.disclosure_helpers import FINGERPRINT, SIGNER_KEY

from dhakira.core.handover import verify


def _run(package: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    # The copy shipped in the package, as the recipient would run it.
    return subprocess.run([sys.executable, "-I", str(package / "verify.py"), str(package), *extra],
                          capture_output=True, text=True, check=False)


def _kinds(package: Path, **kw: bytes) -> list[tuple[str, str]]:
    report = verify.verify_package(str(package), **kw)
    return [(p.kind, p.path) for p in report.problems]


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def test_it_names_an_altered_file(package: Path) -> None:
    target = package / "files" / "E-0001.eml"
    target.write_bytes(target.read_bytes().replace(b"report", b"rep0rt"))
    assert _kinds(package) == [("altered", "files/E-0001.eml")]
    result = _run(package)
    assert result.returncode == 1
    assert "PROBLEM ALTERED: files/E-0001.eml" in result.stdout


def test_it_names_a_missing_file(package: Path) -> None:
    (package / "text" / "E-0001.txt").unlink()
    assert _kinds(package) == [("missing", "text/E-0001.txt")]
    assert "PROBLEM MISSING: text/E-0001.txt" in _run(package).stdout


def test_it_names_an_added_file(package: Path) -> None:
    (package / "files" / "X-9999.jpg").write_bytes(b"planted")
    assert _kinds(package) == [("extra", "files/X-9999.jpg")]
    assert "PROBLEM EXTRA: files/X-9999.jpg" in _run(package).stdout


def test_it_names_a_renamed_file(package: Path) -> None:
    (package / "files" / "AU-0003.ogg").rename(package / "files" / "AU-0003.mp3")
    assert _kinds(package) == [("renamed", "files/AU-0003.ogg")]
    out = _run(package).stdout
    assert "renamed from files/AU-0003.ogg to files/AU-0003.mp3" in out


def test_it_names_an_edited_manifest_as_forged(package: Path) -> None:
    # The attacker alters a file and edits the manifest to match: only the signature catches it.
    target = package / "files" / "TL-0005.txt"
    target.write_bytes(b"a different translation")
    manifest = json.loads((package / "manifest.json").read_bytes())
    for entry in manifest["files"]:
        if entry["path"] == "files/TL-0005.txt":
            entry["sha256"] = verify.hashlib.sha256(b"a different translation").hexdigest()
            entry["size"] = len(b"a different translation")
    (package / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    assert _kinds(package) == [("forged_manifest", "manifest.json")]
    result = _run(package)
    assert result.returncode == 1 and "Signature: NOT VALID" in result.stdout


def test_it_catches_an_attackers_key_when_the_real_key_is_given(package: Path,
                                                                  tmp_path: Path) -> None:
    attacker = Ed25519PrivateKey.generate()
    (package / "files" / "E-0002.pdf").write_bytes(b"%PDF forged")
    manifest = json.loads((package / "manifest.json").read_bytes())
    for entry in manifest["files"]:
        if entry["path"] == "files/E-0002.pdf":
            entry["sha256"] = verify.hashlib.sha256(b"%PDF forged").hexdigest()
            entry["size"] = len(b"%PDF forged")
    body = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    (package / "manifest.json").write_bytes(body)
    (package / "manifest.sig").write_bytes(base64.b64encode(attacker.sign(body)))
    (package / "public_key.pem").write_bytes(_pem(attacker))
    # With the package's own (swapped) key, only the key file's hash gives it away...
    assert ("altered", "public_key.pem") in _kinds(package)
    # ...with the real key received out of band, the manifest is named as forged.
    real = tmp_path / "real.pem"
    real.write_bytes(_pem(Ed25519PrivateKey.from_private_bytes(SIGNER_KEY)))
    result = _run(package, "--public-key", str(real))
    assert result.returncode == 1
    assert "PROBLEM FORGED_MANIFEST: manifest.json" in result.stdout
    assert verify.fingerprint(Ed25519PrivateKey.from_private_bytes(SIGNER_KEY).public_key()
                              .public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)) in result.stdout


def test_it_names_a_missing_signature(package: Path) -> None:
    (package / "manifest.sig").unlink()
    assert _kinds(package) == [("forged_manifest", "manifest.json")]


def test_it_rejects_manifest_paths_that_escape_the_package(package: Path) -> None:
    key = Ed25519PrivateKey.from_private_bytes(SIGNER_KEY)
    manifest = json.loads((package / "manifest.json").read_bytes())
    manifest["files"].append({"path": "../outside", "sha256": "0" * 64, "size": 0})
    body = json.dumps(manifest).encode()
    (package / "manifest.json").write_bytes(body)
    (package / "manifest.sig").write_bytes(base64.b64encode(key.sign(body)))
    assert ("forged_manifest", "../outside") in _kinds(package)


def test_it_reports_json_and_exit_codes(package: Path, tmp_path: Path) -> None:
    (package / "files" / "X-1.bin").write_bytes(b"x")
    result = _run(package, "--json")
    doc = json.loads(result.stdout)
    assert result.returncode == 1 and doc["ok"] is False
    assert _run(package).stdout.splitlines()[-1] == "FAILED (1 problem)"  # not "1 problem(s)"
    assert doc["problems"] == [{"kind": "extra", "path": "files/X-1.bin",
                                "detail": "present but not listed in the manifest"}]
    assert doc["key_fingerprint"].startswith("SHA256:")
    missing = subprocess.run([sys.executable, "-I", str(package / "verify.py"),
                              str(tmp_path / "nowhere")], capture_output=True, text=True,
                             check=False)
    assert missing.returncode == 2 and "not a package" in missing.stderr


def test_it_reports_every_problem_at_once(package: Path) -> None:
    (package / "text" / "E-0001.txt").unlink()
    (package / "files" / "E-0001.eml").write_bytes(b"changed")
    (package / "extra.txt").write_text("x")
    assert sorted(_kinds(package)) == [("altered", "files/E-0001.eml"), ("extra", "extra.txt"),
                                       ("missing", "text/E-0001.txt")]
    assert _run(package).stdout.splitlines()[-1] == "FAILED (3 problems)"


def test_it_names_a_duplicate_member_in_a_zip(package: Path, tmp_path: Path) -> None:
    import warnings
    import zipfile

    from dhakira.core.handover import to_zip

    path = to_zip(package, tmp_path / "p.zip")
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        zf.writestr("files/E-0001.eml", b"shadow copy")
    kinds = _kinds(path)
    assert ("unexpected", "files/E-0001.eml") in kinds


def test_it_names_a_symbolic_link(package: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("outside")
    (package / "files" / "L-1.txt").symlink_to(tmp_path / "outside.txt")
    assert ("unexpected", "files/L-1.txt") in _kinds(package)


def test_a_fifo_is_named_not_waited_on(package: Path) -> None:
    """A FIFO in an unpacked package made the verifier wait for ever on its read (found by
    a red-team pass); a package holds plain files only."""
    import os

    os.mkfifo(package / "files" / "zz")
    os.replace(package / "manifest.json", package / "manifest.real")
    os.mkfifo(package / "manifest.json")
    done = subprocess.run([sys.executable, "-I", verify.__file__, str(package)],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode != 0 and "not a regular file" in done.stdout + done.stderr
    os.remove(package / "manifest.json")
    os.replace(package / "manifest.real", package / "manifest.json")
    assert ("unexpected", "files/zz") in _kinds(package)


@pytest.mark.parametrize("added", ["files/RECORDS.json/", "files/secret/"])
def test_a_folder_entry_or_a_comment_in_a_zip_is_named(package: Path, tmp_path: Path,
                                                        added: str) -> None:
    """The verifier skipped folder entries, data and all: `files/RECORDS.json/` verified OK
    but stood where unzip must write RECORDS.json (found by a red-team pass)."""
    import zipfile

    from dhakira.core.handover import to_zip

    path = to_zip(package, tmp_path / "p.zip")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(zipfile.ZipInfo(added), b"hidden bytes")
        zf.comment = b"a note for no one"
    kinds = _kinds(path)
    assert ("unexpected", added) in kinds and ("unexpected", "(zip comment)") in kinds


def test_a_package_re_zipped_with_empty_folder_entries_still_verifies(package: Path,
                                                                      tmp_path: Path) -> None:
    """Zipping tools (macOS's Archive Utility) add an empty entry for every folder: such a
    re-zipped package must still verify (the review of this change found it refused)."""
    import zipfile

    path = tmp_path / "rezipped.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("files/"), b"")
        for file in sorted(p for p in package.rglob("*") if p.is_file()):
            zf.write(file, file.relative_to(package).as_posix())
    assert _kinds(path) == []


def _resign_with_a_new_key(package: Path) -> None:
    """The red team's proof: alter a file, fix every hash, swap in a new key and re-sign."""
    attacker = Ed25519PrivateKey.generate()
    raw = attacker.public_key().public_bytes(serialization.Encoding.Raw,
                                             serialization.PublicFormat.Raw)
    (package / "files" / "E-0002.pdf").write_bytes(b"%PDF forged")
    (package / "public_key.pem").write_bytes(_pem(attacker))
    signer = json.loads((package / "signer.json").read_text())
    signer["public_key_fingerprint"] = verify.fingerprint(raw)
    (package / "signer.json").write_text(json.dumps(signer, indent=2) + "\n")
    manifest = json.loads((package / "manifest.json").read_bytes())
    manifest["signer"]["public_key_fingerprint"] = verify.fingerprint(raw)
    for entry in manifest["files"]:
        data = (package / entry["path"]).read_bytes()
        entry["sha256"], entry["size"] = verify.hashlib.sha256(data).hexdigest(), len(data)
    body = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    (package / "manifest.json").write_bytes(body)
    (package / "manifest.sig").write_bytes(base64.b64encode(attacker.sign(body)))


def _own_verifier(package: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    # The recipient's own copy, obtained separately: the one in the package may be replaced too.
    return subprocess.run([sys.executable, "-I", verify.__file__, str(package), *extra],
                          capture_output=True, text=True, check=False)


def test_finding_09_a_package_resigned_with_a_new_key_is_refused_with_the_pinned_fingerprint(
        package: Path) -> None:
    _resign_with_a_new_key(package)
    # Integrity alone is satisfied: every hash and the signature match the attacker's key.
    assert verify.verify_package(str(package)).intact
    result = _own_verifier(package, "--fingerprint", FINGERPRINT)
    assert result.returncode == 1
    assert "PROBLEM UNTRUSTED_KEY: public_key.pem" in result.stdout
    assert "OK" not in result.stdout
    # The fingerprint is accepted however it was written down.
    assert verify.verify_package(str(package), fingerprint=FINGERPRINT.lower().replace(
        " ", "").removeprefix("sha256:")).problems[0].kind == "untrusted_key"


def test_finding_09_the_real_key_given_as_a_file_also_refuses_it(package: Path,
                                                                  tmp_path: Path) -> None:
    _resign_with_a_new_key(package)
    real = tmp_path / "real.pem"
    real.write_bytes(_pem(Ed25519PrivateKey.from_private_bytes(SIGNER_KEY)))
    result = _own_verifier(package, "--key", str(real))
    assert result.returncode == 1 and "PROBLEM FORGED_MANIFEST: manifest.json" in result.stdout


def test_finding_09_without_a_pinned_key_it_never_says_ok(package: Path) -> None:
    untouched = _own_verifier(package)
    assert untouched.returncode == 1
    assert "UNVERIFIED: no pinned key given" in untouched.stdout and "OK" not in untouched.stdout
    _resign_with_a_new_key(package)
    forged = _own_verifier(package)
    assert forged.returncode == 1 and "UNVERIFIED: no pinned key given" in forged.stdout
    assert json.loads(_own_verifier(package, "--json").stdout)["ok"] is False


def test_finding_09_the_genuine_package_is_ok_with_the_pinned_fingerprint(package: Path) -> None:
    result = _own_verifier(package, "--fingerprint", FINGERPRINT)
    assert result.returncode == 0, result.stdout
    assert "OK: signed by the pinned key" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("unaltered (no problems)")  # not "0 problem(s)"


@pytest.mark.parametrize("bad", ["SHA256:65B6", "not hex at all", ""])
def test_a_short_or_malformed_fingerprint_is_a_usage_error(package: Path, bad: str) -> None:
    result = _own_verifier(package, "--fingerprint", bad)
    assert result.returncode == 2 and "--fingerprint takes" in result.stderr


def test_a_key_file_that_is_not_a_key_is_a_usage_error(package: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("not a key")
    result = _own_verifier(package, "--key", str(junk))
    assert result.returncode == 2 and "--key" in result.stderr and "Traceback" not in result.stderr
