"""A selection of the dossier out in others' formats: the pure part.

The ``exporting`` app reads the records a selection may show (through the hand-over consent
gate and redaction) into plain :mod:`records`; :func:`to_esf` writes them as one HURIDOCS
Events Standard Formats JSON document and :func:`to_uwazi` as Uwazi-ready CSV files, one per
template. :func:`from_esf` and :func:`from_uwazi` read them back (the import of an ESF
document, and the round-trip tests). Output is deterministic: records sorted by id, JSON keys
sorted. Nothing here touches the database.
"""

from dhakira.core.exporting.errors import BadDocument, ExportingError, UnknownFormat
from dhakira.core.exporting.esf import from_esf, to_esf
from dhakira.core.exporting.records import (
    Act,
    Bundle,
    Date,
    Event,
    Information,
    Involvement,
    Person,
    Place,
)
from dhakira.core.exporting.uwazi import FILES as FILES_UWAZI
from dhakira.core.exporting.uwazi import from_uwazi, to_uwazi

FORMATS = ("esf", "uwazi")


def check_format(fmt: str) -> str:
    """``fmt`` if it is a format we write.

    >>> check_format("esf")
    'esf'

    Raises:
        UnknownFormat: any other format, naming the ones there are.
    """
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}",
                            code="unknown_export_format",
                            params={"format": fmt, "formats": list(FORMATS)})
    return fmt

__all__ = ["FILES_UWAZI", "FORMATS", "Act", "BadDocument", "Bundle", "Date", "Event", "ExportingError",
           "Information", "Involvement", "Person", "Place", "UnknownFormat", "check_format",
           "from_esf", "from_uwazi", "to_esf", "to_uwazi"]
