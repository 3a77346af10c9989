"""The mapping: which column of a table holds which part of a report.

A mapping is YAML::

    columns:                  # header as it stands in the table -> target
      اسم الضحية: victim_name
      Date: date
    ignore: [Phone]           # columns deliberately left out (the sheet itself is kept)
    defaults: {source: SHEET-2016, channel: document, compartment: protection}
    values: {act_type: {قتل: killing}}   # spellings of this sheet -> vocabulary codes
    calendar: gregorian       # how bare numbers in dates are read ("5/9/1436")
    sheet: Victims            # XLSX/ODS: the sheet (default: the first)
    header_row: 1
    encoding: utf-8           # CSV only

A row's report is restricted to a compartment by the target ``compartment``: for the whole
sheet by ``defaults:`` (victims' identities are protected by default in most organisations'
sheets), per row by a column (a "Protected?" column: ``values: {compartment: {yes:
protection, no: ""}}``; ``""`` is no compartment).

Every column of the table must be mapped or ignored: a column nobody looked at (a phone
number added last month) is refused, never silently dropped or silently taken in.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dhakira.core.importing.errors import MappingError
from dhakira.core.vocabularies import load

__all__ = ["TARGETS", "VOCABULARY_OF", "Mapping", "load_mapping", "parse_mapping", "read_mapping"]

# Each target a column may fill, with what it means (the docs list these).
TARGETS: dict[str, str] = {
    "source": "the source's code name (never a real name: code names are shown to every reader)",
    "received_at": "when the information was received (a date or date and time)",
    "channel": "how it was received (vocabulary: channels)",
    "event_title": "the event's title",
    "date": "the date as written, Gregorian or Hijri, exact or fuzzy",
    "place": "the place as written",
    "text": "the report in the source's own words",
    "victim_name": "the victim's name",
    "victim_name_other": "the victim's name in another script or spelling",
    "victim_age": "the victim's age in years",
    "victim_sex": "the victim's sex (vocabulary: sex)",
    "act_type": "the type of act (vocabulary: act_types)",
    "method": "the method (vocabulary: methods)",
    "result": "the result for the victim (vocabulary: results)",
    "perpetrator_name": "the perpetrator's name",
    "perpetrator_degree": "the perpetrator's degree of involvement (vocabulary: involvement_degrees)",
    "media": "file names of photos, audio or documents sent with the row, separated by spaces",
    "compartment": "the compartment the row's report is kept in (vocabulary: compartments), "
                   "e.g. protection: only users cleared for it see the report, its victims' "
                   "and perpetrators' names and its files; empty for none",
}

# Targets whose values are vocabulary codes (a label in English or Arabic is accepted too).
VOCABULARY_OF: dict[str, str] = {
    "channel": "channels",
    "victim_sex": "sex",
    "act_type": "act_types",
    "method": "methods",
    "result": "results",
    "perpetrator_degree": "involvement_degrees",
    "compartment": "compartments",
}
# Targets whose values: may send a spelling to no term at all (a "Protected?" column's "no").
MAY_BE_NONE = frozenset({"compartment"})

_KEYS = {"columns", "ignore", "defaults", "values", "calendar", "sheet", "header_row", "encoding"}


@dataclass(frozen=True)
class Mapping:
    """A checked mapping. ``columns`` maps a header to its target."""

    source: str
    columns: dict[str, str]
    ignore: frozenset[str] = frozenset()
    defaults: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    calendar: str = "gregorian"
    sheet: str | None = None
    header_row: int = 1
    encoding: str = "utf-8"

    def column_of(self, target: str) -> str | None:
        """The header mapped to ``target``, if any."""
        for header, mapped in self.columns.items():
            if mapped == target:
                return header
        return None


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice (PyYAML keeps the last one silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        line = key_node.start_mark.line + 1
        if key in seen:
            raise MappingError("", f"line {line}: {key!r} is given twice (first on line "
                               f"{seen[key]}); a column can be mapped only once",
                               code="mapping_key_twice",
                               params={"line": line, "key": str(key), "first": seen[key]})
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def read_mapping(path: Path) -> Mapping:
    """The mapping in the file ``path`` (UTF-8 YAML), checked (see :func:`load_mapping`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise MappingError(path.name, "not UTF-8 text", code="mapping_not_utf8") from None
    return load_mapping(text, path.name)


def load_mapping(text: str, source: str) -> Mapping:
    """Read and check a mapping given as YAML text; ``source`` names it in errors.

    Raises:
        MappingError: not YAML, a key given twice, an unknown key or target, a target filled
            from two columns, a column both mapped and ignored, a bad default, calendar,
            header row or encoding.
    """
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506  # a SafeLoader subclass
    except MappingError as exc:
        raise MappingError(source, str(exc).removeprefix(": "), code=exc.code,
                           params=exc.params) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = str(getattr(exc, "problem", exc))
        raise MappingError(source, f"{where}not valid YAML ({problem})",
                           code="mapping_not_yaml_at" if mark is not None else "mapping_not_yaml",
                           params={"line": mark.line + 1 if mark is not None else None,
                                   "problem": problem}) from None
    return parse_mapping(data, source)


def parse_mapping(data: Any, source: str) -> Mapping:
    """Check a mapping already read into Python values (see :func:`load_mapping`)."""
    if not isinstance(data, dict):
        raise MappingError(source, "a mapping is a YAML dictionary with at least 'columns:'",
                           code="mapping_not_dict")
    unknown = set(map(str, data)) - _KEYS
    if unknown:
        keys = "key" if len(unknown) == 1 else "keys"
        raise MappingError(source, f"unknown {keys} {', '.join(sorted(unknown))}; the keys are "
                           f"{', '.join(sorted(_KEYS))}", code="mapping_unknown_keys",
                           params={"unknown": sorted(unknown), "keys": sorted(_KEYS)})
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError(source, "'columns:' must map each header to a target",
                           code="mapping_no_columns")
    by_target: dict[str, str] = {}
    mapped: dict[str, str] = {}
    for header, target in columns.items():
        header, target = str(header).strip(), str(target).strip()
        if target not in TARGETS:
            raise MappingError(source, f"column {header!r} is mapped to {target!r}, which is not "
                               f"a target; the targets are {', '.join(TARGETS)}",
                               code="mapping_not_a_target",
                               params={"header": header, "target": target,
                                       "targets": list(TARGETS)})
        if target in by_target:
            raise MappingError(source, f"{target!r} is filled from two columns, {by_target[target]!r} "
                               f"and {header!r}; map one of them, ignore the other",
                               code="mapping_target_twice",
                               params={"target": target, "first": by_target[target],
                                       "header": header})
        if header in mapped:
            raise MappingError(source, f"column {header!r} is mapped twice",
                               code="mapping_column_twice", params={"header": header})
        by_target[target] = header
        mapped[header] = target
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list):
        raise MappingError(source, "'ignore:' must be a list of headers",
                           code="mapping_ignore_not_list")
    ignored = frozenset(str(h).strip() for h in ignore)
    both = ignored & set(mapped)
    if both:
        said = "column {} is" if len(both) == 1 else "columns {} are"
        raise MappingError(source, f"{said.format(', '.join(sorted(both)))} both mapped and "
                           "ignored",
                           code="mapping_mapped_and_ignored", params={"headers": sorted(both)})
    defaults = _str_dict(data.get("defaults") or {}, source, "defaults")
    for target in defaults:
        if target not in TARGETS:
            raise MappingError(source, f"default for {target!r}, which is not a target",
                               code="mapping_default_not_target", params={"target": target})
    values: dict[str, dict[str, str]] = {}
    for target, table in (data.get("values") or {}).items():
        if target not in VOCABULARY_OF:
            raise MappingError(source, f"values: {target!r} takes no vocabulary; only "
                               f"{', '.join(VOCABULARY_OF)} do", code="mapping_no_vocabulary",
                               params={"target": str(target), "targets": list(VOCABULARY_OF)})
        table = _str_dict(table, source, f"values.{target}")
        vocabulary = load(VOCABULARY_OF[target])
        for spelling, code in table.items():
            if code not in vocabulary and not (code == "" and target in MAY_BE_NONE):
                raise MappingError(source, f"values.{target}: {spelling!r} is given {code!r}, "
                                   f"which is not a code of {VOCABULARY_OF[target]}",
                                   code="mapping_not_a_code",
                                   params={"target": target, "spelling": spelling, "code": code,
                                           "vocabulary": VOCABULARY_OF[target]})
        values[str(target)] = {_fold(k): v for k, v in table.items()}
    calendar = str(data.get("calendar", "gregorian"))
    if calendar not in ("gregorian", "hijri"):
        raise MappingError(source, f"calendar must be 'gregorian' or 'hijri', not {calendar!r}",
                           code="mapping_calendar", params={"calendar": calendar})
    header_row = data.get("header_row", 1)
    if not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1:
        raise MappingError(source, "header_row must be a row number, 1 or more",
                           code="mapping_header_row")
    encoding = str(data.get("encoding", "utf-8"))
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise MappingError(source, f"unknown encoding {encoding!r} (e.g. utf-8, windows-1256, "
                           "iso-8859-6)", code="mapping_encoding", params={"encoding": encoding}) from None
    sheet = data.get("sheet")
    return Mapping(source=source, columns=mapped, ignore=ignored, defaults=defaults,
                   values=values, calendar=calendar,
                   sheet=None if sheet is None else str(sheet), header_row=header_row,
                   encoding=encoding)


def _str_dict(value: Any, source: str, key: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise MappingError(source, f"'{key}:' must be a dictionary", code="mapping_not_a_dict",
                           params={"key": key})
    return {str(k).strip(): str(v).strip() for k, v in value.items()}


def _fold(text: str) -> str:
    """How a vocabulary spelling is compared: case, spacing and tatweel do not matter."""
    return " ".join(text.replace("\u0640", "").casefold().split())
