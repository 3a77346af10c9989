"""Issue 18 item 5: drafts kept under the data key before the draft sub-key still open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.hmac import HMAC
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from dhakira.apps.dossier.views import _drafts
from dhakira.core.vault import session


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.fixture(autouse=True)
def _back_to_the_latest() -> Iterator[None]:
    """Every app migrated to its latest again after the test: going back to an old migration
    unapplies every later one that depends on it (other apps' tables included), and the
    worker's next tests need them."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_name(user_pk: int) -> str:
    """How drafts were named before: an HMAC keyed by the data key itself."""
    with session.borrow() as key:
        mac = HMAC(key, SHA256())
        mac.update(f"intake-draft:{user_pk}".encode())
        return "draft" + mac.finalize().hex()[:35]


@pytest.mark.django_db(transaction=True)
def test_issue18_5_a_draft_kept_under_the_data_key_is_renamed_and_opens() -> None:
    rana = get_user_model().objects.create_user("rana-draft", password="x")
    _migrate([("dossier", "0006_recipient")])
    Session.objects.create(session_key=_old_name(rana.pk), session_data='{"narrative": "half"}',
                           expire_date=timezone.now() + timedelta(days=3))
    assert _drafts.load(rana) == {}  # the new name does not find it before the migration
    _migrate([("dossier", "0007_drafts_subkey")])
    assert _drafts.load(rana) == {"narrative": "half"}
    assert not Session.objects.filter(session_key=_old_name(rana.pk)).exists()
    assert _drafts.draft_key(rana.pk) != _old_name(rana.pk)
