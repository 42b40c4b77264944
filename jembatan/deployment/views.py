"""Deployment pages before departure: the lists, one deployment, its contract, steps and gates.

Every view declares who may use it; the selectors limit what it shows to the
asker's scope (404 outside it), and the services refuse what the asker may not
do: a page shows a refusal only through ``core.refusals.attempt``.
"""

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
from jembatan.core.paging import keyset_page, parse_cursor
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, Role
from jembatan.deployment import selectors
from jembatan.deployment.forms import (
    ContractForm,
    DepartForm,
    DeploymentForm,
    ReasonForm,
    StepForm,
    fee_formset,
)
from jembatan.deployment.gates import checklist
from jembatan.deployment.models import Contract, Deployment, DeploymentStatus, StepKind
from jembatan.deployment.rules import describe_difference
from jembatan.deployment.services import departure, preparation
from jembatan.deployment.workflows import (
    DEPLOYMENT_WORKFLOW,
    MOVERS,
    PREPARERS,
    DeploymentAction,
)
from jembatan.documents.models import Document

VIEWERS = NATIONAL | {Role.PROVINCIAL_OFFICER, Role.SENDER_OPERATOR, Role.PARTNER, Role.AUDITOR}


@allow(VIEWERS)
def deployment_list(request: HttpRequest) -> HttpResponse:
    """The deployments the asker may see, newest first, filterable by status."""
    status = request.GET.get("status", "")
    rows = selectors.deployment_list(request.user, status=status)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    record_access(acting_user=request.user, purpose="deployment.list", request=request)
    return TemplateResponse(
        request,
        "deployment/list.html",
        {
            "page": page,
            "status": status,
            "statuses": DeploymentStatus.choices,
            "counts": _counts(request.user),
            "may_prepare": role_of(request.user) in PREPARERS,
        },
    )


def _counts(user: Any) -> list[tuple[str, str, int]]:
    found = selectors.status_counts(user)
    return [(value, str(label), found.get(value, 0)) for value, label in DeploymentStatus.choices]


@allow(PREPARERS | {Role.AUDITOR})
def to_prepare(request: HttpRequest) -> HttpResponse:
    """Confirmed placements whose departure nobody has started preparing, newest first."""
    rows = selectors.placements_to_prepare(request.user)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    record_access(acting_user=request.user, purpose="deployment.to_prepare", request=request)
    return TemplateResponse(
        request,
        "deployment/to_prepare.html",
        {"page": page, "may_prepare": role_of(request.user) in PREPARERS},
    )


@allow(PREPARERS)
def deployment_create(request: HttpRequest, placement_pk: int) -> HttpResponse:
    """Start preparing one confirmed placement: the host company, the people to call, the plan."""
    placement = selectors.placement_to_prepare(request.user, placement_pk)
    record_access(
        acting_user=request.user,
        purpose="deployment.create",
        instance=placement.participant,
        request=request,
    )
    job_order = placement.job_order
    initial = {
        "host_company": job_order.host_company_id,
        "host_prefecture": job_order.work_prefecture,
        "host_city": job_order.work_city,
        "planned_months": job_order.contract_months,
    }
    form = DeploymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: preparation.deployment_create(
                placement=placement, details=form.details(), acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("The departure of %(name)s is being prepared.")
                % {"name": placement.participant.full_name},
            )
            return redirect("deployment:detail", pk=done.pk)
    return TemplateResponse(
        request, "deployment/create.html", {"form": form, "placement": placement}
    )


def _detail_context(request: HttpRequest, deployment: Deployment) -> dict[str, Any]:
    contract = Contract.objects.filter(deployment=deployment).first()
    preparing = deployment.status == DeploymentStatus.PREPARING
    role = role_of(request.user)
    return {
        "deployment": deployment,
        "person": deployment.participant,
        "contract": contract,
        "differences": [describe_difference(d) for d in (contract.differences if contract else [])],
        "step_rows": _step_rows(deployment),
        "gates": checklist(deployment, today=timezone.localdate()) if preparing else [],
        "stages": selectors.stages_of(deployment),
        "reports": selectors.reports_of(deployment),
        "alerts": selectors.alerts_of(deployment),
        "event_rows": _event_rows(deployment),
        "supervisor_contacts": selectors.contacts_of(deployment.supervising_organisation),
        "may_prepare": preparing and role in PREPARERS,
        "may_approve": role in NATIONAL
        and contract is not None
        and not contract.differences_settled,
        "moves": _moves(request.user, deployment),
        "may_report": deployment.is_abroad
        and role in (NATIONAL | {Role.SENDER_OPERATOR, Role.PARTNER}),
        "may_stage": deployment.is_abroad and role in MOVERS,
    }


def _step_rows(deployment: Deployment) -> list[tuple[str, str, Any]]:
    """(kind, label, the recorded step or None) for every step, in the table's order."""
    found = selectors.steps_of(deployment)
    return [(kind, str(label), found.get(kind)) for kind, label in StepKind.choices]


def _event_rows(deployment: Deployment) -> list[tuple[Any, str, str]]:
    """(event, what happened, the status it led to) in words, newest first."""
    rows = []
    for event in selectors.events_of(deployment):
        try:
            what = DEPLOYMENT_WORKFLOW.describe(DeploymentAction(event.action))
        except ValueError:
            what = _("Preparation started")
        rows.append((event, what, DEPLOYMENT_WORKFLOW.label_of(event.to_status)))
    return rows


def _moves(user: Any, deployment: Deployment) -> list[tuple[str, str]]:
    """(action, button label) of the moves the asker may take now (departure has its page)."""
    return [
        (str(action), DEPLOYMENT_WORKFLOW.describe(action))
        for action in DEPLOYMENT_WORKFLOW.allowed_actions(deployment.status, user)
        if action != "depart"
    ]


@allow(VIEWERS)
def deployment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One deployment: where and with whom, the contract, the steps and gates, the stay."""
    deployment = selectors.deployment_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="deployment.detail",
        instance=deployment.participant,
        request=request,
    )
    return TemplateResponse(request, "deployment/detail.html", _detail_context(request, deployment))


def _documents(deployment: Deployment) -> Any:
    return Document.objects.filter(participant_id=deployment.participant_id).order_by("-pk")


def _preparing(request: HttpRequest, pk: int) -> Deployment:
    deployment = selectors.deployment_for(request.user, pk)
    if deployment.status != DeploymentStatus.PREPARING:
        raise Http404
    return deployment


def _contract_initial(deployment: Deployment) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    contract = Contract.objects.filter(deployment=deployment).first()
    job_order = deployment.job_order
    if contract is None:
        fields = {
            "months": job_order.contract_months,
            "wage_amount": job_order.wage_amount,
            "wage_currency": job_order.wage_currency,
            "wage_period": job_order.wage_period,
            "weekly_hours": job_order.weekly_hours,
        }
        costs = job_order.costs.values("kind", "description", "amount", "currency", "paid_to")
        return fields, [dict(c) for c in costs]
    names = (
        "signed_on",
        "starts_on",
        "months",
        "wage_amount",
        "wage_currency",
        "wage_period",
        "weekly_hours",
        "difference_reason",
        "document",
    )
    return {n: getattr(contract, n) for n in names}, list(contract.fees)


@allow(PREPARERS)
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the signed contract, held against the job order and the fee rule."""
    deployment = _preparing(request, pk)
    initial, fees_initial = _contract_initial(deployment)
    data = request.POST if request.method == "POST" else None
    form = ContractForm(data, initial=initial, documents=_documents(deployment))
    fees = fee_formset(data, fees_initial)
    if data is not None and form.is_valid() and fees.is_valid():
        done = attempt(
            request,
            form,
            lambda: preparation.contract_record(
                deployment=deployment,
                terms=form.terms(fees),
                difference_reason=form.cleaned_data["difference_reason"],
                document=form.cleaned_data["document"],
                acting_user=request.user,
            ),
        )
        if done is not None:
            messages.success(request, _("The contract is recorded."))
            return redirect("deployment:detail", pk=deployment.pk)
    return TemplateResponse(
        request,
        "deployment/contract.html",
        {"deployment": deployment, "form": form, "fees": fees, "job_order": deployment.job_order},
    )


@allow(NATIONAL)
def contract_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Kemnaker approves how the contract differs from the job order, with a reason."""
    deployment = _preparing(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: preparation.contract_differences_approve(
                deployment=deployment, reason=form.cleaned_data["reason"], acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("The difference from the job order is approved."))
            return redirect("deployment:detail", pk=deployment.pk)
    found = Contract.objects.filter(deployment=deployment).first()
    return TemplateResponse(
        request,
        "deployment/form.html",
        {
            "deployment": deployment,
            "form": form,
            "title": _("Approve the contract's difference from the job order"),
            "intro": "; ".join(
                describe_difference(d) for d in (found.differences if found else [])
            ),
            "submit": _("Approve"),
        },
    )


def _kind(value: str) -> StepKind:
    try:
        return StepKind(value)
    except ValueError:
        raise Http404 from None


@allow(PREPARERS)
def step(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Record one step before departure with its date, number and evidence."""
    deployment = _preparing(request, pk)
    step_kind = _kind(kind)
    current = selectors.steps_of(deployment).get(step_kind)
    initial = _step_initial(current)
    form = StepForm(
        request.POST or None, kind=step_kind, documents=_documents(deployment), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: preparation.step_record(
                deployment=deployment, kind=step_kind, step=form.step(), acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(request, _("%(step)s is recorded.") % {"step": step_kind.label})
            return redirect("deployment:detail", pk=deployment.pk)
    return TemplateResponse(
        request,
        "deployment/form.html",
        {"deployment": deployment, "form": form, "title": step_kind.label, "submit": _("Save")},
    )


def _step_initial(current: Any) -> dict[str, Any]:
    if current is None:
        return {}
    passed = {True: "yes", False: "no"}.get(current.passed, "")
    names = ("done_on", "reference", "expires_on", "note", "document")
    return {n: getattr(current, n) for n in names} | {"passed": passed}


@allow(PREPARERS)
def depart(request: HttpRequest, pk: int) -> HttpResponse:
    """Every gate with its verdict, and the confirmation of the departure."""
    deployment = selectors.deployment_for(request.user, pk)
    record_access(
        acting_user=request.user,
        purpose="deployment.depart",
        instance=deployment.participant,
        request=request,
    )
    form = DepartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: departure.deployment_depart(
                deployment=deployment,
                departed_on=form.cleaned_data["departed_on"],
                acting_user=request.user,
            ),
        )
        if done is not None:
            messages.success(
                request, _("%(name)s has departed.") % {"name": deployment.participant.full_name}
            )
            return redirect("deployment:detail", pk=deployment.pk)
    gates = (
        checklist(deployment, today=timezone.localdate())
        if deployment.status == DeploymentStatus.PREPARING
        else []
    )
    return TemplateResponse(
        request,
        "deployment/depart.html",
        {
            "deployment": deployment,
            "form": form,
            "gates": gates,
            "ready": all(g.met for g in gates),
        },
    )
