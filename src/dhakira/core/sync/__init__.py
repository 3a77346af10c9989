"""Field-kit sync, the pure part: bundle format, manifest, signatures, stable ids.

A bundle is one file that carries records from a field kit to the office (``pack``) or an
acknowledgement back (``ack``): a signed manifest listing each enclosed file's SHA-256 and
size, the files, all sealed with age to the receiver. Nothing here imports Django; the vault
side (reading and writing records, devices, custody) is :mod:`dhakira.apps.fieldkit`.
See docs/field-kits.md.
"""

from dhakira.core.sync.bundle import FORMAT, Bundle, Manifest, open_bundle, seal_bundle
from dhakira.core.sync.errors import BundleRefused, SyncError
from dhakira.core.sync.ids import global_id, split_global_id

__all__ = ["FORMAT", "Bundle", "BundleRefused", "Manifest", "SyncError", "global_id",
           "open_bundle", "seal_bundle", "split_global_id"]
