"""The office server under 50 simulated users on loopback (issue 19, item 5).

The real server (``dhakira serve`` on a vault made by ``dhakira init``; on PostgreSQL when
``DHAKIRA_DATABASE_URL`` is set, e.g. under ``scripts/with-postgres``) and real HTTP. Each
user logs in once, then loops until the time is up, pausing between actions as a person
does (``--think`` seconds on average, 20 by default, uniformly random up to twice that):

* documenters save a report through the intake form with a small file attached;
* analysts search the evidence, then open the report and people lists;
* reviewers open the "same person?" queue and decide the pair it offers, when there is one
  (a fresh vault has none: they then read the queue only, and the output says so);
* one probe asks for the login page (a trivial view) every second: the machine's noise.

Reported per action: count, p50/p95/p99, errors; throughput; "database is locked" lines in
the server's log; the server's CPU seconds; the load average before and after.
The goal: p95 ≤ 300 ms saving a report, ≤ 200 ms reading pages.

Usage:
    .venv/bin/python bench/bench_load.py                   # 50 users, 180 s
    .venv/bin/python bench/bench_load.py --quick           # 50 users, 45 s
    scripts/with-postgres .venv/bin/python bench/bench_load.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "load.json"
THINK = 20.0  # a person saves, searches or decides about every 20 s: a busy office
GOALS_MS = {"save report": 300, "search": 200, "report list": 200, "people list": 200,
            "review queue": 200, "decide pair": 300}


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----dhakira" + secrets.token_hex(12)
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
                     + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Tally:
    """Seconds per action and every failure, from all the users' threads."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()

    def timed(self, action: str, call: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            problem = call()
        except urllib.error.HTTPError as exc:
            problem = f"HTTP {exc.code}"
        except OSError as exc:
            problem = f"{type(exc).__name__}: {exc}"
        with self.lock:
            self.times[action].append(time.perf_counter() - started)
            if problem:
                self.errors[action].append(problem)


def _documenter(user: object, n: int) -> str:
    from tests.dossier.intake_data import post_data

    fields = post_data(**{"r-event_title": f"Load report {n} {secrets.token_hex(4)}",
                          "csrfmiddlewaretoken": user.form_token})  # type: ignore[attr-defined]
    note = (f"synthetic field note {n}: the checkpoint at dawn, {secrets.token_hex(16)}\n" * 40)
    body, kind = _multipart(fields, {"f-files": (f"note-{n}.txt", note.encode())})
    request = urllib.request.Request(user.base + "/reports/new/", data=body,  # type: ignore[attr-defined]
                                     headers={"Content-Type": kind})
    response = user.opener.open(request, timeout=120)  # type: ignore[attr-defined]
    url = response.geturl()
    response.read()
    return "" if "/reports/" in url and "/new/" not in url else f"not saved: {url}"


def _get(user: object, path: str) -> str:
    with user.opener.open(user.base + path, timeout=120) as response:  # type: ignore[attr-defined]
        response.read()
        return "" if response.status == 200 else f"HTTP {response.status}"


def _review(user: object, tally: Tally) -> None:
    with user.opener.open(user.base + "/identity/", timeout=120) as response:  # type: ignore[attr-defined]
        page = response.read().decode()
    found = re.search(r'href="(/identity/pairs/(\d+)/)"', page)
    if not found:
        return
    pair_page = user.opener.open(user.base + found.group(1), timeout=120).read().decode()  # type: ignore[attr-defined]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pair_page)
    if not token:
        return
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1),
                                   "decision": random.choice(["same", "different"])}).encode()
    tally.timed("decide pair", lambda: _post_ok(user, f"/identity/pairs/{found.group(2)}/decide/", data))


def _post_ok(user: object, path: str, data: bytes) -> str:
    with user.opener.open(user.base + path, data=data, timeout=120) as response:  # type: ignore[attr-defined]
        response.read()
        return "" if response.status == 200 else f"HTTP {response.status}"


def _cpu_seconds(pid: int) -> float:
    """CPU seconds of the server and every process under it (its workers, the file readers),
    the ended ones included (the kernel adds a reaped child's time to its parent's)."""
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
    tree, grew = {pid}, True
    while grew:
        more = {p for p, f in stats.items() if int(f[1]) in tree} - tree
        tree |= more
        grew = bool(more)
    ticks = sum(sum(int(x) for x in stats[p][11:15]) for p in tree if p in stats)
    return ticks / os.sysconf("SC_CLK_TCK")


def _summary(samples: list[float], errors: list[str], goal: int | None) -> dict[str, object]:
    from tests.writers_load import percentile

    out: dict[str, object] = {"n": len(samples), "errors": len(errors)}
    if samples:
        out |= {f"p{q}_ms": round(percentile(samples, q / 100) * 1000, 1) for q in (50, 95, 99)}
    if goal is not None and samples:
        out["goal_p95_ms"] = goal
        out["meets_goal"] = bool(out["p95_ms"] <= goal)  # type: ignore[operator]
    if errors:
        out["first_errors"] = sorted(set(errors))[:3]
    return out


def main() -> None:
    from tests import writers_load as load

    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="45 s instead of 180 s")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--tls", action="store_true",
                        help="serve HTTPS (--tls-self-signed: cheroot instead of waitress)")
    parser.add_argument("--workers", type=int, default=1,
                        help="serving processes (dhakira serve --workers)")
    parser.add_argument("--think", type=float, default=THINK,
                        help="mean pause between one user's actions, in seconds")
    args = parser.parse_args()
    seconds = args.seconds or (45.0 if args.quick else 180.0)
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-load-") as tmp, \
            load.new_vault(Path(tmp)) as vault:
        client = _tls_client(vault) if args.tls else None
        serve_args = (("--tls-self-signed",) if args.tls else ()) + ("--workers", str(args.workers))
        with load.served(vault, *serve_args, tls=client) as (base, log):
            pid = int((vault.path / "serve.pid").read_text().split()[0])
            users = [load.WebUser(base, client) for _ in range(args.users)]
            result = _run(users, base, pid, args, seconds, client)
            result["database_is_locked"] = log.read_text().count("database is locked")
    RESULTS.parent.mkdir(exist_ok=True)
    name = "load" + ("-postgresql" if result["backend"] == "postgresql" else "") + \
        ("-tls" if args.tls else "") + ("" if args.think == THINK else f"-think{args.think:g}") + \
        ("" if args.workers == 1 else f"-workers{args.workers}")
    (RESULTS.parent / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if result["errors"] or result["database_is_locked"]:
        raise SystemExit("the load found errors")


def _tls_client(vault: object) -> ssl.SSLContext:
    """Make the vault's certificate now (``dhakira tls make``) and trust exactly it."""
    made = subprocess.run(vault.dhakira("tls", "make", "--name", "127.0.0.1"),  # type: ignore[attr-defined]
                          env=vault.env, capture_output=True, text=True, check=True)  # type: ignore[attr-defined]
    assert "fingerprint" in made.stdout
    return ssl.create_default_context(cadata=(vault.path / "tls" / "cert.pem").read_text())  # type: ignore[attr-defined]


def _run(users: list[object], base: str, pid: int, args: argparse.Namespace, seconds: float,
         client: ssl.SSLContext | None) -> dict[str, object]:
    documenters = round(len(users) * 0.6)
    reviewers = max(1, round(len(users) * 0.1))
    analysts = len(users) - documenters - reviewers
    tally = Tally()
    load_before, cpu_before = os.getloadavg(), _cpu_seconds(pid)
    end = time.monotonic() + seconds
    rng = random.Random(7)

    def person(user: object, role: str, seed: float) -> None:
        mine = random.Random(seed)
        time.sleep(mine.uniform(0, args.think))  # users do not start in step
        n = 0
        while time.monotonic() < end:
            if role == "documenter":
                tally.timed("save report", lambda n=n: _documenter(user, n))
            elif role == "analyst":
                word = mine.choice(["checkpoint", "Mosul", "square", "dawn", "شاهد"])
                query = "/evidence/search/?" + urllib.parse.urlencode({"q": word})
                tally.timed("search", lambda query=query: _get(user, query))
                tally.timed("report list", lambda: _get(user, "/reports/"))
                tally.timed("people list", lambda: _get(user, "/people/"))
            else:
                tally.timed("review queue", lambda: _get(user, "/identity/"))
                _review(user, tally)
            n += 1
            time.sleep(mine.uniform(0, 2 * args.think))

    def probe() -> None:
        while time.monotonic() < end:
            tally.timed("trivial view (login page)", lambda: _get_anonymous(base, client))
            time.sleep(1)

    roles = ["documenter"] * documenters + ["analyst"] * analysts + ["reviewer"] * reviewers
    threads = [threading.Thread(target=person, args=(u, r, rng.random()))
               for u, r in zip(users, roles, strict=True)]
    threads.append(threading.Thread(target=probe))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = _cpu_seconds(pid) - cpu_before
    load_after = os.getloadavg()
    total = sum(len(v) for k, v in tally.times.items() if not k.startswith("trivial"))
    return {
        "what": f"{len(users)} simulated users against dhakira serve --workers {args.workers} "
                f"on loopback, real HTTP"
                + (" over TLS (cheroot)" if client else " (waitress)"),
        "backend": "postgresql" if "DHAKIRA_DATABASE_URL" in os.environ else "sqlcipher",
        "users": {"documenters": documenters, "analysts": analysts, "reviewers": reviewers},
        "think_seconds_mean": args.think,
        "seconds": round(wall, 1),
        "throughput_per_s": round(total / wall, 2),
        "actions": {a: _summary(tally.times[a], tally.errors[a], GOALS_MS.get(a))
                    for a in sorted(tally.times)},
        "errors": sum(len(v) for v in tally.errors.values()),
        "server_cpu_seconds": round(cpu, 1),
        "server_cpu_share": round(cpu / wall, 2),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
        "pairs_to_review": "decide pair" in tally.times,
    }


def _get_anonymous(base: str, client: ssl.SSLContext | None) -> str:
    with urllib.request.urlopen(base + "/login/", timeout=120, context=client) as response:
        response.read()
        return "" if response.status == 200 else f"HTTP {response.status}"


if __name__ == "__main__":
    main()
