"""The review band measured against the truth: how many pairs a human sees, and what then.

A reviewer who decides every queued pair rightly (the truth file standing in for them) is
simulated: queued true pairs are accepted, the others rejected, and the records clustered
again as the next run would (accepted pairs forced, rejected ones removed). The figures are
the queue's length and the clustering after those decisions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from dhakira.core.linkage import LinkageResult, cluster, evaluate
from dhakira.core.linkage.model import _apply_feedback


def after_review(result: LinkageResult, truth: Mapping[int, Hashable],
                 groups: Mapping[int, Iterable[Hashable]] | None) -> dict[str, Any]:
    """Queue length and pairwise figures once every queued pair is decided rightly."""
    settings = result.settings
    accepted = [(p.left, p.right) for p in result.pairs
                if truth.get(p.left) is not None and truth.get(p.left) == truth.get(p.right)]
    rejected = [(p.left, p.right) for p in result.pairs if (p.left, p.right) not in set(accepted)]
    fed = _apply_feedback(result.scores, accepted, rejected)
    clusters = cluster(fed, list(result.clusters), settings.cluster_threshold, groups=groups,
                       forced=accepted, min_average=settings.cluster_min_average)
    e = evaluate(clusters, truth)
    return {"queued": len(result.pairs), "review_threshold": settings.review_threshold,
            "review_ceiling": settings.review_ceiling,
            "review_skip_joined": settings.review_skip_joined,
            "after_review": {"f1": round(e.f1, 4), "precision": round(e.precision, 4),
                             "recall": round(e.recall, 4),
                             "false_merges_per_1000": round(e.false_merges_per_1000, 2)}}
