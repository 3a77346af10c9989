"""Named errors of :mod:`dhakira.core.exporting`."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from dhakira.errors import DhakiraError


class ExportingError(DhakiraError):
    """Base class of the errors raised by :mod:`dhakira.core.exporting`."""


class BadDocument(ExportingError):
    """An ESF document or Uwazi table cannot be read back; the message names the file and
    the record or row."""

    exit_code = 65

    def __init__(self, source: str, message: str, *, code: str = "",
                 params: Mapping[str, Any] | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}", code=code,
                         params={**(params or {}), "source": source})


class UnknownFormat(ExportingError):
    """An export format we do not write; the message names the ones there are."""

    exit_code = 64


class SeparatorInValue(ExportingError):
    """A value of a record (a name) holds ``|``, Uwazi's separator of values: it would be read
    back as two. ``record`` is the record's id; the value itself is named in the message only."""

    def __init__(self, record: str, value: str, separator: str) -> None:
        self.record = record
        super().__init__(f"{record}: {value!r} holds {separator!r}, Uwazi's separator of "
                         "values; use the ESF format for it", code="uwazi_separator",
                         params={"record": record, "separator": separator})


class BadField(ValueError):
    """One field of one record cannot be read back. ``code`` says why and ``params`` which
    field and value, so that the reader is told it in their language; the message is English.

    Raised by the readers' helpers and turned into a :class:`BadDocument` naming the record by
    :func:`record_refused`.
    """

    def __init__(self, message: str, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def number(value: Any, field: str, *, whole: bool = False) -> Any:
    """``value`` read as a number (an ``int`` when ``whole``); ``None`` stays ``None``.

    >>> number("36.3", "lat"), number(41, "age", whole=True), number(None, "age")
    (36.3, 41, None)

    Raises:
        BadField: the value is not a number (code ``not_a_number``).
    """
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool):  # JSON true is not a number, whatever Python thinks
            raise ValueError(value)
        return int(value) if whole else float(value)
    except (TypeError, ValueError, OverflowError):
        shown = str(value)[:80]
        raise BadField(f"'{field}' is not {'a whole number' if whole else 'a number'}: {shown}",
                       "whole_number" if whole else "not_a_number", field=field,
                       value=shown) from None


def record_refused(source: str, where: Mapping[str, Any], exc: Exception) -> BadDocument:
    """The :class:`BadDocument` for a record that cannot be read: ``where`` names the record
    (``section``, ``n`` and ``id`` of an ESF document; ``file`` and ``row`` of a table), ``exc``
    says why (a :class:`BadField`, an unknown term, or a value of the wrong shape)."""
    from dhakira.core.vocabularies import UnknownTerm, load

    if isinstance(exc, BadField):
        code, params, said = exc.code, exc.params, str(exc)
    elif isinstance(exc, UnknownTerm):
        codes = [t.code for t in load(exc.vocabulary).terms]
        close = difflib.get_close_matches(str(exc.term), codes, n=3)
        code, params = "unknown_term", {"value": str(exc.term)[:80],
                                        "vocabulary": exc.vocabulary, "close": close,
                                        "codes": codes[:6]}
        said = (f"'{params['value']}' is not a term of vocabulary '{exc.vocabulary}' "
                + (f"(did you mean {', '.join(close)}?)" if close
                   else f"(its codes include {', '.join(codes[:6])})"))
    else:  # a list where a mapping belongs, and the like: said as Python says it
        code, params = "bad_shape", {"detail": str(exc)[:200]}
        said = f"a value is not written as the format writes it ({params['detail']})"
    place = (f"{where['section']} record {where['n']} ({where['id']}): " if "section" in where
             else f"{where['file']}, row {where['row']}: " if "file" in where else "")
    return BadDocument(source, f"{place}{said}", code="record_refused",
                       params={**where, "why": code, **params})
