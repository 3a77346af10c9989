"""`verify_vault`: a clean vault passes; every kind of tampering is caught and named."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.db import connection

from dhakira.apps.evidence.intake import Collection, blob_store, ingest_stream
from dhakira.apps.evidence.integrity import verify_vault
from dhakira.apps.evidence.models import EvidenceItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(vault: Path, collection: Collection) -> list[EvidenceItem]:
    return [ingest_stream(io.BytesIO(data), name=f"f{i}", origin="test", collection=collection)
            for i, data in enumerate([b"first original", b"second original" * 1000,
                                      b"third original"])]


def _blob_path(vault: Path, sha256: str) -> Path:
    name = blob_store().blob_name(sha256)
    return vault / "blobs" / name[:2] / name


def _kinds(report) -> set[tuple[str, str | None, int | None]]:  # type: ignore[no-untyped-def]
    return {(p.kind, p.item, p.seq) for p in report.problems}


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _seq_of(uid: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM ledger_ledgerentry WHERE subject = %s AND action = 'intake'",
                       [uid])
        return int(cursor.fetchone()[0])


def test_an_untouched_vault_verifies(items) -> None:  # type: ignore[no-untyped-def]
    report = verify_vault()
    assert report.ok, report.problems
    # three intakes, and three "derive" entries for the extracted text
    assert (report.items, report.blobs, report.entries) == (3, 3, 6)
    assert report.bytes_checked == sum(i.size for i in items)


def test_a_flipped_byte_in_a_blob_is_named(vault, items) -> None:  # type: ignore[no-untyped-def]
    path = _blob_path(vault, items[1].sha256)
    data = bytearray(path.read_bytes())
    data[200] ^= 0x01
    path.write_bytes(bytes(data))
    assert _kinds(verify_vault()) == {("blob altered", items[1].uid, None)}


def test_a_swapped_blob_is_named(vault, items) -> None:  # type: ignore[no-untyped-def]
    os.replace(_blob_path(vault, items[0].sha256), _blob_path(vault, items[2].sha256))
    assert _kinds(verify_vault()) == {("missing blob", items[0].uid, None),
                                      ("blob altered", items[2].uid, None)}


def test_an_unreferenced_blob_is_named(vault, items) -> None:  # type: ignore[no-untyped-def]
    stored = blob_store().put_stream(io.BytesIO(b"smuggled in"))
    path = vault / "blobs" / stored.blob_name[:2] / stored.blob_name
    old = path.stat().st_mtime - 2 * 3600  # older than the grace a writer's batch is given
    os.utime(path, (old, old))
    assert [p.kind for p in verify_vault().problems] == ["unreferenced blob"]


def test_an_edited_ledger_row_is_named_by_seq(items) -> None:  # type: ignore[no-untyped-def]
    seq = _seq_of(items[1].uid)
    _sql("UPDATE ledger_ledgerentry SET actor = 'mallory' WHERE seq = %s", [seq])
    kinds = _kinds(verify_vault())
    assert kinds and {s for _, _, s in kinds} == {seq}


def test_a_deleted_ledger_entry_is_named(items) -> None:  # type: ignore[no-untyped-def]
    seq = _seq_of(items[1].uid)
    _sql("DELETE FROM ledger_ledgerentry WHERE seq = %s", [seq])
    kinds = _kinds(verify_vault())
    assert ("no intake entry", items[1].uid, None) in kinds
    assert any(k.startswith("ledger") and s == seq + 1 for k, _, s in kinds)


def test_an_inserted_ledger_entry_is_named(items) -> None:  # type: ignore[no-untyped-def]
    _sql("UPDATE ledger_ledgerentry SET seq = seq + 1000 WHERE seq >= 2", [])
    _sql("UPDATE ledger_ledgerentry SET seq = seq - 999 WHERE seq >= 1000", [])
    _sql("INSERT INTO ledger_ledgerentry (seq, prev_hash, timestamp, actor, action, subject, "
         "subject_hash, detail, entry_hash, signature, key_id) SELECT 2, prev_hash, timestamp, "
         "'mallory', action, subject, subject_hash, detail, %s, signature, key_id "
         "FROM ledger_ledgerentry WHERE seq = 1", ["ab" * 32])
    kinds = _kinds(verify_vault())
    assert any(s == 2 for _, _, s in kinds) and all(k.startswith("ledger") for k, _, _ in kinds)


def test_reordered_ledger_entries_are_named(items) -> None:  # type: ignore[no-untyped-def]
    _sql("UPDATE ledger_ledgerentry SET seq = 100 WHERE seq = 1", [])
    _sql("UPDATE ledger_ledgerentry SET seq = 1 WHERE seq = 2", [])
    _sql("UPDATE ledger_ledgerentry SET seq = 2 WHERE seq = 100", [])
    kinds = _kinds(verify_vault())
    assert {1, 2} <= {s for _, _, s in kinds}


def test_an_edited_item_hash_is_named_with_its_intake_entry(vault, items) -> None:  # type: ignore[no-untyped-def]
    forged = "f" * 64
    _sql("UPDATE evidence_evidenceitem SET sha256 = %s WHERE id = %s", [forged, items[0].pk])
    kinds = _kinds(verify_vault(grace=0))  # its blob, just written, is unreferenced at once
    seq = _seq_of(items[0].uid)
    assert ("hash mismatch", items[0].uid, seq) in kinds
    assert ("missing blob", items[0].uid, None) in kinds
    assert "unreferenced blob" in {k for k, _, _ in kinds}


def test_an_edited_item_size_is_named(items) -> None:  # type: ignore[no-untyped-def]
    _sql("UPDATE evidence_evidenceitem SET size = 1 WHERE id = %s", [items[2].pk])
    assert _kinds(verify_vault()) == {("size mismatch", items[2].uid, _seq_of(items[2].uid))}


@pytest.mark.parametrize(("column", "value", "field"), [
    ("collector", "mallory", "actor"),
    ("collected_at", "2001-01-01 00:00:00", "timestamp"),
    ("method", "made up", "method"),
    ("tool", "another tool", "tool"),
    ("mime", "application/pdf", "mime"),
    ("compartment", "", "compartment"),
])
def test_an_edited_collection_record_is_named(vault, settings, column, value, field) -> None:  # type: ignore[no-untyped-def]
    """Only the hash and size were compared with the intake entry: who collected an item,
    when, how, and its compartment (moving it out of `sources` unrestricts an informant's
    material) could be edited in the database and `verify` said ok (found by a red-team
    pass)."""
    item = ingest_stream(io.BytesIO(b"a tip from an informant"), name="tip.txt", origin="test",
                         collection=Collection(collector="amal", method="file copy",
                                               compartment="sources"))
    assert verify_vault().ok
    _sql(f"UPDATE evidence_evidenceitem SET {column} = %s WHERE id = %s", [value, item.pk])
    report = verify_vault()
    assert _kinds(report) == {("record altered", item.uid, _seq_of(item.uid))}
    assert [p.params["field"] for p in report.problems] == [field]


def test_an_edited_or_deleted_extracted_text_is_named(items) -> None:  # type: ignore[no-untyped-def]
    """A derived copy's text was signed by its derive entry but never compared: a testimony's
    words could be changed, and the package then shipped the new ones signed (found by a
    red-team pass)."""
    from dhakira.apps.evidence.models import DerivedCopy

    first, second = DerivedCopy.objects.order_by("pk")[:2]
    _sql("UPDATE evidence_derivedcopy SET text = %s WHERE id = %s", ["I saw nothing", first.pk])
    _sql("DELETE FROM evidence_searchdocument WHERE derived_id = %s", [second.pk])
    _sql("DELETE FROM evidence_derivedcopy WHERE id = %s", [second.pk])
    kinds = {(k, i) for k, i, _ in _kinds(verify_vault())}
    assert kinds == {("copy altered", first.uid), ("missing copy", second.uid)}


def test_an_edited_signing_pub_is_named(vault, items) -> None:  # type: ignore[no-untyped-def]
    """signing.pub, which third parties are told to use, could be replaced by another key
    and `verify` said ok (found by a red-team pass)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (vault / "signing.pub").write_bytes(other)
    assert _kinds(verify_vault()) == {("signing key file", None, None)}
    (vault / "signing.pub").write_bytes(b"not a key")
    assert [p.code for p in verify_vault().problems] == ["public_key_mismatch"]
