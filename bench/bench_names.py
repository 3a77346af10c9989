"""Benchmark dhakira.names: name_key / normalise / compare throughput.

Baseline in the same run: plain ``unicodedata.normalize("NFKC", s).casefold()`` over the same
generated names. Writes bench/results/names.json.

Usage: .venv/bin/python bench/bench_names.py [--quick] [--seed N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from dhakira.names import TABLES_VERSION, compare, name_key, normalise
from dhakira.names._shape import shape
from dhakira.names._similarity import unit_similarity
from dhakira.names.parse import parse_name

# Synthetic name parts only; spelled variously on purpose.
ARABIC = ["محمد", "علي", "حسين", "أحمد", "خالد", "عمر", "عمار", "يوسف", "حسن", "مُحَمَّد",
          "عبد الرحمن", "عبد الله", "نور الدين", "إبراهيم", "فاطمة", "زينب", "جاسم", "كاظم",
          "سعيد", "محمود", "ياسر", "مروان", "طه", "عيسى", "صدام", "وليد", "هشام", "حسام"]
LATIN = ["Mohammed", "Muhammad", "Mohamad", "Ali", "Hussein", "Husayn", "Ahmed", "Ahmad",
         "Khalid", "Khaled", "Omar", "Ammar", "Yousef", "Yusuf", "Hasan", "Abdul Rahman",
         "Abd al-Rahman", "Abdullah", "Nour el-Din", "Ibrahim", "Fatima", "Zainab", "Jasim",
         "Kadhim", "Saeed", "Mahmoud", "Yasser", "Marwan", "Taha", "Issa", "Walid", "Hisham"]
NISBA_AR = ["الجبوري", "الدليمي", "التكريتي", "العبيدي", "", "", ""]
NISBA_LA = ["al-Jubouri", "Al Dulaimi", "el-Tikriti", "al-Obaidi", "", "", ""]
TITLES = ["", "", "", "", "Sheikh ", "Hajji ", "الحاج ", "Dr. "]


def generate(n: int, rng: random.Random) -> list[str]:
    """n synthetic names, half Arabic script, half Latin, 2-4 parts, some with titles."""
    names = []
    for i in range(n):
        parts, nisbas = (ARABIC, NISBA_AR) if i % 2 else (LATIN, NISBA_LA)
        chain = " ".join(rng.choice(parts) for _ in range(rng.randint(2, 3)))
        names.append(f"{rng.choice(TITLES)}{chain} {rng.choice(nisbas)}".strip())
    return names


def clear_caches() -> None:
    for fn in (name_key, shape, unit_similarity, parse_name):
        fn.cache_clear()


def timed(fn: Callable[[str], object], items: Sequence[str]) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def baseline(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def run(n: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    names = generate(n, rng)
    base = timed(baseline, names)
    clear_caches()
    cold = timed(name_key, names)
    warm = timed(name_key, names)
    norm = timed(normalise, names)
    pairs = [(rng.choice(names), rng.choice(names)) for _ in range(max(n // 10, 1000))]
    clear_caches()
    start = time.perf_counter()
    for a, b in pairs:
        compare(a, b)
    cmp_cold = time.perf_counter() - start

    def per_s(seconds: float, count: int = n) -> float:
        return round(count / seconds) if seconds else 0.0

    return {
        "names": n,
        "seed": seed,
        "tables_version": TABLES_VERSION,
        "python": sys.version.split()[0],
        "baseline_nfkc_casefold_per_s": per_s(base),
        "name_key_cold_cache_per_s": per_s(cold),
        "name_key_warm_cache_per_s": per_s(warm),
        "normalise_per_s": per_s(norm),
        "compare_pairs": len(pairs),
        "compare_cold_cache_per_s": per_s(cmp_cold, len(pairs)),
        "name_key_cold_vs_baseline": round(cold / base, 1) if base else None,
        "normalise_vs_baseline": round(norm / base, 1) if base else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20,000 names instead of 200,000")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    result = run(20_000 if args.quick else 200_000, args.seed)
    out = Path(__file__).parent / "results" / "names.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{result['names']:,} names (tables {TABLES_VERSION})")
    print(f"  baseline NFKC+casefold : {result['baseline_nfkc_casefold_per_s']:>10,} /s")
    print(f"  name_key, cold caches  : {result['name_key_cold_cache_per_s']:>10,} /s "
          f"({result['name_key_cold_vs_baseline']}x baseline time)")
    print(f"  name_key, warm caches  : {result['name_key_warm_cache_per_s']:>10,} /s")
    print(f"  normalise              : {result['normalise_per_s']:>10,} /s "
          f"({result['normalise_vs_baseline']}x baseline time)")
    print(f"  compare, cold caches   : {result['compare_cold_cache_per_s']:>10,} pairs/s")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
