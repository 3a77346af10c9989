"""Issue 17 finding 4: a vault of an earlier release migrates its free-text consent recipients
into the managed list, every consent pointing at its row (trimmed, case-insensitive)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.test_migrate import PASSPHRASE, migrated, run

pytestmark = pytest.mark.backend_independent

READ = """
import json, sys
from pathlib import Path
from dhakira.apps.vault import runtime
runtime.open_vault(Path(sys.argv[1]), Path(sys.argv[2]).read_text().splitlines()[0])
from dhakira.apps.dossier.models import Consent, Recipient
from dhakira.apps.handover.gate import check_consents
rows = {r.pk: r for r in Recipient.objects.all()}
by = {}
for c in Consent.objects.all():
    key = rows[c.recipient_id].name_en if c.recipient_id else ""
    by[key] = by.get(key, 0) + 1
granted = Consent.objects.filter(decision="granted", recipient__isnull=False).first()
ok = check_consents([granted.person_id], recipient=granted.recipient,
                    purpose=granted.scope)[granted.person_id].ok if granted else None
print(json.dumps({"codes": sorted(r.code for r in rows.values()), "by": by, "ok": ok}))
"""


@pytest.mark.slow
def test_issue17_04_migrate_turns_free_text_recipients_into_listed_ones(tmp_path: Path) -> None:
    vault, answers = migrated(tmp_path)  # the old vault as `dhakira migrate` left it
    returncode, stdout, stderr = answers["migrate"]
    assert returncode == 0, stderr
    assert "migrated: applied dossier.0006_recipient" in stdout
    result = run("-c", READ, str(vault), PASSPHRASE)
    assert result.returncode == 0, result.stderr
    held = json.loads(result.stdout)
    named = {name for name in held["by"] if name}
    assert named, held  # the old demo gave consent to named recipients
    assert len(held["codes"]) == len({n.casefold() for n in named})  # one row per recipient
    assert held["ok"] is True  # a migrated grant still passes the gate for its recipient
