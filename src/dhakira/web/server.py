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
    from django.conf import settings

    from dhakira.protection import lockdown

    app = StaticFilesHandler(get_wsgi_application())
    # `dhakira lock` finds this process through the pid file and signals it (SIGUSR1).
    lockdown.install_signal_handler()
    lockdown.write_pid(settings.VAULT_DIR)
    print(f"Dhakira is serving on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        run(host, port, app, threading=True, server_cls=WSGIServer)
    finally:
        lockdown.remove_pid(settings.VAULT_DIR)
