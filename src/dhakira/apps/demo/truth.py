"""The ground-truth file: who each mention really is, and which lists saw each true victim.

Written outside the vault so that linkage and estimation can be scored against it. It is
one JSON object, written row by row at the end from compact arrays, so that it can hold a
million mentions without a dict per pair in memory.

Format ``dhakira-demo-truth-1``::

    {"format", "generator_version", "seed", "parameters": {...},
     "networks": [list names; bit i of a victim's mask is networks[i]],
     "districts": [...], "true_total", "documented", "reports",
     "victims": {"columns": ["id","district","year","act_type","sogi","sex","lists"],
                 "rows": [[0, "Mosul", 2015, "killing", false, "male", [0, 2]], ...]},
     "victim_mentions": {"P-000123": <victim id>, ...},
     "perpetrators": {"columns": ["id","unit","role","superior"], "rows": [...]},
     "perpetrator_mentions": {"P-000002": <perpetrator id>, ...}}
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "dhakira-demo-truth-1"


class TruthWriter:
    """Collects the truth in compact arrays and writes it once, streaming."""

    def __init__(self, networks: list[str], districts: list[str], act_types: list[str]) -> None:
        self.networks, self.districts, self.act_types = networks, districts, act_types
        self._victims = {k: array("i") for k in ("district", "year", "act", "sogi", "male", "mask")}
        self._victim_person, self._victim_of = array("q"), array("i")
        self._perp_person, self._perp_of = array("q"), array("i")

    def add_victim(self, *, district: int, year: int, act_type: str, sogi: bool, sex: str,
                   mask: int) -> None:
        v = self._victims
        v["district"].append(district)
        v["year"].append(year)
        v["act"].append(self.act_types.index(act_type))
        v["sogi"].append(int(sogi))
        v["male"].append(1 if sex == "male" else 0)
        v["mask"].append(mask)

    def add_victim_mention(self, person_pk: int, victim: int) -> None:
        self._victim_person.append(person_pk)
        self._victim_of.append(victim)

    def add_perpetrator_mention(self, person_pk: int, perpetrator: int) -> None:
        self._perp_person.append(person_pk)
        self._perp_of.append(perpetrator)

    @property
    def true_total(self) -> int:
        return len(self._victims["mask"])

    @property
    def documented(self) -> int:
        return sum(1 for m in self._victims["mask"] if m)

    def write(self, path: Path, header: dict[str, Any], perpetrators: list[list[Any]]) -> None:
        """Write the file; ``header`` holds version, seed, parameters and report count."""
        head = dict(header, format=FORMAT, networks=self.networks, districts=self.districts,
                    true_total=self.true_total, documented=self.documented)
        with path.open("w", encoding="utf-8") as out:
            out.write(json.dumps(head, ensure_ascii=False)[:-1])
            out.write(', "victims": {"columns": ["id", "district", "year", "act_type", "sogi", '
                      '"sex", "lists"], "rows": [\n')
            v = self._victims
            for i in range(self.true_total):
                lists = [n for n in range(len(self.networks)) if v["mask"][i] >> n & 1]
                row = [i, self.districts[v["district"][i]], v["year"][i],
                       self.act_types[v["act"][i]], bool(v["sogi"][i]),
                       "male" if v["male"][i] else "female", lists]
                out.write(("," if i else "") + json.dumps(row, ensure_ascii=False) + "\n")
            out.write("]},\n")
            _write_map(out, "victim_mentions", self._victim_person, self._victim_of)
            out.write(',\n"perpetrators": {"columns": ["id", "unit", "role", "superior"], "rows": ')
            out.write(json.dumps(perpetrators, ensure_ascii=False))
            out.write("},\n")
            _write_map(out, "perpetrator_mentions", self._perp_person, self._perp_of)
            out.write("}\n")


def _write_map(out: Any, name: str, persons: array, targets: array) -> None:
    out.write(f'"{name}": {{')
    for i, (pk, target) in enumerate(zip(persons, targets, strict=True)):
        out.write(f'{"," if i else ""}"P-{pk:06d}": {target}' + ("\n" if i % 8 == 7 else ""))
    out.write("}")


@dataclass(frozen=True)
class Truth:
    """The truth file, read back."""

    seed: int
    networks: tuple[str, ...]
    true_total: int
    documented: int
    victims: tuple[dict[str, Any], ...]
    victim_mentions: dict[str, int]
    perpetrator_mentions: dict[str, int]
    raw: dict[str, Any]

    def capture_histories(self) -> Counter[tuple[int, ...]]:
        """Count of documented victims per capture history (1/0 per network, in order)."""
        counts: Counter[tuple[int, ...]] = Counter()
        for v in self.victims:
            if v["lists"]:
                counts[tuple(int(i in v["lists"]) for i in range(len(self.networks)))] += 1
        return counts


def read_truth(path: Path) -> Truth:
    """Read a truth file written by :class:`TruthWriter`.

    Raises:
        ValueError: the file is not a demo truth file.
    """
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("format") != FORMAT:
        raise ValueError(f"{path} is not a {FORMAT} file")
    cols = raw["victims"]["columns"]
    victims = tuple(dict(zip(cols, row, strict=True)) for row in raw["victims"]["rows"])
    return Truth(raw["seed"], tuple(raw["networks"]), raw["true_total"], raw["documented"],
                 victims, raw["victim_mentions"], raw["perpetrator_mentions"], raw)
