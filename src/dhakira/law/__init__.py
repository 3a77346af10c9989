"""The legal core: elements of crimes as data, the proof matrix, and pattern indicators.

Pure: imports neither Django nor any Django app. Element texts are paraphrases of the ICC
Elements of Crimes and must be checked against the official text before any filing.
"""

from dhakira.law.catalogue import (
    BearsOn,
    Catalogue,
    Crime,
    Element,
    LiabilityMode,
    Routing,
    load_catalogue,
    load_catalogue_from,
)

__all__ = [
    "BearsOn",
    "Catalogue",
    "Crime",
    "Element",
    "LiabilityMode",
    "Routing",
    "load_catalogue",
    "load_catalogue_from",
]
