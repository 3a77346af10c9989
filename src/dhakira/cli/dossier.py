"""The synthetic dossier, identity resolution and estimation."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from dhakira.cli._common import (
    CommandError,
    actor_password_option,
    authenticate_actor,
    fail_cleanly,
    main,
    not_negative,
    passphrase_option,
    refusals_in_reader_language,
    speaking,
    unlock,
    vault_option,
)


@main.command("demo-data")
@vault_option
@passphrase_option
@click.option("--victims", default=4383, show_default=True, type=click.IntRange(1))
@click.option("--perpetrators", default=1804, show_default=True, type=click.IntRange(1))
@click.option("--informants", default=40, show_default=True, type=click.IntRange(2))
@click.option("--seed", default=1, show_default=True, type=int, callback=not_negative)
@click.option("--capture", default="heterogeneous", show_default=True,
              type=click.Choice(["heterogeneous", "dependent"]),
              help="How the lists record victims: hidden groups each list reaches its own way, "
                   "or with dependence between lists (the estimates' warnings fire).")
@click.option("--truth-out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the ground truth (keep it outside the vault).")
@click.option("--charge-by", "charge_by", default=None, metavar="USER",
              help="Also define the demo's persecution charge, assessed in USER's name "
                   "(an analyst, legal officer or administrator, proven by --password-file).")
@actor_password_option
@fail_cleanly
def demo_data(vault: Path, passphrase_file: Path | None, victims: int, perpetrators: int,
              informants: int, seed: int, capture: str, truth_out: Path, charge_by: str | None,
             password_file: Path | None) -> None:
    """Fill the vault with a deterministic, synthetic dossier and write its ground truth.

    Example: dhakira demo-data --vault ./vault --seed 7 --truth-out truth.json
    """
    if truth_out.resolve().is_relative_to(vault.resolve()):
        from django.utils.translation import gettext as _

        with speaking():  # before the vault: the words alone
            raise CommandError(_("--truth-out must be outside the vault"), 64)
    unlock(vault, passphrase_file)
    from dhakira.apps.demo import load

    built = load.build_dossier(victims=victims, perpetrators=perpetrators,
                               informants=informants, seed=seed, truth_out=truth_out,
                               capture=capture)
    with speaking():
        click.echo(_demo_summary(built))
    if charge_by:
        from dhakira.apps.law.services import ensure_demo_charge

        user = authenticate_actor(charge_by, password_file)
        charge = ensure_demo_charge(user)
        from django.utils.translation import gettext as _

        with speaking():
            click.echo(_("Defined charge %(charge)s: %(title)s") % {"charge": charge.uid,
                                                                    "title": charge.title})


def _demo_summary(built: Any) -> str:
    """What ``demo-data`` built (a ``demo.load.BuildResult``), in the active language: the
    counts, each after its name (no noun to agree with a number), and the time taken."""
    from django.utils.translation import gettext as _

    from dhakira.apps.counting.texts import count, decimal

    return _("Demo dossier built (seed %(seed)s): documented victims %(documented)s of "
             "%(total)s in the true population; perpetrators %(perpetrators)s; informants "
             "%(informants)s (lists: %(lists)s); reports %(reports)s; events %(events)s; acts "
             "%(acts)s; consent records %(consents)s. Time: %(seconds)s s (reports per second: "
             "%(rate)s; memory at its peak: %(mb)s MB). Ground truth written to %(truth)s.") % {
        "seed": built.seed, "documented": count(built.documented),
        "total": count(built.true_total), "perpetrators": count(built.perpetrators),
        "informants": count(built.informants), "lists": count(built.networks),
        "reports": count(built.reports), "events": count(built.rows.get("Event", 0)),
        "acts": count(built.rows.get("Act", 0)),
        "consents": count(built.rows.get("Consent", 0)), "seconds": decimal(built.seconds, 1),
        "rate": count(built.reports / max(built.seconds, 1e-9)), "mb": count(built.peak_mb),
        "truth": built.truth_out}


@main.command("link")
@vault_option
@passphrase_option
@click.option("--actor", required=True,
              help="The user who runs the linkage (recorded in the custody ledger), proven by "
                   "their web password.")
@actor_password_option
@click.option("--role", default="victim", show_default=True,
              type=click.Choice(["victim", "perpetrator"]), help="Which mentions to resolve.")
@click.option("--evaluate", "truth", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Score the clustering against a truth file (the demo's --truth-out).")
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Match probability at which two records join one person "
                   "(default: the settings' cluster_threshold).")
@fail_cleanly
def link_command(vault: Path, passphrase_file: Path | None, actor: str,
                 password_file: Path | None, role: str,
                 truth: Path | None, threshold: float | None) -> None:
    """Resolve who is the same person and queue candidate pairs for review.

    Nothing is merged: pairs above the review threshold wait in the web app's review queue.

    Example: dhakira link --vault ./vault --actor amal --evaluate truth.json
    """
    unlock(vault, passphrase_file)
    from dataclasses import replace

    from dhakira.apps.linkage import services
    from dhakira.core.linkage import defaults_for

    actor = authenticate_actor(actor, password_file).get_username()
    # The truth file is read before any work: a bad one must not leave a run behind.
    expected = services.read_truth(truth, role) if truth is not None else None
    settings = defaults_for(role)
    if threshold is not None:
        settings = replace(settings, cluster_threshold=threshold)
    with refusals_in_reader_language():
        outcome = services.run_linkage(actor=actor, role=role, settings=settings)
    people = len(set(outcome.result.clusters.values()))
    with speaking():
        click.echo(_resolved(role, outcome.run, mentions=outcome.run.mentions, people=people,
                             threshold=settings.cluster_threshold, pairs=outcome.stored))
    if expected is not None:
        from django.utils.translation import gettext as _

        e = services.evaluate_run(outcome, expected)
        with speaking():  # the figures' columns line up in English; Arabic labels are words
            # No pair joined: a precision of 1.0 would say every join was right.
            click.echo(_("pairwise   precision %(precision)s  recall %(recall)s  F1 %(f1)s") % {
                "precision": f"{e.precision:.4f}" if e.predicted_pairs else
                _("— (no pair joined)"), "recall": f"{e.recall:.4f}", "f1": f"{e.f1:.4f}"})
            click.echo(_("B-cubed    precision %(precision)s  recall %(recall)s  F1 %(f1)s") % {
                "precision": f"{e.bcubed_precision:.4f}", "recall": f"{e.bcubed_recall:.4f}",
                "f1": f"{e.bcubed_f1:.4f}"})
            click.echo(_("false merges %(merges)s (%(per)s per 1,000 true people; %(people)s "
                         "true people, %(clusters)s clusters)") % {
                "merges": e.false_merges, "per": f"{e.false_merges_per_1000:.2f}",
                "people": f"{e.true_people:,}", "clusters": f"{e.clusters:,}"})


def _resolved(role: str, run: object, *, mentions: int, people: int, threshold: float,
              pairs: int) -> str:
    """What a linkage run found, in the active language: each count with its noun in the
    form that number takes ("1 person", "306 people"; Arabic's six forms), then the sentence."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if role == "perpetrator":
        said = ngettext("%(n)s perpetrator mention", "%(n)s perpetrator mentions", mentions)
    else:
        said = ngettext("%(n)s victim mention", "%(n)s victim mentions", mentions)
    return _("%(run)s: %(mentions)s resolved to %(people)s at p >= %(threshold)s; "
             "%(pairs)s") % {
        "run": run, "mentions": said % {"n": f"{mentions:,}"},
        "people": ngettext("%(n)s person", "%(n)s people", people) % {"n": f"{people:,}"},
        "threshold": threshold,
        "pairs": ngettext("%(n)s pair queued for review", "%(n)s pairs queued for review",
                          pairs) % {"n": f"{pairs:,}"}}


@main.command()
@click.option("--vault", type=click.Path(file_okay=False, path_type=Path),
              help="Estimate from this vault's dossier: the latest victim linkage run's people "
                   "with review decisions applied (refused without a run, unless --resolution).")
@passphrase_option
@click.option("--table", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Estimate from a capture table in JSON instead (no vault).")
@click.option("--method", default="lcmcr", show_default=True,
              type=click.Choice(["independence", "loglinear", "lcmcr", "dga"]),
              help="dga: Bayesian model averaging (Madigan & York), 3 to 5 lists only.")
@click.option("--seed", default=1, show_default=True, type=int, callback=not_negative)
@click.option("--lists", default="network", show_default=True,
              help="What a list is: network, organisation, material_type or channel.")
@click.option("--strata", default="none", show_default=True,
              help="Comma-separated: year or half_year, district, act_type, sex; or none.")
@click.option("--resolution", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Who is the same person, from FILE (a clustering or the demo truth file) "
                   "instead of the vault's linkage.")
@click.option("--budget", default=300.0, show_default=True, type=click.FloatRange(0),
              metavar="SECONDS",
              help="lcmcr: run the chains until they converge or this much time has passed.")
@click.option("--progress", "show_progress", is_flag=True,
              help="Print progress to stderr even when it is not a terminal.")
@fail_cleanly
def estimate(vault: Path | None, passphrase_file: Path | None, table: Path | None, method: str,
             seed: int, lists: str, strata: str, resolution: Path | None, budget: float,
             show_progress: bool) -> None:
    """Estimate how many victims there were, seen and unseen; print JSON.

    Progress goes to stderr (when it is a terminal, or with --progress), in the reader's
    language; the JSON to stdout.

    Example: dhakira estimate --table tests/data/mse/hiv_rome_1994.json --method loglinear
    """
    if (vault is None) == (table is None):
        from django.utils.translation import gettext as _

        with speaking():  # before the vault: the words alone
            raise CommandError(_("give either --vault or --table"), 64)
    progress = _progress_printer() if show_progress or _stderr_is_terminal() else None
    if table is not None:
        from dhakira.core.counting import CaptureTable
        from dhakira.core.counting import estimate as run

        with refusals_in_reader_language():
            done = run(CaptureTable.load(table), method=method, seed=seed,  # type: ignore[arg-type]
                       budget_seconds=budget, progress=progress)
        _print_estimate(done.to_dict())
        return
    assert vault is not None
    from dhakira.apps.counting.definitions import ListDefinition, StrataDefinition

    list_def, strata_def = ListDefinition.from_json(lists), StrataDefinition.from_json(strata)
    unlock(vault, passphrase_file)
    from django.utils import translation

    from dhakira.apps.counting import services

    if resolution is not None:
        mapping, label = services.read_resolution(resolution)
        with refusals_in_reader_language():
            # A file for another dossier names few of this one's mentions: refused, not
            # counted with each mention it leaves out as a person of its own.
            result = services.run_estimate(mapping, label=label, lists=list_def,
                                           covers=0.5,
                                           strata=strata_def, method=method, seed=seed,
                                           budget_seconds=budget, progress=progress)
    else:
        # the run's words (its warnings, as stored) are English, as its --help; a refusal is
        # said again in the reader's language
        with refusals_in_reader_language(), translation.override("en"):
            result = services.run_with_current(lists=list_def, strata=strata_def,
                                               method=method, seed=seed, budget_seconds=budget,
                                               progress=progress)
    out = {**result.result["total"], "run": result.uid, "lists": result.result["lists"],
           "victims": result.victims, "unresolved": result.unresolved,
           "set_aside": result.result.get("set_aside", 0),
           "resolution": result.resolution, "strata": result.result["strata"]}
    for key in ("linkage", "sensitivity"):  # the vault's linkage, not a --resolution file
        if key in result.result:
            out[key] = result.result[key]
    _print_estimate(out)


def _print_estimate(result: dict[str, Any]) -> None:
    """An estimate's JSON on stdout: each warning keeps its code and English words (for
    programs), and ``warning_texts`` beside them say each in the reader's language."""
    import json

    with speaking():
        from dhakira.apps.counting.texts import with_warning_texts

        click.echo(json.dumps(with_warning_texts(result), indent=2, ensure_ascii=False))


def _stderr_is_terminal() -> bool:
    import sys

    return sys.stderr.isatty()


def _progress_printer(every: float = 3.0) -> Callable[[float, str], None]:
    """A progress callback printing one line to stderr at most every ``every`` seconds, in
    the reader's language."""
    import time

    last = [-math.inf, 0.0]  # when the last line was printed, and its fraction

    def show(fraction: float, status: str) -> None:
        now = time.monotonic()
        if now - last[0] >= every or (fraction >= 1.0 > last[1]):
            last[:] = [now, fraction]
            with speaking():
                from dhakira.cli._words import progress_text

                click.echo(f"estimate: {fraction:4.0%} {progress_text(status)}", err=True)
    return show
