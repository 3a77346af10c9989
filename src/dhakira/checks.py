"""Integrity checks of an open vault (``dhakira check``)."""

from __future__ import annotations

from pathlib import Path

from django.db import connection

from dhakira.vault import keyslots


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
        for slot in keyslots.list_slots(vault):
            if slot.params.memory_kib < 65536 or slot.params.iterations < 3:
                problems.append(f"key slot {slot.label!r} uses weak Argon2id parameters")
    except Exception as exc:  # a corrupt slot file: name it, keep checking
        problems.append(f"key slots: {exc}")
    return problems
