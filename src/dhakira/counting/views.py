"""How many victims were never reported: the results page, CSV download and a new run.

Every member may read (outsiders get 404) (only counts are shown, never who the victims are); analysts,
legal staff and administrators may start a new estimate.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from dhakira.counting import services
from dhakira.counting.charts import interval_chart
from dhakira.counting.definitions import ListDefinition, StrataDefinition
from dhakira.counting.forms import EstimateForm
from dhakira.counting.models import EstimateRun
from dhakira.counting.texts import ASSUMPTIONS, METHOD_NAMES
from dhakira.dossier import access
from dhakira.dossier.access import member_required, role_required
from dhakira.errors import DhakiraError

RUNNER_ROLES = access.ANALYSTS


def _can_run(request: HttpRequest) -> bool:
    return access.has_role(request.user, RUNNER_ROLES)


def _lang() -> str:
    return "ar" if (get_language() or "ar").startswith("ar") else "en"


@member_required
def results(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    run = get_object_or_404(EstimateRun, pk=pk) if pk else services.latest_run()
    return _page(request, run, EstimateForm())


def _page(request: HttpRequest, run: EstimateRun | None, form: EstimateForm,
          error: str = "", status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {
        "run": run, "form": form, "error": error, "can_run": _can_run(request),
        "runs": EstimateRun.objects.all()[:20], "linkage": services.has_linkage(),
    }
    if run is not None:
        rows = services.stratum_rows(run)
        scale = max((_top(r) for r in rows), default=1.0)
        for row in rows:
            row["chart"] = mark_safe(interval_chart(  # noqa: S308 - escaped in interval_chart
                observed=row["observed"], estimate=row["estimate"], low=row["low"],
                high=row["high"], scale=scale, title=f"{row['stratum']}: {row['estimate']}"))
        context.update(rows=rows, total=run.result["total"], method_name={
            "en": METHOD_NAMES["en"][run.method], "ar": METHOD_NAMES["ar"][run.method]},
            assumptions={"en": ASSUMPTIONS["en"][run.method],
                         "ar": ASSUMPTIONS["ar"][run.method]},
            lang=_lang())
    return render(request, "counting/results.html", context, status=status)


def _top(row: dict[str, Any]) -> float:
    values = [v for v in (row["observed"], row["estimate"], row["high"])
              if v is not None and math.isfinite(v)]
    return max(values) * 1.05


@member_required
def download_csv(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(EstimateRun, pk=pk)
    response = HttpResponse(services.csv_text(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="estimate-{run.uid}.csv"'
    return response


@role_required(RUNNER_ROLES)
@require_POST
def run_new(request: HttpRequest) -> HttpResponse:
    form = EstimateForm(request.POST)
    if not form.is_valid():
        return _page(request, services.latest_run(), form, status=400)
    data = form.cleaned_data
    try:
        run = services.run_with_current(
            lists=ListDefinition(by=data["lists"]), strata=StrataDefinition(by=data["strata"]),
            method=data["method"], seed=data["seed"], user=request.user)
    except DhakiraError as exc:
        return _page(request, services.latest_run(), form, error=str(exc), status=409)
    return redirect("counting:run", run.pk)
