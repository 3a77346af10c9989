"""Benchmark the leak scan: thousands of protected names against a package, one pass.

Usage: ``.venv/bin/python bench/bench_leaks.py [--quick] [--terms N] [--mib M]``

A synthetic package of text files (Arabic and Latin words) is scanned for N synthetic names
(half Arabic, half Latin; two are planted). Contenders, over the same files, warm cache:

* ``grep``: GNU ``grep -F -i -c -f terms`` in the C locale (Aho–Corasick / Commentz–Walter over the UTF-8
  forms only: it cannot take UTF-16 patterns, and it does no Arabic normalisation);
* ``find_leaks``: Dhakira's scanner (every form, UTF-8 and UTF-16, normalised text too);
* ``compile``: building the scanner for N terms (paid once per package).

Writes bench/results/leaks.json and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

from dhakira.core.handover import find_leaks
from dhakira.core.handover.leaks import _scanner

MIB = 1024 * 1024
RESULTS = Path(__file__).parent / "results" / "leaks.json"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN = "abcdefghijklmnopqrstuvwxyz"


def _name(rng: random.Random, letters: str, parts: int) -> str:
    words = ("".join(rng.choices(letters, k=rng.randint(3, 7))) for _ in range(parts))
    return " ".join(w.title() for w in words)


def make_package(root: Path, terms: int, mib: float, rng: random.Random) -> list[str]:
    """Write ~``mib`` MiB of text files under ``root``; return the forbidden names."""
    names = [_name(rng, ARABIC if i % 2 else LATIN, rng.randint(2, 4)) for i in range(terms)]
    words = [_name(rng, ARABIC + LATIN[:8], 1) for _ in range(5000)]
    (root / "text").mkdir(parents=True)
    written, index = 0, 0
    while written < mib * MIB:
        body = " ".join(rng.choices(words, k=40_000))
        if index in (3, 7):  # two planted leaks
            body += " " + names[index * 11]
        data = body.encode("utf-8")
        (root / "text" / f"E-{index:04d}.txt").write_bytes(data)
        written += len(data)
        index += 1
    return names


def run(terms: int, mib: float) -> dict[str, object]:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-leaks-") as tmp:
        root = Path(tmp) / "package"
        names = make_package(root, terms, mib, rng)
        patterns = Path(tmp) / "terms.txt"
        patterns.write_text("\n".join(names) + "\n", encoding="utf-8")
        files = sorted(str(p) for p in (root / "text").iterdir())
        nbytes = sum(Path(f).stat().st_size for f in files)
        for f in files:  # warm the page cache for both
            Path(f).read_bytes()
        t0 = time.perf_counter()
        # The C locale: byte-wise matching is grep's fastest mode (UTF-8 -i is far slower).
        subprocess.run(["grep", "-F", "-i", "-c", "-f", str(patterns), *files],
                       stdout=subprocess.DEVNULL, check=False, env={**os.environ, "LC_ALL": "C"})
        t1 = time.perf_counter()
        _scanner(tuple(names))
        t2 = time.perf_counter()
        leaks = find_leaks(root, names)
        t3 = time.perf_counter()
    assert len(leaks) == 2, leaks
    return {"terms": terms, "bytes": nbytes, "files": len(files), "leaks_found": len(leaks),
            "seconds": {"grep": t1 - t0, "compile": t2 - t1, "find_leaks": t3 - t2},
            "mib_per_s": {"grep": nbytes / MIB / (t1 - t0), "find_leaks": nbytes / MIB / (t3 - t2)},
            "ratio_to_grep": (t1 - t0) / (t3 - t2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="13,000 terms, 8 MiB (default)")
    parser.add_argument("--terms", type=int, default=13_000)
    parser.add_argument("--mib", type=float, default=8.0)
    args = parser.parse_args()
    result = run(args.terms, args.mib)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    s, r = result["seconds"], result["mib_per_s"]
    print(f"leak scan, {result['terms']:,} terms over {result['bytes'] / MIB:.1f} MiB: "
          f"find_leaks {r['find_leaks']:.1f} MiB/s (compile {s['compile']:.1f} s once), "  # type: ignore[index]
          f"grep -F {r['grep']:.1f} MiB/s; ratio {result['ratio_to_grep']:.2f}")  # type: ignore[index]


if __name__ == "__main__":
    main()
