"""Write the stated default m and u of each level from models trained on the demo dossier.

Usage: .venv/bin/python bench/_linkage_defaults.py victim_model.json perpetrator_model.json
(the ``model`` of a ``dhakira link`` run on the default demo, one per role; the victims'
model comes first and wins where both have a level). Writes
src/dhakira/core/linkage/data/default_levels.json.

Each value is rounded to two significant figures and floored at FLOOR: a default is a prior
for dossiers too small to train on, never a certainty that a level cannot occur.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

FLOOR = 1e-4
OUT = Path(__file__).resolve().parents[1] / "src/dhakira/core/linkage/data/default_levels.json"


def _value(x: Any) -> float:
    v = float(x) if isinstance(x, int | float) else 0.0
    return float(f"{max(v, FLOOR):.2g}")


def levels_of(models: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """comparison → level label → {"m", "u"}, from trained Splink models."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for model in models:
        for comp in model["comparisons"]:
            table = out.setdefault(comp["output_column_name"], {})
            for lv in comp["comparison_levels"]:
                if lv.get("is_null_level") or lv["label_for_charts"] in table:
                    continue
                table[lv["label_for_charts"]] = {"m": _value(lv.get("m_probability")),
                                                 "u": _value(lv.get("u_probability"))}
    return out


def main(paths: list[str]) -> int:
    models = [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
    data = {"about": "Default m and u of each comparison level, for dossiers too small to "
                     "train on and as the prior mean of every estimate. Trained by EM on "
                     "the default synthetic demo dossier (seed 1), victims then "
                     "perpetrators; rounded to two significant figures, floored at "
                     f"{FLOOR}. Written by bench/_linkage_defaults.py.",
            "comparisons": levels_of(models)}
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
