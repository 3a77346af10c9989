"""Learn the spelling model of dhakira.core.names._spelling from the dev split of bench/data/names.

Only the dev split is read (the test split is held out). Dev names are split again by name:
about 70 % teach the letter-to-letters probabilities (expectation-maximisation over every way
of writing one spelling as another), the other 30 % fit the few weights that blend the model's
fit with the hand-written score (logistic regression, by hand with numpy), so the weights are
fitted on pairs the letter model never saw.

Writes src/dhakira/core/names/data/spelling_model.json.

Round 9 tried a blend that also reads the rules' reason and the consonant keys
(``combined_features``, not stored: it lost on the held-out split); ``--cross-validate``
prints its recall at 1 % false matches against the eight inputs' (5-fold by name, inside
the calibration share of dev).

Usage: python bench/_names_train.py [--iterations N] [--blend-only [--direction arab|latn]]
       [--cross-validate]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from dhakira.core.names import _spelling as sp

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data" / "names"
OUT = ROOT.parent / "src" / "dhakira" / "core" / "names" / "data" / "spelling_model.json"
CALIBRATION_SHARE = 3  # in 10 dev names: fit the blend, not the letters
BACKOFF = 3.0  # pseudo-counts pulling a letter's positional table to its overall one
PRUNE = 1e-5  # probabilities below this are not stored (UNSEEN stands in)
Counts = dict[str, dict[str, float]]


def dev_rows() -> list[dict[str, str]]:
    with (DATA / "pairs_dev.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def part_of(row: dict[str, str]) -> str:
    """'fit' when both names of the pair fall in the calibration share, else 'letters'."""
    def cal(key: str) -> bool:
        return hashlib.sha256(("calibration:" + key).encode()).digest()[0] % 10 < CALIBRATION_SHARE
    return "fit" if cal(row["name_a"]) and cal(row["name_b"]) else (
        "letters" if not cal(row["name_a"]) and not cal(row["name_b"]) else "none")


def _steps(source: str) -> list[str]:
    n = len(source)
    keys = []
    for i in range(n + 1):
        keys.append("I" + sp.slot_position(i, n))
        if i < n:
            keys.append("E" + source[i] + sp.position(i, n))
    return keys


def _table(key: str, emit: Counts, insert: Counts) -> tuple[dict[str, float], int]:
    if key[0] == "I":
        return insert.get(key[1:], {}), sp.MAX_INSERT
    return emit.get(key[1:], {}), sp.MAX_EMIT


def expected_counts(pairs: Iterable[tuple[str, str]], emit: Counts, insert: Counts,
                    default: float) -> tuple[Counts, float]:
    """One E-step: expected uses of each emission and insertion, and the log-likelihood."""
    counts: Counts = defaultdict(lambda: defaultdict(float))
    total = 0.0
    for source, target in pairs:
        m = len(target)
        steps = [_table(k, emit, insert) for k in _steps(source)]
        alphas = [[1.0] + [0.0] * m]
        for table, k_max in steps:
            prev, out = alphas[-1], [0.0] * (m + 1)
            for j, a in enumerate(prev):
                if a:
                    for k in range(min(k_max, m - j) + 1):
                        out[j + k] += a * table.get(target[j : j + k], default)
            alphas.append(out)
        z = alphas[-1][m]
        if z <= 0:
            continue
        total += math.log(z)
        beta = [0.0] * m + [1.0]
        for s in range(len(steps) - 1, -1, -1):
            (table, k_max), key, alpha = steps[s], _steps(source)[s], alphas[s]
            new = [0.0] * (m + 1)
            for j in range(m + 1):
                for k in range(min(k_max, m - j) + 1):
                    y = target[j : j + k]
                    p = table.get(y, default)
                    new[j] += p * beta[j + k]
                    if alpha[j] and beta[j + k]:
                        counts[key][y] += alpha[j] * p * beta[j + k] / z
            beta = new
    return counts, total


def maximise(counts: Counts) -> tuple[Counts, Counts]:
    """M-step: positional tables backed off to each letter's overall table."""
    overall: Counts = defaultdict(lambda: defaultdict(float))
    for key, ys in counts.items():
        if key[0] == "E":
            for y, c in ys.items():
                overall[key[1:-1]][y] += c
    emit: Counts = {}
    insert: Counts = {}
    for key, ys in counts.items():
        total = sum(ys.values())
        if key[0] == "I":
            insert[key[1:]] = {y: c / total for y, c in ys.items() if c / total >= PRUNE}
            continue
        base = overall[key[1:-1]]
        base_total = sum(base.values())
        table = {}
        for y, c in base.items():
            p = (ys.get(y, 0.0) + BACKOFF * c / base_total) / (total + BACKOFF)
            if p >= PRUNE:
                table[y] = p
        emit[key[1:]] = table
    return emit, insert


def bigram(texts: Iterable[str]) -> Counts:
    counts: Counts = defaultdict(lambda: defaultdict(float))
    for text in texts:
        prev = "^"
        for ch in (*text, "$"):
            counts[prev][ch] += 1
            prev = ch
    alphabet = "abcdefghijklmnopqrstuvwxyz$"
    out: Counts = {}
    for prev, nxt in counts.items():
        total = sum(nxt.values()) + 0.1 * len(alphabet)
        out[prev] = {ch: (nxt.get(ch, 0.0) + 0.1) / total for ch in alphabet}
    return out


def train(pairs: list[tuple[str, str]], iterations: int) -> dict[str, Counts]:
    emit: Counts = {}
    insert: Counts = {}
    for it in range(iterations):
        counts, loglik = expected_counts(pairs, emit, insert, 0.1 if it == 0 else sp.UNSEEN)
        emit, insert = maximise(counts)
        print(f"  iteration {it + 1}: log-likelihood {loglik:,.0f}", file=sys.stderr)
    targets = {t for _, t in pairs}
    return {"emit": emit, "insert": insert, "bigram": bigram(targets)}


def _rounded(tables: dict[str, Counts]) -> dict[str, Counts]:
    return {name: {k: {y: float(f"{p:.4g}") for y, p in v.items()} for k, v in t.items()}
            for name, t in tables.items()}


def letter_pairs(rows: list[dict[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Training pairs of each model: spellings of one name ('arab', 'latn') and hard
    negatives, a spelling and the nearest spelling of another name ('arab_near', 'latn_near')."""
    out: dict[str, list[tuple[str, str]]] = {"arab": [], "latn": [], "arab_near": [],
                                             "latn_near": []}
    for r in rows:
        if part_of(r) != "letters" or r["negative"] == "random":
            continue
        suffix = "" if r["label"] == "pos" else "_near"
        if r["scripts"] == "latn-arab":
            arabic, latin = (r["a"], r["b"]) if sp.arabic_letters(r["a"]) else (r["b"], r["a"])
            out["arab" + suffix].append((sp.arabic_letters(arabic), sp.latin_letters(latin)))
        else:
            a, b = sp.latin_letters(r["a"]), sp.latin_letters(r["b"])
            out["latn" + suffix] += [(a, b), (b, a)]
    return out


def logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> dict[str, list[float]]:
    """Logistic regression by Newton's method on standardised features (small ridge)."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.c_[(x - mean) / scale, np.ones(len(x))]
    w = np.zeros(z.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        grad = z.T @ (p - y) / len(y) + l2 * w
        hess = (z * (p * (1 - p))[:, None]).T @ z / len(y) + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
        if np.abs(grad).max() < 1e-9:
            break
    return {"mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale],
            "weights": [round(float(v), 6) for v in w]}


# The directions whose blend would also read the rules' reason and the consonant keys
# (combined_features). Round 9 tried it against Arabic: it gained on dev at 1 % false matches in
# every fold split (--cross-validate) and on the whole dev split (0.755 to 0.785) but lost on
# the held-out split (0.864 to 0.850), so no stored blend uses it; between two Latin spellings
# it lost on dev already. Kept here (--cross-validate) so the experiment can be run again; the
# core's blend reads the eight inputs only.
VOWELS_DIFFER, CONSONANTS_DIFFER, NOT_KNOWN = "vowels differ", "consonants differ", "not a known"


def combined_features(base: list[float], reason: str, key_a: str, key_b: str) -> list[float]:
    """sp.features and what else the rules know: which of their readings disagree (vowels,
    consonants, a spelling the known-spellings table does not list) and how near the two
    consonant keys are (Jaro-Winkler, and whether they are equal)."""
    from jellyfish import jaro_winkler_similarity

    rule = base[5]
    vowels = float(VOWELS_DIFFER in reason)
    consonants = float(CONSONANTS_DIFFER in reason)
    return [*base, vowels, consonants, float(NOT_KNOWN in reason),
            jaro_winkler_similarity(key_a, key_b), float(key_a == key_b),
            rule * vowels, rule * consonants]


def blend_rows(rows: list[dict[str, str]], combined: frozenset[str] = frozenset()
               ) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]]:
    """Features, labels, rules' scores and names of the calibration pairs, per direction."""
    from dhakira.core.names._similarity import rule_similarity
    from dhakira.core.names.keys import name_key

    out: dict[str, tuple[list[list[float]], list[float], list[float], list[str]]] = {
        "arab": ([], [], [], []), "latn": ([], [], [], [])}
    for r in rows:
        if part_of(r) != "fit":
            continue
        a, b = r["a"], r["b"]
        rule, reason = rule_similarity(a, b)
        if r["scripts"] == "latn-arab":
            arabic, latin = (a, b) if sp.arabic_letters(a) else (b, a)
            fit, near, length = sp.cross_fit(arabic, latin)
            key = "arab"
        else:
            fit, near, length = sp.latin_fit(a, b) if a <= b else sp.latin_fit(b, a)
            key = "latn"
        x = sp.features(fit, near, length, rule)
        if key in combined:
            x = combined_features(x, reason, name_key(a), name_key(b))
        out[key][0].append(x)
        out[key][1].append(1.0 if r["label"] == "pos" else 0.0)
        out[key][2].append(rule)
        out[key][3].append(r["name_a"])
    return {k: (np.array(x), np.array(y), np.array(rl), names)
            for k, (x, y, rl, names) in out.items()}


def _predict(b: dict[str, list[float]], x: np.ndarray) -> np.ndarray:
    z = ((x - np.array(b["mean"])) / np.array(b["scale"])) @ np.array(b["weights"][:-1])
    return 1.0 / (1.0 + np.exp(-(z + b["weights"][-1])))


def _recall_at_1_percent(pos: np.ndarray, neg: np.ndarray) -> float:
    for t in np.unique(np.concatenate([pos, neg])):
        if (neg >= t).mean() <= 0.01:
            return float((pos >= t).mean())
    return 0.0


def cross_validate(rows: list[dict[str, str]], folds: int = 5) -> None:
    """Recall at 1 % false matches of the unit score (as compare's _graded makes it from the
    blend), each calibration pair scored by a blend fitted on the other folds (split by name,
    three ways of splitting), with the eight inputs and with the combined ones."""
    from dhakira.core.names._similarity import KNOWN_SPELLING, LIFT, SURE

    plain, both = blend_rows(rows, frozenset()), blend_rows(rows, frozenset({"arab", "latn"}))
    for direction in ("arab", "latn"):
        for seed in ("cv:", "cv2:", "cv3:"):
            line = []
            for label, data in (("eight inputs", plain), ("combined", both)):
                x, y, rule, names = data[direction]
                x = x[:, x.std(axis=0) > 0] if label == "combined" else x  # a constant input
                fold = np.array([hashlib.sha256((seed + n).encode()).digest()[0] % folds
                                 for n in names])
                p = np.zeros(len(y))
                for k in range(folds):
                    p[fold == k] = _predict(logistic(x[fold != k], y[fold != k]), x[fold == k])
                lifted = np.where(p >= SURE, rule + LIFT, rule)
                score = np.round(np.minimum(KNOWN_SPELLING * (1 - (1 - p) ** 2), lifted), 6)
                is_pos = y == 1.0
                line.append(f"{label} {_recall_at_1_percent(score[is_pos], score[~is_pos]):.4f}")
            print(f"{direction} folds {seed} recall at 1 %: " + ", ".join(line))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=8)
    parser.add_argument("--blend-only", action="store_true",
                        help="keep the stored letter model, refit the blend")
    parser.add_argument("--direction", choices=("arab", "latn"), action="append", default=[],
                        help="with --blend-only: refit only this direction's blend, keep the other")
    parser.add_argument("--cross-validate", action="store_true",
                        help="print the blends' cross-validated recall on dev, write nothing")
    args = parser.parse_args()
    rows = dev_rows()
    if args.cross_validate:
        cross_validate(rows)
        return 0
    kept: dict[str, dict[str, object]] = {}
    if args.blend_only:
        saved = json.loads(OUT.read_text(encoding="utf-8"))
        stored = saved["models"]
        kept = {k: v for k, v in saved.get("blend", {}).items()
                if args.direction and k not in args.direction}
    else:
        stored = {}
        for name, pairs in letter_pairs(rows).items():
            print(f"{name}: {len(pairs):,} pairs", file=sys.stderr)
            stored[name] = _rounded(train([p for p in pairs if p[0] and p[1]], args.iterations))
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps({"models": stored}, sort_keys=True) + "\n", encoding="utf-8")
        sp.models.cache_clear()
        sp.cross_fit.cache_clear()
        sp.latin_fit.cache_clear()
    blend: dict[str, dict[str, object]] = dict(kept)
    for k, (x, y, _, _) in blend_rows(rows).items():
        if k in kept:
            continue
        blend[k] = logistic(x, y)
    OUT.write_text(json.dumps({"models": stored, "blend": blend}, ensure_ascii=False,
                              sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
