"""WSGI entry point; ``dhakira serve`` unlocks the vault before serving it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhakira.apps.web.settings")
application = get_wsgi_application()
