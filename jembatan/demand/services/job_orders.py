"""The only writers of job orders and their workflow. Each change is audited.

Partners post job orders for their own organisation; national officers may post
on a partner's behalf, and only they approve or return. Placements have their
own services in :mod:`jembatan.demand.placements`, targets and fee rules in
:mod:`jembatan.demand.planning`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, json_value, record_change, snapshot
from jembatan.core.errors import CoreErrorCode
from jembatan.core.models import Region
from jembatan.core.roles import NATIONAL, Role
from jembatan.core.transitions import Transition, TransitionRefused
from jembatan.demand import rules
from jembatan.demand.locks import lock_job_order
from jembatan.demand.models import (
    Allowance,
    ApprenticeCost,
    JobOrder,
    JobOrderStatus,
    PlacementStatus,
)
from jembatan.demand.workflows import EDITABLE, JOB_ORDER_WORKFLOW, JobOrderAction
from jembatan.organisations.models import Organisation, OrganisationKind

JOB_ORDER_FIELDS = (
    "partner",
    "host_company",
    "country",
    "scheme",
    "occupation",
    "title",
    "duties",
    "slots",
    "work_prefecture",
    "work_city",
    "contract_months",
    "wage_amount",
    "wage_currency",
    "wage_period",
    "weekly_hours",
    "min_age",
    "max_age",
    "min_education",
    "language_test",
    "language_min_level",
    "language_min_score",
    "required_units",
    "required_certificates",
    "sex_requirement",
    "sex_requirement_legal_reason",
    "interview_dates",
)
RELATED = frozenset({"partner", "host_company", "country", "occupation"})
AUDITED_FIELDS = (*tuple(f"{n}_id" if n in RELATED else n for n in JOB_ORDER_FIELDS), "status")


class JobOrderTransitionRefused(TransitionRefused):
    """The job order's status does not allow the action; the message says why."""


@dataclass(frozen=True)
class AllowanceLine:
    """One allowance as entered."""

    name: str
    amount: Decimal
    currency: str
    period: str


@dataclass(frozen=True)
class JobOrderInput:
    """Everything a job order says besides its fields: allowances, costs, provinces."""

    allowances: Sequence[AllowanceLine] = ()
    costs: Sequence[rules.CostLine] = ()
    training_provinces: Iterable[Region | str] = ()


def is_national(acting_user: Any) -> bool:
    """True for Kemnaker's national staff."""
    return role_of(acting_user) in NATIONAL


def owns(acting_user: Any, partner_id: int | None) -> bool:
    """True if ``acting_user`` is a partner user of the organisation ``partner_id``."""
    return (
        role_of(acting_user) == Role.PARTNER
        and partner_id is not None
        and getattr(acting_user, "organisation_id", None) == partner_id
    )


def may_manage(acting_user: Any, job_order: JobOrder) -> bool:
    """National staff, or the partner that owns the job order."""
    return is_national(acting_user) or owns(acting_user, job_order.partner_id)


def _partner_for(acting_user: Any, fields: Mapping[str, Any]) -> Organisation:
    """A partner user posts for their own organisation; national staff name the partner."""
    if role_of(acting_user) == Role.PARTNER:
        own = Organisation.objects.filter(pk=acting_user.organisation_id).first()
        chosen = fields.get("partner")
        if own is None or (chosen is not None and getattr(chosen, "pk", chosen) != own.pk):
            raise PermissionDenied(_("A partner posts job orders for its own organisation only."))
        return own
    if not is_national(acting_user):
        raise PermissionDenied(_("Only partners abroad and national officers post job orders."))
    partner = fields.get("partner")
    if not isinstance(partner, Organisation):
        raise ValidationError({"partner": _("Choose the partner abroad this job order is for.")})
    return partner


def _check_organisations(job_order: JobOrder) -> None:
    if job_order.partner.kind != OrganisationKind.PARTNER:
        raise ValidationError({"partner": _("The organisation is not a partner abroad.")})
    host = job_order.host_company
    if host is not None and host.kind != OrganisationKind.HOST_COMPANY:
        raise ValidationError({"host_company": _("The organisation is not a host company.")})


def _normalise(job_order: JobOrder) -> None:
    job_order.title = job_order.title.strip()
    job_order.sex_requirement_legal_reason = job_order.sex_requirement_legal_reason.strip()
    job_order.required_units = sorted({u.strip() for u in job_order.required_units if u.strip()})
    job_order.required_certificates = [
        c.strip() for c in job_order.required_certificates if c.strip()
    ]
    job_order.interview_dates = sorted({json_value(d) for d in job_order.interview_dates})


def _validate(job_order: JobOrder, extra: JobOrderInput) -> None:
    """Every rule of one job order, field errors first, then the fee rule."""
    _normalise(job_order)
    _check_organisations(job_order)
    rules.check_sex_requirement(job_order.sex_requirement, job_order.sex_requirement_legal_reason)
    rules.check_units(job_order.required_units)
    rules.check_occupation(
        occupation=job_order.occupation,
        scheme=job_order.scheme,
        country_id=job_order.country_id,
    )
    job_order.full_clean()
    stage3 = rules.stage3_refusal(
        occupation=job_order.occupation,
        scheme=job_order.scheme,
        months=job_order.contract_months,
        field="contract_months",
    )
    if stage3 is not None:
        raise stage3
    rules.check_age_window(job_order)
    rules.check_terms(job_order)
    rules.check_costs(country=job_order.country, scheme=job_order.scheme, costs=extra.costs)


def _write_lines(job_order: JobOrder, extra: JobOrderInput) -> None:
    job_order.allowances.all().delete()
    job_order.costs.all().delete()
    Allowance.objects.bulk_create(
        [Allowance(job_order=job_order, **asdict(a)) for a in extra.allowances]
    )
    ApprenticeCost.objects.bulk_create(
        [ApprenticeCost(job_order=job_order, **asdict(c)) for c in extra.costs]
    )
    job_order.training_provinces.set(_provinces(extra.training_provinces))


def _provinces(values: Iterable[Region | str]) -> list[Region]:
    codes = {v.pk if isinstance(v, Region) else str(v) for v in values}
    found = list(Region.objects.filter(code__in=codes, level="province"))
    if len(found) != len(codes):
        raise ValidationError({"training_provinces": _("Choose provinces only.")})
    return found


def lines_snapshot(job_order: JobOrder) -> dict[str, Any]:
    """Allowances, costs and provinces as the audit trail records them."""
    return {
        "allowances": [
            [a.name, str(a.amount), a.currency, a.period] for a in job_order.allowances.all()
        ],
        "costs": [
            [c.kind, c.description, str(c.amount), c.currency, c.paid_to]
            for c in job_order.costs.all()
        ],
        "training_provinces": sorted(job_order.training_provinces.values_list("code", flat=True)),
    }


def full_snapshot(job_order: JobOrder) -> dict[str, Any]:
    """The audited fields and lines of ``job_order``."""
    return snapshot(job_order, AUDITED_FIELDS) | lines_snapshot(job_order)


def _assign(job_order: JobOrder, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(JOB_ORDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown job order fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name != "partner":
            setattr(job_order, name, value)


@transaction.atomic
def job_order_create(
    *,
    acting_user: Any,
    fields: Mapping[str, Any],
    extra: JobOrderInput | None = None,
    request: HttpRequest | None = None,
) -> JobOrder:
    """Post a job order as a draft (``fields``: JOB_ORDER_FIELDS; ``extra``: the lines)."""
    extra = extra or JobOrderInput()
    job_order = JobOrder(partner=_partner_for(acting_user, fields), created_by=acting_user)
    _assign(job_order, fields)
    _validate(job_order, extra)
    job_order.save()
    _write_lines(job_order, extra)
    record_change(
        acting_user=acting_user,
        operation="demand.job_order_create",
        instance=job_order,
        action="create",
        changes={k: {"before": None, "after": v} for k, v in full_snapshot(job_order).items()},
        request=request,
    )
    return job_order


@transaction.atomic
def job_order_update(
    *,
    job_order: JobOrder,
    acting_user: Any,
    fields: Mapping[str, Any],
    extra: JobOrderInput,
    request: HttpRequest | None = None,
) -> JobOrder:
    """Change a draft or returned job order; what it asks for is frozen once submitted."""
    locked = lock_job_order(job_order.pk)
    if not may_manage(acting_user, locked):
        raise PermissionDenied(_("You may not change this job order."))
    if locked.status not in EDITABLE:
        raise JobOrderTransitionRefused(
            _("Job order %(reference)s is %(status)s; only a draft or a returned order can change.")
            % {"reference": locked.reference, "status": locked.get_status_display().lower()}
        )
    before = full_snapshot(locked)
    _assign(locked, fields)
    _validate(locked, extra)
    locked.save()
    _write_lines(locked, extra)
    record_change(
        acting_user=acting_user,
        operation="demand.job_order_update",
        instance=locked,
        action="update",
        changes=diff(before, full_snapshot(locked)),
        request=request,
    )
    return locked


def _costs_of(job_order: JobOrder) -> list[rules.CostLine]:
    return [
        rules.CostLine(c.kind, c.description, c.amount, c.currency, c.paid_to)
        for c in job_order.costs.all()
    ]


def _check_actor(acting_user: Any, job_order: JobOrder, action: JobOrderAction) -> None:
    """The table's roles (JOB_ORDER_WORKFLOW); a partner only on its own orders."""
    in_scope = is_national(acting_user) or owns(acting_user, job_order.partner_id)
    if JOB_ORDER_WORKFLOW.may(action, acting_user) and in_scope:
        return
    if action in (JobOrderAction.APPROVE, JobOrderAction.RETURN):
        raise PermissionDenied(_("Only Kemnaker's national officers approve or return job orders."))
    raise PermissionDenied(_("You may not change this job order."))


def _refusal(job_order: JobOrder, action: JobOrderAction) -> JobOrderTransitionRefused:
    values = {
        "reference": job_order.reference,
        "status": job_order.get_status_display().lower(),
        "action": action.label.lower(),
    }
    if action == JobOrderAction.APPROVE and job_order.approved_at is not None:
        message = _("Job order %(reference)s has already been approved (it is %(status)s).")
    else:
        message = _("Job order %(reference)s is %(status)s; it cannot be given “%(action)s”.")
    return JobOrderTransitionRefused(message % values, code=CoreErrorCode.TRANSITION_REFUSED)


Step = Transition[JobOrderStatus]


def _check_step(job_order: JobOrder, action: JobOrderAction, reason: str) -> Step:
    step = JOB_ORDER_WORKFLOW.check(
        job_order.status, action, refusal=lambda: _refusal(job_order, action)
    )
    if step.needs_reason and not reason:
        raise ValidationError({"reason": _("Say why: the partner and the record keep it.")})
    if action in (JobOrderAction.SUBMIT, JobOrderAction.APPROVE):
        # Terms may have gone stale since they were entered (a date passed, a new
        # minimum wage came into force): checked again at each step.
        rules.check_terms(job_order)
        rules.check_costs(
            country=job_order.country, scheme=job_order.scheme, costs=_costs_of(job_order)
        )
    if action == JobOrderAction.CANCEL:
        confirmed = job_order.placements.filter(status=PlacementStatus.CONFIRMED).count()
        if confirmed:
            raise JobOrderTransitionRefused(
                _(
                    "Job order %(reference)s has %(n)s confirmed placement(s). Cancel those "
                    "placements first (with a reason), or close the order instead."
                )
                % {"reference": job_order.reference, "n": confirmed}
            )
    return step


def _apply(
    job_order: JobOrder,
    action: JobOrderAction,
    step: Step,
    acting_user: Any,
    reason: str,
) -> None:
    now = timezone.now()
    assert step.target is not None
    job_order.status = step.target
    if action == JobOrderAction.SUBMIT:
        job_order.submitted_at, job_order.status_reason = now, ""
    elif action == JobOrderAction.APPROVE:
        job_order.approved_at, job_order.approved_by = now, acting_user
    elif step.needs_reason:
        job_order.status_reason = reason


def _requestable(value: JobOrderAction | str) -> JobOrderAction:
    """The action, refused if only the system takes it (filled and reopened follow placements)."""
    action = JobOrderAction(value)
    if JOB_ORDER_WORKFLOW[action].system:
        raise JobOrderTransitionRefused(
            _("This happens by itself when placements are confirmed or cancelled."),
            code=CoreErrorCode.TRANSITION_REFUSED,
        )
    return action


@transaction.atomic
def job_order_transition(
    *,
    job_order: JobOrder,
    action: JobOrderAction | str,
    acting_user: Any,
    reason: str = "",
    request: HttpRequest | None = None,
) -> JobOrder:
    """Take one workflow action (``JOB_ORDER_WORKFLOW``) on a job order, under its row lock.

    Side effects: submit and approve re-check the terms (the wage against the legal
    floor in force, interview dates still ahead) and the fee rule in force; approve
    records who approved and when; return, close and cancel keep the reason
    for the partner; close and cancel withdraw the proposals still pending.
    A second approval of the same order (two officers, a double click) waits
    for the lock, then is refused as already approved.
    """
    chosen = _requestable(action)
    locked = lock_job_order(job_order.pk)
    _check_actor(acting_user, locked, chosen)
    reason = reason.strip()
    step = _check_step(locked, chosen, reason)
    before = snapshot(locked, (*AUDITED_FIELDS, "status_reason"))
    _apply(locked, chosen, step, acting_user, reason)
    locked.save()
    if step.target in (JobOrderStatus.CLOSED, JobOrderStatus.CANCELLED):
        _withdraw_proposals(locked, acting_user, reason)
    record_change(
        acting_user=acting_user,
        operation=f"demand.job_order_{chosen.value}",
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked, (*AUDITED_FIELDS, "status_reason"))),
        reason=reason,
        request=request,
    )
    return locked


def _withdraw_proposals(job_order: JobOrder, acting_user: Any, reason: str) -> None:
    """Proposals on an order that will not take anyone more are cancelled, with the reason."""
    pending = list(job_order.placements.filter(status=PlacementStatus.PROPOSED))
    why = _("The job order was %(status)s: %(reason)s") % {
        "status": job_order.get_status_display().lower(),
        "reason": reason,
    }
    for placement in pending:
        placement.status = PlacementStatus.CANCELLED
        placement.cancelled_at = timezone.now()
        placement.cancel_reason = why
        placement.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        record_change(
            acting_user=acting_user,
            operation="demand.placement_cancel",
            instance=placement,
            action="transition",
            changes={"status": {"before": "proposed", "after": "cancelled"}},
            reason=why,
        )


def set_filled(job_order: JobOrder, *, filled: bool, acting_user: Any, reason: str) -> None:
    """Move a locked job order to *filled* or back to *open* as its placements say."""
    action = JobOrderAction.FILL if filled else JobOrderAction.REOPEN
    step = JOB_ORDER_WORKFLOW.check(
        job_order.status, action, refusal=lambda: _refusal(job_order, action)
    )
    before = job_order.status
    job_order.status = str(step.target)
    job_order.save(update_fields=["status", "updated_at"])
    record_change(
        acting_user=acting_user,
        operation="demand.job_order_filled" if filled else "demand.job_order_reopened",
        instance=job_order,
        action="transition",
        changes={"status": {"before": before, "after": job_order.status}},
        reason=reason,
    )


def interview_dates_from(values: Iterable[dt.date | str]) -> list[str]:
    """Interview dates as ISO strings, sorted and without repeats."""
    return sorted({json_value(v) for v in values})
