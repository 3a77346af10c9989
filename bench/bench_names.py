"""Benchmark dhakira.core.names: how well compare tells names apart, and how fast it is.

Accuracy, on the held-out part of the evaluation set in bench/data/names/ (see its README):
recall at 1 % and 0.1 % false-match rate and the area under the ROC curve, for Latin–Latin
and Latin–Arabic pairs, for ``compare`` and, on the same pairs in the same run, plain
Jaro-Winkler (jellyfish) on the normalised names. Cross-script, plain Jaro-Winkler sees two
alphabets, so it is also shown on the project's consonant keys (``name_key``).

Speed: name_key / normalise / compare throughput on generated names, against plain
``unicodedata.normalize("NFKC", s).casefold()`` over the same names.

Writes bench/results/names.json.

Usage: .venv/bin/python bench/bench_names.py [--quick] [--seed N] [--split test|dev]
       [--previous-model OLD_spelling_model.json]
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import random
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from jellyfish import jaro_winkler_similarity

from dhakira.core.names import TABLES_VERSION, _spelling, compare, name_key, normalise
from dhakira.core.names._shape import shape
from dhakira.core.names._similarity import _graded, _unit_similarity, rule_similarity
from dhakira.core.names.compare import _lineage_gender, _normalised
from dhakira.core.names.parse import parse_name

# The module, not the function the package exports under the same name.
compare_module = importlib.import_module("dhakira.core.names.compare")
DATA = Path(__file__).parent / "data" / "names"
FALSE_MATCH_RATES = (0.01, 0.001)

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


def load_pairs(split: str) -> list[dict[str, str]]:
    """The evaluation pairs of one split ('test' is held out: never tune on it)."""
    with (DATA / f"pairs_{split}.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def recall_at(pos: np.ndarray, neg: np.ndarray, rate: float) -> float:
    """Recall at the lowest threshold whose false-match rate (score >= t) is at most rate."""
    for t in np.unique(np.concatenate([pos, neg])):
        if (neg >= t).mean() <= rate:
            return float((pos >= t).mean())
    return 0.0


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Area under the ROC curve (ties count one half)."""
    scores = np.concatenate([pos, neg])
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n_pos, n_neg = len(pos), len(neg)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def plain_jw(a: str, b: str) -> float:
    return jaro_winkler_similarity(normalise(a), normalise(b))


def key_jw(a: str, b: str) -> float:
    return jaro_winkler_similarity(name_key(a), name_key(b))


def metrics(rows: Sequence[dict[str, str]], score: Callable[[str, str], float]) -> dict[str, float]:
    # Every pair here is new to the caches: the speed of compare on names it has not seen.
    start = time.perf_counter()
    if score is compare_rules_only:
        with rules_only():
            values = np.array([compare(r["a"], r["b"]) for r in rows])
    elif score is compare_previous_model:
        assert PREVIOUS_MODEL is not None
        with stored_model(PREVIOUS_MODEL):
            values = np.array([compare(r["a"], r["b"]) for r in rows])
    else:
        clear_caches()
        values = np.array([score(r["a"], r["b"]) for r in rows])
    seconds = time.perf_counter() - start
    is_pos = np.array([r["label"] == "pos" for r in rows])
    pos, neg = values[is_pos], values[~is_pos]
    out: dict[str, float] = {f"recall_at_fmr_{rate:g}": round(recall_at(pos, neg, rate), 4)
                             for rate in FALSE_MATCH_RATES}
    out["roc_auc"] = round(auc(pos, neg), 4)
    out["negatives_scoring_1"] = round(float((neg >= 1.0).mean()), 4)
    out["positives_scoring_1"] = round(float((pos >= 1.0).mean()), 4)
    out["pairs_per_s"] = round(len(rows) / seconds) if seconds else 0.0
    return out


@contextmanager
def rules_only() -> Iterator[None]:
    """compare as it was before the learned spelling model: the hand-written unit score."""
    saved = compare_module.unit_similarity
    compare_module.unit_similarity = rule_similarity
    clear_caches()
    try:
        yield
    finally:
        compare_module.unit_similarity = saved
        clear_caches()


def compare_rules_only(a: str, b: str) -> float:
    with rules_only():
        return compare(a, b)


# --previous-model: a spelling model file measured beside the stored one, in the same run.
PREVIOUS_MODEL: Path | None = None


@contextmanager
def stored_model(path: Path) -> Iterator[None]:
    """compare with another spelling model file (the one it replaces, to measure against)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    built = {name: _spelling.Model(d) for name, d in data["models"].items()}
    saved = _spelling.models, _spelling._blends
    _spelling.models = lambda: built  # type: ignore[assignment]
    _spelling._blends = lambda: data["blend"]  # type: ignore[assignment]
    clear_caches()
    try:
        yield
    finally:
        _spelling.models, _spelling._blends = saved  # type: ignore[assignment]
        clear_caches()


def compare_previous_model(a: str, b: str) -> float:
    assert PREVIOUS_MODEL is not None
    with stored_model(PREVIOUS_MODEL):
        return compare(a, b)


SCORERS: dict[str, Callable[[str, str], float]] = {
    "compare": compare, "compare_previous_model": compare_previous_model,
    "compare_rules_only": compare_rules_only, "jaro_winkler": plain_jw,
    "jaro_winkler_on_keys": key_jw}


def accuracy(split: str, sources: Sequence[str] = ()) -> dict[str, object]:
    rows = [r for r in load_pairs(split) if not sources or r["source"] in sources]
    result: dict[str, object] = {"split": split}
    for scripts in ("latn-latn", "latn-arab"):
        part = [r for r in rows if r["scripts"] == scripts]
        entry: dict[str, object] = {
            "positives": sum(r["label"] == "pos" for r in part),
            "negatives": sum(r["label"] == "neg" for r in part),
            "hard_negatives": sum(r["negative"] == "hard" for r in part),
        }
        for name, fn in SCORERS.items():
            if name == "jaro_winkler_on_keys" and scripts == "latn-latn":
                continue
            if name == "compare_previous_model" and PREVIOUS_MODEL is None:
                continue
            entry[name] = metrics(part, fn)
        result[scripts] = entry
    return result


def generate(n: int, rng: random.Random) -> list[str]:
    """n synthetic names, half Arabic script, half Latin, 2-4 parts, some with titles."""
    names = []
    for i in range(n):
        parts, nisbas = (ARABIC, NISBA_AR) if i % 2 else (LATIN, NISBA_LA)
        chain = " ".join(rng.choice(parts) for _ in range(rng.randint(2, 3)))
        names.append(f"{rng.choice(TITLES)}{chain} {rng.choice(nisbas)}".strip())
    return names


def clear_caches() -> None:
    for fn in (name_key, shape, _unit_similarity, _graded, _spelling.cross_fit,
               _spelling.latin_fit, parse_name, _normalised, _lineage_gender,
               compare_module._particles):
        fn.cache_clear()


def timed(fn: Callable[[str], object], items: Sequence[str]) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def baseline(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def speed(n: int, seed: int) -> dict[str, object]:
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
    with rules_only():
        start = time.perf_counter()
        for a, b in pairs:
            compare(a, b)
        cmp_rules = time.perf_counter() - start

    def per_s(seconds: float, count: int = n) -> float:
        return round(count / seconds) if seconds else 0.0

    return {
        "names": n,
        "seed": seed,
        "baseline_nfkc_casefold_per_s": per_s(base),
        "name_key_cold_cache_per_s": per_s(cold),
        "name_key_warm_cache_per_s": per_s(warm),
        "normalise_per_s": per_s(norm),
        "compare_pairs": len(pairs),
        "compare_cold_cache_per_s": per_s(cmp_cold, len(pairs)),
        "compare_rules_only_cold_cache_per_s": per_s(cmp_rules, len(pairs)),
        "name_key_cold_vs_baseline": round(cold / base, 1) if base else None,
        "normalise_vs_baseline": round(norm / base, 1) if base else None,
    }


def _print_accuracy(acc: dict[str, object]) -> None:
    print(f"accuracy on the {acc['split']} split of bench/data/names")
    for scripts in ("latn-latn", "latn-arab"):
        entry = acc[scripts]
        assert isinstance(entry, dict)
        print(f"  {scripts}: {entry['positives']:,} positives, {entry['negatives']:,} negatives "
              f"({entry['hard_negatives']:,} hard)")
        for name in SCORERS:
            if name in entry:
                m = entry[name]
                print(f"    {name:<21} recall@1% {m['recall_at_fmr_0.01']:.3f}  "
                      f"recall@0.1% {m['recall_at_fmr_0.001']:.3f}  AUC {m['roc_auc']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20,000 names instead of 200,000")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--source", action="append", default=[],
                        help="only pairs from this source (wikidata, arabnamer, demo)")
    parser.add_argument("--accuracy-only", action="store_true")
    parser.add_argument("--previous-model", type=Path,
                        help="a spelling_model.json to measure beside the stored one")
    args = parser.parse_args()
    global PREVIOUS_MODEL
    PREVIOUS_MODEL = args.previous_model
    acc = accuracy(args.split, args.source)
    _print_accuracy(acc)
    if args.accuracy_only:
        return
    by_source = {s: accuracy(args.split, [s]) for s in ("wikidata", "arabnamer")}
    result = {
        "tables_version": TABLES_VERSION,
        "python": sys.version.split()[0],
        "accuracy": acc,
        "accuracy_by_source": by_source,
        "speed": speed(20_000 if args.quick else 200_000, args.seed),
    }
    out = Path(__file__).parent / "results" / "names.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    s = result["speed"]
    print(f"{s['names']:,} names (tables {TABLES_VERSION})")
    print(f"  baseline NFKC+casefold : {s['baseline_nfkc_casefold_per_s']:>10,} /s")
    print(f"  name_key, cold caches  : {s['name_key_cold_cache_per_s']:>10,} /s "
          f"({s['name_key_cold_vs_baseline']}x baseline time)")
    print(f"  name_key, warm caches  : {s['name_key_warm_cache_per_s']:>10,} /s")
    print(f"  normalise              : {s['normalise_per_s']:>10,} /s "
          f"({s['normalise_vs_baseline']}x baseline time)")
    print(f"  compare, cold caches   : {s['compare_cold_cache_per_s']:>10,} pairs/s")
    print(f"  the same, rules only   : {s['compare_rules_only_cold_cache_per_s']:>10,} pairs/s")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
