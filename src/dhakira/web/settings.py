"""Placeholder settings; replaced by the foundation work."""
SECRET_KEY = "placeholder"
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
USE_TZ = True
