"""The static files of ``dhakira serve`` (Django's StaticFilesHandler in front of the app)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_a_missing_static_file_is_404_not_a_server_error() -> None:
    """The handler answers a missing file with the 404 page, rendered with no middleware and
    so no ``request.user``: the template context must not need one (it was a 500)."""
    handler = StaticFilesHandler(WSGIHandler())
    request = RequestFactory().get("/static/web/nothere.css")
    assert handler.get_response(request).status_code == 404
