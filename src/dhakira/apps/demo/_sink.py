"""A fast row sink: INSERTs built from the models' own metadata, sent with executemany.

Django's bulk_create instantiates a model per row and compiles SQL per batch, which costs
about 50 µs a row; the demo writes ~10 rows per report. Here the table and column names
still come from the models (``_meta``) and values are adapted by the backend's own
``connection.ops``, so the same code runs on SQLCipher and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

BATCH = 5000


class Sink:
    """Collects rows per model and writes them in batches."""

    def __init__(self) -> None:
        self._rows: dict[type[models.Model], list[tuple[Any, ...]]] = {}
        self._sql: dict[type[models.Model], str] = {}
        self.columns: dict[type[models.Model], tuple[str, ...]] = {}
        self.counts: dict[str, int] = {}
        self._extra: dict[type[models.Model], tuple[Any, ...]] = {}

    def table(self, model: type[models.Model], *fields: str) -> None:
        """Declare the columns (attnames, in order) the rows of ``model`` will carry."""
        qn = connection.ops.quote_name
        meta = model._meta
        cols = [meta.get_field(f).column for f in fields]
        rest = [f for f in meta.concrete_fields
                if f.name not in fields and f.attname not in fields and not f.primary_key]
        # Columns we do not set get the model's own default, as Django would give them.
        self._extra[model] = tuple(_default(f) for f in rest)
        cols += [f.column for f in rest]
        self.columns[model] = fields
        self._sql[model] = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(c) for c in cols)}) "
                            f"VALUES ({', '.join(['%s'] * len(cols))})")
        self._rows[model] = []

    def add(self, model: type[models.Model], row: tuple[Any, ...]) -> None:
        self._rows[model].append(row + self._extra[model])

    def flush(self) -> None:
        """Write every collected row, in declaration order (foreign keys first)."""
        with connection.cursor() as cursor:
            for model, rows in self._rows.items():
                for i in range(0, len(rows), BATCH):
                    cursor.executemany(self._sql[model], rows[i:i + BATCH])
                name = model.__name__
                self.counts[name] = self.counts.get(name, 0) + len(rows)
                rows.clear()


def _default(field: Any) -> Any:
    if field.has_default():
        return field.get_db_prep_save(field.get_default(), connection)
    if field.null:
        return None
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return datetime_value(datetime.now(UTC))
    return ""


def json_value(value: Any) -> Any:
    return connection.ops.adapt_json_value(value, None)


def datetime_value(value: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def date_value(value: Any) -> Any:
    return connection.ops.adapt_datefield_value(value)


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After inserts with explicit keys, move PostgreSQL's sequences past them (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
