"""Benchmark the blob store and the custody ledger against baselines run in the same process.

Usage: ``.venv/bin/python bench/bench_custody.py [--quick]``

Blobs: ``BlobStore.put_stream`` over ~500 MB of random files (``--quick``: ~50 MB) against
``sha256sum`` (subprocess) and a raw AES-256-GCM pass (1 MiB chunks) over the same files,
then ``verify_blob`` (decrypt + re-hash) over what was stored. The files are read from the
page cache by every contender (a warm-up read comes first), so the figures compare CPU and
copying; ``put`` includes an fsync per blob, so a plain copy with fsync is timed too as
the disk's floor.

Custody: appending and verifying 20,000 entries (``--quick``: 2,000) against plain SHA-256
over the same canonical bytes.

Writes bench/results/custody.json and prints a summary.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cryptography
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dhakira.core.custody import Signer, append, verify_chain
from dhakira.core.vault.blobs import BlobStore

MIB = 1024 * 1024
RESULTS = Path(__file__).parent / "results" / "custody.json"


def file_sizes(scale: float, rng: random.Random) -> list[int]:
    """A mix like an evidence locker: a few videos, many photos and documents, small notes."""
    plan = [(4, 64 * MIB), (10, 16 * MIB), (50, MIB + 1), (200, 64 * 1024)]
    sizes = [int(size * scale) for count, size in plan for _ in range(count)]
    sizes += [rng.randrange(0, 10_000) for _ in range(30)]
    return sizes


def make_files(folder: Path, sizes: list[int]) -> list[Path]:
    paths = []
    for i, size in enumerate(sizes):
        path = folder / f"f{i:04d}.bin"
        with path.open("wb") as out:
            left = size
            while left:
                n = min(left, 8 * MIB)
                out.write(os.urandom(n))
                left -= n
        paths.append(path)
    return paths


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def raw_aesgcm(paths: list[Path]) -> None:
    aead = AESGCM(os.urandom(32))
    for path in paths:
        with path.open("rb") as f:
            counter = 0
            while chunk := f.read(MIB):
                aead.encrypt(counter.to_bytes(12, "big"), chunk, b"")
                counter += 1


def copy_with_fsync(paths: list[Path], dest: Path) -> None:
    """The I/O floor: copy each file 1 MiB at a time and fsync it, as put does."""
    dest.mkdir()
    for path in paths:
        with path.open("rb") as src, (dest / path.name).open("wb") as out:
            while chunk := src.read(MIB):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())


def put_without_fsync(paths: list[Path], root: Path) -> float:
    """Diagnostic only: how much of put's time is the fsync (the store always syncs)."""
    store = BlobStore(root, os.urandom(32))
    real_fsync = os.fsync
    os.fsync = lambda fd: None  # type: ignore[assignment]
    try:
        return timed(lambda: [store.put_stream(p.open("rb")) for p in paths])
    finally:
        os.fsync = real_fsync


def bench_blobs(scale: float, workdir: Path) -> dict:
    sizes = file_sizes(scale, random.Random(7))
    src = workdir / "src"
    src.mkdir()
    paths = make_files(src, sizes)
    total = sum(sizes)
    subprocess.run(["cat", *map(str, paths)], stdout=subprocess.DEVNULL, check=True)  # warm

    t_sha = timed(
        lambda: subprocess.run(
            ["sha256sum", *map(str, paths)], stdout=subprocess.DEVNULL, check=True
        )
    )
    t_aes = timed(lambda: raw_aesgcm(paths))
    t_copy = timed(lambda: copy_with_fsync(paths, workdir / "copy"))
    store = BlobStore(workdir / "vault", os.urandom(32))
    stored = []

    def put_all() -> None:
        for path in paths:
            with path.open("rb") as f:
                stored.append(store.put_stream(f))

    t_put = timed(put_all)
    t_verify = timed(lambda: [store.verify_blob(s.sha256) for s in stored])
    t_put_nosync = put_without_fsync(paths, workdir / "vault-nosync")
    mbs = lambda t: round(total / t / 1e6, 1)  # noqa: E731
    return {
        "files": len(paths),
        "bytes": total,
        "sha256sum_MBps": mbs(t_sha),
        "raw_aesgcm_MBps": mbs(t_aes),
        "baseline_sha256sum_plus_aesgcm_MBps": mbs(t_sha + t_aes),
        "copy_with_fsync_MBps": mbs(t_copy),
        "put_MBps": mbs(t_put),
        "verify_blob_MBps": mbs(t_verify),
        "put_without_fsync_MBps_diagnostic": mbs(t_put_nosync),
        "put_vs_baseline": round((t_sha + t_aes) / t_put, 3),
        "seconds": {
            "sha256sum": t_sha,
            "raw_aesgcm": t_aes,
            "copy_with_fsync": t_copy,
            "put": t_put,
            "put_without_fsync": t_put_nosync,
            "verify": t_verify,
        },
    }


def bench_custody(n: int) -> dict:
    signer = Signer.generate()
    start = datetime(2026, 11, 25, tzinfo=UTC)
    entries = []

    def append_all() -> None:
        prev = None
        for i in range(n):
            prev = append(
                prev,
                signer,
                actor="documenter-3",
                action="read_protected" if i % 3 else "intake",
                subject=f"EV-{i:06d}",
                subject_hash=hashlib.sha256(str(i).encode()).hexdigest(),
                detail={"reason": "review", "n": i},
                now=start + timedelta(seconds=i),
            )
            entries.append(prev)

    t_append = timed(append_all)
    keys = {signer.key_id: signer.public_key_bytes()}
    report = None

    def verify() -> None:
        nonlocal report
        report = verify_chain(entries, keys)

    t_verify = timed(verify)
    assert report is not None and report.ok
    canon = [e.canonical_bytes() for e in entries]
    t_sha = timed(lambda: [hashlib.sha256(c).digest() for c in canon])
    return {
        "entries": n,
        "append_per_s": round(n / t_append),
        "verify_per_s": round(n / t_verify),
        "baseline_sha256_per_s": round(n / t_sha),
        "seconds": {"append": t_append, "verify": t_verify, "sha256": t_sha},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="~50 MB and 2,000 entries")
    args = parser.parse_args()
    scale, n = (0.1, 2_000) if args.quick else (1.0, 20_000)
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-") as tmp:
        blobs = bench_blobs(scale, Path(tmp))
    custody = bench_custody(n)
    result = {
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mode": "quick" if args.quick else "full",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "cryptography": cryptography.__version__,
        },
        "blobs": blobs,
        "custody": custody,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"blobs: {blobs['bytes'] / 1e6:.0f} MB in {blobs['files']} files; "
        f"put {blobs['put_MBps']} MB/s "
        f"({blobs['put_without_fsync_MBps_diagnostic']} without fsync), verify {blobs['verify_blob_MBps']} MB/s; "
        f"sha256sum {blobs['sha256sum_MBps']} MB/s, raw AES-GCM {blobs['raw_aesgcm_MBps']} MB/s, "
        f"plain copy+fsync {blobs['copy_with_fsync_MBps']} MB/s; "
        f"put/baseline(sha256sum+AES-GCM) = {blobs['put_vs_baseline']}"
    )
    print(
        f"custody: {custody['entries']} entries; append {custody['append_per_s']}/s, "
        f"verify {custody['verify_per_s']}/s; sha256 baseline {custody['baseline_sha256_per_s']}/s"
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
