"""Print what a vault holds, as JSON, for the field-kit tests (run as its own process).

Usage: python _counts.py VAULT PASSPHRASE_FILE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    from dhakira.apps.vault import runtime

    runtime.open_vault(Path(sys.argv[1]), Path(sys.argv[2]).read_text().splitlines()[0])
    from dhakira.apps.dossier.models import (
        Act,
        Consent,
        Event,
        Information,
        NameVariant,
        Person,
        ProtectedValue,
    )
    from dhakira.apps.evidence.intake import blob_store
    from dhakira.apps.evidence.models import EvidenceItem
    from dhakira.apps.fieldkit.models import Origin

    print(json.dumps({
        "reports": sorted(Information.objects.values_list("text", flat=True)),
        "names": sorted(NameVariant.objects.values_list("text", flat=True)),
        "people": Person.objects.count(), "events": Event.objects.count(),
        "acts": Act.objects.count(), "consents": Consent.objects.count(),
        "evidence": sorted(EvidenceItem.objects.values_list("original_name", flat=True)),
        "blobs": len(list(blob_store().iter_names())),
        "origins": sorted(Origin.objects.values_list("gid", flat=True)),
        "conflicts": Origin.objects.filter(conflict=True).count(),
        "protected": sorted(ProtectedValue.objects.values_list("value", flat=True))}))


if __name__ == "__main__":
    main()
