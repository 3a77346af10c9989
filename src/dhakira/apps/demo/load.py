"""Load the synthetic dossier into the open vault through the Django models.

The CLI (``dhakira demo-data``) calls :func:`build` once Django is set up, the schema
migrated and the vault unlocked. Rows are written with bulk_create in chunks, with primary
keys assigned here so that links (reports to persons, acts and events) need no round trips.
"""

from __future__ import annotations

import random
import resource
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import models, transaction

from dhakira.apps.custody import store
from dhakira.apps.demo import _codes as c
from dhakira.apps.demo._events import _ACTS
from dhakira.apps.demo._places_data import DISTRICTS
from dhakira.apps.demo._sink import reset_sequences
from dhakira.apps.demo._writer import ChunkWriter, Ids
from dhakira.apps.demo.errors import DemoError
from dhakira.apps.demo.generate import (
    HETEROGENEOUS,
    VERSION,
    DemoParams,
    World,
    build_world,
    iter_chunks,
    perpetrator_names,
)
from dhakira.apps.demo.truth import TruthWriter
from dhakira.apps.dossier import models as m
from dhakira.apps.vault import runtime
from dhakira.core.names import name_key

GENERATOR_USER = "demo-generator"
ACT_TYPES = [a[0] for a in _ACTS] + [c.EXECUTION, c.SENTENCING]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and how long it took."""

    seed: int
    documented: int
    true_total: int
    perpetrators: int
    informants: int
    networks: int
    rows: dict[str, int]
    seconds: float
    peak_mb: float
    truth_out: Path

    @property
    def reports(self) -> int:
        return self.rows.get("Information", 0)

    def summary(self) -> str:
        """One paragraph for the terminal."""
        return (f"Demo dossier built (seed {self.seed}): {self.documented:,} documented victims "
                f"of {self.true_total:,} in the true population, {self.perpetrators:,} "
                f"perpetrators, {self.informants} informants in {self.networks} lists, "
                f"{self.reports:,} reports, {self.rows.get('Event', 0):,} events, "
                f"{self.rows.get('Act', 0):,} acts, {self.rows.get('Consent', 0):,} consent "
                f"records; {self.seconds:.1f} s ({self.reports / max(self.seconds, 1e-9):,.0f} "
                f"reports/s, peak {self.peak_mb:,.0f} MB). Ground truth written to "
                f"{self.truth_out}.")


def build(*, victims: int, perpetrators: int, informants: int, seed: int, truth_out: Path,
          capture: str = HETEROGENEOUS) -> str:
    """Generate the dossier into the open vault and write the truth to ``truth_out``.

    Args:
        victims: documented victims wanted (reported by at least one informant).
        perpetrators: perpetrators in the unit hierarchy.
        informants: informants (sources), spread over 3 to 6 lists.
        seed: everything follows from it.
        truth_out: where the ground-truth JSON goes (keep it outside the vault).
        capture: how the lists record victims (``heterogeneous`` or ``dependent``; see
            docs/demo-data.md).

    Returns:
        A one-paragraph summary: counts, reports and time taken.

    Raises:
        DemoError: the vault already holds the demo's sources, or the sizes are invalid.
    """
    return build_dossier(victims=victims, perpetrators=perpetrators, informants=informants,
                         seed=seed, truth_out=truth_out, capture=capture).summary()


def build_dossier(*, victims: int, perpetrators: int, informants: int, seed: int,
                  truth_out: Path, capture: str = HETEROGENEOUS) -> BuildResult:
    """Like :func:`build`, but return the counts and timings as a :class:`BuildResult`."""
    started = time.perf_counter()
    params = DemoParams(victims, perpetrators, informants, seed, capture)
    world = build_world(params)
    # All or nothing: one transaction, so an interrupted build leaves no rows, and the same
    # command run again builds in place.
    with transaction.atomic():
        if m.Source.objects.filter(code_name__in=[s.code_name for s in world.sources]).exists():
            raise DemoError("this vault already holds demo data; build it into a fresh vault")
        ids, truth, perp_rows = _write_all(world, params)
        reports = ids.counts.get("Information", 0)
        truth.write(truth_out, {"generator_version": VERSION, "seed": seed, "reports": reports,
                                "parameters": {"victims": victims, "perpetrators": perpetrators,
                                               "informants": informants, "capture": capture}},
                    perp_rows)
        _record_custody(seed, reports)
    runtime.refresh_statistics()  # the planner's picture of a dossier that was empty
    return BuildResult(seed, truth.documented, truth.true_total, perpetrators, informants,
                       len(world.networks), dict(ids.counts), time.perf_counter() - started,
                       resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, truth_out)


def _write_all(world: World, params: DemoParams) -> tuple[Ids, TruthWriter, list[list[object]]]:
    """Every row of the dossier and its search index, inside the caller's transaction."""
    user_pk = generator_user()
    ids = Ids.start()
    truth = TruthWriter([n.name for n in world.networks], list(DISTRICTS), ACT_TYPES)
    perp_rows = write_world(world, ids, truth, random.Random(params.seed))
    writer = ChunkWriter(world, ids, truth, user_pk, datetime.now(UTC))
    for chunk in iter_chunks(world, params):
        writer.write(chunk)
    reset_sequences(m.Place, m.Unit, m.Person, m.Source, m.Event, m.Information, m.Act,
                    m.Consent)
    # Rows written in bulk bypass save(), so the full-text index is built once at the end.
    from dhakira.apps.search import services as search

    search.rebuild()
    m.backfill_name_parts()  # the name-part index behind people search, likewise
    return ids, truth, perp_rows


def generator_user() -> int:
    """The generator's own account (documenter, no usable password); its pk."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=GENERATOR_USER)
    if created:
        user.set_unusable_password()
        user.save()
    m.Profile.objects.get_or_create(user=user, defaults={"role": m.Role.DOCUMENTER})
    return int(user.pk)


def write_world(world: World, ids: Ids, truth: TruthWriter, rng: random.Random) -> list[list[object]]:
    """Places, units, perpetrators and sources; returns the perpetrator rows for the truth."""
    counts = ids.counts
    bulk([m.Place(pk=ids.place + p.index, name_en=p.name_en, name_ar=p.name_ar,
                  aliases=list(p.aliases), kind=p.kind,
                  parent_id=None if p.parent is None else ids.place + p.parent,
                  latitude=p.lat, longitude=p.lon, uncertainty_m=p.uncertainty_m)
          for p in world.places], counts)
    bulk([m.Unit(pk=ids.unit + u.index, name_en=u.name_en, name_ar=u.name_ar,
                 aliases=list(u.aliases), kind=u.kind,
                 parent_id=None if u.parent is None else ids.unit + u.parent)
          for u in world.units], counts)
    ids.perp_base = ids.person
    persons, names, members, links, perp_rows = [], [], [], [], []
    for p in world.perps:
        pk = ids.take_person()
        truth.add_perpetrator_mention(pk, p.index)
        persons.append(m.Person(pk=pk, sex=c.SEX_MALE))
        names += [m.NameVariant(person_id=pk, text=t, script=s, kind=k, key=name_key(t))
                  for t, s, k in perpetrator_names(p, rng)]
        members.append(m.UnitMembership(person_id=pk, unit_id=ids.unit + p.unit, role=p.role))
        if p.superior is not None:
            links.append(m.CommandLink(superior_id=ids.perp_base + p.superior, subordinate_id=pk,
                                       unit_id=ids.unit + world.perps[p.superior].unit))
        perp_rows.append([p.index, world.units[p.unit].name_en, p.role, p.superior])
    for rows in (persons, names, members, links):
        bulk(rows, counts)
    bulk([m.Source(pk=ids.source + s.index, code_name=s.code_name,
                   kind=world.networks[s.network].kind, network=world.networks[s.network].name,
                   reliability=s.reliability) for s in world.sources], counts)
    bulk([m.ProtectedValue(owner=f"S-{ids.source + s.index:05d}", field=f, compartment="sources",
                           value=v)
          for s in world.sources for f, v in (("identity", s.identity), ("contact", s.contact))],
         counts)
    return perp_rows


def bulk(rows: list[models.Model], counts: dict[str, int]) -> None:
    """bulk_create ``rows`` (all of one model): the world is small, so plain Django will do."""
    if rows:
        type(rows[0]).objects.bulk_create(rows, batch_size=5000)
        name = type(rows[0]).__name__
        counts[name] = counts.get(name, 0) + len(rows)


def _record_custody(seed: int, reports: int) -> None:
    store.record(actor=GENERATOR_USER, action="intake", subject="demo-data",
                 detail={"seed": seed, "reports": reports, "generator_version": VERSION})
