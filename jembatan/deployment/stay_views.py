"""Deployment pages abroad: arrival, stages, transfer and the other moves, reports, overdue list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import list_page
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.deployment import selectors
from jembatan.deployment.forms import ArriveForm, MoveForm, ReportForm, StageForm, TransferForm
from jembatan.deployment.models import AlertStatus, Deployment, ReportKind
from jembatan.deployment.overdue import overdue_order, overdue_reports
from jembatan.deployment.services import monitoring, stay
from jembatan.deployment.services.monitoring import ReportAnswers
from jembatan.deployment.views import VIEWERS
from jembatan.deployment.workflows import DEPLOYMENT_WORKFLOW, MOVERS, DeploymentAction

REPORT_WRITERS = NATIONAL | {Role.SENDER_OPERATOR, Role.PARTNER}


def _page(request: HttpRequest, deployment: Deployment, form: Any, **extra: Any) -> HttpResponse:
    """The form of one move on one deployment; it shows the person, so the read is logged."""
    page = request.resolver_match.url_name if request.resolver_match else "form"
    record_access(
        acting_user=request.user,
        purpose=f"deployment.{page}",
        instance=deployment.participant,
        request=request,
    )
    return TemplateResponse(
        request, "deployment/form.html", {"deployment": deployment, "form": form, **extra}
    )


@allow(MOVERS)
def arrive(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the arrival: the stay's stages get their due dates."""
    deployment = selectors.deployment_for(request.user, pk)
    form = ArriveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: stay.deployment_arrive(
                deployment=deployment,
                arrived_on=form.cleaned_data["arrived_on"],
                acting_user=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("The arrival is recorded."))
            return redirect("deployment:detail", pk=deployment.pk)
    title = DEPLOYMENT_WORKFLOW.describe(DeploymentAction.ARRIVE)
    return _page(request, deployment, form, title=title, submit=_("Save"))


@allow(MOVERS)
def stage(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    """Record that a stage of the stay is done."""
    deployment = selectors.deployment_for(request.user, pk)
    found = selectors.stage_for(deployment, stage_pk)
    form = StageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: stay.stage_complete(
                stage=found,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("The stage is recorded as done."))
            return redirect("deployment:detail", pk=deployment.pk)
    language = getattr(request, "LANGUAGE_CODE", "id")
    return _page(request, deployment, form, title=found.name(language), submit=_("Save"))


@allow(MOVERS)
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Transfer the apprentice to another host company, with the reason and its details."""
    deployment = selectors.deployment_for(request.user, pk)
    form = TransferForm(
        request.POST or None, initial={"host_prefecture": deployment.host_prefecture}
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: stay.deployment_transfer(
                deployment=deployment,
                new_host=form.new_host(),
                transferred_on=form.cleaned_data["transferred_on"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("The transfer is recorded."))
            return redirect("deployment:detail", pk=deployment.pk)
    title = DEPLOYMENT_WORKFLOW.describe(DeploymentAction.TRANSFER)
    return _page(request, deployment, form, title=title, submit=_("Save"))


def _simple_action(value: str) -> DeploymentAction:
    try:
        action = DeploymentAction(value)
    except ValueError:
        raise Http404 from None
    if action not in stay.SIMPLE_MOVES:
        raise Http404
    return action


@allow(MOVERS)
def move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A difficulty, a missing person, an early return, a completion: each with its date and why."""
    deployment = selectors.deployment_for(request.user, pk)
    chosen = _simple_action(action)
    form = MoveForm(request.POST or None, action=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            form,
            lambda: stay.deployment_move(
                deployment=deployment,
                action=chosen,
                on=data["on"],
                reason=data["reason"],
                reason_code=data.get("reason_code", ""),
                acting_user=request.user,
            ),
        )
        if done is not None:
            messages.success(
                request, _("Recorded: %(status)s.") % {"status": done.get_status_display()}
            )
            return redirect("deployment:detail", pk=deployment.pk)
    return _page(
        request, deployment, form, title=DEPLOYMENT_WORKFLOW.describe(chosen), submit=_("Save")
    )


def _report_kind(user: Any) -> str:
    return ReportKind.PARTNER if role_of(user) == Role.PARTNER else ReportKind.SENDER


@allow(REPORT_WRITERS)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The sending organisation's (or the partner's) monitoring report for the current period."""
    deployment = selectors.deployment_for(request.user, pk)
    kind = _report_kind(request.user)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: monitoring.report_submit(
                deployment=deployment,
                kind=kind,
                answers=ReportAnswers(**form.answers(getattr(request, "LANGUAGE_CODE", "id"))),
                acting_user=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("The report is handed in."))
            return redirect("deployment:detail", pk=deployment.pk)
    return _page(request, deployment, form, title=ReportKind(kind).label, submit=_("Hand in"))


@allow(VIEWERS)
def overdue(request: HttpRequest) -> HttpResponse:
    """Every monitoring report overdue for people abroad in the asker's scope."""
    rows = overdue_reports(today=timezone.localdate(), user=request.user)
    record_access(acting_user=request.user, purpose="deployment.overdue", request=request)
    return TemplateResponse(
        request,
        "deployment/overdue.html",
        {
            # The whole list is worked out to sort it, so its length costs no query.
            "page": list_page(rows, key=overdue_order, after=request.GET.get("after")),
            "total": len(rows),
            "escalated": sum(1 for r in rows if r.alert == AlertStatus.ESCALATED),
            "alert_labels": dict(AlertStatus.choices),
        },
    )
