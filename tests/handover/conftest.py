"""Hand-over tests: each test gets its own vault directory (blobs, signing key)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.cast import add_legal_officer
from tests.conftest import new_vault_dir

from dhakira.apps.dossier.models import Consent, Person, Recipient


@pytest.fixture
def vault(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    return new_vault_dir(settings, tmp_path / "vault")


@pytest.fixture
def cast(cast: dict[str, object]) -> dict[str, object]:
    """The shared cast and ``layla``, a legal officer."""
    return add_legal_officer(cast)


def listed(name: str, *, kind: str = "other") -> Recipient:
    """The recipient called ``name`` in the managed list, added if missing."""
    code = "".join(ch if ch.isalnum() else "-" for ch in name.upper())[:40]
    found, _ = Recipient.objects.get_or_create(
        code=code, defaults={"name_en": name, "name_ar": name, "kind": kind})
    return found


def consent(person: Person, decision: str, *, scope: str = "share_icc", recipient: str = "",
            by: object, obtained: datetime = datetime(2024, 1, 1, tzinfo=UTC)) -> Consent:
    """Record the next consent version of the person's (scope, recipient) chain; an empty
    recipient is any recipient of the use."""
    to = listed(recipient) if recipient else None
    last = (Consent.objects.filter(person=person, scope=scope, recipient=to)
            .order_by("-version").first())
    return Consent.objects.create(
        person=person, scope=scope, recipient=to, decision=decision,
        version=last.version + 1 if last else 1, supersedes=last,
        obtained_at=obtained, obtained_by="rana", recorded_by=by)
