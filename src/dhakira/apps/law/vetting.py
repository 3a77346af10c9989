"""The vetting status of the items a brief cites: the one place the brief asks for it.

Vetting (recorded → under review → corroborated → confirmed → vetted, or disputed /
withdrawn) is recorded per report by the vetting app. Until that app is installed nothing has
been vetted, so every item is ``recorded``: true, not a placeholder. When it is installed,
:func:`item_statuses` asks it (``current_status(report_ids) -> {report pk: status}``) and
gives an act the combined status of the reports that tell of it
(:func:`dhakira.apps.law.summary.combined_status`). Evidence items carry no vetting of their
own and stay ``recorded``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.apps import apps

from dhakira.apps.dossier.models import Information
from dhakira.apps.law.summary import combined_status
from dhakira.core.ids import ACT, REPORT

VETTING_APP = "dhakira.apps.vetting"


def _current_status() -> Callable[[list[int]], Mapping[int, str]] | None:
    """The vetting app's ``current_status``, or None when the app is not installed."""
    if not apps.is_installed(VETTING_APP):
        return None
    from importlib import import_module

    # Where the vetting app will keep it is its own choice: its services, else its package.
    for name in (VETTING_APP + ".services", VETTING_APP):
        try:
            found = getattr(import_module(name), "current_status", None)
        except ModuleNotFoundError:
            continue
        if found is not None:
            return found  # type: ignore[no-any-return]
    raise RuntimeError(f"{VETTING_APP} is installed but offers no current_status(report_ids)")


def item_statuses(uids: Iterable[str]) -> dict[str, str]:
    """Item id (``I-…``, ``A-…``, ``EV-…``) -> vetting status, for every id given."""
    wanted = sorted(set(uids))
    current = _current_status()
    if current is None:
        return dict.fromkeys(wanted, "recorded")
    act_pks = {pk for u in wanted if (pk := ACT.pk_or_none(u)) is not None}
    told: dict[int, list[int]] = {}
    for act_id, info_id in (Information.acts.through.objects.filter(act_id__in=act_pks)
                            .values_list("act_id", "information_id")):
        told.setdefault(act_id, []).append(info_id)
    report_pks = {pk for u in wanted if (pk := REPORT.pk_or_none(u)) is not None}
    report_pks |= {i for infos in told.values() for i in infos}
    found = current(sorted(report_pks))
    out = {}
    for uid in wanted:
        if (pk := REPORT.pk_or_none(uid)) is not None:
            out[uid] = found.get(pk, "recorded")
        elif (pk := ACT.pk_or_none(uid)) is not None:
            out[uid] = combined_status(found.get(i, "recorded") for i in told.get(pk, ()))
        else:
            out[uid] = "recorded"
    return out
