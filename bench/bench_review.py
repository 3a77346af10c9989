"""Review queue times on the default demo: the queue page, a pair page and a decision (p50/p95).

Builds the demo (``scripts/make-demo.py``) into a temporary folder, runs ``dhakira link``,
serves it with ``dhakira serve`` and times real HTTP requests as the documenter: the queue's
first and a middle page, pair pages, and decisions (POST, answered by a redirect to the next
pair, which is then fetched as a reviewer would). The baseline in the same run is the login
page, the floor under every page of the server.

Usage:
    .venv/bin/python bench/bench_review.py [--quick] [--decisions 60] [--vault DIR --secrets DIR]

With --vault and --secrets an existing linked demo is used (its queue is changed: decisions
are recorded). Writes bench/results/review.json.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "review.json"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:  # type: ignore[override]
        return None


class Browser:
    """A cookie-keeping client that does not follow redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = None if data is None else urllib.parse.urlencode(
            data | {"csrfmiddlewaretoken": self.csrf()}).encode()
        req = urllib.request.Request(self.base + path, data=body,
                                     headers={"Referer": self.base + path, "Accept-Language": "en"})
        try:
            with self.opener.open(req) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Location", ""), err.read().decode()


def _timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(samples), "p50_ms": round(statistics.median(samples) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1)}


def build(folder: Path) -> tuple[Path, Path]:
    vault, secrets = folder / "vault", folder / "secrets"
    subprocess.run([sys.executable, str(ROOT / "scripts/make-demo.py"), "--vault", str(vault),
                    "--secrets", str(secrets)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "dhakira", "link", "--vault", str(vault),
                    "--passphrase-file", str(secrets / "passphrase"), "--actor", "amal",
                    "--password-file", str(secrets / "amal.password")], check=True)
    return vault, secrets


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(vault: Path, secrets: Path, decisions: int) -> dict[str, Any]:
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "dhakira", "serve", "--vault", str(vault),
                               "--passphrase-file", str(secrets / "passphrase"),
                               "--port", str(port)], stderr=subprocess.DEVNULL)
    try:
        b = Browser(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 120
        while True:
            try:
                if b.request("/login/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "server did not start"
            time.sleep(0.5)
        password = (secrets / "rana.password").read_text().splitlines()[0]
        status, _, _ = b.request("/login/", {"username": "rana", "password": password})
        assert status == 302, f"login answered {status}"
        out: dict[str, Any] = {"baseline_login_page": _stats(
            [_timed(b.request, "/login/")[0] for _ in range(20)])}
        first = b.request("/identity/")[2]
        pending = int(re.search(r'id="count-pending">([\d,]+)<', first).group(1).replace(",", ""))  # type: ignore[union-attr]
        pages = int(re.search(r"Page 1 of ([\d,]+)", first).group(1).replace(",", ""))  # type: ignore[union-attr]
        out["queue"] = {"pending": pending, "pages": pages}
        out["queue_page_1"] = _stats([_timed(b.request, "/identity/")[0] for _ in range(20)])
        middle = f"/identity/?page={pages // 2}"
        out["queue_page_middle"] = _stats([_timed(b.request, middle)[0] for _ in range(20)])
        pair = re.search(r'id="start" href="([^"]+)"', first).group(1)  # type: ignore[union-attr]
        pair_times, decide_times = [], []
        for i in range(decisions):
            seconds, (status, _, body) = _timed(b.request, pair)
            assert status == 200, (pair, status)
            pair_times.append(seconds)
            action = re.search(r'id="decide" action="([^"]+)"', body).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
            choice = ("accepted", "rejected", "unsure")[i % 3]
            seconds, (status, location, _) = _timed(b.request, action, {"status": choice})
            assert status == 302, (action, status)
            decide_times.append(seconds)
            pair = location
        out["pair_page"] = _stats(pair_times)
        out["decision_post"] = _stats(decide_times)
        out["decision_then_next_pair"] = _stats([a + b for a, b in zip(decide_times[:-1], pair_times[1:], strict=True)])
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--secrets", type=Path)
    parser.add_argument("--decisions", type=int, default=60)
    parser.add_argument("--quick", action="store_true", help="15 decisions")
    args = parser.parse_args()
    if args.quick:
        args.decisions = 15
    with tempfile.TemporaryDirectory(prefix="dhakira-bench-review-") as tmp:
        vault, secrets = (args.vault, args.secrets) if args.vault else build(Path(tmp))
        result = {"load_average_1min": round(os.getloadavg()[0], 2), "cores": os.cpu_count(),
                  **measure(vault, secrets, args.decisions)}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
