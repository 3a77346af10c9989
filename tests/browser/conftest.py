"""Browser tests: Playwright drives the distribution's Chromium against the live server.

One browser per test process (starting Playwright's driver and Chromium costs seconds of CPU);
each test gets a fresh context (cookies) per language. The live
server runs in a thread of this process, so it shares the unlocked test vault.
"""

from __future__ import annotations

import contextlib
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from tests.browser._csp import CSP_VIOLATIONS, REPORT_CSP, watch_csp

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# are still synchronous, one at a time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Chromium's headless shell (Debian's chromium-headless-shell): the same Blink and V8 as the
# full browser without its windowing layer; the build Playwright itself runs headless tests on.
# About 40 % less CPU per browser test than /usr/bin/chromium in headless mode (docs/testing.md).
CHROMIUM = "/usr/lib/chromium/chromium-headless-shell"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# No request may leave the machine: Chromium sends everything but loopback to a proxy that
# is not there (port 9, discard), so it fails at once (test_offline.py). A route in each
# context did this before, at the price of a round trip to this process for every request,
# and of Chromium's cache, which Playwright turns off once a route is set.
NOWHERE = {"server": "http://127.0.0.1:9", "bypass": "localhost,127.0.0.1,[::1]"}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium's headless shell is not installed at {CHROMIUM} "
                    "(make system installs it)")
    from django.urls import get_resolver
    from playwright.sync_api import sync_playwright

    # Import every app's views now, not during the first page load (some pull in SciPy).
    get_resolver().url_patterns  # noqa: B018
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True,
                                     proxy=NOWHERE)
        yield chromium
        chromium.close()


class Answering:
    """What the live server is still answering: the connections it took and has not closed.

    The server (a thread of this process) takes connections one at a time, in the order they
    came, and answers each on a thread of its own, which closes it when done. socketserver
    keeps no list of those threads (they are daemon threads), so the connections are kept
    here, by wrapping two steps of the server's own: every connection it takes is verified
    first and shut down last, once, whatever happens in between.
    """

    def __init__(self, live_server) -> None:  # type: ignore[no-untyped-def]
        self.url = live_server.url
        self._open: set[object] = set()  # the sockets of the connections taken
        self._changed = threading.Condition()
        httpd = live_server.thread.httpd
        verify, shutdown = httpd.verify_request, httpd.shutdown_request

        def taken(request, client_address):  # type: ignore[no-untyped-def]
            with self._changed:
                self._open.add(request)
            return verify(request, client_address)

        def closed(request):  # type: ignore[no-untyped-def]
            try:
                shutdown(request)
            finally:
                with self._changed:
                    self._open.discard(request)
                    self._changed.notify_all()

        httpd.verify_request, httpd.shutdown_request = taken, closed

    def finish(self, timeout: float = 60.0) -> None:
        """Return once every request made before this call is answered.

        A request of its own is answered after the server has taken every connection opened
        before it (it takes them in order); then every connection taken must be closed.
        """
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
        with contextlib.suppress(urllib.error.HTTPError):  # answered, which is all it asks
            direct.open(f"{self.url}/static/web/dhakira.js", timeout=timeout).close()
        with self._changed:
            done = self._changed.wait_for(lambda: not self._open, timeout)
        assert done, f"the live server was still answering a request after {timeout:.0f} s"


@pytest.fixture(scope="session")
def answering(live_server) -> Answering:  # type: ignore[no-untyped-def]
    """The live server's open connections, counted from the first test that uses it on."""
    return Answering(live_server)


@pytest.fixture(autouse=True)
def contexts_closed(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every context a test opened is closed when it ends, and the live server has answered
    every request its pages made, before the test's database is emptied (see
    :func:`close_contexts`)."""
    answering = (request.getfixturevalue("answering") if "live_server" in request.fixturenames
                 else None)
    yield
    if "browser" in request.fixturenames:
        close_contexts(request.getfixturevalue("browser"), answering)


def close_contexts(browser, answering: Answering | None = None) -> None:  # type: ignore[no-untyped-def]
    """Close every context of ``browser``, then wait until the live server has answered every
    request they made.

    A page left open went on running its scripts (the Counting page's polling, the idle
    timer) for the rest of the run. And closing a page does not stop what the server does for
    it: the picture of an evidence item, still being drawn when a test ended, wrote its custody
    entry after pytest-django had emptied the database, and the worker's next test found its
    ledger beginning with an entry signed by another vault's key (tests/browser/test_teardown.py).
    ``contexts_closed`` ends before pytest-django's database fixture, so it waits here.
    """
    for context in browser.contexts:
        context.close()
    if answering is not None:
        answering.finish()


@pytest.fixture(autouse=True)
def no_csp_violations() -> Iterator[list[str]]:
    """Fail any browser test during which a page reported a CSP violation."""
    CSP_VIOLATIONS.clear()
    yield CSP_VIOLATIONS
    assert not CSP_VIOLATIONS, f"Content-Security-Policy violations: {CSP_VIOLATIONS}"


@pytest.fixture
def fast_passwords(settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; browser tests log in many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def world(transactional_db, fast_passwords):  # type: ignore[no-untyped-def]
    from tests.cast import make_cast
    from tests.dossier import scenario

    make_cast()
    return scenario.build()


# The two screens the issues test on: a common laptop, and a phone (Playwright's "Pixel 5").
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PIXEL_5 = {"viewport": {"width": 393, "height": 727}, "screen": {"width": 393, "height": 851},
           "device_scale_factor": 2.75, "is_mobile": True, "has_touch": True,
           "user_agent": "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 "
                         "(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"}


def open_as(browser, live_server, username: str, lang: str, *, viewport=None,  # type: ignore[no-untyped-def]
            device=None):
    """A new context (no shared cookies) logged in as ``username``, in ``lang``; its page, on
    the dashboard.

    ``device`` is a set of context options such as :data:`LAPTOP` or :data:`PIXEL_5`.

    The login is Django's own (``login()``, its signals included) and the browser carries its
    session cookie, as Playwright advises for tests that are not about logging in: typing the
    password in every test cost about a tenth of the browser tests' CPU. The login form, the
    second step and passkeys are driven in the browser by the tests about them
    (``test_page_basics.py``, ``test_two_step.py``, ``test_passkeys.py``).
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    options = dict(device or {"viewport": viewport or {"width": 1280, "height": 900}})
    context = browser.new_context(locale=lang, **options)
    context.set_default_timeout(int(os.environ.get("DHAKIRA_BROWSER_TIMEOUT_MS", "15000")))
    context.add_init_script(REPORT_CSP)
    context.on("console", watch_csp)
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url,
                          "httpOnly": True, "sameSite": "Lax"}])
    page = context.new_page()
    page.goto(live_server.url + "/")
    return page
