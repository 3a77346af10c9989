"""Named errors of the exporting app."""

from __future__ import annotations

from dhakira.errors import DhakiraError


class ExportError(DhakiraError):
    """An export cannot be made as asked (a file of it would be overwritten)."""

    exit_code = 64


class ImportRefused(DhakiraError):
    """An ESF document cannot be imported; the message names the record and why."""

    exit_code = 65
