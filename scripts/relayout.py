#!/usr/bin/env python3
"""Move the source tree into its rooms: ``dhakira/core/<name>`` and ``dhakira/apps/<name>``.

Run at the root of a checkout::

    python scripts/relayout.py           # move, rewrite every reference, copy the new docs
    python scripts/relayout.py --check   # say what is left to do; exit 1 if anything is

It is deterministic and idempotent: a second run changes nothing. It moves with ``git mv``
(untracked files such as compiled catalogues and fonts move with their folder), then rewrites
every reference to a moved module in the tracked text files: dotted paths (``dhakira.x.y``,
``"dhakira.x"`` in settings and ``apps.is_installed``, ``importlib.resources`` anchors,
migrations' imports), ``from dhakira.x import y`` where ``y`` moved elsewhere, and paths
(``src/dhakira/x/`` in docs, the Makefile, pyproject and scripts). App labels, table names
and migration names do not change: every moved app keeps its old label explicitly, so an
existing vault opens and migrates as before. Finally it copies ``docs/architecture.md`` and
``tests/test_architecture.py`` from ``scripts/relayout_files/`` and sorts the imports it
touched with ruff when ruff is installed.

A top-level package it does not know is left in place and named in the output: add it to
``MOVES`` (a pure core under ``core/``, anything importing Django under ``apps/``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PKG = Path("src/dhakira")

# (old, new) under src/dhakira, in order: parts that leave a package go before the package.
# Optional entries (packages other branches may add) are skipped when absent.
MOVES: tuple[tuple[str, str], ...] = (
    # The vault's Django side: database engines, the test hasher, lock and unlock, start-up.
    ("vault/sqlcipher", "apps/vault/sqlcipher"),
    ("vault/postgresql", "apps/vault/postgresql"),
    ("vault/hashers.py", "apps/vault/hashers.py"),
    ("vault/rekey.py", "apps/vault/rekey.py"),  # re-encrypts rows through the ORM
    ("vault/backup.py", "apps/vault/backup.py"),  # copies the live database
    ("protection/lockdown.py", "apps/vault/lockdown.py"),
    ("protection/lockviews.py", "apps/vault/lockviews.py"),
    ("protection/unlocking.py", "apps/vault/unlocking.py"),
    ("runtime.py", "apps/vault/runtime.py"),
    # Report search leaves the evidence app (the one app cycle, dossier <-> evidence).
    ("evidence/search.py", "apps/search/__init__.py"),
    # Pure cores: no Django, one word shared with their Django side.
    ("custody", "core/custody"),
    ("dates", "core/dates"),
    ("disclosure", "core/handover"),
    ("verify.py", "core/handover/verify.py"),
    ("estimate", "core/counting"),
    ("law", "core/law"),
    ("linkage", "core/linkage"),
    ("names", "core/names"),
    ("vocabularies", "core/vocabularies"),
    ("vault", "core/vault"),
    ("bidi.py", "core/bidi.py"),
    ("throttle.py", "core/throttle.py"),
    ("ids.py", "core/ids.py"),
    ("sync", "core/sync"),
    # Django apps (labels unchanged).
    ("counting", "apps/counting"),
    ("dossier", "apps/dossier"),
    ("evidence", "apps/evidence"),
    ("handover", "apps/handover"),
    ("identity", "apps/linkage"),
    ("legal", "apps/law"),
    ("ledger", "apps/custody"),
    ("protection", "apps/protection"),
    ("web", "apps/web"),
    ("checks.py", "apps/web/checks.py"),
    ("demo", "apps/demo"),
    ("fieldkit", "apps/fieldkit"),
    ("twofactor", "apps/twofactor"),
)
# Django apps whose label must stay the old folder name (tables, migrations, permissions).
APP_LABELS = ("counting", "dossier", "evidence", "handover", "identity", "legal", "ledger",
              "protection", "web", "fieldkit", "twofactor")
STAY = {"__init__.py", "__main__.py", "errors.py", "cli", "core", "apps", "py.typed",
        "__pycache__"}
NEW_PACKAGES = {
    "core": '"""Pure cores: no Django, importable alone (see docs/architecture.md)."""\n',
    "apps": '"""Django apps, each the Django side of the core of the same name '
            '(see docs/architecture.md)."""\n',
    "apps/vault": '"""The vault\'s Django side: the database engines, lock and unlock, and '
                  'start-up.\n\nThe keys themselves stay in :mod:`dhakira.core.vault`."""\n',
}
COPIES = (("scripts/relayout_files/architecture.md", "docs/architecture.md"),
          ("scripts/relayout_files/test_architecture.py", "tests/test_architecture.py"))
TEXT_SUFFIXES = {".py", ".md", ".toml", ".cfg", ".ini", ".txt", ".html", ".po", ".yaml",
                 ".yml", ".sh", ".in", ".rst", ".json", ""}
SKIP = ("scripts/relayout.py", "scripts/relayout_files/", "tests/vectors/", "tests/data/",
        "tests/test_relayout.py")
GLOBS = (("src/dhakira/*/migrations/*", "src/dhakira/apps/*/migrations/*"),)


def _dotted(rel: str) -> str:
    parts = rel.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["dhakira", *parts])


MODULES: dict[str, str] = {_dotted(old): _dotted(new) for old, new in MOVES}
PATHS: dict[str, str] = dict(MOVES)


def _alternation(keys: list[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_DOTTED_RE = re.compile(r"(?<![\w.])(" + _alternation(list(MODULES)) + r")(?!\w)")
_PATH_RE = re.compile(r"(?<![\w.-])((?:src/)?dhakira/)("
                      + _alternation([o for o, _ in MOVES]) + r")(?![\w])")
_TOP = {old: new for old, new in MOVES if "/" not in old}
# Paths joined in code: ``ROOT / "src" / "dhakira" / "web"``, ``Path(dhakira.__file__).parent / "law"``.
_JOIN_RE = re.compile(r'("dhakira"\s*/\s*|dhakira\.__file__\)(?:\.resolve\(\))?\.parent\s*/\s*)"('
                      + _alternation(list(_TOP)) + r')"')
_FROM_RE = re.compile(
    r"^(?P<indent>[ \t]*)from[ \t]+(?P<module>dhakira(?:\.\w+)*)[ \t]+import[ \t]+"
    r"(?P<names>\([^)]*\)|[^\n#]*?)(?P<comment>[ \t]*#[^\n]*)?$", re.MULTILINE)


def rewrite_dotted(text: str) -> str:
    """Every dotted reference to a moved module, at its new place."""
    return _DOTTED_RE.sub(lambda m: MODULES[m.group(1)], text)


def _rewrite_path(m: re.Match[str]) -> str:
    return m.group(1) + PATHS[m.group(2)]


def rewrite_paths(text: str) -> str:
    """``src/dhakira/x/...`` and ``dhakira/x.py`` paths at their new place."""
    for old, new in GLOBS:
        text = text.replace(old, new)
    text = _JOIN_RE.sub(lambda m: m.group(1) + " / ".join(
        f'"{part}"' for part in _TOP[m.group(2)].split("/")), text)
    return _PATH_RE.sub(_rewrite_path, text)


@dataclass
class _Name:
    name: str
    alias: str | None

    def text(self) -> str:
        return f"{self.name} as {self.alias}" if self.alias else self.name


def _split_names(raw: str) -> list[_Name]:
    inner = raw.strip()
    if inner.startswith("("):
        inner = re.sub(r"#[^\n]*", "", inner[1:-1])
    out = []
    for part in inner.replace("\\\n", " ").split(","):
        words = part.split()
        if not words:
            continue
        out.append(_Name(words[0], words[2] if len(words) == 3 and words[1] == "as" else None))
    return out


def _rewrite_from(m: re.Match[str]) -> str:
    module, indent = m.group("module"), m.group("indent")
    comment = m.group("comment") or ""
    names = _split_names(m.group("names"))
    default = rewrite_dotted(module)
    groups: dict[str, list[_Name]] = {}
    for n in names:
        moved = rewrite_dotted(f"{module}.{n.name}")
        if moved == f"{default}.{n.name}":
            groups.setdefault(default, []).append(n)
            continue
        parent, new_name = moved.rsplit(".", 1)
        alias = n.alias or (n.name if new_name != n.name else None)
        groups.setdefault(parent, []).append(_Name(new_name, alias))
    if list(groups) == [default] and len(groups[default]) == len(names) and all(
            a.name == b.name for a, b in zip(groups[default], names, strict=True)):
        return m.group(0).replace(module, default, 1)  # same names: keep the layout as it was
    lines = []
    for parent, items in groups.items():
        joined = ", ".join(i.text() for i in items)
        line = f"{indent}from {parent} import {joined}"
        if len(line) > 99:
            body = "".join(f"{indent}    {i.text()},\n" for i in items)
            line = f"{indent}from {parent} import (\n{body}{indent})"
        lines.append(line)
    return "\n".join(lines) + comment


def rewrite(text: str) -> str:
    """``text`` with every reference to a moved module or path at its new place."""
    return rewrite_paths(rewrite_dotted(_FROM_RE.sub(_rewrite_from, text)))


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def _pending_moves(root: Path) -> list[tuple[Path, Path]]:
    out = []
    for old, new in MOVES:
        src, dst = root / PKG / old, root / PKG / new
        if src.exists() and not (src.is_dir() and not any(src.iterdir())):
            out.append((src, dst))
    return out


def _unknown(root: Path) -> list[str]:
    known = {old.split("/")[0] for old, _ in MOVES} | STAY
    return sorted(p.name for p in (root / PKG).iterdir()
                  if p.name not in known and not p.name.startswith("."))


def _text_files(root: Path) -> list[Path]:
    files = []
    for rel in _git("-C", str(root), "ls-files").splitlines():
        if rel.startswith(SKIP) or Path(rel).suffix not in TEXT_SUFFIXES:
            continue
        path = root / rel
        if path.is_file():
            files.append(path)
    return files


def _rewritten(path: Path) -> str | None:
    try:
        text = path.read_text("utf-8")
    except (UnicodeDecodeError, FileNotFoundError):
        return None
    new = rewrite(text)
    return new if new != text else None


def _label_fix(root: Path) -> list[tuple[Path, str]]:
    """apps.py files whose AppConfig must now say its old label."""
    out = []
    for label in APP_LABELS:
        new = dict(MOVES).get(label)
        conf = root / PKG / (new or label) / "apps.py"
        if not conf.exists():
            conf = root / PKG / label / "apps.py"
        if not conf.exists():
            continue
        text = conf.read_text("utf-8")
        if re.search(r"^\s+label\s*=", text, re.MULTILINE):
            continue
        fixed = re.sub(r"^(\s+)(name\s*=\s*[^\n]+)$", rf'\1\2\n\1label = "{label}"', text,
                       count=1, flags=re.MULTILINE)
        out.append((conf, fixed))
    return out


def _new_packages(root: Path) -> list[tuple[Path, str]]:
    return [(root / PKG / rel / "__init__.py", doc) for rel, doc in NEW_PACKAGES.items()
            if not (root / PKG / rel / "__init__.py").exists()]


def _copies(root: Path) -> list[tuple[Path, Path]]:
    out = []
    for src, dst in COPIES:
        s, d = root / src, root / dst
        if s.exists() and (not d.exists() or d.read_bytes() != s.read_bytes()):
            out.append((s, d))
    return out


def check(root: Path) -> list[str]:
    """What is left to do, one line each (empty when the tree is relaid)."""
    todo = [f"move {s.relative_to(root)} -> {d.relative_to(root)}" for s, d in _pending_moves(root)]
    if todo:
        return todo + ["(references are checked once the moves are done)"]
    todo += [f"create {p.relative_to(root)}" for p, _ in _new_packages(root)]
    todo += [f"label the app in {p.relative_to(root)}" for p, _ in _label_fix(root)]
    todo += [f"rewrite {p.relative_to(root)}" for p in _text_files(root) if _rewritten(p)]
    todo += [f"copy {s.relative_to(root)} -> {d.relative_to(root)}" for s, d in _copies(root)]
    return todo


def apply(root: Path, say: Callable[[str], None] = print) -> None:
    for rel in NEW_PACKAGES:
        (root / PKG / rel).mkdir(parents=True, exist_ok=True)
    for src, dst in _pending_moves(root):
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.exists() and src.is_dir():
            raise SystemExit(f"both {src} and {dst} exist: merge them by hand (leftovers of an "
                             "earlier run? `git clean -ndx src` lists them), then run again")
        _git("-C", str(root), "mv", str(src.relative_to(root)), str(dst.relative_to(root)))
        if src.is_dir():  # ignored files (caches) git left behind
            shutil.rmtree(src)
        say(f"moved {src.relative_to(root)} -> {dst.relative_to(root)}")
    for path, doc in _new_packages(root):
        path.write_text(doc, "utf-8")
        _git("-C", str(root), "add", str(path.relative_to(root)))
    changed = []
    for path in _text_files(root):
        new = _rewritten(path)
        if new is not None:
            path.write_text(new, "utf-8")
            changed.append(path)
    for path, text in _label_fix(root):
        path.write_text(text, "utf-8")
        changed.append(path)
    for src, dst in _copies(root):
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        changed.append(dst)
    say(f"rewrote {len(changed)} files")
    py = [str(p) for p in changed if p.suffix == ".py"]
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if py and Path(ruff).exists():  # the moved imports, in ruff's order
        subprocess.run([ruff, "check", "--select", "I", "--fix", "--quiet", *py], cwd=root,
                       check=False)
    _git("-C", str(root), "add", "-A", "--", str(PKG))
    _git("-C", str(root), "add", "--", *(str(p.relative_to(root)) for p in changed))
    for name in _unknown(root):
        say(f"left in place: src/dhakira/{name} (add it to MOVES in scripts/relayout.py)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only say what is left to do; exit 1 if anything is")
    args = parser.parse_args(argv)
    root = Path.cwd()
    if not (root / PKG).is_dir():
        parser.error(f"run it at the root of a checkout (no {PKG} here)")
    if args.check:
        todo = check(root)
        for line in todo:
            print(line)
        unknown = _unknown(root)
        for name in unknown:
            print(f"unknown package: src/dhakira/{name} (add it to MOVES)")
        return 1 if todo or unknown else 0
    if _git("-C", str(root), "status", "--porcelain", "--untracked-files=no").strip():
        parser.error("commit or stash your changes first: the moves and rewrites are one step "
                     "you can then review (git diff --staged) or undo (git reset --hard)")
    apply(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
