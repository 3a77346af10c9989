"""Building packages: layout, manifest, signature, streaming, zip and sealing."""

from __future__ import annotations

import base64
import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.disclosure.disclosure_helpers import (
    CREATED,
    FINGERPRINT,
    ITEMS,
    SIGNER,
    SIGNER_KEY,
    build,
    sha,
)

from dhakira.core.handover import (
    PackageBuilder,
    PackageError,
    SealError,
    parse_manifest,
    seal_to_recipient,
    to_zip,
    verify,
)

REPO = Path(__file__).resolve().parents[2]


def _all_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_it_builds_a_package_that_verifies(package: Path) -> None:
    report = verify.verify_package(str(package), fingerprint=FINGERPRINT)
    assert report.ok, report.problems
    assert report.files_checked == report.files_listed == len(_all_files(package)) - 2


def test_it_lists_every_file_except_itself_and_the_signature(package: Path) -> None:
    _, entries = parse_manifest((package / "manifest.json").read_bytes())
    listed = {e.path for e in entries}
    assert listed == _all_files(package) - {"manifest.json", "manifest.sig"}
    for entry in entries:
        data = (package / entry.path).read_bytes()
        assert (entry.sha256, entry.size) == (sha(data), len(data))


def test_it_names_files_by_item_id_and_extension_only(package: Path) -> None:
    files = sorted(p.name for p in (package / "files").iterdir())
    assert files == sorted(f"{i}.{ext}" for i, (_r, ext, *_rest) in ITEMS.items())
    assert [p.name for p in (package / "text").iterdir()] == ["E-0001.txt"]


def test_it_records_stands_for_and_family_in_the_manifest(package: Path) -> None:
    _, entries = parse_manifest((package / "manifest.json").read_bytes())
    by_path = {e.path: e for e in entries}
    tl = by_path["files/TL-0005.txt"]
    assert (tl.role, tl.parent, tl.relationship) == ("translation", "TR-0004", "translation")
    assert tl.stands_for == sha(b"orig" + ITEMS["TL-0005"][2])
    assert by_path["files/E-0002.pdf"].relationship == "attachment"
    assert by_path["summary.pdf"].role == "summary"
    assert by_path["verify.py"].role == "verifier"


def test_it_writes_the_manifest_as_csv_too(package: Path) -> None:
    text = (package / "manifest.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    paths = {r["path"] for r in rows}
    assert "files/AU-0003.ogg" in paths and "manifest.csv" not in paths
    au = next(r for r in rows if r["path"] == "files/AU-0003.ogg")
    assert au["sha256"] == sha(ITEMS["AU-0003"][2]) and au["size"] == str(256 * 64)


def test_it_signs_the_exact_manifest_bytes(package: Path) -> None:
    body = (package / "manifest.json").read_bytes()
    sig = base64.b64decode((package / "manifest.sig").read_bytes())
    Ed25519PrivateKey.from_private_bytes(SIGNER_KEY).public_key().verify(sig, body)
    header = json.loads(body)
    assert header["policy"] == "pseudonymised" and header["created_at"] == "2026-11-01T09:30:00+00:00"


def test_it_writes_custody_as_json_lines(package: Path) -> None:
    lines = (package / "custody.jsonl").read_text().splitlines()
    assert [json.loads(x)["item_id"] for x in lines] == ["E-0001"]


def test_it_ships_the_standalone_verifier_unchanged(package: Path) -> None:
    assert (package / "verify.py").read_bytes() == Path(verify.__file__).read_bytes()


def test_it_is_deterministic(tmp_path: Path) -> None:
    a, b = build(tmp_path / "a"), build(tmp_path / "b")
    assert a.manifest_sha256 == b.manifest_sha256
    assert (a.directory / "manifest.sig").read_bytes() == (b.directory / "manifest.sig").read_bytes()


def test_it_streams_from_paths_and_file_objects(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (3 * 1024 * 1024 + 5))
    builder = PackageBuilder(tmp_path / "p", package_id="P1", recipient="r", purpose="p",
                             policy="full", created_at=CREATED, signer=SIGNER)
    e1 = builder.add_file("I-1", big, role="native", ext="bin", stands_for_sha256=sha(b"1"),
                          confidentiality="c")
    e2 = builder.add_file("I-2", io.BytesIO(b"abc"), role="native", ext="bin",
                          stands_for_sha256=sha(b"2"), confidentiality="c")
    assert e1.sha256 == sha(big.read_bytes()) and e1.size == 3 * 1024 * 1024 + 5
    assert e2.sha256 == sha(b"abc")
    assert verify.verify_package(str(builder.finish().directory), fingerprint=FINGERPRINT).ok


@pytest.mark.parametrize("bad", ["../x", "Ahmed Ali.jpg", "أحمد", "a/b", "", ".hidden"])
def test_it_rejects_item_ids_that_are_not_stable_ids(tmp_path: Path, bad: str) -> None:
    builder = PackageBuilder(tmp_path / "p", package_id="P1", recipient="r", purpose="p",
                             policy="full", created_at=CREATED, signer=SIGNER)
    with pytest.raises(PackageError, match="stable ids"):
        builder.add_file(bad, b"x", role="native", ext="jpg", stands_for_sha256=sha(b"x"),
                         confidentiality="c")


def test_it_rejects_duplicates_bad_roles_and_orphan_children(tmp_path: Path) -> None:
    builder = PackageBuilder(tmp_path / "p", package_id="P1", recipient="r", purpose="p",
                             policy="full", created_at=CREATED, signer=SIGNER)
    kw = {"ext": "txt", "stands_for_sha256": sha(b"x"), "confidentiality": "c"}
    builder.add_file("I-1", b"x", role="native", **kw)
    with pytest.raises(PackageError, match="already in the package"):
        builder.add_file("I-1", b"y", role="native", **kw)
    with pytest.raises(PackageError, match="roles"):
        builder.add_file("I-2", b"y", role="custody", **kw)
    with pytest.raises(PackageError, match="relationship"):
        builder.add_file("I-3", b"y", role="native", parent="I-1", relationship="cousin", **kw)
    builder.add_file("I-4", b"y", role="redacted", parent="I-9", relationship="derived", **kw)
    with pytest.raises(PackageError, match="I-9"):
        builder.finish()


def test_it_rejects_a_naive_clock_and_a_non_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="timezone"):
        PackageBuilder(tmp_path / "p", package_id="P1", recipient="r", purpose="p", policy="full",
                       created_at=CREATED.replace(tzinfo=None), signer=SIGNER)
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "leftover").write_text("x")
    with pytest.raises(PackageError, match="not empty"):
        PackageBuilder(tmp_path / "q", package_id="P1", recipient="r", purpose="p", policy="full",
                       created_at=CREATED, signer=SIGNER)


def test_the_shipped_verifier_runs_alone_inside_the_package(package: Path) -> None:
    # Run from inside the package with an isolated interpreter: no dhakira on the path.
    result = subprocess.run([sys.executable, "-I", "verify.py", ".", "--fingerprint", FINGERPRINT],
                            cwd=package,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: signed by the pinned key, package complete and unaltered" in result.stdout
    assert "SHA256:" in result.stdout


def test_python_dash_m_dhakira_verify_works(package: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "dhakira.core.handover.verify", str(package), "--json",
                             "--fingerprint", FINGERPRINT],
                            capture_output=True, text=True, check=False, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True


def test_it_zips_deterministically_with_fixed_metadata(package: Path, tmp_path: Path) -> None:
    a, b = to_zip(package, tmp_path / "a.zip"), to_zip(package, tmp_path / "b.zip")
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "manifest.json"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert all(i.extra == b"" and i.comment == b"" for i in infos)
        assert zf.comment == b""
    assert verify.verify_package(str(a), fingerprint=FINGERPRINT).ok


def test_the_result_zips_itself(tmp_path: Path) -> None:
    result = build(tmp_path / "pkg")
    assert verify.verify_package(str(result.to_zip(tmp_path / "r.zip")),
                                 fingerprint=FINGERPRINT).ok


def test_it_zips_only_what_the_manifest_lists(package: Path, tmp_path: Path) -> None:
    (package / "files" / "stray.jpg").write_bytes(b"stray")
    with zipfile.ZipFile(to_zip(package, tmp_path / "p.zip")) as zf:
        assert "files/stray.jpg" not in zf.namelist()


def test_it_seals_to_the_recipient_only(package: Path, tmp_path: Path) -> None:
    identity = pyrage.x25519.Identity.generate()
    sealed = seal_to_recipient(package, str(identity.to_public()), out_path=tmp_path / "p.age")
    plain = pyrage.decrypt(sealed.read_bytes(), [identity])
    assert plain == to_zip(package, tmp_path / "again.zip").read_bytes()
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(sealed.read_bytes(), [pyrage.x25519.Identity.generate()])
    assert list(tmp_path.glob("*.zip")) == [tmp_path / "again.zip"]  # no plaintext zip left


def test_it_rejects_a_bad_age_key(package: Path, tmp_path: Path) -> None:
    with pytest.raises(SealError, match="age1"):
        seal_to_recipient(package, "ssh-ed25519 AAAA", out_path=tmp_path / "x.age")


def test_a_zip_is_written_by_rename_where_hard_links_are_not_supported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def no_links(*args: object) -> None:  # FAT and exFAT (USB sticks) have no hard links
        raise PermissionError("operation not permitted")

    result = build(tmp_path / "pkg")
    monkeypatch.setattr(os, "link", no_links)
    path = result.to_zip(tmp_path / "pkg.zip")
    assert verify.verify_package(str(path), fingerprint=FINGERPRINT).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg", "pkg.zip"]
    with pytest.raises(FileExistsError):
        result.to_zip(tmp_path / "pkg.zip")
