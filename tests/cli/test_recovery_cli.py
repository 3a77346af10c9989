"""Recovery shares through the real CLI: split 5 ways, open with any 3, refuse everything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.keys_helpers import custody_events, make_vault, run, secret

# Each test makes its own embedded vault in its own processes: the PostgreSQL leg skips them.
pytestmark = pytest.mark.backend_independent


@pytest.fixture(scope="module")
def split_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    base = tmp_path_factory.mktemp("recovery")
    vault = make_vault(base)
    files = [base / f"share{n}.txt" for n in range(1, 6)]
    args = [a for f in files for a in ("--share-file", str(f))]
    result = run("recovery", "split", "--vault", str(vault), "--passphrase-file", str(base / "pass"),
                 "--shares", "5", "--threshold", "3", *args)
    assert result.returncode == 0, result.stderr
    return vault, files


def words(path: Path) -> str:
    return [line for line in path.read_text().splitlines() if not line.startswith("#")][0]


@pytest.mark.slow
def test_split_writes_five_shares_and_stores_none_of_them(split_vault: tuple[Path, list[Path]]) -> None:
    vault, files = split_vault
    shares = [words(f) for f in files]
    assert len(set(shares)) == 5 and all(len(s.split()) == 33 for s in shares)
    assert all(f.stat().st_mode & 0o077 == 0 for f in files)
    held = b"".join(p.read_bytes() for p in vault.rglob("*") if p.is_file())
    for share in shares:
        assert share.encode() not in held
    assert len(list((vault / "keyslots").glob("recovery-*.json"))) == 1
    made = [e for e in custody_events(vault) if e["event"] == "recovery shares made"]
    assert made and made[0]["shares"] == 5 and made[0]["threshold"] == 3


def test_any_three_of_five_shares_set_a_new_passphrase(split_vault: tuple[Path, list[Path]],
                                                      tmp_path: Path) -> None:
    vault, files = split_vault
    new = secret(tmp_path, "new", "a brand new recovered passphrase")
    chosen = [files[4], files[1], files[2]]
    result = run("recovery", "open", "--vault", str(vault), "--new-passphrase-file", str(new),
                 "--label", "after-loss", *[a for f in chosen for a in ("--share-file", str(f))])
    assert result.returncode == 0, result.stderr
    check = run("verify", "--vault", str(vault), "--passphrase-file", str(new))
    assert check.returncode == 0, check.stderr
    opened = [e for e in custody_events(vault) if e["event"] == "recovery shares opened the vault"]
    assert opened and opened[0]["new_slot"] == "after-loss"


@pytest.mark.parametrize(("case", "expected"), [
    ("two", "too few shares: 2 different shares given, 3 needed"),
    ("same-twice", "too few shares"),
    ("damaged", "share 2 is not a valid recovery share"),
    ("mixed", "the shares come from different recovery sets"),
])
def test_bad_shares_are_refused_with_one_line_and_recorded(
        split_vault: tuple[Path, list[Path]], tmp_path: Path, case: str, expected: str) -> None:
    vault, files = split_vault
    shares = [words(f) for f in files[:3]]
    if case == "two":
        shares = shares[:2]
    elif case == "same-twice":
        shares = [shares[0], shares[0], shares[1]]
    elif case == "damaged":
        parts = shares[1].split()
        parts[7] = "academic" if parts[7] != "academic" else "acid"
        shares[1] = " ".join(parts)
    else:
        other = tmp_path / "other"
        make_vault(other, fresh=True)  # another vault, another data key
        out = [other / f"o{n}" for n in range(3)]
        made = run("recovery", "split", "--vault", str(other / "v"), "--passphrase-file",
                   str(other / "pass"), "--shares", "3", "--threshold", "2",
                   *[a for f in out for a in ("--share-file", str(f))])
        assert made.returncode == 0, made.stderr
        shares[2] = words(out[0])
    paths = [secret(tmp_path, f"s{n}", s) for n, s in enumerate(shares)]
    result = run("recovery", "open", "--vault", str(vault), "--check",
                 *[a for p in paths for a in ("--share-file", str(p))])
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert "Traceback" not in result.stderr
    for share in shares:  # the refusal never repeats a share's words
        assert " ".join(share.split()[:3]) not in result.stderr
    listed = run("recovery", "list", "--vault", str(vault), "--passphrase-file",
                 str(vault.parent / "pass"))
    assert listed.returncode == 0, listed.stderr
    refused = [e for e in custody_events(vault) if e["event"] == "recovery refused"]
    assert any(expected in str(e["reason"]) for e in refused)


def test_shares_of_a_revoked_slot_open_nothing(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    files = [tmp_path / f"r{n}" for n in range(3)]
    made = run("recovery", "split", "--vault", str(vault), "--passphrase-file", str(tmp_path / "pass"),
               "--shares", "3", "--threshold", "2", *[a for f in files for a in ("--share-file", str(f))])
    assert made.returncode == 0, made.stderr
    replaced = run("recovery", "split", "--vault", str(vault), "--passphrase-file",
                   str(tmp_path / "pass"), "--shares", "2", "--threshold", "2", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert "Revoked 1 older recovery slot." in replaced.stderr
    assert replaced.stdout.count("# Dhakira recovery share") == 2
    result = run("recovery", "open", "--vault", str(vault), "--check",
                 "--share-file", str(files[0]), "--share-file", str(files[1]))
    assert result.returncode == 2 and "belong to no recovery slot" in result.stderr
    events = [e["event"] for e in custody_events(vault)]
    assert events.count("recovery shares made") == 2


def test_a_threshold_of_one_out_of_many_is_refused(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    result = run("recovery", "split", "--vault", str(vault), "--passphrase-file", str(tmp_path / "pass"),
                 "--shares", "3", "--threshold", "1")
    assert result.returncode != 0 and "threshold of 2 or more" in result.stderr
    assert not list((vault / "keyslots").glob("recovery-*"))
    assert run("check", "--vault", str(vault), "--passphrase-file", str(tmp_path / "pass")).returncode == 0
