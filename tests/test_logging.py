"""Names typed into a search never reach the server's log."""

from __future__ import annotations

import logging

from dhakira.apps.web.logfilters import StripQueryString


def test_request_lines_lose_their_query_strings() -> None:
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /people/?q=محمد+علي HTTP/1.1", "200", "512"), None)
    assert StripQueryString().filter(record)
    line = record.getMessage()
    assert "محمد" not in line and "/people/?…" in line and "200" in line


def test_the_server_logger_is_filtered_in_the_settings() -> None:
    from django.conf import settings

    handler = settings.LOGGING["handlers"]["console"]
    assert "strip_query" in handler["filters"]
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]
