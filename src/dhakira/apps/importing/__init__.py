"""Spreadsheets and form exports into the dossier (the Django side of core/importing)."""
