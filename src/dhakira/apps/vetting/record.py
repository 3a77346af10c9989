"""The vetting record a package carries (``vetting.json``, signed with its manifest).

For each report shipped: its current status and its steps (from, to, when, by whom as a
pseudonymous staff id, against which items, and the keyed mark of the reason with its scheme, as in custody
(:mod:`dhakira.apps.vetting.texts`); the reason's words stay in the vault). For each act shipped: the combined status of the reports of
no compartment that tell it (:func:`dhakira.core.vetting.combined`). Evidence items carry none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dhakira.apps.dossier.models import Information
from dhakira.apps.dossier.staff import staff_id
from dhakira.apps.vetting import texts
from dhakira.apps.vetting.models import Step
from dhakira.apps.vetting.status import current_status
from dhakira.core import vetting
from dhakira.core.ids import ACT, REPORT

__all__ = ["FORMAT", "package_record"]

FORMAT = "dhakira-vetting/1"


def package_record(uids: Iterable[str]) -> dict[str, Any]:
    """The vetting record of the shipped items ``uids`` (report and act ids; others ignored)."""
    wanted = list(uids)
    reports = [pk for u in wanted if (pk := REPORT.pk_or_none(u)) is not None]
    acts = [pk for u in wanted if (pk := ACT.pk_or_none(u)) is not None]
    telling: dict[int, list[int]] = {}
    for info, act in (Information.acts.through.objects.filter(
            act_id__in=acts, information__compartment="").values_list("information_id", "act_id")):
        telling.setdefault(act, []).append(info)
    status = current_status(reports + [i for pks in telling.values() for i in pks])
    steps: dict[int, list[dict[str, Any]]] = {}
    for s in Step.objects.filter(information_id__in=reports).select_related("actor").order_by("pk"):
        steps.setdefault(s.information_id, []).append({
            "from": s.previous, "to": s.status, "at": s.at.isoformat(timespec="seconds"),
            "by": staff_id(s.actor), "against": list(s.against),
            "reason_hmac": texts.mark(s.reason), "hmac_scheme": texts.SCHEME})
    items: dict[str, Any] = {REPORT.format(pk): {"status": status[pk], "steps": steps.get(pk, [])}
                             for pk in reports}
    for pk in acts:
        items[ACT.format(pk)] = {"status": vetting.combined(status[i] for i in telling.get(pk, [])),
                                 "from_reports": [REPORT.format(i) for i in sorted(telling.get(pk, []))]}
    return {"format": FORMAT, "items": items}
