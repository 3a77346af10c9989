"""Pure cores: no Django, importable alone (see docs/architecture.md)."""
