"""Content-Security-Policy violations reported by the browser during a test.

Kept out of conftest.py so that the fixture and ``open_as`` share one list however pytest
imports the conftest module.
"""

from __future__ import annotations

# Every violation any page of the current test reported, in order. A page that needs an
# inline script or style is a bug: the autouse fixture in conftest fails the test.
CSP_VIOLATIONS: list[str] = []

# Reported as a console error as well as by Chromium's own message, so that a violation
# is seen even if the browser's wording changes.
REPORT_CSP = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + e.blockedURI);
});"""


def watch_csp(message: object) -> None:
    """A console listener: keep every message that reports a CSP violation."""
    text = str(getattr(message, "text", message))
    if "Content Security Policy" in text or text.startswith("CSP violation"):
        CSP_VIOLATIONS.append(text)
