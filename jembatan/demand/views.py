"""Job order pages for partners and national officers, and the targets page.

Partners post and edit drafts of their own organisation and submit them;
national officers post on a partner's behalf, review the queue and approve or
return. Every write goes through a service; a refusal shows the service's
reason and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jembatan.core.access import allow, role_of
from jembatan.core.audit import record_access
from jembatan.core.paging import keyset_page, ordered_page, parse_cursor
from jembatan.core.refusals import attempt
from jembatan.core.roles import NATIONAL, READERS, Role
from jembatan.demand import rules, selectors
from jembatan.demand.forms import (
    JobOrderForm,
    ReasonForm,
    TargetForm,
    job_order_input,
    line_formsets,
)
from jembatan.demand.models import JobOrder, JobOrderStatus, PlacementStatus
from jembatan.demand.progress import target_progress
from jembatan.demand.services import job_orders, placements
from jembatan.demand.services.planning import target_set
from jembatan.demand.workflows import EDITABLE, JOB_ORDER_WORKFLOW, JobOrderAction
from jembatan.participants.disclosure import minimum_view, sees_full_record

VIEWERS = READERS | {Role.PARTNER}
POSTERS = NATIONAL | {Role.PARTNER}
TARGET_READERS = NATIONAL | {Role.AUDITOR, Role.PARTNER}


@allow(VIEWERS)
def job_order_list(request: HttpRequest) -> HttpResponse:
    """The job orders the user may see, newest first, filterable by status."""
    rows = selectors.slot_summary(selectors.job_orders_visible_to(request.user))
    status = request.GET.get("status", "")
    if status in JobOrderStatus.values:
        rows = rows.filter(status=status)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    return TemplateResponse(
        request,
        "demand/list.html",
        {
            "page": page,
            "status": status,
            "statuses": JobOrderStatus.choices,
            "may_post": role_of(request.user) in POSTERS,
            "may_review": role_of(request.user) in NATIONAL,
        },
    )


def _allowed_actions(user: Any, job_order: JobOrder) -> list[tuple[str, str, bool]]:
    """(action, label, needs a reason) for the actions ``user`` may take now."""
    if not job_orders.may_manage(user, job_order):
        return []
    return [
        (a.value, str(a.label), JOB_ORDER_WORKFLOW[a].needs_reason)
        for a in JOB_ORDER_WORKFLOW.allowed_actions(job_order.status, user)
    ]


@allow(VIEWERS)
def job_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One job order: what it asks, its slots, its status and history, the actions possible."""
    job_order = selectors.job_order_for(request.user, pk)
    manages = job_orders.may_manage(request.user, job_order)
    return TemplateResponse(
        request,
        "demand/detail.html",
        {
            "job_order": job_order,
            "allowances": job_order.allowances.all(),
            "costs": job_order.costs.all(),
            "provinces": job_order.training_provinces.all(),
            "history": selectors.history_of(job_order) if manages else [],
            "actions": _allowed_actions(request.user, job_order),
            "may_edit": manages and job_order.status in EDITABLE,
        },
    )


def _editor(request: HttpRequest, job_order: JobOrder | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    instance = JobOrder.objects.get(pk=job_order.pk) if job_order else None
    partner_fixed = role_of(request.user) == Role.PARTNER or job_order is not None
    form = JobOrderForm(data, instance=instance, partner_fixed=partner_fixed)
    allowances, costs = line_formsets(data, job_order)
    if data is not None and form.is_valid() and allowances.is_valid() and costs.is_valid():
        saved = _save(request, form, job_order, job_order_input(form, allowances, costs))
        if saved is not None:
            return _after_save(request, saved)
    return TemplateResponse(
        request,
        "demand/edit.html",
        {"form": form, "allowances": allowances, "costs": costs, "job_order": job_order},
    )


def _save(
    request: HttpRequest, form: JobOrderForm, job_order: JobOrder | None, extra: Any
) -> JobOrder | None:
    if job_order is None:
        return attempt(
            request,
            form,
            lambda: job_orders.job_order_create(
                acting_user=request.user, fields=form.service_fields(), extra=extra, request=request
            ),
        )
    return attempt(
        request,
        form,
        lambda: job_orders.job_order_update(
            job_order=job_order,
            acting_user=request.user,
            fields=form.service_fields(),
            extra=extra,
            request=request,
        ),
    )


def _after_save(request: HttpRequest, job_order: JobOrder) -> HttpResponse:
    messages.success(request, _("The job order has been saved."))
    if "submit" in request.POST:
        submitted = attempt(
            request,
            None,
            lambda: job_orders.job_order_transition(
                job_order=job_order, action=JobOrderAction.SUBMIT, acting_user=request.user
            ),
        )
        if submitted is not None:
            messages.success(request, _("The job order has been submitted to Kemnaker."))
    return redirect("demand:detail", pk=job_order.pk)


@allow(POSTERS)
def job_order_create(request: HttpRequest) -> HttpResponse:
    """Post a new job order (a draft, saved and optionally submitted at once)."""
    return _editor(request, None)


@allow(POSTERS)
def job_order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft or returned job order."""
    job_order = selectors.job_order_for(request.user, pk)
    if not job_orders.may_manage(request.user, job_order):
        raise Http404
    if job_order.status not in EDITABLE:
        messages.error(request, _("Only a draft or a returned job order can be changed."))
        return redirect("demand:detail", pk=pk)
    return _editor(request, job_order)


# Decisions taken on a page that shows the order's terms and the checks on them.
REVIEWED = frozenset({JobOrderAction.APPROVE, JobOrderAction.RETURN})


def _action(value: str) -> JobOrderAction:
    try:
        return JobOrderAction(value)
    except ValueError:
        raise Http404 from None


def _take_action(request: HttpRequest, job_order: JobOrder, action: JobOrderAction) -> Any:
    """The job order after the action, or the form with the reason it was refused."""
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return form
    acted = attempt(
        request,
        form,
        lambda: job_orders.job_order_transition(
            job_order=job_order,
            action=action,
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
            request=request,
        ),
    )
    return form if acted is None else acted


@allow(POSTERS)
def job_order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Confirm one workflow action (with its reason); htmx asks for the review-queue row back."""
    job_order = selectors.job_order_for(request.user, pk)
    chosen = _action(action)
    if chosen.value not in {a for a, _label, _r in _allowed_actions(request.user, job_order)}:
        raise Http404
    if request.method == "POST":
        outcome = _take_action(request, job_order, chosen)
        if isinstance(outcome, JobOrder):
            return _acted(request, outcome, chosen)
        form = outcome
    else:
        form = ReasonForm()
    context: dict[str, Any] = {
        "job_order": job_order,
        "action": chosen,
        "needs_reason": JOB_ORDER_WORKFLOW[chosen].needs_reason,
        "form": form,
    }
    if chosen in REVIEWED:
        # The officer decides with the terms and their checks in front of them.
        context |= {
            "checks": rules.review_checks(job_order),
            "allowances": job_order.allowances.all(),
            "costs": job_order.costs.all(),
            "provinces": job_order.training_provinces.all(),
        }
    return TemplateResponse(request, "demand/action.html", context)


def _acted(request: HttpRequest, job_order: JobOrder, action: JobOrderAction) -> HttpResponse:
    if getattr(request, "htmx", False):
        row = selectors.slot_summary(JobOrder.objects.filter(pk=job_order.pk)).get()
        return TemplateResponse(request, "demand/_review_row.html", {"o": row, "done": action})
    messages.success(
        request,
        _("Job order %(reference)s: %(status)s.")
        % {"reference": job_order.reference, "status": job_order.get_status_display()},
    )
    return redirect("demand:detail", pk=job_order.pk)


@allow(NATIONAL | {Role.AUDITOR})
def review_queue(request: HttpRequest) -> HttpResponse:
    """Job orders waiting for the ministry's decision, oldest first."""
    rows = selectors.slot_summary(selectors.review_queue(request.user))
    page = ordered_page(rows, order=selectors.REVIEW_ORDER, after=request.GET.get("after"))
    return TemplateResponse(
        request,
        "demand/review.html",
        {"page": page, "may_decide": role_of(request.user) in NATIONAL},
    )


@allow(TARGET_READERS)
def targets(request: HttpRequest) -> HttpResponse:
    """Targets with their progress at every stage; national staff set them here."""
    national = role_of(request.user) in NATIONAL
    form = TargetForm(request.POST or None) if national else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and _set_target(request, form):
            return redirect("demand:targets")
    rows = list(selectors.targets_visible_to(request.user))
    return TemplateResponse(
        request, "demand/targets.html", {"progress": target_progress(rows), "form": form}
    )


def _set_target(request: HttpRequest, form: TargetForm) -> bool:
    target = attempt(
        request, form, lambda: target_set(acting_user=request.user, **form.cleaned_data)
    )
    if target is None:
        return False
    messages.success(request, _("The target has been set."))
    return True


PLACERS = NATIONAL | {Role.PARTNER}


ALL_PLACEMENTS = "all"


@allow(PLACERS | {Role.AUDITOR})
def placement_list(request: HttpRequest) -> HttpResponse:
    """People offered to the partner's job orders: confirm, or decline with a reason.

    Those waiting for a decision by default; ``?status=`` another status or ``all``.
    Newest first, a page at a time.
    """
    status = request.GET.get("status", "")
    if status not in (*PlacementStatus.values, ALL_PLACEMENTS):
        status = PlacementStatus.PROPOSED
    rows = selectors.placements_visible_to(request.user)
    if status != ALL_PLACEMENTS:
        rows = rows.filter(status=status)
    page = keyset_page(rows, after=parse_cursor(request.GET.get("after")))
    record_access(acting_user=request.user, purpose="demand.placements", request=request)
    return TemplateResponse(
        request,
        "demand/placements.html",
        {
            "page": page,
            "rows": page.items,
            "status": status,
            "statuses": [*PlacementStatus.choices, (ALL_PLACEMENTS, _("All statuses"))],
            "may_decide": role_of(request.user) in PLACERS,
        },
    )


@allow(PLACERS | {Role.AUDITOR})
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person offered to a job order: what the placement needs to know, nothing more."""
    placement = selectors.placement_for(request.user, pk)
    participant = placement.participant
    record_access(
        acting_user=request.user,
        purpose="demand.placement_detail",
        instance=participant,
        request=request,
    )
    context = {
        "placement": placement,
        "person": minimum_view(participant),
        "full": sees_full_record(request.user, participant),
        "may_decide": role_of(request.user) in PLACERS,
    } | selectors.placement_dossier(placement)
    return TemplateResponse(request, "demand/placement_detail.html", context)


@allow(PLACERS)
@require_POST
def placement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner confirms a person offered to it; the last slot fills the job order."""
    placement = selectors.placement_for(request.user, pk)
    done = attempt(
        request,
        None,
        lambda: placements.placement_confirm(placement=placement, acting_user=request.user),
    )
    if done is not None:
        messages.success(
            request,
            _("%(name)s is confirmed for job order %(reference)s.")
            % {"name": placement.participant.full_name, "reference": placement.job_order.reference},
        )
    return redirect("demand:placements")


@allow(PLACERS)
def placement_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """The partner declines a person offered to it, saying why (the person is told)."""
    placement = selectors.placement_for(request.user, pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: placements.placement_decline(
                placement=placement, reason=form.cleaned_data["reason"], acting_user=request.user
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("%(name)s was declined; the offer is withdrawn.")
                % {"name": placement.participant.full_name},
            )
            return redirect("demand:placements")
    return TemplateResponse(
        request, "demand/placement_decline.html", {"placement": placement, "form": form}
    )
