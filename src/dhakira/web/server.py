"""Serving the app from the CLI: Django's threaded WSGI server on loopback.

The process holds the unlocked key in memory, so the server runs in this process without
the autoreloader (which would start a child without the key).
"""

from __future__ import annotations

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import WSGIServer, run
from django.core.wsgi import get_wsgi_application


def serve_forever(host: str, port: int) -> None:
    """Serve until interrupted."""
    app = StaticFilesHandler(get_wsgi_application())
    print(f"Dhakira is serving on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    run(host, port, app, threading=True, server_cls=WSGIServer)
