"""Benchmark linking small dossiers, where Splink's fixed costs weigh most.

Small dossiers are the common case (the real dossier this is modelled on had 87 cases), and
the suite links hundreds of them. For generated dossiers of 2, 20, 300 and 600 victims' reports
(``tests/linkage/generated.py``), the CPU time of ``dhakira.core.linkage.link`` with its
defaults, against a baseline in the same process: the same call as it was before two changes,
restored here for the run (Splink validating its settings for both linkers, which only logs
warnings, hidden at ERROR; and each event record's most frequent place and act counted by a
pandas mode per group). Both give the same clusters, which the run checks.

Usage: .venv/bin/python bench/bench_link_small.py [--repeat N]
Writes bench/results/link_small.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
RESULTS = ROOT / "bench" / "results"
SIZES = (2, 20, 300, 600)


@contextmanager
def as_before() -> Iterator[None]:
    """``link`` as it was: Splink validates its settings, modes counted group by group."""
    import pandas as pd
    import splink

    from dhakira.core.linkage import _events

    def mode(values: pd.Series) -> object:
        counts = values.value_counts()
        return sorted(counts[counts == counts.max()].index)[0]

    def modes(rows: pd.DataFrame, column: str) -> pd.Series:
        return rows.dropna(subset=[column]).groupby("event")[column].agg(mode)

    real_linker, real_modes = splink.Linker, _events._modes

    def validating(*args: Any, **kwargs: Any) -> Any:
        return real_linker(*args, **{**kwargs, "validate_settings": True})

    setattr(splink, "Linker", validating)  # noqa: B010 - put back below
    setattr(_events, "_modes", modes)  # noqa: B010
    try:
        yield
    finally:
        setattr(splink, "Linker", real_linker)  # noqa: B010
        setattr(_events, "_modes", real_modes)  # noqa: B010


def _cpu(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.process_time()
        result = run()
        times.append(time.process_time() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from tests.linkage.generated import victim_mentions

    from dhakira.core.linkage import LinkageSettings, build_features, link

    rows = []
    for victims in SIZES:
        mentions, _ = victim_mentions(victims, seed=3)
        features = build_features(mentions)

        def run(features: Any = features) -> Any:
            return link(features, LinkageSettings())

        run()  # the first link of a process imports and compiles what every later one uses
        now, result = _cpu(run, args.repeat)
        with as_before():
            before, old = _cpu(run, args.repeat)
        assert result.clusters == old.clusters, f"{victims} victims: the clusters differ"
        rows.append({"victims": victims, "mentions": len(mentions),
                     "cpu_s_before": round(before, 3), "cpu_s": round(now, 3),
                     "ratio": round(now / before, 3)})
        print(f"{victims:>4} victims, {len(mentions):>4} mentions: {before:.3f} s -> "
              f"{now:.3f} s of CPU (median of {args.repeat})")
    RESULTS.mkdir(exist_ok=True)
    out = {"what": "CPU time of link() with its defaults; median of --repeat runs; before: "
                   "Splink validating its settings and modes counted per group, restored "
                   "in the same process",
           "repeat": args.repeat, "rows": rows}
    (RESULTS / "link_small.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
