"""The pure disclosure core: redaction, the signed evidence package, and leak scanning.

Nothing here imports Django. The recipient's verifier is :mod:`dhakira.core.handover.verify`, a single
standalone file shipped inside every package.
"""

from dhakira.core.handover.archive import seal_to_recipient, to_zip
from dhakira.core.handover.errors import DisclosureError, PackageError, RedactionError, SealError
from dhakira.core.handover.leaks import find_fine_coordinates, find_image_metadata, find_leaks
from dhakira.core.handover.loadfile import DatRow, parse_dat, render_dat
from dhakira.core.handover.manifest import ManifestEntry, parse_manifest
from dhakira.core.handover.package import PackageBuilder, PackageResult
from dhakira.core.handover.redact import (
    ANONYMISED,
    FULL,
    PSEUDONYMISED,
    Level,
    RedactionPolicy,
    RedactionResult,
    Redactor,
    coarsen,
    policy_named,
    pseudonym_code,
    pseudonym_codes,
    redact_text,
    strip_image_metadata,
)

__all__ = [
    "ANONYMISED",
    "FULL",
    "PSEUDONYMISED",
    "DatRow",
    "DisclosureError",
    "Level",
    "ManifestEntry",
    "PackageBuilder",
    "PackageError",
    "PackageResult",
    "RedactionError",
    "RedactionPolicy",
    "RedactionResult",
    "Redactor",
    "SealError",
    "coarsen",
    "find_fine_coordinates",
    "find_image_metadata",
    "find_leaks",
    "parse_dat",
    "parse_manifest",
    "policy_named",
    "pseudonym_code",
    "pseudonym_codes",
    "redact_text",
    "render_dat",
    "seal_to_recipient",
    "strip_image_metadata",
    "to_zip",
]
