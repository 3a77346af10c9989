"""What was imported from which sheet: so the same rows are never imported twice."""

from __future__ import annotations

from django.db import models


class ImportRun(models.Model):
    """One run of an import: the sheet (kept as evidence), who ran it and what it did."""

    sheet = models.CharField(max_length=20)  # the evidence item's uid (EV-…)
    sheet_sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=500)
    actor = models.CharField(max_length=150)
    at = models.DateTimeField()
    imported = models.PositiveIntegerField(default=0)
    already = models.PositiveIntegerField(default=0)


class ImportedRow(models.Model):
    """A row imported once: its keyed fingerprint and which occurrence of it in its sheet.

    Two equal rows in one sheet (two unidentified victims, same day and place) are two
    records: the first is occurrence 0, the second 1. A sheet imported again matches each row
    to the same (fingerprint, occurrence) and skips it. ``last_run`` is the last run that met
    the row: counting this run's rows with a fingerprint gives the next occurrence without
    holding the sheet in memory.
    """

    fingerprint = models.CharField(max_length=64)  # HMAC-SHA256 under a vault sub-key, hex
    occurrence = models.PositiveIntegerField()
    report = models.CharField(max_length=20)  # the report's uid (I-…)
    first_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")
    row = models.PositiveIntegerField()  # its row in the first run's sheet

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fingerprint", "occurrence"],
                                               name="importing_one_row")]
        indexes = [models.Index(fields=["fingerprint", "last_run"], name="importing_row_run")]
