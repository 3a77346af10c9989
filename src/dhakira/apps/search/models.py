"""The search index: one row per searchable text (a report, or an item's extracted text).

The table keeps the name it had when the evidence app declared it (``evidence_searchdocument``):
moving the model to this app changed only what Django knows, not the database (migration
``search.0001`` and ``evidence.0007``), so every existing vault, its FTS5 table and triggers
(SQLite/SQLCipher) and its GIN index (PostgreSQL), made by ``evidence.0002``, stay as they are.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dhakira.core.ids import EVIDENCE, REPORT


class SearchDocument(models.Model):
    """One searchable text: a report (Information) or an item's extracted text.

    ``key`` holds the normalised text (:func:`dhakira.core.names.search_key`); the full-text
    index over it is an FTS5 table on SQLite/SQLCipher and a GIN index on PostgreSQL,
    both made by migration ``evidence.0002``. The original text stays in its report or derived
    copy (snippets are cut from there); protected fields are never copied here.
    """

    class Kind(models.TextChoices):
        INFORMATION = "information", _("report")
        EVIDENCE = "evidence", _("evidence")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    information = models.OneToOneField("dossier.Information", null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="search_document")
    derived = models.OneToOneField("evidence.DerivedCopy", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="search_document")
    item = models.ForeignKey("evidence.EvidenceItem", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("dossier.Source", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    place = models.ForeignKey("dossier.Place", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    date = models.DateTimeField(null=True, blank=True, db_index=True)
    mime = models.CharField(max_length=120, blank=True)
    compartment = models.CharField(max_length=20, blank=True)
    key = models.TextField(blank=True)

    class Meta:
        db_table = "evidence_searchdocument"  # the table of every existing vault (above)

    @property
    def ref(self) -> str:
        if self.information_id:
            return REPORT.format(self.information_id)
        return EVIDENCE.format(self.item_id) if self.item_id else ""
