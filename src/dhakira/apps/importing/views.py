"""The import wizard: upload a sheet, map its columns, preview the dry run, import.

The same check and the same import as ``dhakira import`` (:func:`services.import_table`, called
as the command calls it), for the same people: those who may record (``writer_required``).
The sheet waits sealed between the steps (:mod:`dhakira.apps.importing.held`); its cells are
shown only on the mapping page, to the person who uploaded it, and never logged.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import access
from dhakira.apps.dossier.access import writer_required
from dhakira.apps.dossier.models import Information
from dhakira.apps.importing import held
from dhakira.apps.importing.forms import TARGET_LABELS, LoadMappingForm, MapForm, UploadForm
from dhakira.apps.importing.models import ImportedRow, ImportRun, PendingSheet
from dhakira.apps.importing.texts import reason
from dhakira.apps.web import uploads
from dhakira.core.ids import REPORT
from dhakira.core.importing import (
    ImportingError,
    Mapping,
    MappingError,
    load_mapping,
    open_table,
)
from dhakira.core.importing.survey import Column, survey

__all__ = ["discard", "download_mapping", "import_sheet", "map_columns", "preview", "result",
           "start"]


@writer_required
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: the sheet, held sealed until it is imported or discarded."""
    form = UploadForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST":
        if uploads.too_large(request):
            error = _("The upload is larger than %(mb)s MiB and was not kept.") % {
                "mb": uploads.max_megabytes()}
        elif form.is_valid():
            try:
                row = held.hold(request.user, form.cleaned_data["sheet"],
                                compartment=form.cleaned_data["compartment"],
                                mapping=form.draft())
            except held.TooLarge:
                error = _("The sheet is larger than %(mb)s MiB: import it with the dhakira "
                          "import command.") % {"mb": held.MAX_HELD_BYTES // 2**20}
            else:
                return redirect("importing:map", pk=row.pk)
    waiting = [(row, held.name_of(row)) for row in held.of_user(request.user)]
    return render(request, "importing/start.html", {"form": form, "error": error,
                                                     "waiting": waiting},
                  status=400 if request.method == "POST" else 200)


def _draft(row: PendingSheet) -> dict[str, Any]:
    data = yaml.safe_load(held.mapping_text(row) or "{}")
    return data if isinstance(data, dict) else {}


def _columns(row: PendingSheet, draft: dict[str, Any]) -> list[Column]:
    """The sheet's columns, read as the draft says (sheet, header row, encoding)."""
    header_row = draft.get("header_row", 1)
    with held.opened(row) as path, open_table(
            path, name=path.name, sheet=draft.get("sheet"),
            header_row=header_row if isinstance(header_row, int) else 1,
            encoding=str(draft.get("encoding", "utf-8"))) as table:
        return survey(table)


def _unreadable(request: HttpRequest, row: PendingSheet, why: str) -> HttpResponse:
    return render(request, "importing/unreadable.html",
                  {"row": row, "name": held.name_of(row), "why": why}, status=422)


@writer_required
def map_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: every column to a target or ignored; values to terms; calendar, defaults and
    the sheet's compartment. A mapping file may be loaded instead, or first."""
    row = held.owned(request.user, pk)
    if row.run_id:
        return redirect("importing:result", pk=row.run_id)
    if request.method == "POST" and "load" in request.POST:
        loader = LoadMappingForm(request.POST, request.FILES)
        if loader.is_valid():
            held.set_mapping(row, loader.cleaned_data["mapping"], row.compartment)
            messages.info(request, _("The mapping was loaded; check it below."))
            return redirect("importing:map", pk=row.pk)
    else:
        loader = LoadMappingForm()
    draft = _draft(row)
    try:
        columns = _columns(row, draft)
    except held.SealBroken:
        return _unreadable(request, row, _("The held sheet can no longer be opened (the vault's "
                                           "key was changed): upload it again."))
    except ImportingError as exc:
        return _unreadable(request, row, str(exc))
    bound = request.method == "POST" and "load" not in request.POST
    form = MapForm(request.POST if bound else None, columns=columns, draft=draft,
                   compartment=row.compartment)
    if bound and form.is_valid():
        held.set_mapping(row, form.cleaned_data["yaml"], form.cleaned_data["compartment"])
        if not form.new_vocabulary_columns():
            return redirect("importing:preview", pk=row.pk)
        # Columns just mapped to a vocabulary: show their values to be matched to terms.
        form = MapForm(None, columns=columns, draft=_draft(row), compartment=row.compartment)
        messages.info(request, _("Match each value below to a term, then check again."))
    return render(request, "importing/map.html", {
        "row": row, "name": held.name_of(row), "form": form, "loader": loader,
        "has_mapping": _valid_mapping(row) is not None},
        status=400 if bound and form.errors else 200)


def _valid_mapping(row: PendingSheet) -> Mapping | None:
    text = held.mapping_text(row)
    try:
        return load_mapping(text, "mapping.yaml") if text else None
    except MappingError:
        return None


@writer_required
def download_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """The mapping made so far, as the YAML ``dhakira import --mapping`` takes."""
    row = held.owned(request.user, pk)
    if _valid_mapping(row) is None:
        raise Http404
    response = HttpResponse(held.mapping_text(row).encode(),
                            content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mapping.yaml"'
    return response


def column_label(column: str) -> str:
    """A refusal's column: the header, or which default it was."""
    if column.startswith("(default ") and column.endswith(")"):
        target = column[len("(default "):-1]
        return _("the default for “%(target)s”") % {"target": TARGET_LABELS.get(target, target)}
    return column


def _run(request: HttpRequest, row: PendingSheet, *, dry_run: bool) -> Any:
    """``import_table`` on the held sheet, as the command calls it."""
    from dhakira.apps.importing.services import import_table

    mapping = _valid_mapping(row)
    if mapping is None:
        return None
    with held.opened(row) as path:
        return import_table(path, mapping, actor=request.user, dry_run=dry_run,
                            sheet_compartment=row.compartment)


@writer_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the dry run: how many rows would be imported, were imported before, are
    refused, and every refusal with its row, column and reason."""
    row = held.owned(request.user, pk)
    if row.run_id:
        return redirect("importing:result", pk=row.run_id)
    try:
        outcome = _run(request, row, dry_run=True)
    except held.SealBroken:
        return _unreadable(request, row, _("The held sheet can no longer be opened (the vault's "
                                           "key was changed): upload it again."))
    except ImportingError as exc:
        return _unreadable(request, row, str(exc))
    if outcome is None:
        return redirect("importing:map", pk=row.pk)
    return _preview_page(request, row, outcome)


def _preview_page(request: HttpRequest, row: PendingSheet, outcome: Any,
                  status: int = 200) -> HttpResponse:
    refusals = [{"row": r.row, "column": column_label(r.column), "reason": reason(r)}
                for r in outcome.refusals]
    return render(request, "importing/preview.html", {
        "row": row, "name": held.name_of(row), "outcome": outcome, "refusals": refusals,
        "unlisted": outcome.refused - len(refusals)}, status=status)


@require_POST
@writer_required
def import_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 4: import in one transaction. The sheet is claimed first, in the same transaction:
    a second submit of the form (or a second tab) finds it imported and shows that run."""
    from dhakira.apps.evidence.intake import atomic_with_blobs

    row = held.owned(request.user, pk)
    if row.run_id:
        return redirect("importing:result", pk=row.run_id)
    try:
        with atomic_with_blobs():
            claimed = PendingSheet.objects.filter(pk=row.pk, run__isnull=True).update(
                sealed_data=b"")
            if not claimed:  # another submit got there first and has committed
                raise _Claimed
            outcome = _run(request, row, dry_run=False)
            if outcome is None or not outcome.ok:
                raise _Refused(outcome)
            run = ImportRun.objects.filter(sheet=outcome.sheet).latest("pk")
            PendingSheet.objects.filter(pk=row.pk).update(run=run, sealed_mapping=b"")
    except _Claimed:
        done = PendingSheet.objects.filter(pk=row.pk).values_list("run_id", flat=True).first()
        if done:
            return redirect("importing:result", pk=done)
        raise Http404 from None
    except _Refused as refused:
        if refused.outcome is None:
            return redirect("importing:map", pk=row.pk)
        return _preview_page(request, row, refused.outcome, status=422)
    except held.SealBroken:
        return _unreadable(request, row, _("The held sheet can no longer be opened (the vault's "
                                           "key was changed): upload it again."))
    except ImportingError as exc:
        return _unreadable(request, row, str(exc))
    return redirect("importing:result", pk=run.pk)


class _Claimed(Exception):
    """The sheet was imported by another submit."""


class _Refused(Exception):
    """Rows were refused at import time: roll the claim back and show them."""

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome


@writer_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """What an import did: the new reports (links) and the sheet's evidence item. Only the
    person who ran it sees this page."""
    run = ImportRun.objects.filter(pk=pk, actor=request.user.get_username()).first()
    if run is None:
        raise Http404
    uids = list(ImportedRow.objects.filter(first_run=run).exclude(report="")
                .order_by("row").values_list("report", flat=True))
    pks = [REPORT.parse(u) for u in uids]
    reports = {r.uid: r for r in access.visible(request.user,
                                                Information.objects.filter(pk__in=pks))}
    return render(request, "importing/result.html", {
        "run": run, "reports": [reports[u] for u in uids if u in reports],
        "sheet_visible": access.may_read_uid(request.user, run.sheet),
        "sheet_url": reverse("evidence:item_detail", args=[run.sheet])})


@require_POST
@writer_required
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Forget a held sheet without importing it."""
    held.discard(request.user, pk)
    messages.info(request, _("The sheet was discarded; nothing was imported."))
    return redirect("importing:start")
