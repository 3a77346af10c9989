"""How many victims were never reported: the results page, CSV download and a new run.

Every member may read (outsiders get 404) (only counts are shown, never who the victims are); analysts,
legal staff and administrators may start a new estimate. A new estimate runs as a background
job (:mod:`dhakira.apps.counting.jobs`): the request returns at once to the job's progress page.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from dhakira.apps.counting import jobs, presentation, services, texts
from dhakira.apps.counting.charts import interval_chart
from dhakira.apps.counting.definitions import ListDefinition, StrataDefinition
from dhakira.apps.counting.forms import EstimateForm
from dhakira.apps.counting.models import EstimateJob, EstimateRun
from dhakira.apps.counting.texts import count, duration, method_name, stratum_label, warning_text
from dhakira.apps.dossier import access
from dhakira.apps.dossier.access import member_required, role_required

RUNNER_ROLES = access.ANALYSTS


def _can_run(request: HttpRequest) -> bool:
    return access.has_role(request.user, RUNNER_ROLES)


def linkage_exists() -> bool:
    """Whether the vault has a victim linkage run to count people with."""
    return services.has_linkage()


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
    context["job"] = jobs.current()
    if context["can_run"]:
        context["durations"] = _durations()
    if run is not None:
        context.update(rows=_rows(run), reading=presentation.reading(run))
    return render(request, "counting/results.html", context, status=status)


#: The methods of the form, the default first.
_METHODS = ("lcmcr", "loglinear", "independence")


def _durations() -> list[dict[str, Any]]:
    """How long each method may take here, said before an estimate starts: the ceiling the
    time budgets set, and what the last finished job of the method took on this vault."""
    out = []
    for method in _METHODS:
        e = jobs.expected(method)
        out.append({"method": method, "name": method_name(method), "runs": e.runs,
                    "each": duration(e.ceiling / e.runs) if e.ceiling else "",
                    "ceiling": duration(e.ceiling) if e.ceiling else "",
                    "last": duration(e.last) if e.last is not None else "",
                    "victims": count(e.last_victims) if e.last_victims is not None else "",
                    "job": e.last_job})
    return out


def _rows(run: EstimateRun) -> list[dict[str, Any]]:
    rows = services.stratum_rows(run)
    scale = max((_top(r) for r in rows), default=1.0)
    for row in rows:
        label = stratum_label(row["stratum"])
        row.update(label=label, shown=presentation.figures(
            {"observed": row["observed"], "estimate": row["estimate"],
             "interval": [row["low"], row["high"]]}),
            notes=[warning_text(x) for x in row["warnings"]])
        row["chart"] = mark_safe(interval_chart(  # noqa: S308 - escaped in interval_chart
            observed=row["observed"], estimate=row["estimate"], low=row["low"],
            high=row["high"], scale=scale, title=f"{label}: {row['shown']['estimate']}",
            label=row["shown"]["estimate"]))
    return rows


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
    if jobs.current() is None and not linkage_exists():
        return _page(request, services.latest_run(), form, status=409,
                     error=texts.refusal("no_linkage", services.no_linkage_params()))
    data = form.cleaned_data
    job, _started = jobs.start(request.user, {
        "lists": ListDefinition(by=data["lists"]).to_json(),
        "strata": StrataDefinition(by=data["strata"]).to_json(),
        "method": data["method"], "seed": data["seed"]})
    return redirect("counting:job", job.pk)


@member_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    jobs.refresh()
    job = get_object_or_404(EstimateJob, pk=pk)
    if job.status == EstimateJob.Status.DONE and job.run_id:
        return redirect("counting:run", job.run_id)
    return render(request, "counting/job.html", {"job": job, "percent": count(job.progress * 100),
                                                 "can_cancel": _can_run(request)})


@role_required(RUNNER_ROLES)
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a running job to stop (whoever may start one may stop one); back to its page,
    which says it is stopping, then that it was cancelled."""
    get_object_or_404(EstimateJob, pk=pk)
    jobs.cancel(pk, request.user)
    return redirect("counting:job", pk)


@member_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    jobs.refresh()
    job = get_object_or_404(EstimateJob, pk=pk)
    # ``status`` is the code the page's script reads; ``status_label`` its words in the
    # reader's language. The estimator's own progress line (``job.message``) is English, as
    # logged, so it is not sent to a reader.
    return JsonResponse({"status": job.status, "status_label": job.get_status_display(),
                         "progress": job.progress, "cancel_requested": job.cancel_requested,
                         "percent": count(job.progress * 100),
                         "page": reverse("counting:job", args=[job.pk])})
