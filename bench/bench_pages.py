"""Page times of the documenter's app: p50/p95 of repeated requests to the main pages.

Each size builds a synthetic demo dossier into a fresh temporary vault (in its own child
process), then serves it with waitress, as ``dhakira serve`` does (the same adjustments,
``dhakira.apps.web.server.limits``), and times every page over real HTTP on loopback as one
logged-in documenter. Beside each wall time is the CPU time of the process (server threads
and the small HTTP client) for that request. The baseline, in the same run, is a trivial
view returning "ok" through the same server and middleware: the floor under every page.
The machine's load average is recorded with the run.

The demo holds no evidence files, review pairs or counting runs; the bench adds a few
synthetic text files (so the evidence list and an item page have something to show) and
times the review queue and the counting page as they are (empty).

Usage:
    .venv/bin/python bench/bench_pages.py              # default demo size and 1,000,000 reports
    .venv/bin/python bench/bench_pages.py --quick      # default demo size only
    .venv/bin/python bench/bench_pages.py --reports 200000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "pages.json"
SEED = 1
DEFAULT_VICTIMS = 4383
DEFAULT_REPORTS = 8071  # what the default demo size gives (bench/results/pages.json)
BUDGET_S = 0.2  # issue 17's goal for every page a documenter uses


def trivial(request):  # type: ignore[no-untyped-def]
    from django.http import HttpResponse

    return HttpResponse("ok")


def _urlpatterns() -> list[object]:
    from django.urls import include, path

    return [path("__baseline__/", trivial), path("", include("dhakira.apps.web.urls"))]


def victims_for(reports: int) -> int:
    """Documented victims that give about ``reports`` reports (from a pure pilot run)."""
    from dhakira.apps.demo import DemoParams, build_world, iter_chunks

    params = DemoParams(victims=3000, seed=SEED)
    world = build_world(params)
    pilot = sum(len(ch.reports) for ch in iter_chunks(world, params))
    return max(1, round(reports * params.victims / pilot))


def _times(http: _Http, method: str, url: str, n: int,
           data: dict | None = None) -> dict[str, float]:  # type: ignore[type-arg]
    status = http.call(method, url, data)  # warm-up
    if status != 200:
        raise SystemExit(f"{method} {url} answered {status}")
    walls, cpus = [], []
    for _ in range(n):
        cpu, started = time.process_time(), time.perf_counter()
        http.call(method, url, data)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return {**_quantiles("", walls), **_quantiles("cpu_", cpus), "n": n}


def _quantiles(prefix: str, samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {f"{prefix}p50_ms": round(1000 * statistics.median(samples), 2),
            f"{prefix}p95_ms": round(1000 * samples[min(len(samples) - 1,
                                                        int(0.95 * len(samples)))], 2)}


class _Http:
    """One browser session over real HTTP: a cookie jar, logged in through the login form."""

    def __init__(self, base: str, username: str, password: str) -> None:
        import urllib.request
        from http.cookiejar import CookieJar

        self.base, self.jar = base, CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        token = self._token("/login/")
        self.call("POST", "/login/", {"username": username, "password": password,
                                      "csrfmiddlewaretoken": token})
        self.token = self._token("/reports/new/")  # a login form has no such page: logged in

    def _token(self, path: str) -> str:
        page = self.opener.open(self.base + path, timeout=120).read().decode()
        return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    def call(self, method: str, url: str, data: dict | None = None) -> int:  # type: ignore[type-arg]
        import urllib.error
        import urllib.parse
        import urllib.request

        body = None
        headers = {"Referer": self.base + "/"}
        if method == "POST":
            body = urllib.parse.urlencode({**(data or {}), "csrfmiddlewaretoken":
                                           getattr(self, "token", (data or {}).get(
                                               "csrfmiddlewaretoken", ""))}).encode()
        url = urllib.parse.quote(url, safe="/?=&%")  # Arabic queries, as a browser sends them
        request = urllib.request.Request(self.base + url, data=body, headers=headers,
                                         method=method)
        try:
            with self.opener.open(request, timeout=120) as response:
                response.read()
                if response.geturl().split("?")[0].endswith("/login/") and url != "/login/":
                    return 302  # sent to the login page: not a page time
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)


@contextlib.contextmanager
def _served() -> Iterator[str]:
    """This process's Django app under waitress on a free loopback port, as ``dhakira serve``
    runs it (threads in the process holding the key); its base URL."""
    import threading

    import waitress
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    from dhakira.apps.vault import runtime
    from dhakira.apps.web import server

    runtime.refresh_statistics()  # as dhakira serve does when it starts unlocked
    server.settle_heap()  # likewise: start-up's objects out of the collector's reach
    sock = server.listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    wsgi = waitress.create_server(get_wsgi_application(), sockets=[sock],
                                  **server.limits(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**26))
    thread = threading.Thread(target=wsgi.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        wsgi.close()


def _pages() -> list[tuple[str, str, str, dict | None]]:  # type: ignore[type-arg]
    from dhakira.apps.dossier.models import Event, Information, NameVariant, Person
    from dhakira.apps.law.models import Charge, ElementAssessment
    from dhakira.apps.law.perpetrators import perpetrators
    from dhakira.apps.law.views import ITEMS_PER_PAGE

    person = Person.objects.filter(acts_suffered__isnull=False).order_by("-pk").first()
    event = Event.objects.filter(acts__isnull=False).order_by("-pk").first()
    info = Information.objects.order_by("-pk").first()
    arabic = NameVariant.objects.filter(script="arab", person=person).first() or \
        NameVariant.objects.filter(script="arab").order_by("-pk").first()
    name = arabic.text if arabic else "محمد"
    charge = Charge.objects.order_by("pk").first()
    perpetrator = perpetrators()[0][0]  # a pk
    middle = ElementAssessment.objects.filter(charge=charge).count() // ITEMS_PER_PAGE // 2 + 1
    from dhakira.apps.evidence.models import EvidenceItem

    evidence = EvidenceItem.objects.order_by("-pk").first()
    place = event.place.name_ar if event.place_id else "الموصل"
    return [
        ("baseline (trivial view)", "GET", "/__baseline__/", None),
        ("dashboard", "GET", "/", None),
        ("reports, search by place", "GET", f"/reports/?q={place}", None),
        ("report search (full text)", "GET", f"/evidence/search/?q={place}", None),
        ("evidence", "GET", "/evidence/", None),
        ("evidence item", "GET", f"/evidence/{evidence.uid}/", None),
        ("review queue (empty: no linkage run)", "GET", "/identity/", None),
        ("counting (no run yet)", "GET", "/counting/", None),
        ("recipients (as a legal officer)", "GET", "/recipients/", None),
        ("people", "GET", "/people/", None),
        ("people, page 200", "GET", "/people/?page=200", None),
        ("people, Arabic name search", "GET", f"/people/?q={name}", None),
        ("person", "GET", f"/people/{person.pk}/", None),
        ("events", "GET", "/events/", None),
        ("events, year 2015", "GET", "/events/?year=2015", None),
        ("event", "GET", f"/events/{event.pk}/", None),
        ("reports", "GET", "/reports/", None),
        ("report", "GET", f"/reports/{info.pk}/", None),
        ("sources", "GET", "/sources/", None),
        ("timeline", "GET", "/timeline/", None),
        ("map", "GET", "/map/", None),
        ("new report (form)", "GET", "/reports/new/", None),
        ("date preview", "GET", "/reports/new/date-preview/?text=5%20رمضان%201436", None),
        ("name suggestions", "POST", "/reports/new/suggest/", {"name": name}),
        ("charges", "GET", "/legal/", None),
        ("charge summary", "GET", f"/legal/charges/{charge.pk}/", None),
        ("charge items, page 1", "GET", f"/legal/charges/{charge.pk}/items/", None),
        ("charge items, middle page", "GET", f"/legal/charges/{charge.pk}/items/?page={middle}", None),
        ("pattern evidence", "GET", f"/legal/charges/{charge.pk}/patterns/", None),
        ("perpetrators", "GET", "/legal/perpetrators/", None),
        ("perpetrator", "GET", f"/legal/perpetrators/person/{perpetrator}/", None),
    ]


def _open(vault: Path) -> bool:
    """Set up Django on ``vault`` (its synthetic key beside it); True if it already holds data."""
    import os

    from dhakira.apps.vault import runtime
    from dhakira.core.vault import session

    key_file = vault.parent / (vault.name + ".bench-key")  # a throwaway synthetic vault
    existed = (vault / "dossier.db").exists() and key_file.exists()
    if not existed:
        vault.mkdir(parents=True, exist_ok=True)
        key_file.write_bytes(os.urandom(32))
    session.set_key(key_file.read_bytes())
    if not (vault / "signing.key").exists():  # the custody key `dhakira init` makes
        from dhakira.core.vault import signing

        signing.create(vault, session.get_key())
    runtime.configure(vault)
    from django.conf import settings

    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    runtime.migrate()
    return existed


def _build(vault: Path, reports: int | None) -> dict[str, object]:
    from dhakira.apps.demo.load import build_dossier
    from dhakira.apps.dossier.intake import backfill_name_keys

    victims = DEFAULT_VICTIMS if reports is None else victims_for(reports)
    started = time.perf_counter()
    build_dossier(victims=victims, perpetrators=1804, informants=40, seed=SEED,
                  truth_out=vault.parent / (vault.name + ".truth.json"))
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    _demo_charge(reports)
    charge_s = time.perf_counter() - started
    started = time.perf_counter()
    keyed = backfill_name_keys()
    return {"victims": victims, "build_s": round(build_s, 1), "charge_s": round(charge_s, 1),
            "name_keys_backfilled": keyed,
            "backfill_s": round(time.perf_counter() - started, 1)}


def _demo_charge(reports: int | None = None) -> bool:
    """The demo's persecution charge, as ``dhakira demo-data --charge-by`` defines it; False
    if the dossier already has a charge.

    Above the default size the same charge is cut to the first days of its date range, so
    that it holds about as many assessed acts as the demo's (about 1,500): the pages are then
    timed on a charge of the demo's size inside a dossier of ``reports`` reports. Assessing
    every act of a 1,000,000-report dossier one by one (each a signed custody entry) would
    take hours, and is not what a page time should measure.
    """
    from datetime import date, timedelta

    from django.contrib.auth import get_user_model

    from dhakira.apps.dossier.accounts import create_user
    from dhakira.apps.dossier.models import Place
    from dhakira.apps.law import services
    from dhakira.apps.law.models import Charge

    if Charge.objects.exists():
        return False
    analyst = get_user_model().objects.filter(username="bench-legal").first() or create_user(
        "bench-legal", "bench passphrase not secret", role="legal", actor="bench-setup")
    if reports is None:
        services.ensure_demo_charge(analyst)
        return True
    start, end = date(2014, 6, 1), date(2017, 12, 31)
    days = max(1, round((end - start).days * DEFAULT_REPORTS / reports))
    charge = services.create_charge(
        analyst, crime_id="CAH-PERSECUTION", title=f"{services.DEMO_CHARGE_TITLE}: first {days} days",
        title_ar=f"{services.DEMO_CHARGE_TITLE_AR}: أول {days} يومًا",
        places=list(Place.objects.filter(kind="governorate", name_en__icontains="Ninawa")),
        date_from=start, date_to=start + timedelta(days=days),
        ground_tags=["gender", "sexual_orientation"], victim_group=services.DEMO_VICTIM_GROUP,
        victim_group_ar=services.DEMO_VICTIM_GROUP_AR)
    for act, element_id in services._auto_pairs(charge):  # the demo charge's own proposals
        services.record_assessment(analyst, charge, item_uid=act, element_id=element_id,
                                   stance="supports", standard="credible_allegation",
                                   note=services.AUTO_NOTE)
    return True


def _measure(repeats: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model

    from dhakira.apps.dossier.accounts import create_user
    from dhakira.apps.dossier.models import Information

    _evidence()
    password = "bench passphrase not secret"  # a throwaway synthetic vault's web user
    if not get_user_model().objects.filter(username="bench").exists():
        create_user("bench", password, role="documenter", clearances=["sources"],
                    actor="bench-setup")
    load_before = os.getloadavg()
    with _served() as base:
        documenter = _Http(base, "bench", password)
        legal = _Http(base, "bench-legal", password)  # made with the charge
        pages = {name: {"url": url, **_times(legal if "legal officer" in name else documenter,
                                             method, url, repeats, data)}
                 for name, method, url, data in _pages()}
    return {"reports": Information.objects.order_by("-pk").values_list("pk", flat=True).first(),
            "repeats": repeats, "served_by": "waitress over HTTP on loopback (dhakira serve's "
            "settings)", "load_average_1m": [round(load_before[0], 1),
                                              round(os.getloadavg()[0], 1)],
            "pages": pages}


def _evidence(files: int = 20) -> None:
    """A few synthetic text files taken in as evidence, once (the demo has none)."""
    from dhakira.apps.evidence import intake
    from dhakira.apps.evidence.models import EvidenceItem

    if EvidenceItem.objects.exists():
        return
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-evidence-") as tmp:
        for n in range(files):
            (Path(tmp) / f"note-{n:02d}.txt").write_text(
                f"Synthetic note {n}: a checkpoint near Mosul, seen from the road.\n" * 20)
        intake.ingest_paths([Path(tmp)], collection=intake.Collection(collector="bench-setup"))


def child(reports: int | None, repeats: int, keep: Path | None) -> dict[str, object]:
    """Build one dossier (or reuse a kept one) and time every page; return the figures."""
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-pages-") as tmp:
        vault = keep or Path(tmp) / "vault"
        if _open(vault):  # a kept vault: key any names a killed run left unkeyed
            from dhakira.apps.dossier.intake import backfill_name_keys

            started = time.perf_counter()
            built = {"name_keys_backfilled": backfill_name_keys(),
                     "backfill_s": round(time.perf_counter() - started, 1)}
            started = time.perf_counter()
            if _demo_charge(reports):  # a killed build may have stopped before the charge
                built["charge_s"] = round(time.perf_counter() - started, 1)
        else:
            built = _build(vault, reports)
        return {**built, **_measure(repeats)}


urlpatterns: list[object] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="default demo size only")
    parser.add_argument("--reports", type=int, action="append", help="also this many reports")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--keep", type=Path, help="build the largest size into this directory "
                        "and reuse it on the next run (a synthetic, throwaway vault)")
    args = parser.parse_args()
    if args.child is not None:
        global urlpatterns
        sys.modules[__name__].urlpatterns = []  # filled after Django is set up
        reports = None if args.child == "default" else int(args.child)
        _install_urls()
        print(json.dumps(child(reports, args.repeats, args.keep)))
        return
    sizes = ["default"] + ([] if args.quick else [str(r) for r in (args.reports or [1_000_000])])
    runs = []
    for size in sizes:
        repeats = args.repeats if size == "default" else max(5, args.repeats // 3)
        keep = ["--keep", str(args.keep)] if args.keep and size != "default" else []
        # Only the figures are captured: the child's errors reach the terminal (a failed
        # build says why).
        out = subprocess.run([sys.executable, __file__, "--child", size, "--repeats", str(repeats),
                              *keep], check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        run = {"size": size, **json.loads(out.stdout.strip().splitlines()[-1])}
        runs.append(run)
        _summary(run)
    runs += _earlier_runs({run["size"] for run in runs})
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"benchmark": "pages", "seed": SEED, "budget_ms": BUDGET_S * 1000,
                                   "runs": runs}, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def _earlier_runs(measured: set[str]) -> list[dict[str, object]]:
    """The previous file's runs of sizes not measured now (``--quick`` keeps the 1 M figures),
    marked ``"earlier_run": true``: their pages and baseline are not this run's."""
    if not RESULTS.exists():
        return []
    kept = []
    for run in json.loads(RESULTS.read_text())["runs"]:
        size = run.get("size") or ("default" if run.get("victims") == DEFAULT_VICTIMS
                                   else str(run.get("reports")))
        if size not in measured:
            kept.append({**run, "size": size, "earlier_run": True})
    return kept


def _install_urls() -> None:
    """Make this module a URLconf once Django is importable (ROOT_URLCONF points here)."""
    module = sys.modules[__name__]

    class _Lazy(list):  # type: ignore[type-arg]
        def __iter__(self):  # type: ignore[no-untyped-def]
            if not len(self):
                self.extend(_urlpatterns())
            return super().__iter__()

    module.urlpatterns = _Lazy()  # type: ignore[attr-defined]


def _summary(run: dict[str, object]) -> None:
    print(f"{run['reports']:,} reports (build {run.get('build_s', 'reused')} s, load "
          f"{run.get('load_average_1m')}):")
    for name, t in run["pages"].items():  # type: ignore[attr-defined]
        flag = "" if t["p95_ms"] <= BUDGET_S * 1000 else f"  OVER {BUDGET_S * 1000:.0f} ms"
        print(f"  {name:36s} p50 {t['p50_ms']:8.1f} ms   p95 {t['p95_ms']:8.1f} ms   "
              f"CPU p50 {t.get('cpu_p50_ms', 0):7.1f} p95 {t.get('cpu_p95_ms', 0):7.1f}{flag}")


if __name__ == "__main__":
    main()
