"""Benchmark building and verifying an evidence package against ``sha256sum`` in the same run.

Usage: ``.venv/bin/python bench/bench_disclosure.py [--quick | --full] [--files N --mib M]``

``--quick`` (the default): 200 files, 200 MiB. ``--full``: 10,000 files, 5 GiB (needs ~11 GiB
of free disk in the work directory). File sizes are mixed like an evidence locker: a few
large videos, many photos and documents, many small notes.

Contenders, over the same files, each after a warm-up read so all read from the page cache:

* ``sha256sum``: the coreutils command over every source file (the floor for "hash it all").
* ``hashlib``: Python's SHA-256 (OpenSSL) reading every file in 1 MiB chunks, no copy.
* ``build``: ``PackageBuilder`` copying every file into ``files/`` while hashing, plus text,
  custody, load file, manifests and signature.
* ``verify``: ``dhakira.core.handover.verify.verify_package`` over the finished package.

Writes bench/results/disclosure.json (one section per size) and prints a summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dhakira.core.handover import PackageBuilder, verify
from dhakira.core.vault.signing import Signer

MIB = 1024 * 1024
RESULTS = Path(__file__).parent / "results" / "disclosure.json"
BLOCK = os.urandom(4 * MIB)


def sizes_for(n_files: int, total: int, rng: random.Random) -> list[int]:
    """Split ``total`` bytes over ``n_files``: 2 % get half the bytes, the rest share the other half."""
    big = max(1, n_files // 50)
    small = n_files - big
    sizes = [total // 2 // big] * big
    weights = [rng.paretovariate(1.5) for _ in range(small)]
    scale = (total - sum(sizes)) / sum(weights)
    sizes += [max(1, int(w * scale)) for w in weights]
    rng.shuffle(sizes)
    return sizes


def make_files(folder: Path, sizes: list[int]) -> list[Path]:
    """Write unique files quickly: an 8-byte counter header, then slices of one random block."""
    paths = []
    for i, size in enumerate(sizes):
        path = folder / f"src{i:05d}.bin"
        with path.open("wb") as out:
            out.write(i.to_bytes(8, "big")[:size])
            left, offset = max(0, size - 8), (i * 7919) % len(BLOCK)
            while left:
                chunk = BLOCK[offset : offset + left]
                out.write(chunk)
                left -= len(chunk)
                offset = 0
        paths.append(path)
    return paths


def warm(paths: list[Path]) -> None:
    for path in paths:
        with path.open("rb") as fh:
            while fh.read(8 * MIB):
                pass


def run_sha256sum(paths: list[Path]) -> float:
    start = time.perf_counter()
    for i in range(0, len(paths), 500):
        subprocess.run(["sha256sum", *map(str, paths[i : i + 500])], check=True,
                       stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_hashlib(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(MIB):
                digest.update(chunk)
    return time.perf_counter() - start


def run_build(paths: list[Path], out: Path) -> float:
    start = time.perf_counter()
    builder = PackageBuilder(
        out, package_id="BENCH-1", recipient="bench", purpose="bench", policy="pseudonymised",
        created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC), signer=Signer.from_private_bytes(bytes(32)),
    )
    fake_orig = "0" * 64
    for i, path in enumerate(paths):
        item = f"I-{i:05d}"
        parent = f"I-{i - 1:05d}" if i % 10 == 9 else None  # every tenth is an attachment
        builder.add_file(item, path, role="native", ext="bin", stands_for_sha256=fake_orig,
                         parent=parent, relationship="attachment" if parent else None,
                         confidentiality="confidential")
        if i % 4 == 0:
            builder.add_text(item, f"extracted text {i}\n", stands_for_sha256=fake_orig,
                             confidentiality="confidential")
        builder.add_custody(item, [{"event": "export", "seq": i}])
    builder.finish()
    return time.perf_counter() - start


def run_verify(out: Path) -> tuple[float, bool, int]:
    start = time.perf_counter()
    report = verify.verify_package(str(out))
    return time.perf_counter() - start, report.ok, report.files_checked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="200 files, 200 MiB (default)")
    mode.add_argument("--full", action="store_true", help="10,000 files, 5 GiB")
    parser.add_argument("--files", type=int, help="number of files (overrides the mode)")
    parser.add_argument("--mib", type=int, help="total MiB (overrides the mode)")
    parser.add_argument("--workdir", default=None, help="where to put the temporary files")
    args = parser.parse_args()
    n_files = args.files or (10_000 if args.full else 200)
    total = (args.mib or (5 * 1024 if args.full else 200)) * MIB
    rng = random.Random(8)
    with tempfile.TemporaryDirectory(dir=args.workdir, prefix="bench-disclosure-") as tmp:
        src, out = Path(tmp) / "src", Path(tmp) / "pkg"
        src.mkdir()
        t0 = time.perf_counter()
        paths = make_files(src, sizes_for(n_files, total, rng))
        actual = sum(p.stat().st_size for p in paths)
        print(f"made {len(paths)} files, {actual / MIB:.0f} MiB in {time.perf_counter() - t0:.1f} s")
        warm(paths)
        t_sum = run_sha256sum(paths)
        t_hashlib = run_hashlib(paths)
        t_build = run_build(paths, out)
        shutil.rmtree(src)  # verification reads the package only; free the space and cache
        warm([p for p in out.rglob("*") if p.is_file()])
        t_verify, ok, checked = run_verify(out)
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "files": len(paths), "bytes": actual, "verify_ok": ok, "files_checked": checked,
        "seconds": {"sha256sum": round(t_sum, 3), "hashlib": round(t_hashlib, 3),
                    "build": round(t_build, 3),
                    "verify": round(t_verify, 3)},
        "mib_per_s": {k: round(actual / MIB / v, 1) for k, v in
                      (("sha256sum", t_sum), ("hashlib", t_hashlib), ("build", t_build),
                       ("verify", t_verify))},
        "ratio_to_sha256sum": {"build": round(t_build / t_sum, 2),
                               "verify": round(t_verify / t_sum, 2)},
    }
    RESULTS.parent.mkdir(exist_ok=True)
    # One file, one section per size, so a quick run does not erase the full figures.
    doc = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    doc[f"{len(paths)}_files_{actual // MIB}_mib"] = result
    RESULTS.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    print(f"{len(paths)} files, {actual / MIB:.0f} MiB, verify ok={ok}")
    for key in ("sha256sum", "hashlib", "build", "verify"):
        print(f"  {key:9s} {result['seconds'][key]:8.2f} s  {result['mib_per_s'][key]:7.1f} MiB/s")
    print(f"  build = {result['ratio_to_sha256sum']['build']}x sha256sum, "
          f"verify = {result['ratio_to_sha256sum']['verify']}x sha256sum")


if __name__ == "__main__":
    main()
