"""Spreadsheets and form exports into the dossier: the pure part.

A *mapping* (YAML, see docs/import-export.md) says which column of a table holds what: the
victim's name, the date as written, the place, the act... :func:`load_mapping` checks it
(a column mapped twice, an unknown target, a header missing from the table).
:func:`open_table` streams the rows of a CSV, XLSX or ODS file in bounded memory, with
merged cells spread over the cells they cover and formulas read as their saved values.
:func:`to_record` turns one row into a :class:`RowRecord`, or a :class:`Refusal` naming the
file, the row, the column and what is wrong. Nothing here touches the database: the
``importing`` app writes the records through the one report intake.

>>> m = load_mapping("columns: {Name: victim_name, Act: act_type}\\n"
...                  "defaults: {source: S-1, channel: document, received_at: 2016-05-01}",
...                  "m.yaml")
>>> r = to_record(Row(2, ("Ahmad", "Killing")), ("Name", "Act"), m, "t.csv")
>>> r.victim_names, r.act_type
(('Ahmad',), 'killing')
"""

from dhakira.core.importing.errors import ImportingError, MappingError, TableError
from dhakira.core.importing.mapping import (
    TARGETS,
    Mapping,
    load_mapping,
    parse_mapping,
    read_mapping,
)
from dhakira.core.importing.records import (
    Refusal,
    RowRecord,
    check_headers,
    received_datetime,
    to_record,
)
from dhakira.core.importing.tables import FORMATS, Row, Table, Unreadable, open_table

__all__ = [
    "FORMATS",
    "TARGETS",
    "ImportingError",
    "Mapping",
    "MappingError",
    "Refusal",
    "Row",
    "RowRecord",
    "Table",
    "TableError",
    "Unreadable",
    "check_headers",
    "load_mapping",
    "open_table",
    "parse_mapping",
    "read_mapping",
    "received_datetime",
    "to_record",
]
