"""The rooms of docs/architecture.md: cores import no Django; an app's tables are its own."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps as django_apps

import dhakira

pytestmark = pytest.mark.backend_independent

SRC = Path(dhakira.__file__).parent
CORE, APPS = SRC / "core", SRC / "apps"

# Reads of another app's models that should go through the owning app's functions: debts,
# each (the reading module, the app whose models it imports). Pay one, then remove it here.
KNOWN_READS = {
    ("apps/dossier/access.py", "evidence"),
    ("apps/dossier/accounts.py", "custody"),
    ("apps/dossier/views/same.py", "linkage"),
    ("apps/evidence/timeline.py", "custody"),
    ("apps/handover/build.py", "evidence"),
    ("apps/handover/log.py", "custody"),
    ("apps/handover/select.py", "evidence"),
    ("apps/handover/select.py", "law"),
    ("apps/law/brief.py", "counting"),
    ("apps/law/items.py", "evidence"),
    ("apps/vault/runtime.py", "custody"),
    # A rekey renames every evidence item's blob under the new key.
    ("apps/vault/rekey.py", "evidence"),
    ("apps/web/views.py", "evidence"),
    ("apps/web/views.py", "fieldkit"),
    # A field kit packs and merges other apps' records and custody entries as they are.
    ("apps/fieldkit/kit.py", "custody"),
    ("apps/fieldkit/kit.py", "evidence"),
    ("apps/fieldkit/records.py", "evidence"),
    ("apps/web/views.py", "linkage"),
}
SHARED = {"dossier"}  # the shared record every app is about
LABELS = {"counting": "counting", "custody": "ledger", "dossier": "dossier",
          "evidence": "evidence", "handover": "handover", "law": "legal",
          "linkage": "identity", "protection": "protection", "web": "web"}


def _modules(root: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.relative_to(root).parts:
            yield path.relative_to(SRC).as_posix(), path


def _imports(path: Path) -> Iterator[str]:
    """Every absolute module an import statement names, anywhere in the file (functions too)."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)


def _dotted(rel: str) -> str:
    return "dhakira." + rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def test_the_tree_has_only_its_rooms_at_the_top() -> None:
    top = {p.name for p in SRC.iterdir() if not p.name.startswith(("_", "."))
           and p.name != "py.typed"}
    assert top == {"apps", "cli", "core", "errors.py"}, top


def test_a_core_names_no_django_app_or_cli_import() -> None:
    bad = [(rel, name) for rel, path in _modules(CORE) for name in _imports(path)
           if name.split(".")[0] == "django" or name.startswith(("dhakira.apps", "dhakira.cli"))]
    assert bad == []


def test_importing_every_core_loads_no_django() -> None:
    # Transitively: a core that imports a helper that imports Django fails here.
    modules = [_dotted(rel) for rel, _ in _modules(CORE)]
    code = ("import importlib, json, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'django'"
            " or m.startswith(('dhakira.apps', 'dhakira.cli')))))")
    env_path = str(SRC.parent)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"}, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def _reads() -> set[tuple[str, str]]:
    found = set()
    for rel, path in _modules(APPS):
        own = rel.split("/")[1]
        for name in _imports(path):
            parts = name.split(".")
            if (len(parts) >= 4 and parts[:2] == ["dhakira", "apps"] and parts[3] == "models"
                    and parts[2] not in {own} | SHARED):
                found.add((rel, parts[2]))
    return found


def test_an_app_reads_another_apps_tables_only_through_its_functions() -> None:
    new = _reads() - KNOWN_READS
    assert not new, ("import the owning app's functions instead of its models "
                     f"(docs/architecture.md): {sorted(new)}")


def test_the_known_reads_are_still_there() -> None:
    # A paid debt must leave the list, or the list stops saying what is left.
    assert not KNOWN_READS - _reads(), sorted(KNOWN_READS - _reads())


def test_the_rule_catches_a_read_of_another_apps_models(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from dhakira.apps.custody.models import LedgerEntry\n")
    assert "dhakira.apps.custody.models" in set(_imports(probe))


def test_every_dhakira_app_lives_under_apps_with_its_label() -> None:
    ours = [c for c in django_apps.get_app_configs() if c.name.startswith("dhakira.")]
    assert ours
    for config in ours:
        assert config.name.startswith("dhakira.apps."), config.name
        folder = config.name.removeprefix("dhakira.apps.")
        assert config.label == LABELS.get(folder, folder), config.name


@pytest.mark.parametrize(("folder", "label"), sorted(LABELS.items()))
def test_every_app_keeps_the_label_its_tables_and_migrations_carry(folder: str,
                                                                   label: str) -> None:
    assert django_apps.get_app_config(label).name == f"dhakira.apps.{folder}"


def test_setting_up_the_search_app_imports_nothing_heavy() -> None:
    # Django imports each app's package at set-up, before models may load: search's holds
    # nothing, so neither the ORM's query machinery nor another app comes with it.
    code = ("import json, sys\nimport dhakira.apps.search, dhakira.apps.search.apps\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('django.db', "
            "'dhakira.apps.evidence', 'dhakira.apps.dossier', 'dhakira.apps.search.services', "
            "'dhakira.core.names')))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(SRC.parent), "PATH": "/usr/bin:/bin"},
                          check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert django_apps.get_app_config("search").get_model("SearchDocument")._meta.db_table == \
        "evidence_searchdocument"  # the table every existing vault holds
