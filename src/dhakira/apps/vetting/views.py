"""Vetting pages: a report's vetting, confirmation tasks, and the external reviewer's pages.

Staff pages are for members (outsiders 404, external reviewers 403: see
:mod:`dhakira.apps.dossier.access`). The reviewer's pages are for the reviewer role only, with a
second factor given at login, within the grant's term and scope; each page they open is a
custody entry, each refusal too (:mod:`dhakira.apps.vetting.reviewers`). What a user may change
is decided by the services; a refusal is shown in the reader's language with status 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import access
from dhakira.apps.dossier.access import ANY_ROLE, REVIEWER, member_required, role_required
from dhakira.apps.dossier.models import Information, Person
from dhakira.apps.dossier.staff import staff_id
from dhakira.apps.vetting import comments, reviewers, tasks
from dhakira.apps.vetting import status as vetting_status
from dhakira.apps.vetting.errors import Refused
from dhakira.apps.vetting.forms import CommentForm, CompleteForm, StatusForm, TaskForm
from dhakira.apps.vetting.models import Comment, ConfirmationTask
from dhakira.apps.vetting.status import label
from dhakira.apps.vetting.summary import bucket_labels
from dhakira.core import vetting
from dhakira.core.ids import REPORT
from dhakira.core.vetting import OutOfOrder, VettingError

REPORTS_PER_PAGE = 50
View = Callable[..., HttpResponse]


def refusal_text(exc: VettingError, **params: str) -> str:
    """A refusal in the reader's language (the service's English message is for the CLI)."""
    if isinstance(exc, OutOfOrder):
        current, new = params.get("current", ""), params.get("new", "")
        options = " · ".join(label(s) for s in vetting.next_steps(current)) or _("nothing (final)")
        return _("A report that is “%(current)s” cannot become “%(new)s”. From “%(current)s” it "
                 "may become: %(options)s.") % {"current": label(current), "new": label(new),
                                                  "options": options}
    why = getattr(exc, "why", "")
    texts = {
        "role": _("Your role may not do this."),
        "outside scope": _("This item is outside what you were asked to review."),
        "expired": _("Your reviewing access has ended. Ask the organisation to extend it."),
        "revoked": _("Your reviewing access was revoked."),
        "no grant": _("You have no reviewing access."),
        "not visible": _("There is no such item that you may see."),
        "no consent": _("The person has no recorded consent to be contacted again. Record it on "
                        "the person's page (use: Recontact by this organisation) before the call "
                        "or meeting."),
        "not assignee": _("This task is assigned to someone else."),
    }
    return texts.get(why, _("This cannot be done: %(why)s") % {"why": str(exc)})


def _refused(request: HttpRequest, exc: VettingError, **params: str) -> HttpResponse:
    # 403: not theirs to do; 409: the report's status does not allow it now.
    code = 403 if isinstance(exc, Refused) else 409 if isinstance(exc, OutOfOrder) else 400
    return render(request, "vetting/refused.html", {"message": refusal_text(exc, **params)},
                  status=code)


def reviewer_required(view: View) -> View:
    """The reviewer role, a second factor given at this login, a grant in force; the page
    opened is recorded in custody."""
    @role_required([REVIEWER])
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_verified():  # type: ignore[union-attr]
            return redirect("twofactor:setup")
        try:
            grant = reviewers.check_access(request.user)  # type: ignore[arg-type]
        except Refused as exc:
            return _refused(request, exc)
        return view(request, grant, *args, **kwargs)
    return wrapped


def _named(history: list[Any], threads: list[dict[str, Any]], *, outside: bool) -> None:
    """Set ``who`` on each step and comment: the user name for staff, the pseudonymous staff id
    (``U-000007``) on an external reviewer's pages, which never name the organisation's staff."""
    rows = list(history)
    for t in threads:
        rows += [t["comment"], *t["agree"], *t["disagree"], *t["more"]]
    for row in rows:
        user = row.actor if hasattr(row, "actor") else row.author
        row.who = staff_id(user) if outside else user.get_username()


def _rows(pks: list[int]) -> list[dict[str, Any]]:
    infos = Information.objects.filter(pk__in=pks).select_related("source").order_by("pk")
    status = vetting_status.current_status(pks)
    return [{"info": i, "status": status[i.pk], "status_label": label(status[i.pk])} for i in infos]


# --- staff ---------------------------------------------------------------------------------

@member_required
def overview(request: HttpRequest) -> HttpResponse:
    """How many reports stand at each status, and the user's open tasks."""
    found = vetting_status.status_counts(access.visible(request.user, Information.objects.all()))
    counts = [(s, label(s), n) for s, n in found.items()]
    return render(request, "vetting/overview.html", {
        "counts": counts, "tasks": tasks.open_for(request.user)})  # type: ignore[arg-type]


def _report_page(request: HttpRequest, info: Information, *, status_form: StatusForm | None = None,
                 task_form: TaskForm | None = None, error: str = "", code: int = 200) -> HttpResponse:
    user = request.user
    current = vetting_status.current_status([info.pk])[info.pk]
    steps = [s for s in vetting.next_steps(current) if vetting_status.may_set(user, s)]  # type: ignore[arg-type]
    may_assign = access.has_role(user, vetting_status.SETTERS)
    people = [(p.pk, p.uid) for p in info.persons.order_by("pk")]
    history, threads = vetting_status.history(info.pk), comments.threads(info.uid)
    _named(history, threads, outside=False)
    return render(request, "vetting/report.html", {
        "info": info, "status": current, "status_label": label(current),
        "history": history, "threads": threads,
        "status_form": status_form or (StatusForm(steps=steps) if steps else None),
        "comment_form": CommentForm(initial={"target": info.uid, "next": request.path}),
        "may_comment": access.has_role(user, vetting_status.SETTERS),
        "task_form": task_form or (TaskForm(people=people) if may_assign and people else None),
        "tasks": ConfirmationTask.objects.filter(information=info).select_related("assignee"),
        "error": error}, status=code)


@member_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    info = access.get_visible_or_404(request.user, Information.objects.select_related("source"), pk=pk)
    return _report_page(request, info)


@require_POST
@role_required(ANY_ROLE)
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a report one step: staff from its vetting page, a reviewer from theirs."""
    is_reviewer = reviewers.is_reviewer(request.user)
    if is_reviewer and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("twofactor:setup")
    if is_reviewer:  # the scope first: outside it, a report and no report are answered alike
        try:
            reviewers.check_uids(request.user, [REPORT.format(pk)], asked="status")  # type: ignore[arg-type]
        except Refused as exc:
            return _refused(request, exc)
    # A report the user may not read is answered like one that does not exist (404).
    info = access.get_visible_or_404(request.user, Information.objects.select_related("source"),
                                     pk=pk)
    current = vetting_status.current_status([pk])[pk]
    form = StatusForm(request.POST, steps=vetting.STATUSES[1:])
    if not form.is_valid():
        if is_reviewer:
            return render(request, "vetting/refused.html", {"form": form}, status=400)
        return _report_page(request, info, status_form=form, code=400)
    new = form.cleaned_data["status"]
    try:
        vetting_status.set_status(request.user, [pk], new, reason=form.cleaned_data["reason"],  # type: ignore[arg-type]
                                  against=form.cleaned_data["against"])
    except (Refused, OutOfOrder) as exc:
        return _refused(request, exc, current=current, new=new)
    except VettingError as exc:  # an item checked against that the user may not see
        form.add_error("against", str(exc))
        if is_reviewer:
            return render(request, "vetting/refused.html", {"form": form}, status=400)
        return _report_page(request, info, status_form=form, code=400)
    return redirect("vetting:review_report" if is_reviewer else "vetting:report", pk)


@require_POST
@role_required(ANY_ROLE)
def comment(request: HttpRequest) -> HttpResponse:
    """Add a comment, an agreement or a disagreement; back to the page it was written on."""
    if reviewers.is_reviewer(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("twofactor:setup")
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render(request, "vetting/refused.html", {"form": form}, status=400)
    data = form.cleaned_data
    replies_to = None
    if data["replies_to"]:
        # A comment is looked for on the item named only, so its id says nothing of others.
        target = data["target"].strip().upper()
        replies_to = Comment.objects.filter(pk=data["replies_to"], target=target).first()
        if replies_to is None:
            try:
                comments.check_may_comment(request.user, target, now=datetime.now(UTC))  # type: ignore[arg-type]
            except Refused as exc:
                return _refused(request, exc)
            return render(request, "vetting/refused.html",
                          {"message": _("There is no such comment on this item.")}, status=400)
    try:
        comments.add(request.user, data["target"], data["text"], stance=data["stance"],  # type: ignore[arg-type]
                     replies_to=replies_to)
    except Refused as exc:
        return _refused(request, exc)
    except VettingError as exc:
        return render(request, "vetting/refused.html", {"message": str(exc)}, status=400)
    back = data["next"]
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = reverse("vetting:overview")
    return redirect(back)


@require_POST
@member_required
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    info = access.get_visible_or_404(request.user, Information.objects.select_related("source"), pk=pk)
    people = [(p.pk, p.uid) for p in info.persons.order_by("pk")]
    form = TaskForm(request.POST, people=people)
    if not form.is_valid():
        return _report_page(request, info, task_form=form, code=400)
    data = form.cleaned_data
    person = get_object_or_404(Person, pk=int(data["person"]))
    try:
        task = tasks.assign(request.user, info, person, with_whom=data["with_whom"],  # type: ignore[arg-type]
                            assignee=data["assignee"], question=data["question"])
    except Refused as exc:
        return _refused(request, exc)
    except VettingError as exc:
        form.add_error(None, str(exc))
        return _report_page(request, info, task_form=form, code=400)
    return redirect("vetting:task", task.pk)


def _task_or_404(request: HttpRequest, pk: int) -> ConfirmationTask:
    task = get_object_or_404(ConfirmationTask.objects.select_related(
        "information__source", "person", "assignee", "result", "consent"), pk=pk)
    # The researcher and the staff who assign tasks; no one else learns the task exists.
    if not (task.assignee_id == request.user.pk or access.has_role(request.user, vetting_status.SETTERS)):
        raise Http404
    if not access.may_read(request.user, task.information):
        raise Http404
    return task


@member_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    """The task page: what is already known, the consent, and the outcome form."""
    found = _task_or_404(request, pk)
    form = CompleteForm(request.POST or None)
    code = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                tasks.complete(request.user, found, method=data["method"],  # type: ignore[arg-type]
                               outcome=data["outcome"], text=data["text"])
            except Refused as exc:
                return _refused(request, exc)
            except VettingError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("vetting:task", found.pk)
        code = 400
    return render(request, "vetting/task.html", {
        "task": found, "known": tasks.known(found, request.user),  # type: ignore[arg-type]
        "consent": tasks.consent_for(found), "form": form,
        "mine": found.assignee_id == request.user.pk,
        "known_status": label(tasks.known(found, request.user).status),  # type: ignore[arg-type]
    }, status=code)


# --- the external reviewer ---------------------------------------------------------------

@reviewer_required
def review_home(request: HttpRequest, grant: Any) -> HttpResponse:
    """The reviewer's reports, with their status, and the charge's vetting summary."""
    scope = reviewers.scope_of(grant)
    reviewers.log_page(request.user, "review home")  # type: ignore[arg-type]
    page = Paginator(sorted(scope.reports), REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    summary = None
    if grant.charge_id is not None:
        from dhakira.apps.law import services as law
        from dhakira.apps.vetting.summary import as_table, charge_summary

        summary = as_table(charge_summary(law.matrix_for(law.get_charge(grant.charge_id), None,
                                                         hashes=False)))
    return render(request, "vetting/review_home.html", {
        "grant": grant, "page": page, "rows": _rows(list(page.object_list)),
        "summary": summary, "buckets": bucket_labels()})


@reviewer_required
def review_report(request: HttpRequest, grant: Any, pk: int) -> HttpResponse:
    """One report in the reviewer's scope: its words, acts, history and comments."""
    uid = REPORT.format(pk)
    try:
        scope = reviewers.check_uids(request.user, [uid], asked="read")  # type: ignore[arg-type]
    except Refused as exc:
        return _refused(request, exc)
    reviewers.log_page(request.user, "review report", uid)  # type: ignore[arg-type]
    info = Information.objects.select_related("source").get(pk=pk)
    current = vetting_status.current_status([pk])[pk]
    steps = [s for s in vetting.next_steps(current) if s in vetting_status.REVIEWER_STEPS]
    acts = [a for a in info.acts.select_related("place").order_by("pk") if a.pk in scope.acts]
    assessments = _assessments_for(grant, [uid, *(a.uid for a in acts)], scope)
    history, threads = vetting_status.history(pk), comments.threads(uid)
    _named(history, threads, outside=True)
    for a in assessments:
        _named([], a["threads"], outside=True)
    return render(request, "vetting/review_report.html", {
        "grant": grant, "info": info, "status_label": label(current), "acts": acts,
        "history": history, "threads": threads,
        "assessments": assessments,
        "status_form": StatusForm(steps=steps) if steps else None,
        "comment_form": CommentForm(initial={"target": uid, "next": request.path})})


def _assessments_for(grant: Any, uids: list[str], scope: reviewers.Scope) -> list[dict[str, Any]]:
    if grant.charge_id is None:
        return []
    from dhakira.apps.law import services as law

    charge = law.get_charge(grant.charge_id)
    pks = [pk for pk in law.assessment_pks(charge, uids) if pk in scope.assessments]
    rows = law.assessments_by_pk(pks)
    return [{**rows[pk], "threads": comments.threads(rows[pk]["uid"])} for pk in sorted(rows)]


__all__ = ["comment", "overview", "refusal_text", "report", "report_status",
           "review_home", "review_report", "reviewer_required", "task", "task_assign"]
