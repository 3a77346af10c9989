"""The legal core: elements of crimes as data, the proof matrix, and pattern indicators.

Pure: imports neither Django nor any Django app. Element texts are paraphrases of the ICC
Elements of Crimes and must be checked against the official text before any filing.
"""

from dhakira.core.law._loader import load_catalogue, load_catalogue_from
from dhakira.core.law._rows import build_matrix
from dhakira.core.law.catalogue import (
    BearsOn,
    Catalogue,
    Crime,
    Element,
    LiabilityMode,
    Routing,
)
from dhakira.core.law.matrix import (
    GAP_NONE,
    GAP_SINGLE_ORIGIN,
    Assessment,
    Charge,
    Item,
    MatrixRow,
    ProofMatrix,
    RowEntry,
)
from dhakira.core.law.patterns import ActFact, ModusOperandi, PatternSummary, pattern_summary
from dhakira.core.law.standards import StandardOfProof, parse_standard

__all__ = [
    "GAP_NONE",
    "GAP_SINGLE_ORIGIN",
    "ActFact",
    "Assessment",
    "BearsOn",
    "Catalogue",
    "Charge",
    "Crime",
    "Element",
    "Item",
    "LiabilityMode",
    "MatrixRow",
    "ModusOperandi",
    "PatternSummary",
    "ProofMatrix",
    "Routing",
    "RowEntry",
    "StandardOfProof",
    "build_matrix",
    "load_catalogue",
    "load_catalogue_from",
    "parse_standard",
    "pattern_summary",
]
