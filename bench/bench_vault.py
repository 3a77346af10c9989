"""Vault unlock time and per-connection cost, against same-run baselines.

Measures:
  * unlock: Argon2id key-slot opening (m=64 MiB, t=3, p=4) + first keyed connection;
  * per-connection open with the raw key (what every Django connection pays), against
    plain SQLite (stdlib) and SQLCipher opened with a passphrase (its own PBKDF2).

Usage: .venv/bin/python bench/bench_vault.py [--quick]
Writes bench/results/vault.json.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlcipher

from dhakira.apps.vault.sqlcipher.base import apply_key
from dhakira.core.vault import keyslots

RESULTS = Path(__file__).parent / "results" / "vault.json"


def timed(fn, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": statistics.median(samples), "min_ms": min(samples), "max_ms": max(samples),
            "runs": repeat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 5 if args.quick else 15
    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp)
        key = keyslots.create(vault, "benchmark passphrase", label="bench")
        db = vault / "dossier.db"
        conn = sqlcipher.connect(str(db))
        apply_key(conn, key)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        plain = vault / "plain.db"
        sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
        pw = vault / "pw.db"
        c = sqlcipher.connect(str(pw))
        c.execute("PRAGMA key = 'a passphrase'")
        c.execute("CREATE TABLE t (x)")
        c.commit()
        c.close()

        def unlock() -> None:
            k = keyslots.unlock(vault, "benchmark passphrase")
            c = sqlcipher.connect(str(db))
            apply_key(c, k)
            c.close()

        def raw_key_connection() -> None:
            c = sqlcipher.connect(str(db))
            apply_key(c, key)
            c.close()

        def plain_connection() -> None:
            c = sqlite3.connect(plain)
            c.execute("SELECT count(*) FROM sqlite_master").fetchone()
            c.close()

        def passphrase_connection() -> None:
            c = sqlcipher.connect(str(pw))
            c.execute("PRAGMA key = 'a passphrase'")
            c.execute("SELECT count(*) FROM sqlite_master").fetchone()
            c.close()

        result = {
            "unlock": timed(unlock, repeat),
            "connection_raw_key": timed(raw_key_connection, repeat * 20),
            "baseline_connection_plain_sqlite": timed(plain_connection, repeat * 20),
            "baseline_connection_sqlcipher_passphrase": timed(passphrase_connection, repeat),
        }
    result["raw_key_vs_plain_ratio"] = (result["connection_raw_key"]["p50_ms"]
                                        / result["baseline_connection_plain_sqlite"]["p50_ms"])
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    print(f"unlock (Argon2id + first connection): {result['unlock']['p50_ms']:.0f} ms p50")
    print(f"connection with raw key: {result['connection_raw_key']['p50_ms']:.2f} ms; "
          f"plain SQLite {result['baseline_connection_plain_sqlite']['p50_ms']:.2f} ms; "
          f"SQLCipher passphrase {result['baseline_connection_sqlcipher_passphrase']['p50_ms']:.0f} ms")


if __name__ == "__main__":
    main()
