"""Scoring a clustering against the truth: pairwise and B-cubed measures, false merges.

All measures are computed from the contingency counts of (predicted cluster, true entity),
so they cost one pass over the records, even for a million of them.

Examples:
    Records 1-4; the truth says {1, 2} and {3, 4}; we merged 2 and 3 wrongly:

    >>> e = evaluate({1: 1, 2: 2, 3: 2, 4: 4}, {1: "a", 2: "a", 3: "b", 4: "b"})
    >>> e.true_positives, e.predicted_pairs, e.true_pairs
    (0, 1, 2)
    >>> e.false_merges
    1
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from dhakira.core.ids import PERSON
from dhakira.core.linkage.errors import TruthError

__all__ = ["Evaluation", "evaluate", "truth_mapping"]


@dataclass(frozen=True)
class Evaluation:
    """How a clustering compares with the truth.

    Attributes:
        records: records scored (present in both the clustering and the truth).
        true_people: distinct true entities among them.
        clusters: predicted clusters among them.
        true_pairs, predicted_pairs, true_positives: pair counts.
        precision, recall, f1: pairwise measures.
        bcubed_precision, bcubed_recall, bcubed_f1: B-cubed measures (per record, averaged).
        false_merges: true people wrongly joined to another's cluster (sum over clusters of
            the distinct true people in it, minus one).
        false_merges_per_1000: false merges per 1,000 true people.
    """

    records: int
    true_people: int
    clusters: int
    true_pairs: int
    predicted_pairs: int
    true_positives: int
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    false_merges: int
    false_merges_per_1000: float

    def to_dict(self) -> dict[str, float | int]:
        """The figures as plain JSON values."""
        return asdict(self)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _ratio(a: float, b: float) -> float:
    return a / b if b else 1.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(clusters: Mapping[int, Hashable], truth: Mapping[int, Hashable]) -> Evaluation:
    """Score predicted clusters against true entities.

    Args:
        clusters: record id → predicted cluster id.
        truth: record id → true entity id.

    Returns:
        Pairwise and B-cubed precision, recall and F1, and false merges.

    Raises:
        TruthError: no record is in both mappings.
    """
    common = [r for r in truth if r in clusters]
    if not common:
        raise TruthError("the truth names none of the linked records; check that the truth "
                         "file belongs to this vault", code="truth_names_none")
    cells = Counter((clusters[r], truth[r]) for r in common)
    size_c = Counter(clusters[r] for r in common)
    size_t = Counter(truth[r] for r in common)
    tp = sum(_pairs(n) for n in cells.values())
    pred, true = sum(_pairs(n) for n in size_c.values()), sum(_pairs(n) for n in size_t.values())
    p, r = _ratio(tp, pred), _ratio(tp, true)
    bp = sum(n * n / size_c[c] for (c, _), n in cells.items()) / len(common)
    br = sum(n * n / size_t[t] for (_, t), n in cells.items()) / len(common)
    people_in = Counter(c for c, _ in cells)
    merges = sum(k - 1 for k in people_in.values())
    return Evaluation(len(common), len(size_t), len(size_c), true, pred, tp, p, r, _f1(p, r),
                      bp, br, _f1(bp, br), merges, 1000 * merges / len(size_t))


def truth_mapping(data: dict[str, Any], role: str = "victim") -> dict[int, Hashable]:
    """Person primary key → true entity, from a truth JSON object.

    Reads the demo generator's truth file (``victim_mentions`` / ``perpetrator_mentions``,
    keyed by Person uid "P-000123") or a plain ``{"P-000123": entity}`` object.

    Args:
        data: the parsed JSON.
        role: 'victim' or 'perpetrator', for the demo's truth file.

    Returns:
        Person primary key → true entity id.

    Raises:
        TruthError: no mapping found, or a key is not a Person uid.

    Examples:
        >>> truth_mapping({"victim_mentions": {"P-000007": 3}})
        {7: 3}
    """
    mapping = data.get(f"{role}_mentions", data if "format" not in data else None)
    if not isinstance(mapping, dict) or not mapping:
        raise TruthError(f"the truth file has no {role} mentions",
                         code="truth_no_perpetrators" if role == "perpetrator"
                         else "truth_no_victims")
    try:
        return {PERSON.parse_loose(str(k)): v for k, v in mapping.items()}
    except ValueError:
        raise TruthError("truth keys must be Person uids such as P-000123",
                         code="truth_bad_keys") from None
