"""Who is the same person: Arabic-aware identity resolution on Splink (pure core).

Mentions (one report's account of one person) become a feature table of name-part keys,
dates, places, age, sex and units (:mod:`~dhakira.core.linkage.features`); :func:`link` estimates
a Fellegi-Sunter model from the data by EM, scores candidate pairs and clusters them;
:func:`evaluate` scores a clustering against a truth mapping. Settings are versioned data.
"""

from dhakira.core.linkage.errors import (
    LinkageError,
    LinkageMemoryError,
    NoRecordsError,
    SettingsError,
    TruthError,
)
from dhakira.core.linkage.evaluate import Evaluation, evaluate, truth_mapping
from dhakira.core.linkage.features import Mention, NameParts, build_features, name_parts
from dhakira.core.linkage.model import LinkageResult, ScoredPair, cluster, link
from dhakira.core.linkage.settings import SETTINGS_VERSION, LinkageSettings, defaults_for

__all__ = [
    "SETTINGS_VERSION",
    "Evaluation",
    "LinkageError",
    "LinkageMemoryError",
    "LinkageResult",
    "LinkageSettings",
    "Mention",
    "NameParts",
    "NoRecordsError",
    "ScoredPair",
    "SettingsError",
    "TruthError",
    "build_features",
    "cluster",
    "defaults_for",
    "evaluate",
    "link",
    "name_parts",
    "truth_mapping",
]
