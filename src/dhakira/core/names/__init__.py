"""Arabic-aware names: normalisation, comparable keys, parsing and comparison (pure).

Examples:
    >>> from dhakira.core.names import compare, name_key
    >>> name_key("محمد") == name_key("Mohammed")
    True
    >>> compare("Khalid al-Jubouri", "خالد الجبوري") >= 0.9
    True
"""

from dhakira.core.names._similarity import DIFFERENT
from dhakira.core.names._tables import TABLES_VERSION
from dhakira.core.names.compare import NameComparison, compare, compare_parts
from dhakira.core.names.errors import EmptyNameError, NamesError
from dhakira.core.names.keys import (
    latin_key,
    name_key,
    part_keys,
    part_readings,
    romanise,
    text_key,
)
from dhakira.core.names.normalise import (
    normalise,
    normalise_arabic,
    normalise_latin,
    search_key,
    search_tokens,
)
from dhakira.core.names.parse import ParsedName, parse_name, shortened

__all__ = [
    "DIFFERENT",
    "TABLES_VERSION",
    "EmptyNameError",
    "NameComparison",
    "NamesError",
    "ParsedName",
    "compare",
    "compare_parts",
    "latin_key",
    "name_key",
    "normalise",
    "normalise_arabic",
    "normalise_latin",
    "parse_name",
    "part_keys",
    "part_readings",
    "romanise",
    "search_key",
    "search_tokens",
    "shortened",
    "text_key",
]
