"""The disclosure log pages: the log, one disclosure (with its acknowledgement), and who holds
a person's material (administrators and legal officers only; other members get 403); and the
package check: what a package to a listed recipient would hold, and what is blocked and why
(any member who may build packages); and the export of a selection as ESF JSON or Uwazi CSV
(``dhakira export`` from the web: checked first, then downloaded)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dhakira.apps.dossier import access
from dhakira.apps.dossier.access import APPROVERS, role_required, writer_required
from dhakira.apps.dossier.models import Consent, Person, lang
from dhakira.apps.exporting import services as exporting
from dhakira.apps.exporting.errors import ExportError
from dhakira.apps.handover import build, log, select
from dhakira.apps.handover.errors import BadQuery, HandoverError, LeakFound, NothingToSend
from dhakira.apps.handover.forms import AcknowledgementForm, ExportForm, PackageForm
from dhakira.apps.handover.gate import ConsentCheck
from dhakira.apps.handover.models import Disclosure
from dhakira.apps.handover.reasons import FIRST, grouped, why
from dhakira.core import vocabularies
from dhakira.core.exporting.errors import ExportingError, SeparatorInValue
from dhakira.core.ids import ACT, EVIDENCE, REPORT
from dhakira.core.vocabularies import UnknownTerm

#: Outsiders (no profile) get 404; members who are not administrators or legal get 403.
log_access = role_required(APPROVERS)


@log_access
def disclosure_list(request: HttpRequest) -> HttpResponse:
    return render(request, "handover/list.html", {"disclosures": log.all_disclosures()[:500],
                                                  "notices": log.to_notify()})


def _checks(disclosure: Disclosure) -> list[dict[str, object]]:
    """The disclosure's consent checks with their decision and reason in words."""
    decisions = dict(Consent.Decision.choices)
    out = []
    for c in disclosure.consent_checks:
        known = {k: v for k, v in c.items() if k in ConsentCheck.__dataclass_fields__}
        check = ConsentCheck(**{**known, "others": tuple(c.get("others", ()))})
        out.append({**c, "decision_label": decisions.get(check.decision, _("no consent")),
                    "why_label": why(check) if check.why else check.reason})
    return out


@log_access
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure, pk=pk)
    form = AcknowledgementForm(initial={"at": timezone.now()})
    return render(request, "handover/detail.html", {"d": disclosure, "form": form,
                                                    "checks": _checks(disclosure)})


@require_POST
@log_access
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = get_object_or_404(Disclosure, pk=pk)
    form = AcknowledgementForm(request.POST)
    if form.is_valid():
        try:
            log.acknowledge(disclosure, by=form.cleaned_data["by"], at=form.cleaned_data["at"],
                            method=form.cleaned_data["method"], recorded_by=request.user)
            return redirect("handover:detail", pk=pk)
        except HandoverError as exc:
            form.add_error(None, str(exc))
    return render(request, "handover/detail.html", {"d": disclosure, "form": form,
                                                    "checks": _checks(disclosure)}, status=400)


@log_access
def person_holders(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    return render(request, "handover/holders.html", {
        "person": person, "holders": log.holders(pk), "notices": log.to_notify(pk)})


@writer_required
def prepare(request: HttpRequest) -> HttpResponse:
    """Check a package before building it: nothing is written, nothing is logged."""
    form = PackageForm(request.GET if "recipient" in request.GET else None)
    ctx: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            chosen = select.select(data["select"])
            p = build.plan(build.Request(selection=chosen, recipient=data["recipient"],
                                         purpose=data["purpose"], policy=data["policy"],
                                         out_dir=Path("package")), user=request.user)
        except BadQuery as exc:
            form.add_error("select", str(exc))
        except HandoverError as exc:
            form.add_error(None, str(exc))
        else:
            ctx.update(_outcome(request, chosen, p, evidence=True))
            ctx["command"] = (f"dhakira package --vault VAULT --select '{data['select']}' "
                              f"--recipient {data['recipient'].code} --purpose {data['purpose']} "
                              f"--policy {data['policy']} --out PACKAGE --zip "
                              f"{'--seal ' if data['recipient'].public_key else ''}--as "
                              f"{request.user.get_username()}")
    return render(request, "handover/prepare.html", ctx, status=200 if form.is_valid() or
                  not form.is_bound else 400)


def _outcome(request: HttpRequest, chosen: select.Selection, p: build.Plan, *,
             evidence: bool) -> dict[str, Any]:
    """What a check shows: what may go (counted by kind, the first few named), what is left
    out counted by reason (in the reader's language), each reason naming its first few items
    and counting the rest: a wide selection leaves thousands out, and one page naming them
    all can be neither sent quickly nor read. An export carries records only (``evidence``
    False): its files are counted apart."""
    kinds = [(_("Reports"), [REPORT.format(pk) for pk in p.reports]),
             (_("Acts"), [ACT.format(pk) for pk in p.acts])]
    if evidence:
        kinds.append((_("Evidence"), [EVIDENCE.format(pk) for pk in p.evidence]))
    items = [uid for _kind, uids in kinds for uid in uids]
    # Items of a compartment the user is not cleared for are counted, never named.
    readable = access.readable_uids(request.user, p.blocked)
    groups = grouped({uid: r for uid, r in p.blocked.items() if uid in readable}, p.checks)
    return {
        "checked": True, "going": len(items), "empty": chosen.empty,
        "all_blocked": not items and not chosen.empty, "n_blocked": len(p.blocked),
        "hidden": len(p.blocked) - len(readable), "groups": groups,
        "kinds": [(name, len(uids)) for name, uids in kinds if uids],
        "items": items[:FIRST], "items_more": max(len(items) - FIRST, 0),
        "evidence_left": 0 if evidence else len(p.evidence)}


@writer_required
def export(request: HttpRequest) -> HttpResponse:
    """Export a selection as ESF JSON or Uwazi CSV: a GET checks (nothing written or logged),
    a POST exports through the same function as ``dhakira export`` (gate, redaction, leak
    check, custody and disclosure log) and sends the file."""
    posted = request.method == "POST"
    form = ExportForm(request.POST if posted else
                      (request.GET if "recipient" in request.GET else None))
    ctx: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        field = "select" if data["select"].strip() else "charge"
        try:
            chosen = (select.select(data["select"]) if field == "select"
                      else select.select_charge(data["charge"].strip()))
            if posted:
                done = exporting.export(exporting.ExportRequest(
                    selection=chosen, recipient=data["recipient"], purpose=data["purpose"],
                    policy=data["policy"], fmt=data["fmt"], to=None), user=request.user)
                return _download(done, data["fmt"])
            p = build.plan(build.Request(selection=chosen, recipient=data["recipient"],
                                         purpose=data["purpose"], policy=data["policy"],
                                         out_dir=Path("export")), user=request.user)
        except BadQuery as exc:
            form.add_error(field, str(exc))
        except NothingToSend as exc:
            # The gate's refusal, worded again in the reader's language (as the command does).
            form.add_error(None, build.nothing_to_send(exc.plan) if isinstance(exc.plan, build.Plan)
                           else _("The selection holds evidence files only; an export carries "
                                  "records (events, acts, people, reports). Send files in a "
                                  "package."))
        except LeakFound:
            form.add_error(None, _("Nothing was exported: a file would still hold a protected "
                                   "name or value, or coordinates finer than the redaction "
                                   "allows. Fix the record and try again."))
        except (SeparatorInValue, UnknownTerm) as exc:
            form.add_error(None, _export_refusal(exc))
        except (HandoverError, ExportingError, ExportError) as exc:
            form.add_error(None, str(exc))
        else:
            ctx.update(_outcome(request, chosen, p, evidence=False))
    status = 200 if not form.is_bound or (form.is_valid() and not form.errors) else 400
    return render(request, "handover/export.html", ctx, status=status)


def _export_refusal(exc: SeparatorInValue | UnknownTerm) -> str:
    """The rarer refusals of the writers, in the reader's language. A name holding "|" is
    named by its record only: the name may be one the reader should not see written out."""
    if isinstance(exc, SeparatorInValue):
        return _("Nothing was exported: a name of %(record)s holds “|”, which Uwazi reads as "
                 "the line between two values. Export in the ESF format, or correct the "
                 "name.") % {"record": exc.record}
    return _("Nothing was exported: a record holds “%(code)s”, which is not a term of the "
             "list “%(vocabulary)s”. Correct the record and try again.") % {
        "code": exc.term, "vocabulary": _vocabulary_name(exc.vocabulary)}


def _vocabulary_name(name: str) -> str:
    """A vocabulary's own name ("Types of acts") in the reader's language."""
    try:
        vocabulary = vocabularies.load(name)
    except vocabularies.VocabularyError:
        return name
    return vocabulary.label_ar if lang() == "ar" else vocabulary.label_en


def _download(done: exporting.Exported, fmt: str) -> HttpResponse:
    """The export as one file: the ESF JSON itself, or Uwazi's CSV files in a zip file."""
    if len(done.contents) == 1:
        [(name, data)] = done.contents.items()
        filename, kind = f"{done.export_id}-{name}", "application/json"
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in sorted(done.contents.items()):
                archive.writestr(f"{done.export_id}/{name}", content)
        data, filename, kind = out.getvalue(), f"{done.export_id}-{fmt}.zip", "application/zip"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Export-Id"] = done.export_id
    return response
