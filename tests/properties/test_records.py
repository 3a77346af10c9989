"""Properties of the custody chain, the encrypted blobs and the search snippets."""

from __future__ import annotations

import dataclasses
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.custody.chains import KEYS, build_chain, problems_of

from dhakira.apps.search.services import snippet
from dhakira.core.custody import verify_chain
from dhakira.core.custody.entry import from_dict, to_dict
from dhakira.core.names import search_key
from dhakira.core.vault.blobs import BlobStore
from dhakira.core.vault.errors import BlobIntegrityError

pytestmark = pytest.mark.backend_independent

CHAIN = build_chain(5)
_FIELDS = [f.name for f in dataclasses.fields(CHAIN[0])]
_JSON_SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=12)


def _mutated(value: object, draw) -> object:
    """Another value of the same kind (a changed character, number or key)."""
    if isinstance(value, bool) or value is None:
        return draw(st.text(min_size=1, max_size=8))
    if isinstance(value, int):
        return value + draw(st.integers(1, 1000)) * draw(st.sampled_from([1, -1]))
    if isinstance(value, str):
        at = draw(st.integers(0, max(0, len(value) - 1)))
        new = draw(st.characters(codec="utf-8").filter(lambda c, v=value, i=at: v[i:i + 1] != c))
        return value[:at] + new + value[at + 1:]
    return {**dict(value), draw(st.text(min_size=1, max_size=6)): draw(_JSON_SCALARS)}


@given(st.integers(0, len(CHAIN) - 1), st.sampled_from(_FIELDS), st.data())
def test_any_change_to_one_field_of_one_entry_is_reported(index, field, data):
    entry = CHAIN[index]
    changed = _mutated(getattr(entry, field), data.draw)
    if field == "detail" and changed == dict(entry.detail):
        return
    chain = list(CHAIN)
    chain[index] = dataclasses.replace(entry, **{field: changed})
    report = verify_chain(chain, KEYS)
    assert not report.ok, (field, changed)
    assert problems_of(report)


@given(st.sampled_from(CHAIN))
def test_an_entry_survives_its_dict(entry):
    assert from_dict(to_dict(entry)) == entry
    assert verify_chain([from_dict(to_dict(e)) for e in CHAIN], KEYS).ok


@given(st.binary(min_size=1, max_size=3000), st.data())
def test_any_flipped_byte_of_a_stored_blob_fails_its_check(plain, data):
    with tempfile.TemporaryDirectory() as root:
        store = BlobStore(Path(root), bytes(range(100, 132)))
        stored = store.put_stream(io.BytesIO(plain))
        path = next(p for p in Path(root).rglob("*") if p.is_file())
        raw = bytearray(path.read_bytes())
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] ^= data.draw(st.integers(1, 255))
        path.write_bytes(bytes(raw))
        with pytest.raises(BlobIntegrityError):
            store.verify_blob(stored.sha256)


_WORDS = st.sampled_from(["شهادة", "الحاجّة", "فاطمة", "الحسبة", "Hisba", "market", "al-Jubouri",
                          "<b>", "&", "…", "والمعلّم"]) | st.text(min_size=1, max_size=8)


@given(st.lists(_WORDS, min_size=0, max_size=80), st.lists(_WORDS, min_size=1, max_size=3),
       st.sampled_from([" ", "\n", "  ", "\t"]))
def test_a_snippet_quotes_the_text_and_marks_only_matching_words(words, query, space):
    text = space.join(words)
    wanted = set(search_key(" ".join(query)).split())
    segments = snippet(text, wanted)
    shown = "".join(t for t, _ in segments)
    inner = shown.removeprefix("… ").removesuffix(" …")
    assert inner in text
    for part, hit in segments:
        if hit:
            assert part in text
            assert set(search_key(part).split()) & wanted, part
    if any(set(search_key(w).split()) & wanted for w in text.split()):
        assert any(hit for _, hit in segments)
