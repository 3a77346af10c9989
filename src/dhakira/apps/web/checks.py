"""Integrity checks of an open vault (``dhakira check``)."""

from __future__ import annotations

from pathlib import Path

from django.db import connection

from dhakira.core.vault import keyslots


def check_vault(vault: Path) -> list[str]:
    """Return a list of problems found (empty when all is well)."""
    problems: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cipher_integrity_check")
            problems += [f"database page: {row[0]}" for row in cursor.fetchall()]
            cursor.execute("PRAGMA integrity_check")
            problems += [f"database: {row[0]}" for row in cursor.fetchall() if row[0] != "ok"]
        else:
            cursor.execute("SELECT 1")
    try:
        for slot_id, params in keyslots.slot_params(vault):
            if params.weak:
                problems.append(f"key slot {slot_id} uses weak Argon2id parameters")
        problems += [f"key slot file {line}" for line in keyslots.damaged_files(vault)]
    except Exception as exc:  # no usable slot at all: name it, keep checking
        problems.append(f"key slots: {exc}")
    return problems
