"""Victim mentions drawn by the demo generator in memory, with the truth, for linkage tests.

The same reports ``dhakira demo-data`` writes, made into mentions as the identity app extracts
them (names, kunyas, sex, age, the acts' date range, the main act's place, district, type,
method and event record, the source), without a vault.
"""

from __future__ import annotations

from dhakira.apps.demo import DemoParams, build_world, iter_chunks
from dhakira.core.dates import parse_fuzzy_date
from dhakira.core.linkage import Mention


def victim_mentions(victims: int, seed: int) -> tuple[list[Mention], dict[int, int]]:
    """Mentions of ``victims`` documented victims, and mention id → true victim."""
    params = DemoParams(victims=victims, perpetrators=200, informants=40, seed=seed)
    world = build_world(params)
    out: list[Mention] = []
    truth: dict[int, int] = {}
    for chunk in iter_chunks(world, params):
        for rep in chunk.reports:
            dates = [parse_fuzzy_date(a.date_text) for a in rep.acts if a.date_text.strip()]
            first = rep.acts[0]
            out.append(Mention(
                len(out), tuple(t for t, _, k in rep.names if k == "full"),
                tuple(t for t, _, k in rep.names if k != "full"), rep.sex, rep.age,
                min((d.earliest for d in dates), default=None),
                max((d.latest for d in dates), default=None), first.place,
                world.places[first.place].district, (), first.act_type, first.method,
                first.event, rep.source))
            truth[len(out) - 1] = rep.victim
    return out, truth
