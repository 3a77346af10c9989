"""Evidence items as other apps reach them: a visible item by its id, its original's bytes.

The one way for another app (faces, hand-over) to find an item a user may see and to read
its original, decrypted and authenticated in memory only, without importing this app's models.
"""

from __future__ import annotations

from django.db.models import QuerySet

from dhakira.apps.dossier import access
from dhakira.apps.dossier.access import AnyUser
from dhakira.apps.dossier.models import Information
from dhakira.apps.evidence import render as pictures
from dhakira.apps.evidence._common import blob_store
from dhakira.apps.evidence.models import DerivedCopy, EvidenceItem, pk_for
from dhakira.core.vault.blobs import BlobIntegrityError, BlobNotFound

__all__ = ["PHOTOS", "original_bytes", "photos", "texts", "visible_item"]

#: The picture types whose faces are looked for and blurred in hand-over copies.
PHOTOS = ("image/jpeg", "image/png")


def visible_item(user: AnyUser, uid: str) -> EvidenceItem | None:
    """The item called ``uid`` if ``user`` may see it, else None (restricted or unknown alike)."""
    pk = pk_for(uid)
    if pk is None:
        return None
    return access.visible(user, EvidenceItem.objects.all()).filter(pk=pk).first()


def photos() -> QuerySet[EvidenceItem]:
    """Every JPEG and PNG item, oldest first."""
    return EvidenceItem.objects.filter(mime__in=PHOTOS).order_by("pk")


def original_bytes(item: EvidenceItem) -> bytes:
    """The original's bytes, decrypted (and authenticated) in memory only.

    Raises:
        NotRenderable: it is too large to hold in memory, or its blob is missing or damaged.
    """
    if item.size > pictures.MAX_RENDER_BYTES:
        raise pictures.NotRenderable("too large to show")
    try:
        return b"".join(blob_store().open_stream(item.sha256))
    except (BlobNotFound, BlobIntegrityError) as exc:
        raise pictures.NotRenderable(f"the stored original cannot be read ({type(exc).__name__})"
                                     ) from None


def texts(information: Information | None = None) -> QuerySet[DerivedCopy]:
    """The derived copies that hold text (extracted, OCR, transcripts, translations), with
    their original and its report: what the search index is built from (every one, or those
    of the files of ``information``)."""
    copies = DerivedCopy.objects.exclude(text="")
    if information is not None:
        copies = copies.filter(original__information=information)
    return copies.select_related("original__information")
