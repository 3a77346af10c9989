"""What was imported from which sheet: so the same rows are never imported twice."""

from __future__ import annotations

from django.conf import settings
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


class PendingSheet(models.Model):
    """A sheet uploaded to the web wizard, held until it is imported or discarded.

    Like a report form's pending files (:mod:`dhakira.apps.dossier.pending`), its name, its
    contents and the mapping being made for it are sealed under the vault's key: never
    plaintext on disk, nor readable from the row alone. Once imported, ``run`` is set and the
    contents are dropped, so a second submit of the import form finds the run, not the sheet.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    sealed_name = models.BinaryField()
    sealed_data = models.BinaryField()
    sealed_mapping = models.BinaryField(default=b"")  # the mapping so far, as YAML
    size = models.PositiveBigIntegerField()
    compartment = models.CharField(max_length=20, default="sources")
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
