"""Linkage settings as data: thresholds, blocking rules and comparison levels, versioned.

A :class:`LinkageSettings` round-trips through JSON; every run records the version and the
settings it used, so a result can always be traced back to the model that produced it.

Examples:
    >>> s = LinkageSettings(review_threshold=0.6)
    >>> LinkageSettings.from_json(s.to_json()) == s
    True
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from typing import Any

from dhakira.core.linkage.errors import SettingsError

__all__ = ["DEFAULT_BLOCKING_RULES", "SETTINGS_VERSION", "LinkageSettings", "defaults_for"]

SETTINGS_VERSION = "dhakira-linkage-1"

# Each rule is SQL over the feature columns (l./r.). Several narrow rules keep recall high for
# transliteration variants: names are blocked on their consonant keys, which already absorb
# spelling and script, and the last rules catch reports that disagree on the given name.
DEFAULT_BLOCKING_RULES: tuple[str, ...] = (
    "l.ism = r.ism and l.father = r.father",
    "l.ism = r.ism and l.place = r.place",
    "l.ism = r.ism and l.district = r.district and l.date_month = r.date_month",
    "l.father = r.father and l.grandfather = r.grandfather",
    "l.ism_block = r.ism_block and l.nisba = r.nisba and l.district = r.district",
    "l.kunya = r.kunya and l.district = r.district",
    "l.date_lo = r.date_lo and l.place = r.place",
    "l.event = r.event",
)
# EM is trained on name-blocked pairs only: a date-and-place block is full of different
# victims of one mass event, and EM would learn "same event" instead of "same person".
DEFAULT_EM_RULES: tuple[str, ...] = (
    "l.ism = r.ism and l.father = r.father",
    "l.nisba = r.nisba and l.grandfather = r.grandfather",
)


@dataclass(frozen=True)
class LinkageSettings:
    """Everything that decides how mentions are linked.

    Attributes:
        version: the settings format; a run refuses settings of another version.
        review_threshold: pairs at or above this match probability go to the review queue
            (the lower end of the review band).
        review_ceiling: pairs above this probability are not queued: the model is sure
            (the upper end of the band; ignored with ``auto_link``).
        review_skip_joined: a pair below the cluster threshold whose two records are
            already in one cluster, through other pairs, is not queued.
        cluster_threshold: pairs at or above this probability join one cluster when the
            model's own clustering is used (evaluation, and auto-linking when enabled).
        auto_link: when True, pairs at or above ``auto_link_threshold`` are linked without
            review. Off by default: every merge is a human decision.
        auto_link_threshold: see ``auto_link``.
        name_thresholds: Jaro-Winkler levels on the name-part keys, highest first.
        name_edit_distance: a level for keys at most this many edits apart (Damerau-
            Levenshtein), below the first Jaro-Winkler level; 0 leaves it out.
        date_gaps_days: levels for the gap between two date ranges (0 = they overlap).
        date_typo_edits: a level for earliest dates whose digits (YYYYMMDD) are at most this
            many edits apart, after the first gap level above 0 days; 0 leaves it out.
        age_gaps: levels for the difference in stated age, in years.
        blocking_rules: SQL rules generating candidate pairs (any rule admits a pair).
        em_blocking_rules: rules under which the m probabilities are estimated by EM.
        max_em_iterations: EM iterations per training rule.
        u_max_pairs: random pairs sampled to estimate the u probabilities.
        em_max_pairs: at most about this many blocked pairs are sampled for each EM rule.
        prior_rule: a strict rule whose matches estimate the prior probability that two
            random mentions are one person.
        prior_recall: assumed recall of ``prior_rule``.
        prior_min_pairs: the prior rule is taken to find at least this many pairs, so a
            dossier where it finds none still has a prior above 0.
        prior_max: the prior is at most this (a two-mention dossier: one pair, even odds).
        m_prior_pairs: weight, in pairs, of the stated default m of each level in EM's
            maximisation step: m = (expected matches at the level + a * default) /
            (expected matches + a). Without it a level no likely match reaches gets m = 0.
        u_prior_pairs: the same for u, after counting the levels of random pairs.
        min_training_records: a dossier with fewer mentions is not trained by EM: its m
            values are the stated defaults (``dhakira/core/linkage/data/default_levels.json``).
        seed: seed of the random sampling, so that a run can be repeated exactly.
        compare_events: a "same event record" level at the top of the place comparison
            (when the features carry events): two reports attached to one event record are
            strong evidence, weighted by the event's size (term frequency: agreeing on a
            mass execution says less than on an arrest of one man). Without it split
            victims inflate every estimate from the dossier (docs/linkage.md).
        event_group_days: event records of one place and act type whose dates are at most
            this many days apart count as one event in the "same event record" level (one
            event written down twice; see :mod:`dhakira.core.linkage._events`); None compares the
            records' own ids.
        cannot_link_source_event: never cluster together two mentions given by one source
            about one event (an informant who reports two victims of one execution reports
            two people); a cluster that would join them is not formed.
        cluster_min_average: average linkage: two clusters are joined only when the mean
            match probability of the scored pairs between them is at least this (0 turns
            the check off), so one strong pair cannot chain two people whose other records
            disagree.
        name_fuzzy_min_length: the Jaro-Winkler and edit-distance name levels apply only when
            both keys have at least this many letters; a one-letter key ("t" for al-Ta'i,
            "l" for Ali) either agrees or differs.
        compare_arabic_spelling: split the "keys agree" level of ism, father and grandfather
            when both mentions spell the part in Arabic script and the spellings differ
            (the consonant key folds أحمد and حامد, محمد and محمود together).
        compare_swapped_names: a level of the ism and nisba comparisons for a given name and
            a family name (nisba) that are each other's, swapped.
        compare_family_as_father: a level of the father comparison for one mention's father
            that is the other's family name (nisba): a family name written without its
            article ("Rana Hamdani" for رنا يونس الحمداني) is read as the father.
        memory_limit: memory limit of the in-process DuckDB database (DuckDB's syntax,
            e.g. "6GB"). It never spills to disk (spilled pages would be plaintext personal
            data outside the vault): a job over the limit fails with LinkageMemoryError.
        threads: DuckDB threads; 0 uses every core.
    """

    version: str = SETTINGS_VERSION
    # The band a human reviews; chosen on the demo's seeds 1-3 and 5, checked on seed 4
    # (docs/linkage.md, "The review band").
    review_threshold: float = 0.95
    review_ceiling: float = 0.9995
    review_skip_joined: bool = True
    cluster_threshold: float = 0.99
    auto_link: bool = False
    auto_link_threshold: float = 0.999
    name_thresholds: tuple[float, ...] = (0.92, 0.8)
    name_edit_distance: int = 1
    date_gaps_days: tuple[int, ...] = (0, 31, 366)
    date_typo_edits: int = 1
    age_gaps: tuple[int, ...] = (2, 5, 10)
    blocking_rules: tuple[str, ...] = DEFAULT_BLOCKING_RULES
    em_blocking_rules: tuple[str, ...] = DEFAULT_EM_RULES
    max_em_iterations: int = 10
    u_max_pairs: float = 1e6
    em_max_pairs: float = 2e6
    prior_rule: str = "l.ism = r.ism and l.father = r.father and l.district = r.district"
    prior_recall: float = 0.7
    prior_min_pairs: float = 1.0
    prior_max: float = 0.5
    m_prior_pairs: float = 1.0
    u_prior_pairs: float = 100.0
    min_training_records: int = 100
    seed: int = 1
    compare_events: bool = True
    event_group_days: int | None = 0
    cannot_link_source_event: bool = True
    cluster_min_average: float = 0.7
    compare_arabic_spelling: bool = True
    compare_swapped_names: bool = True
    compare_family_as_father: bool = True
    name_fuzzy_min_length: int = 2
    memory_limit: str = "6GB"
    threads: int = 0

    def __post_init__(self) -> None:
        if self.version != SETTINGS_VERSION:
            raise SettingsError(f"settings version {self.version!r} is not supported; "
                                f"this Dhakira reads {SETTINGS_VERSION!r}")
        for name in ("review_threshold", "cluster_threshold", "auto_link_threshold",
                     "prior_recall", "prior_max", "review_ceiling"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise SettingsError(f"{name} must be in (0, 1], not {value!r}")
        if not 0.0 <= self.cluster_min_average <= 1.0:
            raise SettingsError("cluster_min_average must be in [0, 1], "
                                f"not {self.cluster_min_average!r}")
        if self.review_ceiling < self.review_threshold:
            raise SettingsError("review_ceiling must be at least review_threshold "
                                f"({self.review_ceiling!r} < {self.review_threshold!r})")
        if not self.blocking_rules:
            raise SettingsError("give at least one blocking rule")
        if list(self.name_thresholds) != sorted(self.name_thresholds, reverse=True):
            raise SettingsError("name_thresholds must be in decreasing order, e.g. [0.92, 0.8]")
        if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", self.memory_limit):
            raise SettingsError(f"memory_limit must be like '6GB', not {self.memory_limit!r}")
        if self.threads < 0:
            raise SettingsError("threads must be 0 (every core) or more")
        if self.event_group_days is not None and self.event_group_days < 0:
            raise SettingsError("event_group_days must be 0 or more, or null (off)")
        if self.date_typo_edits < 0:
            raise SettingsError("date_typo_edits must be 0 (off) or more")
        if self.name_edit_distance < 0:
            raise SettingsError("name_edit_distance must be 0 (off) or more")
        if self.name_fuzzy_min_length < 1:
            raise SettingsError("name_fuzzy_min_length must be at least 1")
        for name in ("prior_min_pairs", "m_prior_pairs", "u_prior_pairs"):
            if not getattr(self, name) > 0.0:
                raise SettingsError(f"{name} must be above 0 (it keeps every probability "
                                    f"above 0), not {getattr(self, name)!r}")
        if self.min_training_records < 2:
            raise SettingsError("min_training_records must be at least 2")
        if self.max_em_iterations < 1:
            raise SettingsError("max_em_iterations must be at least 1")

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain JSON values (tuples become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def to_json(self) -> str:
        """The settings as a JSON string with sorted keys."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageSettings:
        """Read settings written by :meth:`to_dict`.

        Absent keys take their defaults; unknown keys are refused so that a typo is never
        silently ignored.

        Raises:
            SettingsError: unknown keys, another version, or invalid values.
        """
        known = {f.name: f for f in fields(cls)}
        unknown = set(data) - set(known)
        if unknown:
            word = "setting" if len(unknown) == 1 else "settings"
            raise SettingsError(f"unknown linkage {word}: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                                  for k, v in data.items()}
        return cls(**values)

    @classmethod
    def from_json(cls, text: str) -> LinkageSettings:
        """Read settings written by :meth:`to_json`.

        Raises:
            SettingsError: not a JSON object, or see :meth:`from_dict`.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SettingsError(f"linkage settings are not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise SettingsError("linkage settings must be a JSON object")
        return cls.from_dict(data)


def defaults_for(role: str) -> LinkageSettings:
    """The default settings for resolving victims or perpetrators.

    Perpetrators are mostly known by a kunya or nom de guerre (Abu Omar al-Mosuli): their
    mentions are blocked and trained on the kunya key, with the origin (nisba) and unit to
    tell two men called Abu Omar apart.

    Examples:
        >>> defaults_for("perpetrator").blocking_rules
        ('l.kunya = r.kunya',)
    """
    if role == "perpetrator":
        # Their pairs are leads: the whole range from 0.5 is queued.
        # Several perpetrators act in one event: a shared event does not tell them apart.
        return LinkageSettings(review_threshold=0.5, review_ceiling=1.0, compare_events=False,
                               blocking_rules=("l.kunya = r.kunya",),
                               em_blocking_rules=("l.kunya = r.kunya",),
                               prior_rule="l.kunya = r.kunya and l.nisba = r.nisba "
                                          "and l.unit = r.unit")
    return LinkageSettings()
