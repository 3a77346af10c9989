"""The ``dhakira`` command.

Each subcommand parses its input, calls one function of the library and formats the
result. Errors are one line on stderr and a non-zero exit (see ``dhakira --help``).
Secrets come from a prompt or ``--passphrase-file``, never from argv or the environment.

Exit codes:
    0 success · 1 error · 2 wrong passphrase · 3 vault locked · 4 not a vault ·
    5 integrity problem found · 64 usage error
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from dhakira.errors import DhakiraError

EXIT_INTEGRITY = 5


class CommandError(click.ClickException):
    """A failure with its own exit code, printed as one line."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it per instance

    def show(self, file: Any = None) -> None:
        click.echo(f"dhakira: {self.format_message()}", err=True)


def _fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a DhakiraError into one line on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DhakiraError as exc:
            raise CommandError(str(exc), exc.exit_code) from None

    return wrapper


def vault_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--vault", "vault", required=True,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="The vault directory.")(func)


def passphrase_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--passphrase-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
                        help="Read the passphrase from the first line of FILE (for automation). "
                             "Without it you are prompted.")(func)


def read_secret(path: Path | None, prompt: str, *, confirm: bool = False) -> str:
    """A secret from the first line of ``path``, or typed at a hidden prompt."""
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines or not lines[0]:
            raise CommandError(f"{path} is empty: put the passphrase on its first line", 64)
        return lines[0]
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True))


def _open(vault: Path, passphrase_file: Path | None) -> bytes:
    from dhakira import runtime

    return runtime.open_vault(vault, read_secret(passphrase_file, "Vault passphrase"))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dhakira")
def main() -> None:
    """Dhakira (ذاكرة): a secure documentation and evidence vault.

    Example: dhakira init --vault ./vault
    """


@main.command()
@vault_option
@passphrase_option
@click.option("--admin", default="admin", show_default=True, help="User name of the first administrator.")
@click.option("--admin-password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Web password of the administrator, from FILE; prompted otherwise.")
@_fail_cleanly
def init(vault: Path, passphrase_file: Path | None, admin: str, admin_password_file: Path | None) -> None:
    """Create a new, empty, encrypted vault and its first administrator.

    Example: dhakira init --vault ./vault --admin amal
    """
    from dhakira import runtime
    from dhakira.vault import keyslots, session

    if vault.exists() and any(vault.iterdir()):
        raise CommandError(f"{vault} is not empty; choose a new directory for the vault", 64)
    passphrase = read_secret(passphrase_file, "New vault passphrase", confirm=True)
    password = read_secret(admin_password_file, f"Web password for {admin}", confirm=True)
    vault.mkdir(parents=True, exist_ok=True)
    session.set_key(keyslots.create(vault, passphrase, label=admin))
    runtime.configure(vault)
    runtime.migrate()
    from dhakira.dossier.accounts import create_user

    create_user(admin, password, role="administrator",
                clearances=["sources", "sogi", "protection", "addresses"], superuser=True)
    click.echo(f"Created vault {vault} with administrator {admin}.")


@main.command()
@vault_option
@passphrase_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@_fail_cleanly
def serve(vault: Path, passphrase_file: Path | None, host: str, port: int) -> None:
    """Unlock the vault and serve the web app on HOST:PORT.

    Example: dhakira serve --vault ./vault --port 8000
    """
    _open(vault, passphrase_file)
    from dhakira.web.server import serve_forever

    serve_forever(host, port)


@main.command()
@vault_option
@passphrase_option
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Read the new passphrase from FILE; prompted otherwise.")
@_fail_cleanly
def passwd(vault: Path, passphrase_file: Path | None, new_passphrase_file: Path | None) -> None:
    """Change the passphrase of your key slot (the data is not re-encrypted).

    Example: dhakira passwd --vault ./vault
    """
    from dhakira.vault import keyslots

    old = read_secret(passphrase_file, "Current passphrase")
    new = read_secret(new_passphrase_file, "New passphrase", confirm=True)
    slot = keyslots.change_passphrase(vault, old, new)
    click.echo(f"Changed the passphrase of key slot {slot.label!r}.")


@main.group()
def keyslot() -> None:
    """List, add and remove key slots (one per person who may unlock the vault)."""


@keyslot.command("list")
@vault_option
@_fail_cleanly
def keyslot_list(vault: Path) -> None:
    """List key slots without opening any.

    Example: dhakira keyslot list --vault ./vault
    """
    from dhakira.vault import keyslots

    for slot in keyslots.list_slots(vault):
        click.echo(f"{slot.slot_id}\t{slot.label}\targon2id m={slot.params.memory_kib}KiB "
                   f"t={slot.params.iterations} p={slot.params.parallelism}")


@keyslot.command("add")
@vault_option
@passphrase_option
@click.option("--label", required=True, help="Whose slot this is.")
@click.option("--new-passphrase-file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_fail_cleanly
def keyslot_add(vault: Path, passphrase_file: Path | None, label: str,
                new_passphrase_file: Path | None) -> None:
    """Add a key slot, proven by a passphrase that already opens the vault.

    Example: dhakira keyslot add --vault ./vault --label rana
    """
    from dhakira.vault import keyslots

    existing = read_secret(passphrase_file, "A passphrase that opens the vault")
    new = read_secret(new_passphrase_file, f"New passphrase for {label}", confirm=True)
    keyslots.add_slot(vault, existing, new, label=label)
    click.echo(f"Added key slot {label!r}.")


@keyslot.command("remove")
@vault_option
@passphrase_option
@click.option("--label", required=True)
@_fail_cleanly
def keyslot_remove(vault: Path, passphrase_file: Path | None, label: str) -> None:
    """Remove a key slot (never the last one).

    Example: dhakira keyslot remove --vault ./vault --label rana
    """
    from dhakira.vault import keyslots

    keyslots.remove_slot(vault, read_secret(passphrase_file, "A passphrase that opens the vault"),
                         label=label)
    click.echo(f"Removed key slot {label!r}.")


@main.group()
def user() -> None:
    """Manage the people who log in to the web app."""


@user.command("add")
@vault_option
@passphrase_option
@click.option("--username", required=True)
@click.option("--role", required=True,
              type=click.Choice(["administrator", "documenter", "analyst", "legal", "viewer"]))
@click.option("--clearance", "clearances", multiple=True,
              type=click.Choice(["sources", "sogi", "protection", "addresses"]),
              help="A compartment the user may read; repeat for several.")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The user's web password, from FILE; prompted otherwise.")
@_fail_cleanly
def user_add(vault: Path, passphrase_file: Path | None, username: str, role: str,
             clearances: tuple[str, ...], password_file: Path | None) -> None:
    """Add a web user with a role and clearances.

    Example: dhakira user add --vault ./vault --username rana --role documenter --clearance sources
    """
    _open(vault, passphrase_file)
    from django.core.exceptions import ValidationError

    from dhakira.dossier.accounts import create_user

    password = read_secret(password_file, f"Web password for {username}", confirm=True)
    try:
        create_user(username, password, role=role, clearances=list(clearances))
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages), 64) from None
    click.echo(f"Added {role} {username}.")


@main.command()
@vault_option
@passphrase_option
@_fail_cleanly
def check(vault: Path, passphrase_file: Path | None) -> None:
    """Check the database's integrity and every key slot.

    Example: dhakira check --vault ./vault
    """
    _open(vault, passphrase_file)
    from dhakira.checks import check_vault

    problems = check_vault(vault)
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        raise CommandError(f"{len(problems)} problem(s) found", EXIT_INTEGRITY)
    click.echo("ok: database and key slots are intact")


@main.command("demo-data")
@vault_option
@passphrase_option
@click.option("--victims", default=4383, show_default=True, type=click.IntRange(1))
@click.option("--perpetrators", default=1804, show_default=True, type=click.IntRange(1))
@click.option("--informants", default=40, show_default=True, type=click.IntRange(2))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--truth-out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the ground truth (keep it outside the vault).")
@click.option("--charge-by", "charge_by", default=None, metavar="USER",
              help="Also define the demo's persecution charge, assessed in USER's name "
                   "(an analyst, legal officer or administrator).")
@_fail_cleanly
def demo_data(vault: Path, passphrase_file: Path | None, victims: int, perpetrators: int,
              informants: int, seed: int, truth_out: Path, charge_by: str | None) -> None:
    """Fill the vault with a deterministic, synthetic dossier and write its ground truth.

    Example: dhakira demo-data --vault ./vault --seed 7 --truth-out truth.json
    """
    if truth_out.resolve().is_relative_to(vault.resolve()):
        raise CommandError("--truth-out must be outside the vault", 64)
    _open(vault, passphrase_file)
    from dhakira import runtime
    from dhakira.demo import load

    runtime.migrate()
    summary = load.build(victims=victims, perpetrators=perpetrators, informants=informants,
                         seed=seed, truth_out=truth_out)
    click.echo(summary)
    if charge_by:
        from django.contrib.auth import get_user_model

        from dhakira.legal.services import ensure_demo_charge

        user = get_user_model().objects.filter(username=charge_by).first()
        if user is None:
            raise CommandError(f"no user {charge_by!r}: add them with `dhakira user add`", 64)
        charge = ensure_demo_charge(user)
        click.echo(f"Defined charge {charge.uid}: {charge.title}")


@main.command()
@vault_option
@passphrase_option
@click.option("--collector", required=True, help="Who collected the material (required).")
@click.option("--method", default="file copy", show_default=True, help="How it was collected.")
@click.option("--compartment", default="", type=click.Choice(["", "sources", "sogi", "protection",
                                                              "addresses"]),
              help="Restrict the items to users cleared for this compartment.")
@click.option("--graphic", is_flag=True, help="Mark the items as graphic content.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_fail_cleanly
def ingest(vault: Path, passphrase_file: Path | None, collector: str, method: str,
           compartment: str, graphic: bool, paths: tuple[Path, ...]) -> None:
    """Take files, folders, zip archives, .eml and .mbox into the evidence locker.

    Example: dhakira ingest --vault ./vault --collector amal ./from-informant/
    """
    _open(vault, passphrase_file)
    from dhakira.evidence.intake import Collection, ingest_paths

    report = ingest_paths(paths, collection=Collection(collector=collector, method=method,
                                                       compartment=compartment, graphic=graphic))
    for failure in report.failures:
        click.echo(f"failed: {failure.name}: {failure.reason}", err=True)
    click.echo(f"took in {len(report.items)} item(s) ({len(report.duplicates)} already held), "
               f"{len(report.failures)} failed")
    if report.failures:
        raise CommandError(f"{len(report.failures)} file(s) not taken in; see above")


@main.command()
@vault_option
@passphrase_option
@_fail_cleanly
def verify(vault: Path, passphrase_file: Path | None) -> None:
    """Recompute the custody chain, re-hash every blob, and check every evidence item.

    Example: dhakira verify --vault ./vault
    """
    _open(vault, passphrase_file)
    from dhakira.evidence.integrity import verify_vault

    report = verify_vault()
    for problem in report.problems:
        click.echo(f"problem: {problem}", err=True)
    if report.problems:
        raise CommandError(f"{len(report.problems)} integrity problem(s) found", EXIT_INTEGRITY)
    click.echo(f"ok: {report.entries} ledger entries, {report.items} items, {report.blobs} blobs "
               f"({report.bytes_checked} bytes) verified")


@main.command()
@vault_option
@passphrase_option
@click.option("--user", "username", default=None,
              help="Search as USER, with their clearances; without it restricted items are hidden.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Earliest date.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Latest date.")
@click.option("--place", default="", help="Place name (Arabic or English, part of it).")
@click.option("--type", "kind", default="", help="information, evidence, or a MIME type part.")
@click.option("--source", default="", help="Source code name.")
@click.option("--reindex", is_flag=True, help="Rebuild the index first (after a bulk load).")
@click.argument("query")
@_fail_cleanly
def search(vault: Path, passphrase_file: Path | None, username: str | None, limit: int,
           date_from: Any, date_to: Any, place: str, kind: str, source: str, reindex: bool,
           query: str) -> None:
    """Search reports and evidence text; print one JSON object per result.

    Example: dhakira search --vault ./vault --limit 5 "الحسبة"
    """
    _open(vault, passphrase_file)
    import json

    from dhakira.evidence import search as evidence_search

    if reindex:
        evidence_search.rebuild()
    cleared = evidence_search.clearances_of(username) if username else []
    filters = evidence_search.Filters(date_from=date_from.date() if date_from else None,
                                      date_to=date_to.date() if date_to else None,
                                      place=place, type=kind, source=source)
    for hit in evidence_search.search(query, cleared=cleared, filters=filters, limit=limit):
        click.echo(json.dumps(hit.as_json(), ensure_ascii=False))



@main.command()
@vault_option
@_fail_cleanly
def lock(vault: Path) -> None:
    """Make the running `dhakira serve` of this vault drop its key now (no passphrase needed).

    Example: dhakira lock --vault ./vault
    """
    from dhakira.protection.lockdown import send_lock

    pid = send_lock(vault)
    click.echo(f"Sent the lock signal to the server of {vault} (pid {pid}).")


@main.command("purge-expired")
@vault_option
@passphrase_option
@click.option("--actor", required=True, help="Who runs the purge (recorded in the custody ledger).")
@_fail_cleanly
def purge_expired(vault: Path, passphrase_file: Path | None, actor: str) -> None:
    """Purge the perishable details of protection cases closed longer than DHAKIRA_PERISHABLE_DAYS.

    Example: dhakira purge-expired --vault ./vault --actor amal
    """
    _open(vault, passphrase_file)
    from dhakira.protection import purge

    result = purge.purge_expired(actor=actor)
    n = sum(plan.total for plan in result.plans)
    click.echo(f"purged {n} perishable detail(s) from {len(result.plans)} case(s)")

@main.command()
@vault_option
@passphrase_option
@click.option("--list-charges", is_flag=True, help="List the charges (id, crime, title) and stop.")
@click.option("--charge", "charge_id", help="The charge to render, e.g. CH-0001.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the PDF.")
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", show_default=True)
@_fail_cleanly
def brief(vault: Path, passphrase_file: Path | None, list_charges: bool, charge_id: str | None,
          out: Path | None, lang: str) -> None:
    """Render a charge's proof matrix, pattern evidence and gaps as the PDF annex of a brief.

    Items are cited by id and SHA-256; no person or source is named.

    Example: dhakira brief --vault ./vault --charge CH-0001 --out annex.pdf --lang ar
    """
    if not list_charges and not (charge_id and out):
        raise CommandError("give --list-charges, or --charge ID and --out FILE.pdf", 64)
    _open(vault, passphrase_file)
    from dhakira.legal import brief as legal_brief
    from dhakira.legal.services import get_charge, latest_estimate

    if list_charges:
        for uid, crime_id, title in legal_brief.list_charges():
            click.echo(f"{uid}\t{crime_id}\t{title}")
        return
    assert charge_id is not None and out is not None
    out.write_bytes(legal_brief.render_brief(get_charge(charge_id), lang=lang,
                                             estimate=latest_estimate()))
    click.echo(f"Wrote {out} ({lang}).")


@main.command()
@vault_option
@passphrase_option
@click.option("--select", "query", default=None,
              help="What to send, e.g. 'place:Mosul from:2014-06-01' (see docs/handover.md).")
@click.option("--charge", "charge_id", default=None, help="Send every item assessed for CH-….")
@click.option("--recipient", required=True, help="The receiving institution.")
@click.option("--purpose", required=True, help="A consent scope, e.g. share_icc.")
@click.option("--policy", required=True, type=click.Choice(["full", "pseudonymised", "anonymised"]))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="A new directory for the package.")
@click.option("--zip", "make_zip", is_flag=True, help="Also write OUT.zip.")
@click.option("--seal-to", default="", help="Seal OUT.zip to the recipient's age public key.")
@click.option("--as", "as_user", required=True, help="Who is building the package.")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The acting user's web password, from FILE; prompted otherwise.")
@click.option("--override-by", default=None,
              help="A second administrator or legal officer who approves sending consent-blocked "
                   "material.")
@click.option("--override-password-file",
              type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--override-reason", default="", help="Why the consent gate is overridden.")
@_fail_cleanly
def package(vault: Path, passphrase_file: Path | None, query: str | None, charge_id: str | None,
            recipient: str, purpose: str, policy: str, out_dir: Path, make_zip: bool,
            seal_to: str, as_user: str, password_file: Path | None, override_by: str | None,
            override_password_file: Path | None, override_reason: str) -> None:
    """Build a consent-gated, redacted, signed evidence package and log the disclosure.

    Example: dhakira package --vault ./vault --select 'event:E-000012' --recipient ICC
    --purpose share_icc --policy anonymised --out ./PKG --zip --as layla
    """
    if bool(query) == bool(charge_id):
        raise CommandError("give exactly one of --select QUERY and --charge ID", 64)
    _open(vault, passphrase_file)
    from dhakira import runtime
    from dhakira.handover import auth, build, select

    runtime.migrate()
    acting = auth.actor(as_user, read_secret(password_file, f"Web password for {as_user}"))
    approver = auth.approver(acting, override_by, read_secret(
        override_password_file, f"Web password for {override_by}")) if override_by else None
    chosen = select.select(query) if query else select.select_charge(str(charge_id))
    result = build.build(build.Request(
        selection=chosen, recipient=recipient, purpose=purpose, policy=policy, out_dir=out_dir,
        make_zip=make_zip, seal_to=seal_to, override_reason=override_reason),
        user=acting, override_by=approver)
    for uid, reasons in sorted(result.plan.blocked.items()):
        click.echo(f"blocked: {uid}: {'; '.join(reasons)}", err=True)
    d = result.disclosure
    click.echo(f"{d.package_id}: {len(d.items)} item(s) to {d.recipient} ({d.policy}), "
               f"{len(result.plan.blocked)} blocked; manifest sha256 {d.manifest_sha256}")
    for path in (result.package.directory, result.zip_path, result.sealed_path):
        if path is not None:
            click.echo(f"wrote {path}")


@main.command()
@vault_option
@passphrase_option
@click.option("--person", default=None, help="Only disclosures holding this person (P-…).")
@click.option("--withdrawn", is_flag=True,
              help="Only recipients to notify: the person has since withdrawn consent.")
@_fail_cleanly
def disclosures(vault: Path, passphrase_file: Path | None, person: str | None,
                withdrawn: bool) -> None:
    """List the disclosure log: which recipient holds what, and whom to notify.

    Example: dhakira disclosures --vault ./vault --person P-000044 --withdrawn
    """
    pk = None
    if person:
        digits = person.upper().removeprefix("P-")
        if not digits.isdigit():
            raise CommandError(f"{person!r} is not a person id; write P-000044", 64)
        pk = int(digits)
    _open(vault, passphrase_file)
    from dhakira import runtime
    from dhakira.handover import log

    runtime.migrate()
    if withdrawn:
        for n in log.to_notify(pk):
            click.echo(f"notify\t{n.recipient}\t{n.package_id}\t{n.person}\t{n.purpose}\t"
                       f"withdrawn (consent version {n.consent_version})")
        return
    for d in log.holders(pk) if pk is not None else log.all_disclosures():
        ack = f"acknowledged {d.acknowledged_at:%Y-%m-%d}" if d.acknowledged_at else "unacknowledged"
        click.echo(f"{d.package_id}\t{d.created_at:%Y-%m-%d}\t{d.recipient}\t{d.purpose}\t"
                   f"{d.policy}\t{len(d.items)} item(s)\t{ack}")


@main.command("link")
@vault_option
@passphrase_option
@click.option("--actor", required=True, help="Who runs the linkage (recorded in the custody ledger).")
@click.option("--role", default="victim", show_default=True,
              type=click.Choice(["victim", "perpetrator"]), help="Which mentions to resolve.")
@click.option("--evaluate", "truth", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Score the clustering against a truth file (the demo's --truth-out).")
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Match probability at which two records join one person "
                   "(default: the settings' cluster_threshold).")
@_fail_cleanly
def link_command(vault: Path, passphrase_file: Path | None, actor: str, role: str,
                 truth: Path | None, threshold: float | None) -> None:
    """Resolve who is the same person and queue candidate pairs for review.

    Nothing is merged: pairs above the review threshold wait in the web app's review queue.

    Example: dhakira link --vault ./vault --actor amal --evaluate truth.json
    """
    _open(vault, passphrase_file)
    from dataclasses import replace

    from dhakira import runtime
    from dhakira.identity import services
    from dhakira.linkage import defaults_for

    runtime.migrate()  # vaults made before the identity app have no review tables yet
    settings = defaults_for(role)
    if threshold is not None:
        settings = replace(settings, cluster_threshold=threshold)
    outcome = services.run_linkage(actor=actor, role=role, settings=settings)
    people = len(set(outcome.result.clusters.values()))
    click.echo(f"{outcome.run}: {outcome.run.mentions:,} {role} mentions resolve to {people:,} "
               f"people at p >= {settings.cluster_threshold}; {outcome.stored:,} pair(s) queued "
               "for review")
    if truth is not None:
        e = services.evaluate_run(outcome, truth)
        click.echo(f"pairwise   precision {e.precision:.4f}  recall {e.recall:.4f}  F1 {e.f1:.4f}")
        click.echo(f"B-cubed    precision {e.bcubed_precision:.4f}  recall {e.bcubed_recall:.4f}  "
                   f"F1 {e.bcubed_f1:.4f}")
        click.echo(f"false merges {e.false_merges} ({e.false_merges_per_1000:.2f} per 1,000 true "
                   f"people; {e.true_people:,} true people, {e.clusters:,} clusters)")


@main.command()
@click.option("--vault", type=click.Path(file_okay=False, path_type=Path),
              help="Estimate from this vault's dossier (needs a linkage run or --resolution).")
@passphrase_option
@click.option("--table", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Estimate from a capture table in JSON instead (no vault).")
@click.option("--method", default="lcmcr", show_default=True,
              type=click.Choice(["independence", "loglinear", "lcmcr"]))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--lists", default="network", show_default=True,
              help="What a list is: network, organisation, material_type or channel.")
@click.option("--strata", default="none", show_default=True,
              help="Comma-separated: year or half_year, district, act_type, sex; or none.")
@click.option("--resolution", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Who is the same person, from FILE (a clustering or the demo truth file) "
                   "instead of the vault's linkage.")
@_fail_cleanly
def estimate(vault: Path | None, passphrase_file: Path | None, table: Path | None, method: str,
             seed: int, lists: str, strata: str, resolution: Path | None) -> None:
    """Estimate how many victims there were, seen and unseen; print JSON.

    Example: dhakira estimate --table tests/data/mse/hiv_rome_1994.json --method loglinear
    """
    import json

    if (vault is None) == (table is None):
        raise CommandError("give either --vault or --table", 64)
    if table is not None:
        from dhakira.estimate import CaptureTable, result_json
        from dhakira.estimate import estimate as run

        click.echo(result_json(run(CaptureTable.load(table), method=method, seed=seed)))  # type: ignore[arg-type]
        return
    assert vault is not None
    from dhakira.counting.definitions import ListDefinition, StrataDefinition

    list_def, strata_def = ListDefinition.from_json(lists), StrataDefinition.from_json(strata)
    _open(vault, passphrase_file)
    from dhakira import runtime
    from dhakira.counting import services

    runtime.migrate()
    if resolution is not None:
        mapping, label = services.read_resolution(resolution)
        result = services.run_estimate(mapping, label=label, lists=list_def, strata=strata_def,
                                       method=method, seed=seed)
    else:
        result = services.run_with_current(lists=list_def, strata=strata_def, method=method,
                                           seed=seed)
    out = {**result.result["total"], "run": result.uid, "lists": result.result["lists"],
           "victims": result.victims, "unresolved": result.unresolved,
           "resolution": result.resolution, "strata": result.result["strata"]}
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
