"""The one-pass leak scanner finds exactly what one search per term and form finds."""

from __future__ import annotations

import random
import re
import unicodedata

from dhakira.core.handover._arabic import fold, normalise_with_map
from dhakira.core.handover.leaks import _Scanner

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")
LETTERS = "زينبعلدحسaliHASNَُِـ "


def _reference(terms: list[str], data: bytes) -> set[str]:
    """The scanner's contract, term by term (as it was implemented before it was compiled)."""
    found = set()
    norm = normalise_with_map(data.decode("utf-8", errors="ignore"))[0]
    for term in terms:
        n = normalise_with_map(term)[0].strip()
        forms = {term, unicodedata.normalize("NFC", term), unicodedata.normalize("NFD", term),
                 n} - {""}
        pats = {f.encode(e) for f in forms for e in ENCODINGS}
        if any(re.search(re.escape(p), data, re.IGNORECASE) for p in pats) or (n and n in norm):
            found.add(term)
    return found


def test_it_agrees_with_a_search_per_term_on_random_data() -> None:
    rng = random.Random(5)
    for _ in range(150):
        terms = ["".join(rng.choices(LETTERS, k=rng.randint(2, 6))).strip() or "x"
                 for _ in range(12)]
        text = "".join(rng.choices(LETTERS, k=rng.randint(0, 40)))
        data = text.encode(rng.choice(ENCODINGS))
        if rng.random() < 0.5:  # plant a term in another encoding, after a stray byte
            data += b"\x00" + rng.choice(terms).encode(rng.choice(ENCODINGS))
        assert _Scanner(terms).hits_in_bytes(data) == _reference(terms, data), (terms, data)


def test_fold_agrees_with_the_redactors_normaliser() -> None:
    rng = random.Random(9)
    for _ in range(300):
        text = "".join(rng.choices(LETTERS + "\t\nأإآىة", k=rng.randint(0, 30)))
        assert fold(text) == normalise_with_map(text)[0], text


def test_it_reports_every_term_of_nested_and_overlapping_names() -> None:
    terms = ["زينب", "زينب العبيدي", "العبيدي", "Ali", "ali hassan"]
    assert _Scanner(terms).hits_in_bytes("شهدت زَينب العبيدي وALI HASSAN".encode()) == set(terms)
