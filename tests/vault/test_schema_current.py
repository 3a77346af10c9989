"""Opening a vault tells a current dossier from the names of the migration files and the
dossier's record, without loading every migration; any difference goes to the full plan."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from dhakira.apps.vault import runtime

pytestmark = pytest.mark.django_db


def test_a_current_dossier_is_known_current_without_the_full_plan() -> None:
    assert runtime._applied_as_on_disk()
    assert runtime.schema_state() == ([], [])


def test_a_change_from_a_newer_release_goes_to_the_full_plan() -> None:
    MigrationRecorder(connection).record_applied("dossier", "9999_from_a_newer_release")
    assert not runtime._applied_as_on_disk()
    assert runtime.schema_state() == ([], ["dossier.9999_from_a_newer_release"])


def test_a_change_not_yet_applied_goes_to_the_full_plan() -> None:
    recorder = MigrationRecorder(connection)
    last = max(name for app, name in recorder.applied_migrations() if app == "dossier")
    recorder.record_unapplied("dossier", last)
    assert not runtime._applied_as_on_disk()
    assert runtime.schema_state() == ([f"dossier.{last}"], [])
