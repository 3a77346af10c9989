"""Number formats that override Django's, per language (``FORMAT_MODULE_PATH``)."""
