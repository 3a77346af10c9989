"""Django apps, each the Django side of the core of the same name (see docs/architecture.md)."""
