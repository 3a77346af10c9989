"""Finding 16 #10: a vault made by an earlier release is refused until `dhakira migrate`,
one made by a newer release is refused outright, and nothing migrates silently.

The fixture under tests/data/vaults/release-25318b4 was made by the release at commit
25318b4 (`init --admin amal`, then `demo-data --victims 20 --perpetrators 8 --informants 3
--seed 3 --charge-by amal`); its passphrase and amal's web password are synthetic.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from tests import once, warm
from tests.conftest import SUITE_ENV

from dhakira.apps.vault import runtime
from dhakira.core.vault import session, signing, stamp
from dhakira.core.vault.errors import SigningKeyMissing, VaultNeedsMigration, VaultTooNew

OLD = Path(__file__).resolve().parents[1] / "data" / "vaults" / "release-25318b4"
pytestmark = pytest.mark.backend_independent
PASSPHRASE = str(OLD / "passphrase")

# What the old vault holds, read after the upgrade through the current code.
COUNT = """
import json, sys
from pathlib import Path
from dhakira.apps.vault import runtime
runtime.open_vault(Path(sys.argv[1]), Path(sys.argv[2]).read_text().splitlines()[0])
from dhakira.apps.dossier import models as m
from dhakira.apps.custody.models import LedgerEntry
from dhakira.apps.law.models import Charge
from dhakira.apps.search import services as search
from dhakira.apps.search.models import SearchDocument
last = LedgerEntry.objects.order_by("-seq").first()
# The index the old release wrote (its table kept when the model moved to the search app)
# answers: a word of the first report finds that report.
first = m.Information.objects.filter(compartment="").order_by("pk").first()
hits = [h.ref for h in search.search(max(first.text.split(), key=len), limit=100)]
print(json.dumps({"reports": m.Information.objects.count(), "charges": Charge.objects.count(),
                  "indexed": SearchDocument.objects.filter(kind="information").count(),
                  "found": first.uid in hits,
                  "last": [last.actor, last.action, last.subject, last.detail]}))
"""


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHAKIRA_") or k in SUITE_ENV}
    return warm.python(*args, env=env, input=stdin, timeout=300)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run("-m", "dhakira", *args)


@pytest.fixture
def old_vault(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    shutil.copytree(OLD / "vault", vault)
    return vault


def test_finding_16_10_the_fixture_is_an_unstamped_vault_of_the_old_release() -> None:
    assert not (OLD / "vault" / stamp.FILE).exists()
    size = sum(p.stat().st_size for p in OLD.rglob("*") if p.is_file())
    assert size < 1024 * 1024


def _refuse_then_migrate(folder: Path) -> None:
    """``folder/vault``: the old vault, on which every command but ``migrate`` was refused,
    then migrated; what each command answered in ``folder/answers.json``."""
    vault = folder / "vault"
    shutil.copytree(OLD / "vault", vault)
    (folder / "in").mkdir()
    (folder / "in" / "note.txt").write_text("a synthetic note\n")
    refused = []
    for args in (["check"], ["verify"], ["serve", "--port", "0"],
                 ["disclosures", "--person", "P-000001"],
                 ["ingest", str(folder / "in"), "--collector", "amal",
                  "--password-file", str(OLD / "web-password")]):
        result = cli(*args, "--vault", str(vault), "--passphrase-file", PASSPHRASE)
        refused.append([args, result.returncode, result.stderr])
    result = cli("migrate", "--vault", str(vault), "--passphrase-file", PASSPHRASE)
    (folder / "answers.json").write_text(json.dumps({
        "vault": str(vault), "refused": refused,
        "migrate": [result.returncode, result.stdout, result.stderr]}))


def migrated(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A copy (in ``tmp_path``) of the old vault as `dhakira migrate` left it, and the answers
    of the commands run on it before (:func:`_refuse_then_migrate`). The old vault is
    migrated once per test run (``tests/once.py``): each migration of it is seconds of CPU."""
    made = once.made_once("release-25318b4-migrated", _refuse_then_migrate)
    vault = Path(shutil.copytree(made / "vault", tmp_path / "vault"))
    return vault, json.loads((made / "answers.json").read_text())


@pytest.mark.slow
def test_finding_16_10_an_old_vault_is_refused_in_one_line_and_not_migrated(
        tmp_path: Path) -> None:
    _, answers = migrated(tmp_path)
    old_vault = answers["vault"]  # where the commands ran
    assert len(answers["refused"]) == 5
    for args, returncode, stderr in answers["refused"]:
        assert returncode == 6, (args, stderr)
        assert stderr.splitlines() == [
            f"dhakira: {old_vault} was made by an earlier Dhakira; back it up, then run "
            f"`dhakira migrate --vault {old_vault}`"], args
    # None of them migrated silently: migrate still finds every schema change to apply.
    returncode, stdout, stderr = answers["migrate"]
    assert returncode == 0, stderr
    lines = stdout.splitlines()
    assert lines[-2:] == ["migrated: vault format 1 -> 2", f"{old_vault} is current."]
    applied = [line.removeprefix("migrated: applied ") for line in lines[:-2]]
    # Every schema change since that release (three named here; later ones come too), each
    # a migration that exists.
    assert {"dossier.0003_information_compartment", "evidence.0004_protected_metadata",
            "evidence.0005_report_compartments"} <= set(applied)
    assert all((Path(django_apps.get_app_config(app).path) / "migrations" / f"{name}.py").is_file()
               for app, name in (a.split(".") for a in applied)), applied


@pytest.mark.slow
def test_finding_16_10_migrate_brings_an_old_vault_to_current_with_its_records(
        tmp_path: Path) -> None:
    old_vault, answers = migrated(tmp_path)
    assert answers["migrate"][0] == 0, answers["migrate"][2]
    assert json.loads((old_vault / stamp.FILE).read_text())["version"] == stamp.CURRENT
    for command in ("check", "verify"):
        result = cli(command, "--vault", str(old_vault), "--passphrase-file", PASSPHRASE)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    result = run("-c", COUNT, str(old_vault), PASSPHRASE)
    assert result.returncode == 0, result.stderr
    held = json.loads(result.stdout)
    assert held["reports"] == 26 and held["charges"] == 1  # as the old release printed
    assert held["indexed"] == 26 and held["found"]  # its search index, now the search app's
    actor, action, subject, detail = held["last"]
    assert (actor, action, subject) == ("keyslot:amal", "other", "vault:migrate")
    assert detail["from_format"] == 1 and "evidence.0005_report_compartments" in detail["done"]
    again = cli("migrate", "--vault", str(old_vault), "--passphrase-file", PASSPHRASE)
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_finding_16_10_a_newer_vault_is_refused_in_one_line_before_the_passphrase(
        old_vault: Path) -> None:
    (old_vault / stamp.FILE).write_text(json.dumps({"format": "dhakira-vault", "version": 99}))
    before = sorted((p.name, p.stat().st_mtime_ns) for p in old_vault.rglob("*"))
    for args in (["check"], ["migrate"], ["serve"], ["passwd"], ["keyslot", "list"]):
        result = cli(*args, "--vault", str(old_vault))  # no passphrase: refused before asking
        assert result.returncode == 7, (args, result.stderr)
        assert result.stderr.splitlines() == [
            f"dhakira: {old_vault} is in vault format 99, made by a newer Dhakira (this one reads "
            f"up to {stamp.CURRENT}); upgrade Dhakira to open it"], args
    assert sorted((p.name, p.stat().st_mtime_ns) for p in old_vault.rglob("*")) == before


def test_a_damaged_stamp_is_one_line(old_vault: Path) -> None:
    (old_vault / stamp.FILE).write_bytes(b"\xff\xfe{")
    result = cli("check", "--vault", str(old_vault))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"dhakira: {old_vault / stamp.FILE} is damaged or not a Dhakira vault stamp; restore it "
        "from a backup"]


@pytest.mark.django_db
def test_finding_16_10_schema_changes_of_a_newer_release_are_refused(tmp_path: Path) -> None:
    from django.db import connection

    stamp.write(tmp_path, release="test")
    runtime._require_current(tmp_path)  # the test dossier is current
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO django_migrations (app, name, applied) "
                       "VALUES ('evidence', '9999_from_the_future', CURRENT_TIMESTAMP)")
    with pytest.raises(VaultTooNew, match=r"changed by a newer Dhakira \(1 unknown schema "
                       r"change\); upgrade"):
        runtime._require_current(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO django_migrations (app, name, applied) "
                       "VALUES ('evidence', '9999_from_the_future_2', CURRENT_TIMESTAMP)")
    with pytest.raises(VaultTooNew, match=r"\(2 unknown schema changes\)"):
        runtime._require_current(tmp_path)
    with pytest.raises(VaultTooNew):
        runtime.upgrade(tmp_path, actor="keyslot:amal")


@pytest.mark.django_db
def test_an_unstamped_vault_with_a_current_schema_still_needs_migrate(tmp_path: Path) -> None:
    with pytest.raises(VaultNeedsMigration, match="run `dhakira migrate"):
        runtime._require_current(tmp_path)


@pytest.mark.django_db
def test_finding_16_10_migrate_makes_the_signing_key_an_old_vault_made_lazily(
        settings: object, tmp_path: Path) -> None:
    from dhakira.apps.custody import store
    from dhakira.core import custody

    settings.VAULT_DIR = tmp_path  # type: ignore[attr-defined]
    assert runtime.upgrade(tmp_path, actor="keyslot:amal") == [
        "made the custody signing key", f"vault format 1 -> {stamp.CURRENT}"]
    assert signing.open_signer(tmp_path, session.get_key())
    entry = list(store.entries())[-1]
    assert (entry.actor, entry.subject) == ("keyslot:amal", "vault:migrate")
    assert custody.verify_chain(list(store.entries()), store.public_keys()).problems == ()
    assert runtime.upgrade(tmp_path, actor="keyslot:amal") == []


@pytest.mark.django_db
def test_migrate_never_makes_a_new_key_over_entries_signed_by_a_lost_one(
        settings: object, tmp_path: Path) -> None:
    from dhakira.apps.custody import store

    store.record(actor="amal", action="other", subject="before", detail={})  # the suite's key
    settings.VAULT_DIR = tmp_path  # type: ignore[attr-defined]
    with pytest.raises(SigningKeyMissing, match="restore it from a backup"):
        runtime.upgrade(tmp_path, actor="keyslot:amal")
    assert not (tmp_path / signing.PRIVATE_FILE).exists()
