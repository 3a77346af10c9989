"""What a test that commits leaves for the next: an empty database, content types and
permissions as migrating made them (``tests/flush.py``)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from tests import flush


def _state() -> dict[str, object]:
    return {"content types": sorted(ContentType.objects.values_list("app_label", "model")),
            "permissions": sorted(Permission.objects.values_list("content_type__model",
                                                                 "codename"))}


@pytest.mark.django_db(transaction=True)
def test_emptying_leaves_every_table_empty_but_content_types_and_permissions() -> None:
    made = _state()
    # Every model Django knows has its content type.
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    assert len(made["content types"]) >= len(models)  # type: ignore[arg-type]
    User.objects.create(username="flushed")
    flush.empty(connection.alias)
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True,
                                                                 include_views=False):
            if table in flush.KEPT:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            assert cursor.fetchone()[0] == 0, table
    assert _state() == made


@pytest.mark.django_db(transaction=True)
def test_django_flush_then_post_migrate_makes_the_rows_emptying_keeps() -> None:
    # The rows kept are those Django's own flush would make again.
    kept = _state()
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
    assert _state() == kept
