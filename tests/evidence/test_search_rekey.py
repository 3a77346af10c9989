"""Issue 18 item 7: a root-initial ال and the article before it key alike, in new and old vaults."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dhakira.apps.dossier.models import Information, Source
from dhakira.apps.search import services as search
from dhakira.apps.search.models import SearchDocument

BEFORE = [("evidence", "0005_report_compartments")]
AFTER = [("evidence", "0006_search_keys_rekeyed")]


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


@pytest.mark.django_db
def test_finding_18_7_a_report_on_iltihaq_is_found_with_and_without_the_article(vault):
    source = Source.objects.create(code_name="NINAWA-07")
    info = Information.objects.create(source=source, received_at=datetime(2015, 1, 1, tzinfo=UTC),
                                      channel="interview", text="أُجبر على الالتحاق بالكتيبة")
    search.index_report(info)  # as the service that writes a report does
    for query in ("الالتحاق", "التحاق", "بالالتحاق"):
        assert [h.ref for h in search.search(query)], query


@pytest.mark.django_db(transaction=True)
def test_the_migration_rekeys_an_index_made_by_the_old_search_key(vault):
    source = Source.objects.create(code_name="NINAWA-07")
    info = Information.objects.create(source=source, received_at=datetime(2015, 1, 1, tzinfo=UTC),
                                      channel="interview", text="أُجبر على الالتحاق بالكتيبة")
    search.index_report(info)
    _migrate(BEFORE)
    # What the old key made of the text: the article stripped once, « التحاق » kept.
    SearchDocument.objects.filter(information=info).update(key="اجبر علي التحاق كتيبه")
    assert not search.search("التحاق")
    _migrate(AFTER)
    assert SearchDocument.objects.get(information=info).key == "اجبر علي تحاق كتيبه"
    assert [h.ref for h in search.search("التحاق")]
