"""Save one report on a vault as the intake page does (run as its own process per vault).

Usage: python _make_report.py VAULT PASSPHRASE_FILE USER SOURCE_CODE VICTIM [FILE]
Prints the report's uid. Synthetic data only.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path


def main() -> None:
    vault, secret, username, source, victim = sys.argv[1:6]
    attach = Path(sys.argv[6]) if len(sys.argv) > 6 else None
    from dhakira.apps.vault import runtime

    runtime.open_vault(Path(vault), Path(secret).read_text().splitlines()[0])
    from django.contrib.auth import get_user_model

    from dhakira.apps.dossier.intake import (
        ActIn,
        FileIn,
        PerpetratorIn,
        ReportIn,
        VictimIn,
        save_report,
    )

    user = get_user_model().objects.get(username=username)
    now = datetime.now(UTC)
    files = (FileIn(attach.name, attach.open("rb")),) if attach else ()
    info = save_report(ReportIn(
        source_code=source, received_at=now, channel="phone_call", event_title=f"raid on {victim}",
        date_text="late October 2014", place_text="Synthetic Village",
        text=f"{victim} was taken from the square.", consent_decision="granted",
        consent_scopes=("share_icc",), victims=(VictimIn((victim,), 31, "male"),),
        acts=(ActIn("killing", None, "shooting", "killed"),),
        perpetrators=(PerpetratorIn("directly_carried_out", "Abu Synthetic"),), files=files),
        actor=user, now=now)
    from dhakira.apps.dossier import protected

    victim_row = info.persons.order_by("pk").first()
    protected.write(user, victim_row, "address", f"{victim} street 1, Synthetic Town")
    protected.write(user, info.source, "identity", f"the informant of {victim}")
    print(info.uid)


if __name__ == "__main__":
    main()
