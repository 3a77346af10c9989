"""Build the names evaluation set in bench/data/names/ from public name lists.

Sources (see bench/data/names/README.md for licences):

* ``wikidata``: the attested Arabic → Latin name units shipped in the ``arabic-name-romanizer``
  wheel (``resources/names.sqlite3``, table ``units``; Wikidata labels, CC0, plus the CC0 / MIT
  Algerian corpora), rows of Arabic-speaking countries only;
* ``arabnamer``: the English → Arabic dictionary shipped in the ``arabnamer`` wheel
  (``data/dict_FINAL.json``, CC-BY-4.0), single names and ʿAbd compounds only;
* ``demo``: the project's own synthetic stock (``dhakira.apps.demo._names_data``), dev split only,
  because the comparison was first written against it.

A *name* is one Arabic spelling (folded, spaces and a leading article removed). Its Latin spellings are the
attested ones that belong to it alone. Positives are two spellings of one name (Latin–Latin)
or the Arabic spelling and one Latin spelling (Latin–Arabic). Negatives pair two different
names: half random, half hard (each spelling's nearest spelling of another name by
Jaro-Winkler). Names are split, not pairs: a name's SHA-256 decides whether all of its pairs
are held out (test) or used for tuning (dev); negatives pair names of one split only.

Usage: python bench/_names_evalset.py WHEELS_DIR
  (WHEELS_DIR holds the two wheels unpacked, e.g. after ``pip download --no-deps
  arabic-name-romanizer==0.2.0 arabnamer==0.1.3`` and ``unzip``.)
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

from jellyfish import jaro_winkler_similarity

from dhakira.apps.demo._names_data import FEMALE, MALE
from dhakira.core.names import normalise_arabic, normalise_latin

OUT = Path(__file__).parent / "data" / "names"
ARAB_COUNTRIES = frozenset(
    ["DZ", "MA", "TN", "MR", "EG", "SA", "AE", "QA", "KW", "BH", "OM", "YE", "IQ", "JO", "PS", "SY", "LB", "SD", "LY", "SO", "DJ", "KM"]
)
TEST_SHARE = 3  # in 10: names whose hash ends in 0, 1 or 2 are held out
MIN_COUNT = 2  # a Wikidata spelling seen once is too often a typo
MIN_SHARE = 0.8  # a Latin spelling must belong to one name this much to be used
MAX_SPELLINGS = 6  # per name and source: generated variant lists are long
_LATIN_OK = re.compile(r"^[a-z][a-z' \-]*[a-z]$")
_ARABIC_OK = re.compile("^[\u0621-\u064a ]+$")


# A doubled ي or و written for one long vowel or glide (محيي / محي الدين, داوود / داود) is one
# spelling choice, not another name: both fold to one letter.
_DOUBLED = re.compile("(ي|و)\\1+")


def group_key(arabic: str) -> str:
    """One key per name: folded, spaces removed, a leading article dropped (al-Ashqar is
    Ashqar with the article, not another name), a doubled ي or و written once."""
    key = _DOUBLED.sub(r"\1", normalise_arabic(arabic).replace(" ", ""))
    return key[2:] if key.startswith("ال") and len(key) >= 5 else key


def split_of(key: str) -> str:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return "test" if digest[0] % 10 < TEST_SHARE else "dev"


def _latin(text: str) -> str | None:
    folded = normalise_latin(text)
    return folded if _LATIN_OK.match(text.casefold().strip()) and folded else None


def wikidata(root: Path) -> dict[str, tuple[str, Counter[str]]]:
    db = sqlite3.connect(next(root.rglob("names.sqlite3")))
    rows = db.execute("select arabic_key, latin, country, count from units")
    names: dict[str, tuple[str, Counter[str]]] = {}
    for arabic, latin, country, count in rows:
        if country not in ARAB_COUNTRIES or not _ARABIC_OK.match(arabic):
            continue
        folded = _latin(latin)
        if folded is None:
            continue
        key = group_key(arabic)
        names.setdefault(key, (normalise_arabic(arabic), Counter()))[1][folded] += count
    return names


def arabnamer(root: Path) -> dict[str, tuple[str, Counter[str]]]:
    data = json.loads(next(root.rglob("dict_FINAL.json")).read_text(encoding="utf-8"))
    names: dict[str, tuple[str, Counter[str]]] = {}
    for latin, arabic in data.items():
        words = arabic.split()
        if not _ARABIC_OK.match(arabic) or (len(words) > 1 and words[0] != "عبد"):
            continue
        folded = _latin(latin)
        if folded is None:
            continue
        names.setdefault(group_key(arabic), (arabic, Counter()))[1][folded] += MIN_COUNT
    return names


def demo() -> dict[str, tuple[str, Counter[str]]]:
    names: dict[str, tuple[str, Counter[str]]] = {}
    for arabic, spellings in (*MALE, *FEMALE):
        counts: Counter[str] = Counter({normalise_latin(s): MIN_COUNT for s in spellings})
        names[group_key(arabic)] = (arabic, counts)
    return names


def owned(sources: dict[str, dict[str, tuple[str, Counter[str]]]]) -> dict[str, str]:
    """Latin spelling → the one name it belongs to (ambiguous spellings are dropped)."""
    total: dict[str, Counter[str]] = defaultdict(Counter)
    for names in sources.values():
        for key, (_, counts) in names.items():
            for latin, n in counts.items():
                total[latin][key] += n
    owner = {}
    for latin, by_name in total.items():
        key, n = by_name.most_common(1)[0]
        if n >= MIN_SHARE * sum(by_name.values()):
            owner[latin] = key
    return owner


def attested(sources: dict[str, dict[str, tuple[str, Counter[str]]]]) -> dict[str, set[str]]:
    """Name → every Latin spelling the sources give it at least MIN_COUNT times, owned or not.

    A negative pair whose spelling the sources give to the other name too is not two
    different names: :func:`_pairs` labels it a positive (``negative`` column ``attested``)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for names in sources.values():
        for key, (_, counts) in names.items():
            out[key].update(counts)
    return {key: {s for s, n in counts.items() if n >= MIN_COUNT} for key, counts in out.items()}


def nearest(word: str, pool: list[tuple[str, str]], not_key: str) -> tuple[str, str] | None:
    best, best_score = None, -1.0
    for other, key in pool:
        if key == not_key:
            continue
        score = jaro_winkler_similarity(word, other)
        if score > best_score:
            best, best_score = (other, key), score
    return best


def _by_initial(pool: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in pool:
        index[item[0][:1]].append(item)
    return index


def build(root: Path) -> dict[str, list[tuple[str, ...]]]:
    rng = random.Random(15)
    sources = {"wikidata": wikidata(root), "arabnamer": arabnamer(root), "demo": demo()}
    owner = owned(sources)
    seen = attested(sources)
    # name key -> (arabic, {latin: source}); the first source to attest a spelling names it.
    names: dict[str, tuple[str, dict[str, str]]] = {}
    for source, found in sources.items():
        for key, (arabic, counts) in found.items():
            kept = [s for s, n in counts.most_common() if n >= MIN_COUNT and owner.get(s) == key]
            entry = names.setdefault(key, (normalise_arabic(arabic), {}))
            for latin in kept[:MAX_SPELLINGS]:
                entry[1].setdefault(latin, source)
    demo_keys = set(sources["demo"])
    rows: dict[str, list[tuple[str, ...]]] = {"dev": [], "test": []}
    for split in rows:
        keys = sorted(k for k, (_, sp) in names.items() if sp and (
            "dev" if k in demo_keys else split_of(k)) == split)
        rows[split] = _pairs(keys, names, rng, seen)
    return rows


def _label(row: tuple[str, ...], seen: dict[str, set[str]]) -> tuple[str, ...]:
    """A negative whose Latin spelling the sources also give to the other name is one name."""
    label, _, scripts, source, a, b, key_a, key_b = row
    if label != "neg":
        return row
    if scripts == "latn-arab":  # (Arabic of key_a, Latin of key_b)
        one = b in seen.get(key_a, ())
    else:  # (Latin of key_a, Latin of key_b)
        one = b in seen.get(key_a, ()) or a in seen.get(key_b, ())
    return ("pos", "attested", scripts, source, a, b, key_a, key_b) if one else row


def _pairs(keys: list[str], names: dict[str, tuple[str, dict[str, str]]],
           rng: random.Random, seen: dict[str, set[str]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    latin_pool = [(s, k) for k in keys for s in names[k][1]]
    arabic_pool = [(names[k][0], k) for k in keys]
    by_initial = _by_initial(latin_pool)
    for key in keys:
        arabic, spellings = names[key]
        listed = sorted(spellings)
        for i, a in enumerate(listed):
            source = spellings[a]
            out.append(("pos", "", "latn-arab", source, arabic, a, key, key))
            for b in listed[i + 1 :]:
                out.append(("pos", "", "latn-latn", source, a, b, key, key))
            near = nearest(a, by_initial[a[:1]], key)
            if near:
                out.append(("neg", "hard", "latn-latn", source, a, near[0], key, near[1]))
                out.append(("neg", "hard", "latn-arab", source, arabic, near[0], key, near[1]))
            far = rng.choice(latin_pool)
            if far[1] != key:
                out.append(("neg", "random", "latn-latn", source, a, far[0], key, far[1]))
                far_ar = names[far[1]][0]
                out.append(("neg", "random", "latn-arab", source, far_ar, a, far[1], key))
        near_ar = nearest(arabic, arabic_pool, key)
        if near_ar and listed:
            # The nearest other Arabic name against this name's usual Latin spelling.
            out.append(("neg", "hard", "latn-arab", spellings[listed[0]], near_ar[0], listed[0],
                        near_ar[1], key))
    return [_label(row, seen) for row in out]


HEADER = ("label", "negative", "scripts", "source", "a", "b", "name_a", "name_b")


def main() -> int:
    root = Path(sys.argv[1])
    OUT.mkdir(parents=True, exist_ok=True)
    for split, rows in build(root).items():
        with (OUT / f"pairs_{split}.tsv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter="\t", lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)
        counts = Counter((r[0], r[1], r[2]) for r in rows)
        print(split, len(rows), dict(sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
