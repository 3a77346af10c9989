"""The browser tests' Chromium reaches the live server and nothing else (``NOWHERE`` in
``conftest.py``): a page that asked for anything off the machine would fail here, not fetch it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error
from tests.browser.conftest import open_as

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("url", ["http://example.com/", "https://example.com/",
                                 "http://192.0.2.1/", "http://[2001:db8::1]/"])
def test_no_request_leaves_the_machine(browser, live_server, world, url: str) -> None:  # type: ignore[no-untyped-def]
    page = open_as(browser, live_server, "victor", "en")
    assert page.url.startswith(live_server.url)  # the live server itself is reached
    with pytest.raises(Error, match="ERR_PROXY_CONNECTION_FAILED|ERR_TUNNEL_CONNECTION_FAILED"):
        page.goto(url, timeout=10_000)
