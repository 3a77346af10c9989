"""Vocabulary labels and dates in the request's language, for rows shown in templates."""

from __future__ import annotations

from functools import cache

from dhakira.apps.dossier.models import FuzzyDated, lang
from dhakira.core import vocabularies
from dhakira.core.dates import FuzzyDate, format_bounds


@cache
def _labels(name: str, language: str) -> dict[str, str]:
    return dict(vocabularies.load(name).choices(language))


def label(name: str, code: str) -> str:
    """The label of ``code`` in vocabulary ``name``; unknown or empty codes as given."""
    return _labels(name, lang()).get(code, code) if code else ""


def date_shown(obj: FuzzyDated) -> dict[str, str]:
    """A record's date said once: ``days``, the days it allows in the reader's words
    (``format_bounds``: "between 21 Oct 2014 and 31 Oct 2014", "في 4 آذار 2015"), and
    ``given``, the source's own words when they say more than those days ("late October
    2014", a Hijri date), else empty: a date given as ``2015-03-04`` is not repeated."""
    text = obj.date_text.strip()
    if obj.date_earliest is None and obj.date_latest is None:
        return {"days": "", "given": text}
    # Only the bounds are read; a record's stored bounds are never reversed (set_date).
    stored = FuzzyDate(text=text, calendar=obj.date_calendar or "gregorian",
                       edtf=obj.date_edtf or None, earliest=obj.date_earliest,
                       latest=obj.date_latest, precision="range")
    days = format_bounds(stored, lang())
    machine = {obj.date_edtf}
    if obj.date_earliest is not None:
        machine.add(obj.date_earliest.isoformat())
    return {"days": days, "given": "" if text in machine else text}
