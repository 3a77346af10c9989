"""One row per signed, hash-chained custody entry."""

from django.db import models


class LedgerEntry(models.Model):
    """A stored :class:`dhakira.core.custody.CustodyEntry`; append-only."""

    seq = models.PositiveBigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    timestamp = models.CharField(max_length=40)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=30, db_index=True)
    subject = models.CharField(max_length=200, db_index=True)
    subject_hash = models.CharField(max_length=64, blank=True, null=True)
    detail = models.JSONField(default=dict)
    entry_hash = models.CharField(max_length=64, unique=True)
    signature = models.CharField(max_length=128)
    key_id = models.CharField(max_length=32)

    class Meta:
        ordering = ["seq"]

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise RuntimeError("custody entries are append-only")
        super().save(*args, **kwargs)
