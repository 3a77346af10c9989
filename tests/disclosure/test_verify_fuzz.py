"""The recipient's verifier answers damaged or malformed packages in one line, never a traceback.

Issue 16 #12: one flipped bit in the package zip gave a ``BadZipFile`` traceback. Each case
here runs the verifier's command line in process on a mutated copy of a small signed package
and checks the exit status and what it printed; any exception fails the test.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.disclosure.disclosure_helpers import FINGERPRINT, SIGNER_KEY, build

from dhakira.core.handover import verify

pytestmark = pytest.mark.backend_independent


def fuzz(cases: int) -> settings:
    return settings(max_examples=cases, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


@functools.cache
def _original() -> bytes:
    """The genuine package zip every case mutates (a function, so reports do not print it)."""
    with tempfile.TemporaryDirectory() as tmp:
        return build(Path(tmp) / "pkg").to_zip(Path(tmp) / "pkg.zip").read_bytes()


_NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40) \
    .filter(lambda n: not n.endswith("/"))


def _members(data: bytes) -> dict[str, bytes] | None:
    """Every member's bytes, or None if the archive cannot be read back."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return {i.filename: zf.read(i) for i in zf.infolist()}
    except Exception:
        return None


def _run(path: Path, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = verify.main([str(path), "--fingerprint", FINGERPRINT, *extra])
        except SystemExit as exc:  # argparse only; never expected here
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _check(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    code, out, err = _run(path)
    assert "Traceback" not in out + err
    if code == 0:
        # OK is allowed only when every member still reads back exactly as signed.
        assert _members(data) == _members(_original()), "OK for altered content"
        assert "OK: signed by the pinned key" in out
    elif code == 1:
        assert "PROBLEM " in out and "FAILED" in out
    else:
        assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("error: ")


@fuzz(2000)
@given(st.lists(st.integers(min_value=0), min_size=1, max_size=3))
def test_issue16_12_bit_flips_are_named_not_crashed(workdir: Path, bits: list[int]) -> None:
    data = bytearray(_original())
    for bit in bits:
        bit %= len(data) * 8
        data[bit // 8] ^= 1 << (bit % 8)
    _check(workdir / "flip.zip", bytes(data))


@fuzz(500)
@given(st.integers(min_value=0))
def test_issue16_12_truncations_are_named_not_crashed(workdir: Path, cut: int) -> None:
    _check(workdir / "cut.zip", _original()[: cut % len(_original())])


def _rezip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@fuzz(500)
@given(st.data())
def test_issue16_12_edited_members_are_named(workdir: Path, data: st.DataObject) -> None:
    members = _members(_original())
    assert members is not None
    name = data.draw(st.sampled_from(sorted(members)))
    action = data.draw(st.sampled_from(["replace", "drop", "add", "rename"]))
    blob = data.draw(st.binary(max_size=300))
    if action == "replace":
        members[name] = blob
    elif action == "drop":
        del members[name]
    elif action == "add":
        members[data.draw(_NAMES)] = blob
    else:
        members[data.draw(_NAMES)] = members.pop(name)
    _check(workdir / "edit.zip", _rezip(members))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=20)
_ENTRY = st.dictionaries(st.sampled_from(["path", "sha256", "size", "role", "item_id"]), _JSON,
                         max_size=5)
_MANIFEST = st.one_of(
    _JSON,
    st.fixed_dictionaries({"format": st.sampled_from([verify.FORMAT, "x"]),
                           "files": st.one_of(_JSON, st.lists(_ENTRY, max_size=5))},
                          optional={"custody_head": _JSON}),
    st.binary(max_size=200),
)


@fuzz(600)
@given(_MANIFEST, st.booleans())
def test_issue16_12_junk_manifests_signed_by_the_real_key_are_named(
        workdir: Path, manifest: object, as_dir: bool) -> None:
    # Signed with the real key, so the junk gets past the signature into the parser.
    body = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    members = _members(_original())
    assert members is not None
    members["manifest.json"] = body
    members["manifest.sig"] = base64.b64encode(Ed25519PrivateKey.from_private_bytes(SIGNER_KEY)
                                               .sign(body))
    if not as_dir:
        _check(workdir / "junk.zip", _rezip(members))
        return
    root = workdir / "junk"
    for rel, content in members.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    code, out, err = _run(root)
    assert code == 1 and "Traceback" not in out + err and "PROBLEM " in out


def test_issue16_12_a_flipped_bit_in_a_member_names_that_file(workdir: Path) -> None:
    # The red team's case, run as the recipient runs it: the standalone file, its own process.
    with zipfile.ZipFile(io.BytesIO(_original())) as zf:
        info = zf.getinfo("files/AU-0003.ogg")
    data = bytearray(_original())
    data[info.header_offset + 30 + len(info.filename) + 5] ^= 0x10  # inside its deflate stream
    path = workdir / "flipped.zip"
    path.write_bytes(bytes(data))
    result = subprocess.run([sys.executable, "-I", verify.__file__, str(path), "--fingerprint",
                             FINGERPRINT], capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "files/AU-0003.ogg" in result.stdout
    assert any(line.startswith(("PROBLEM DAMAGED: files/AU-0003.ogg",
                                "PROBLEM ALTERED: files/AU-0003.ogg"))
               for line in result.stdout.splitlines())
