"""Browser tests: Playwright drives the distribution's Chromium against the live server.

One browser per test process (starting Playwright's driver and Chromium costs seconds of CPU);
each test gets a fresh context (cookies) per language. The live
server runs in a thread of this process, so it shares the unlocked test vault.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from tests.browser._csp import CSP_VIOLATIONS, REPORT_CSP, watch_csp

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# are still synchronous, one at a time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium (make system installs it)")
    from django.urls import get_resolver
    from playwright.sync_api import sync_playwright

    # Import every app's views now, not during the first page load (some pull in SciPy).
    get_resolver().url_patterns  # noqa: B018
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def contexts_closed(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every context a test opened is closed when it ends: a page left open went on running
    its scripts (the Counting page's polling, the idle timer) for the rest of the run, at the
    browser's and the live server's expense."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


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
    # No request may leave the machine: anything but the live server is refused.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        live_server.url) else route.abort())
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
