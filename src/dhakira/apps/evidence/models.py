"""Evidence items (immutable originals), their metadata and derived copies (the search index
over them is the search app's).

An original's bytes live encrypted in the vault's blob store (:mod:`dhakira.core.vault.blobs`);
a row here records what they are and how they came in (the Berkeley Protocol's collection
record). The same bytes received twice are stored once: each receipt is its own
:class:`EvidenceItem` row, with its own collection record and custody entry, pointing at the
same blob, and ``duplicate_of`` names the first receipt.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from dhakira.apps.dossier.models import Compartment, Information
from dhakira.apps.evidence.errors import ImmutableOriginal
from dhakira.core.ids import DERIVED, EVIDENCE

UID_PREFIX = "EV-"
_FIXED = ("sha256", "size", "mime", "blob_name", "collected_at", "collector", "parent_id")


def uid_for(pk: int) -> str:
    """The stable identifier of item ``pk`` (``EV-000001``)."""
    return EVIDENCE.format(pk)


def pk_for(uid: str) -> int | None:
    """The primary key named by ``uid``, or None if it is not an evidence uid."""
    return EVIDENCE.pk_or_none(uid)


class EvidenceItem(models.Model):
    """One original as received: its hash, size, type and collection record."""

    #: ``ocr_by`` of a PDF whose every page has text of its own: nothing for OCR to read.
    NO_PICTURES = "none"

    class Relationship(models.TextChoices):
        NONE = "", _("none")
        ATTACHMENT = "attachment", _("attachment of an e-mail")
        MESSAGE = "message", _("message in a mailbox")
        MEMBER = "member", _("member of an archive")

    class TextStatus(models.TextChoices):
        NONE = "", _("no text to extract")
        PENDING = "pending", _("text extraction pending")
        DONE = "done", _("text extracted")
        FAILED = "failed", _("text extraction failed")

    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    mime = models.CharField(_("type (sniffed)"), max_length=120)
    blob_name = models.CharField(max_length=64)
    original_name = models.CharField(_("original file name"), max_length=500, blank=True)
    collector = models.CharField(_("collector"), max_length=150)
    method = models.CharField(_("collection method"), max_length=200)
    tool = models.CharField(_("tool and version"), max_length=200)
    collected_at = models.DateTimeField(_("collected (UTC)"))
    origin = models.CharField(_("where it came from"), max_length=1000, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="family")
    relationship = models.CharField(max_length=20, blank=True, choices=Relationship.choices)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="also_received")
    information = models.ForeignKey(Information, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="evidence")
    graphic = models.BooleanField(_("graphic content"), default=False)
    compartment = models.CharField(_("compartment"), max_length=20, blank=True,
                                   choices=Compartment.choices)
    # Processing state, not part of the record: intake marks an item whose type carries text
    # "pending"; processing (dhakira.apps.evidence.processing) extracts, stores and indexes it.
    text_status = models.CharField(_("text extraction"), max_length=10, blank=True, default="",
                                   choices=TextStatus.choices, db_index=True)
    # Which OCR looked at the item's pictures, set by processing: the tool and version that
    # read them ("tesseract/5.3.0"), NO_PICTURES for a PDF with text on every page, or "" when
    # OCR has not (yet) read it: taken in before OCR existed, or its OCR failed. `dhakira
    # process --ocr-missing` reads the items left "".
    ocr_by = models.CharField(_("read by OCR"), max_length=60, blank=True, default="",
                              db_index=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.uid

    @property
    def uid(self) -> str:
        return uid_for(self.pk)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; an existing original's bytes and collection record never change."""
        if not self._state.adding:
            stored = EvidenceItem.objects.filter(pk=self.pk).values(*_FIXED).first()
            if stored and any(stored[f] != getattr(self, f) for f in _FIXED):
                raise ImmutableOriginal(f"{self.uid}: an original's hash, size, type and "
                                        "collection record never change; add a derived copy")
        super().save(*args, **kwargs)


class Metadata(models.Model):
    """What the file says about itself (EXIF/GPS, e-mail headers, PDF metadata)."""

    item = models.OneToOneField(EvidenceItem, on_delete=models.CASCADE, related_name="metadata")
    data = models.JSONField(default=dict)
    extractor = models.CharField(max_length=200, blank=True)


class DerivedCopy(models.Model):
    """A translation, transcript, extracted or OCR text, or redacted version of an original."""

    class Kind(models.TextChoices):
        TRANSLATION = "translation", _("translation")
        TRANSCRIPT = "transcript", _("transcript")
        EXTRACTED_TEXT = "extracted_text", _("extracted text")
        OCR_TEXT = "ocr_text", _("OCR text")
        REDACTED = "redacted", _("redacted version")

    original = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="derived")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    blob_sha256 = models.CharField(max_length=64, blank=True)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=10, blank=True)
    operation = models.CharField(_("operation"), max_length=300)
    created_by = models.CharField(_("who"), max_length=150)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["pk"]

    @property
    def uid(self) -> str:
        return DERIVED.format(self.pk)
