"""The cost of one report save, one search and one review-queue page, in process (issue 19).

``bench/bench_load.py`` times these under 50 users over HTTP; this bench says where one
request's time goes, without a server or other users. On a demo-sized dossier (the default
demo, as ``bench/bench_pages.py`` builds it, plus the same few evidence files) one
administrator, logged in through Django's test client with CSRF checks on, does what
``bench_load``'s users do:

* **save report**: the intake form's POST, multipart with a small text file attached, exactly
  as ``bench_load``'s documenters send it, then the report page it redirects to (``bench_load``
  follows the redirect, so its "save report" time holds both);
* **search**: the evidence search for one of ``bench_load``'s words, in turn;
* **review queue**: the "same person?" queue (empty, as in ``bench_load``: no linkage run).

Per request: wall and CPU milliseconds (p50/p95; CPU of this process and the file-reading
workers it starts, which read the attached file), and the SQL queries it sent
(``CaptureQueriesContext``). Each write transaction a request opens is timed from the moment
it holds the write lock (``BEGIN IMMEDIATE`` on SQLCipher, the writer lock on PostgreSQL) to
the end of its commit, in wall and in this thread's CPU time (and the commit's own wall
time), with the queries sent inside it; the
report's own transaction (the one inserting its ``Information`` row) is reported apart, as
``hold``, beside the queries of the request sent outside any transaction. The requests take turns, after one warm-up each. Two yardsticks
are measured in the same process and run, so that runs on differently loaded machines (or
before and after a change) compare as multiples of them: a fixed piece of pure-Python work
(no Dhakira code: a change cannot move it) and a trivial view answering "ok" through the same
middleware (the floor under every request; the middleware is Dhakira's, so a change to it
moves this one too). The query counts do not depend on the machine at all.

``--profile`` also profiles one more of each request with cProfile and writes its top
functions by cumulative time to the results. ``--served`` also sends the same requests over
HTTP, one at a time, to a real ``dhakira serve`` on a vault made by ``dhakira init`` (as
``bench_load`` does) and records the server's CPU per request (its whole process tree, as
``bench_load`` counts it) and over 10 idle seconds.

Usage:
    .venv/bin/python bench/bench_save.py --keep VAULT_DIR           # SQLCipher
    scripts/with-postgres .venv/bin/python bench/bench_save.py      # PostgreSQL
    .venv/bin/python bench/bench_save.py --keep VAULT_DIR --profile --served
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PASSWORD = "bench passphrase not secret"  # a throwaway synthetic vault's web user
USER = "bench-admin"
WORDS = ["checkpoint", "Mosul", "square", "dawn", "شاهد"]  # bench_load's analysts' words


def _urlpatterns() -> list[object]:
    from bench.bench_pages import trivial
    from django.urls import include, path

    return [path("__baseline__/", trivial), path("", include("dhakira.apps.web.urls"))]


urlpatterns: list[object] = []


def _cpu() -> float:
    """CPU seconds of this process and of the processes it started (the file readers)."""
    ticks = 0
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                fields = (Path("/proc") / pid / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended since
            ticks += sum(int(x) for x in fields[11:15])
    return time.process_time() + ticks / os.sysconf("SC_CLK_TCK")


class _Session:
    """One logged-in administrator (as ``dhakira init`` makes one) on the test client."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model
        from django.test import Client

        from dhakira.apps.dossier.accounts import create_user

        if not get_user_model().objects.filter(username=USER).exists():
            create_user(USER, PASSWORD, role="administrator", actor="bench-setup",
                        clearances=["sources", "sogi", "protection", "addresses"], superuser=True)
        self.client = Client(enforce_csrf_checks=True)
        token = self._token("/login/")
        answer = self.client.post("/login/", {"username": USER, "password": PASSWORD,
                                              "csrfmiddlewaretoken": token})
        assert answer.status_code == 302, answer.status_code
        self.token = self._token("/reports/new/")
        self.n = 0

    def _token(self, path: str) -> str:
        page = self.client.get(path).content.decode()
        return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    def save(self) -> str:
        """bench_load's documenter: the form with a file; the report page it is sent to."""
        from django.core.files.uploadedfile import SimpleUploadedFile
        from tests.dossier.intake_data import post_data

        n, self.n = self.n, self.n + 1
        fields = post_data(**{"r-event_title": f"Load report {n} {secrets.token_hex(4)}",
                              "csrfmiddlewaretoken": self.token})
        note = (f"synthetic field note {n}: the checkpoint at dawn, {secrets.token_hex(16)}\n"
                * 40)
        fields["f-files"] = SimpleUploadedFile(f"note-{n}.txt", note.encode(), "text/plain")
        answer = self.client.post("/reports/new/", fields)
        if answer.status_code != 302 or "/new/" in answer["Location"]:
            raise SystemExit(f"the report was not saved: {answer.status_code}")
        page = self.client.get(answer["Location"])
        return "" if page.status_code == 200 else f"report page {page.status_code}"

    def get(self, url: str) -> str:
        answer = self.client.get(url)
        return "" if answer.status_code == 200 else f"{url}: {answer.status_code}"


def _calibration(i: int) -> str:
    """A fixed piece of pure-Python work (no Dhakira, no database): the yardstick that the
    code measured cannot move, unlike the trivial view, whose middleware is Dhakira's."""
    rows = [{"n": n, "name": f"person {n}", "tags": [str(n % 7), str(n % 11)]} for n in range(2000)]
    for _ in range(5):
        rows = json.loads(json.dumps(rows))
        rows.sort(key=lambda r: (r["tags"][1], -r["n"]))
    return ""


def _requests(session: _Session) -> dict[str, Callable[[int], str]]:
    from urllib.parse import urlencode

    return {
        "calibration (fixed pure-Python work)": _calibration,
        "baseline (trivial view)": lambda i: session.get("/__baseline__/"),
        "save report (POST and the report page)": lambda i: session.save(),
        "search": lambda i: session.get("/evidence/search/?" + urlencode(
            {"q": WORDS[i % len(WORDS)]})),
        "review queue": lambda i: session.get("/identity/"),
    }


class _Holds:
    """Every write transaction of this thread's database connection: from the moment it holds
    the write lock (after ``BEGIN IMMEDIATE`` on SQLCipher, after the writer lock of
    ``dhakira.apps.vault.postgresql`` on PostgreSQL) to its commit or rollback, wall and thread
    CPU time and the queries sent meanwhile; and the queries sent outside any transaction.

    In one process nothing else waits for the lock, so this is the time a save would make the
    other writers wait, less the interpreter's turns that other request threads take when
    serving (``docs/server.md``, "Where a save waits").
    """

    REPORT = re.compile(r'^INSERT INTO "dossier_information"', re.I)

    def __init__(self) -> None:
        from django.db import connections

        self.done: list[dict[str, Any]] = []
        self.outside = 0
        self._open: dict[str, Any] | None = None
        self.statements: list[str] = []  # the last report transaction's SQL, without values
        conn = connections["default"]
        if conn.vendor == "sqlite":
            begin = conn._start_transaction_under_autocommit

            def started() -> None:
                begin()
                self._start()
            conn._start_transaction_under_autocommit = started
        else:
            set_autocommit = conn._set_autocommit

            def switched(autocommit: bool) -> None:
                set_autocommit(autocommit)
                if not autocommit:
                    self._start()
            conn._set_autocommit = switched
        for name in ("commit", "rollback"):
            setattr(conn, name, self._ending(getattr(conn, name)))
        conn.execute_wrappers.append(self._query)

    def _ending(self, end: Callable[[], Any]) -> Callable[[], Any]:
        def ended() -> Any:
            started = time.perf_counter()
            try:
                return end()
            finally:
                if self._open is not None:  # the commit itself (SQLite: the WAL's fsync)
                    self._open["commit"] = time.perf_counter() - started
                self._end()
        return ended

    def _start(self) -> None:
        self._open = {"wall": time.perf_counter(), "cpu": time.thread_time(), "queries": 0,
                      "report": False, "sql": []}

    def _end(self) -> None:
        if (t := self._open) is None:
            return
        self._open = None
        self.done.append({"wall": time.perf_counter() - t["wall"],
                          "cpu": time.thread_time() - t["cpu"], "queries": t["queries"],
                          "report": t["report"], "commit": t.get("commit", 0.0)})
        if t["report"]:
            self.statements = t["sql"]

    def _query(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
               context: Any) -> Any:
        if (t := self._open) is None:
            if not sql.lstrip().upper().startswith("BEGIN"):
                self.outside += 1
        else:
            t["queries"] += 1
            t["report"] = t["report"] or bool(self.REPORT.match(sql))
            t["sql"].append(" ".join(sql.split())[:100])
        return execute(sql, params, many, context)

    def take(self) -> tuple[list[dict[str, Any]], int]:
        """The transactions ended and the queries sent outside one since the last take."""
        done, outside, self.done, self.outside = self.done, self.outside, [], 0
        return done, outside


def _hold_figures(runs: list[tuple[list[dict[str, Any]], int]]) -> dict[str, Any]:
    """Per request: the report transaction's hold (wall, CPU, queries), the other write
    transactions (how many, their total hold), the queries outside any transaction."""
    from bench.bench_pages import _quantiles

    reports = [t for done, _ in runs for t in done if t["report"]]
    others = [[t for t in done if not t["report"]] for done, _ in runs]
    out: dict[str, Any] = {
        "write_transactions": sorted({len(done) for done, _ in runs}),
        "queries_outside_transactions": sorted({outside for _, outside in runs}),
        "other_transactions_hold": {**_quantiles("", [sum(t["wall"] for t in o) for o in others]),
                                    **_quantiles("cpu_", [sum(t["cpu"] for t in o)
                                                          for o in others])},
        "other_transactions_queries": sorted({sum(t["queries"] for t in o) for o in others}),
    }
    if reports:
        out["report_hold"] = {**_quantiles("", [t["wall"] for t in reports]),
                              **_quantiles("cpu_", [t["cpu"] for t in reports]),
                              **_quantiles("commit_", [t["commit"] for t in reports])}
        out["report_queries_inside"] = sorted({t["queries"] for t in reports})
    return out


def _measure(requests: dict[str, Callable[[int], str]], repeats: int,
             holds: _Holds) -> dict[str, Any]:
    """Each request ``repeats`` times, taking turns (so that a change in the machine's load
    falls on all of them alike): wall and CPU quantiles, and the queries each sent."""
    from bench.bench_pages import _quantiles
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for call in requests.values():
        if problem := call(0):  # warm-up: templates, caches, the file readers started
            raise SystemExit(problem)
    gc.collect()
    walls: dict[str, list[float]] = {name: [] for name in requests}
    cpus: dict[str, list[float]] = {name: [] for name in requests}
    queries: dict[str, set[int]] = {name: set() for name in requests}
    transactions: dict[str, list[tuple[list[dict[str, Any]], int]]] = {n: [] for n in requests}
    for i in range(1, repeats + 1):
        for name, call in requests.items():
            holds.take()
            with CaptureQueriesContext(connection) as captured:
                cpu, started = _cpu(), time.perf_counter()
                if problem := call(i):
                    raise SystemExit(problem)
                walls[name].append(time.perf_counter() - started)
                cpus[name].append(_cpu() - cpu)
            queries[name].add(len(captured))
            transactions[name].append(holds.take())
    return {name: {**_quantiles("", walls[name]), **_quantiles("cpu_", cpus[name]),
                   "queries": sorted(queries[name]), "n": repeats,
                   **_hold_figures(transactions[name])} for name in requests}


# The request's plumbing, around every view: left out of the profile's top lines, where it
# would fill them with the same total.
PLUMBING = re.compile(r"django/test/|django/core/handlers/|middleware|deprecation\.py|"
                      r"bidi_guard\.py|bench_save\.py|contextlib\.py|decorators|"
                      r"django/views/generic/|functools\.py|access\.py:\d+\(wrapped")


def _short(file: str) -> str:
    for mark in ("site-packages/", "/src/", "/bench/"):
        if mark in file:
            return file.split(mark, 1)[1]
    return Path(file).name


def _profile(call: Callable[[int], str], top: int = 15) -> list[str]:
    """One more request under cProfile: its top ``top`` functions by cumulative time (the
    request's plumbing left out), as ``cumulative ms  calls  function``."""
    profiler = cProfile.Profile()
    profiler.enable()
    call(10_000)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = sorted(((cum, calls, f"{_short(file)}:{line}({name})")
                   for (file, line, name), (_, calls, _, cum, _) in stats.items()),
                  reverse=True)
    total = rows[0][0]
    kept = [r for r in rows if not PLUMBING.search(r[2]) and not r[2].startswith("~")]
    return [f"total {1000 * total:.0f} ms"] + [f"{1000 * cum:8.1f} ms {calls:6d}  {where}"
                                               for cum, calls, where in kept[:top]]


def child(keep: Path | None, repeats: int, profile: bool) -> dict[str, Any]:
    """Build (or reuse) the demo vault, then time and count each request."""
    from bench import bench_pages

    with tempfile.TemporaryDirectory(prefix="dhakira-bench-save-") as tmp:
        vault = keep or Path(tmp) / "vault"
        built: dict[str, Any] = {}
        if not bench_pages._open(vault):
            from dhakira.apps.demo.load import build_dossier

            started = time.perf_counter()
            build_dossier(victims=bench_pages.DEFAULT_VICTIMS, perpetrators=1804, informants=40,
                          seed=bench_pages.SEED,
                          truth_out=vault.parent / (vault.name + ".truth.json"))
            built["build_s"] = round(time.perf_counter() - started, 1)
        from django.conf import settings

        settings.ROOT_URLCONF = __name__
        settings.ALLOWED_HOSTS = ["testserver"]
        bench_pages._evidence()
        from dhakira.apps.dossier.models import Information

        session = _Session()
        load_before = os.getloadavg()[0]
        requests = _requests(session)
        holds = _Holds()
        out = _measure(requests, repeats, holds)
        out["save report (POST and the report page)"]["report_transaction_sql"] = \
            holds.statements
        if profile:
            for name, call in requests.items():
                if not name.startswith("calibration"):
                    out[name]["profile"] = _profile(call)
        base = out["baseline (trivial view)"]["cpu_p50_ms"]
        yardstick = out["calibration (fixed pure-Python work)"]["cpu_p50_ms"]
        for figures in out.values():
            figures["cpu_p50_x_baseline"] = round(figures["cpu_p50_ms"] / base, 2) if base else None
            figures["cpu_p50_x_calibration"] = round(figures["cpu_p50_ms"] / yardstick, 2)
        return {**built, "reports": Information.objects.count(), "repeats": repeats,
                "load_average_1m": [round(load_before, 1), round(os.getloadavg()[0], 1)],
                "requests": out}


def served(repeats: int) -> dict[str, Any]:
    """The same requests over HTTP to a real ``dhakira serve`` (a vault made by ``dhakira
    init``, as ``bench_load`` makes it), one user, one at a time: the server's CPU (its whole
    process tree) per request, and over 10 idle seconds."""
    from urllib.parse import urlencode

    from bench.bench_load import _cpu_seconds, _documenter, _get
    from tests import writers_load as load

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-save-") as tmp, \
            load.new_vault(Path(tmp)) as vault, load.served(vault) as (base, _log):
        pid = int((vault.path / "serve.pid").read_text().split()[0])
        user = load.WebUser(base)
        for n in range(3):  # warm-up
            _documenter(user, n)
        time.sleep(1)
        cpu = _cpu_seconds(pid)
        time.sleep(10)
        out["idle_cpu_s_per_10_s"] = round(_cpu_seconds(pid) - cpu, 2)
        steps: dict[str, Callable[[int], str]] = {
            "save report (POST and the report page)": lambda n: _documenter(user, n),
            "login page (trivial view)": lambda n: _get(user, "/login/"),
            "search": lambda n: _get(user, "/evidence/search/?" + urlencode(
                {"q": WORDS[n % len(WORDS)]})),
            "review queue": lambda n: _get(user, "/identity/")}
        for name, step in steps.items():
            cpu, started = _cpu_seconds(pid), time.perf_counter()
            for n in range(repeats):
                if problem := step(100 + n):
                    raise SystemExit(f"{name}: {problem}")
            out[name] = {"wall_mean_ms": round(1000 * (time.perf_counter() - started) / repeats, 1),
                         "server_cpu_mean_ms": round(1000 * (_cpu_seconds(pid) - cpu) / repeats, 1),
                         "n": repeats}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the demo vault into this directory "
                        "and reuse it on the next run (SQLCipher; a synthetic, throwaway vault)")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="cProfile one more of each")
    parser.add_argument("--name", default="", help="suffix of the results file (save-NAME.json)")
    parser.add_argument("--served", action="store_true", help="also over HTTP to dhakira serve")
    args = parser.parse_args()
    postgres = "DHAKIRA_DATABASE_URL" in os.environ
    if postgres and args.keep:
        raise SystemExit("--keep is for SQLCipher (with-postgres removes its server)")
    sys.modules[__name__].urlpatterns = _Lazy()  # type: ignore[attr-defined]
    run = child(args.keep, args.repeats, args.profile)
    if args.served:
        run["served"] = served(args.repeats)
    name = "save" + ("-postgresql" if postgres else "") + (f"-{args.name}" if args.name else "")
    result = {"benchmark": "save", "backend": "postgresql" if postgres else "sqlcipher",
              "what": "one administrator on Django's test client (in process, CSRF checks on): "
                      "bench_load's requests one at a time; CPU of this process and its file "
                      "readers", **run}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    for label, t in run["requests"].items():
        print(f"{label:42s} p50 {t['p50_ms']:8.1f} ms  p95 {t['p95_ms']:8.1f}  CPU p50 "
              f"{t['cpu_p50_ms']:7.1f} (x{t['cpu_p50_x_calibration']} calibration, "
              f"x{t['cpu_p50_x_baseline']} trivial view)  queries {t['queries']}")
        if "report_hold" in t:
            h = t["report_hold"]
            print(f"    report transaction: hold p50 {h['p50_ms']} ms p95 {h['p95_ms']}, CPU "
                  f"p50 {h['cpu_p50_ms']} p95 {h['cpu_p95_ms']}; queries inside "
                  f"{t['report_queries_inside']}, outside any transaction "
                  f"{t['queries_outside_transactions']}; write transactions "
                  f"{t['write_transactions']}, the others' hold {t['other_transactions_hold']} "
                  f"queries {t['other_transactions_queries']}")
        for line in t.get("profile", []):
            print("    " + line)
    for label, t in run.get("served", {}).items():
        print(f"served: {label}: {t}")
    print(f"wrote {(RESULTS / f'{name}.json').relative_to(ROOT)}")


class _Lazy(list):  # type: ignore[type-arg]
    """This module's URLconf, filled once Django is set up."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        if not len(self):
            self.extend(_urlpatterns())
        return super().__iter__()


if __name__ == "__main__":
    main()
