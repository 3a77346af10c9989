"""Browser hardening headers on every response (issue 13, Low: no Content-Security-Policy).

The real browser check (no page reports a CSP violation) is in tests/browser.
"""

from __future__ import annotations

import pytest
from django.test import Client

from dhakira.apps.web.middleware import CONTENT_SECURITY_POLICY
from dhakira.core.vault import session

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
    "img-src": "'self' data: blob:", "object-src": "'none'", "base-uri": "'none'",
    "frame-ancestors": "'none'", "form-action": "'self'",
}


def _assert_hardened(response) -> None:  # type: ignore[no-untyped-def]
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy == STRICT
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/login/", "/", "/no-such-page/"])
def test_finding_low_every_page_carries_a_strict_csp(path: str) -> None:
    response = Client().get(path)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    _assert_hardened(response)


def test_finding_low_the_locked_page_carries_it_too() -> None:
    session.lock()
    response = Client().get("/login/")
    assert response.status_code == 423
    _assert_hardened(response)
