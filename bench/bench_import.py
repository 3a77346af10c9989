"""Benchmark ``dhakira import``: rows per second at 100,000 rows, CPU beside wall.

A synthetic XLSX of N victims' rows (Arabic and Latin names, dates typed several ways, places
and act types in Arabic and English, every tenth row's date merged over the next) is imported
through :func:`dhakira.apps.importing.services.import_table` into a fresh SQLCipher vault:

* baseline: openpyxl's read-only iteration over the same sheet, nothing else (the floor any
  streaming import stands on);
* the check pass alone (a dry run that finds refusals: every row read, mapped and checked);
* the dry run of a clean sheet (check pass, then the fingerprint bookkeeping, rolled back);
* the import (check pass, then the sheet kept as evidence and every row written as a report
  through the one report intake, one custody entry each, indexed for search);
* the same sheet imported again (every row recognised, nothing written).

Figures are rows per second of wall time and of this process's CPU time (the machine is
shared: CPU time is the steadier figure). Peak resident memory is reported for the run.

Usage:
    .venv/bin/python bench/bench_import.py            # 100,000 rows
    .venv/bin/python bench/bench_import.py --rows 2000  # a quick look
    .venv/bin/python bench/bench_import.py --import-rows 2000  # import a 2,000-row sheet only
    .venv/bin/python bench/bench_import.py --steps import --keep ./bench-vault  # the import
        alone, the vault kept (passphrase in ./bench-vault.passphrase) for `dhakira verify`
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "import.json"
sys.path.insert(0, str(ROOT))
SEED = 20
PASSPHRASE = "bench passphrase, not secret"
STEPS = ("baseline_openpyxl_read", "check_pass", "dry_run", "import", "import_again")

GIVEN = ["أحمد", "محمد", "علي", "حسين", "فاطمة", "زينب", "مريم", "خالد", "سارة", "نور", "Omar",
         "Layla"]
FAMILY = ["الجبوري", "العبيدي", "الطائي", "الحمداني", "Khalil", "Hasan"]
PLACES = ["الموصل", "سنجار", "تلعفر", "Mosul", "Sinjar", "Tal Afar", "الحويجة"]
ACTS = ["القتل", "killing", "torture", "التعذيب", "الاحتجاز أو السجن", "abduction_disappearance"]
DATES = ["2014-{m:02d}-{d:02d}", "{d}/{m}/2015", "{d}-{m}-2014", "حزيران ٢٠١٤", "October 2014",
         "5/9/1436 هـ", "2015"]
MAPPING = """\
columns:
  الاسم: victim_name
  Name: victim_name_other
  العمر: victim_age
  الجنس: victim_sex
  التاريخ: date
  المكان: place
  نوع الانتهاك: act_type
  المصدر: source
ignore: [هاتف]
defaults: {channel: document, received_at: "2016-05-01"}
"""


def make_sheet(path: Path, rows: int, rng: random.Random) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(["الاسم", "Name", "العمر", "الجنس", "التاريخ", "المكان", "نوع الانتهاك",
                  "المصدر", "هاتف"])
    for i in range(rows):
        name = f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)} {i}"
        date = rng.choice(DATES).format(m=rng.randint(1, 12), d=rng.randint(1, 28))
        sheet.append([name, f"Victim {i}" if i % 3 == 0 else None, rng.randint(1, 90),
                      rng.choice(["ذكر", "أنثى", "male", "female"]),
                      None if i % 10 == 1 else date, rng.choice(PLACES), rng.choice(ACTS),
                      f"NIN-{i % 40:02d}", f"0770 {i:07d}"])
    book.save(path)


def timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=None,
                        help="import only the first N rows (default: all); the read, check and "
                             "dry-run figures are still taken over --rows")
    parser.add_argument("--quick", action="store_true", help="the same 100,000 rows")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"comma-separated, of {', '.join(STEPS)} (default: all)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="make the vault in this (new) folder and keep it, its passphrase "
                             "beside it in FOLDER.passphrase, for `dhakira verify`")
    args = parser.parse_args()
    steps = [s for s in args.steps.split(",") if s]
    if unknown := set(steps) - set(STEPS):
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    from dhakira.apps.vault import runtime
    from dhakira.core.vault import keyslots, session

    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-import-",
                                     dir=os.environ.get("TMPDIR")) as t:
        tmp = Path(t)
        vault = args.keep.resolve() if args.keep else tmp / "vault"
        vault.mkdir()
        if args.keep:
            vault.with_name(vault.name + ".passphrase").write_text(PASSPHRASE)
        session.set_key(keyslots.create(vault, PASSPHRASE, label="bench"))
        runtime.configure(vault)
        runtime.migrate()
        if args.keep:  # a vault the command opens, as `dhakira init` leaves it
            from dhakira import __version__
            from dhakira.core.vault import stamp

            stamp.write(vault, release=__version__)
        sheet = tmp / "victims.xlsx"
        _, make_wall, _ = timed(lambda: make_sheet(sheet, args.rows, rng))
        part = sheet
        if args.import_rows and args.import_rows < args.rows:
            part = tmp / "first-rows.xlsx"
            make_sheet(part, args.import_rows, random.Random(SEED))
        results = run(sheet, args.rows, part, args.import_rows or args.rows, steps)
        results["sheet_bytes"] = sheet.stat().st_size
        results["sheet_made_s"] = round(make_wall, 1)
    results["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    report(results)


def run(sheet: Path, rows: int, part: Path, part_rows: int,
        steps: list[str]) -> dict[str, Any]:
    from openpyxl import load_workbook

    from dhakira.apps.dossier.accounts import create_user
    from dhakira.apps.dossier.models import Information
    from dhakira.apps.importing.services import import_table
    from dhakira.core.importing import load_mapping

    actor = create_user("bench-importer", "a bench password, not secret", role="documenter",
                        actor="bench")
    mapping = load_mapping(MAPPING, "bench.yaml")
    strict = load_mapping(MAPPING.replace("  الجنس: victim_sex\n", "  الجنس: act_type\n")
                          .replace("  نوع الانتهاك: act_type\n", "  نوع الانتهاك: text\n"),
                          "strict.yaml")  # every row refused: the check pass alone, to the end

    def read() -> int:
        book = load_workbook(sheet, read_only=True)
        n = sum(1 for _ in book.active.iter_rows(values_only=True))
        book.close()
        return n

    figures: dict[str, Any] = {"rows": rows, "import_rows": part_rows}
    for name, work, n in [
        ("baseline_openpyxl_read", read, rows),
        ("check_pass", lambda: import_table(sheet, strict, actor=actor, dry_run=True), rows),
        ("dry_run", lambda: import_table(sheet, mapping, actor=actor, dry_run=True), rows),
        ("import", lambda: import_table(part, mapping, actor=actor), part_rows),
        ("import_again", lambda: import_table(part, mapping, actor=actor), part_rows),
    ]:
        if name not in steps:
            continue
        outcome, wall, cpu = timed(work)
        figures[name] = {"rows": n, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                         "rows_per_s_wall": round(n / wall, 1),
                         "rows_per_s_cpu": round(n / cpu, 1)}
        if not isinstance(outcome, int):
            figures[name].update(new=outcome.new, already=outcome.already, refused=outcome.refused)
        print(name, figures[name], flush=True)
    assert "check_pass" not in steps or figures["check_pass"]["refused"] == rows
    assert "import" not in steps or figures["import"]["new"] == part_rows
    assert "import_again" not in steps or figures["import_again"]["already"] == part_rows
    assert Information.objects.count() == (part_rows if "import" in steps else 0)
    return figures


def report(r: dict[str, Any]) -> None:
    print(f"import of {r['rows']} rows ({r['sheet_bytes'] // 1024} KiB XLSX), "
          f"peak RSS {r['peak_rss_mib']} MiB")
    for name in STEPS:
        if name not in r:
            continue
        f = r[name]
        print(f"  {name} ({f['rows']} rows): {f['rows_per_s_cpu']:.0f} rows/s of CPU ({f['cpu_s']} s), "
              f"{f['rows_per_s_wall']:.0f} rows/s of wall ({f['wall_s']} s)")


if __name__ == "__main__":
    main()
