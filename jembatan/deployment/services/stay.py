"""The only writers of the stay abroad: arrival, its stages, transfers and how it ends.

Each move is a transition of ``DEPLOYMENT_WORKFLOW``: the deployment's row is
locked, the table checked (status and role), then the move written with an
event and a change record. The participant's journey follows through the
registry's own service (in placement, completed, returned early). When a stay
ends, its open alerts are resolved: nobody is chased for reports on someone
who is home.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.access import role_of
from jembatan.core.audit import diff, fingerprint, record_change, snapshot
from jembatan.core.transitions import TransitionRefused
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.locks import lock_deployment, lock_stage
from jembatan.deployment.models import (
    OPEN_ALERTS,
    Contract,
    Deployment,
    DeploymentStatus,
    EarlyReturnReason,
    StayStage,
)
from jembatan.deployment.reference import stay_plan
from jembatan.deployment.rules import day, ensure_in_scope, ensure_not_ahead, ensure_reason
from jembatan.deployment.services.events import event_record
from jembatan.deployment.services.monitoring import alerts_resolve
from jembatan.deployment.workflows import DEPLOYMENT_WORKFLOW, MOVERS, DeploymentAction
from jembatan.organisations.models import Organisation, OrganisationKind
from jembatan.participants.models import JourneyStatus
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction

# Moves of deployment_move (the others have their own service and input).
SIMPLE_MOVES = frozenset(
    {
        DeploymentAction.REPORT_DIFFICULTY,
        DeploymentAction.RESOLVE_DIFFICULTY,
        DeploymentAction.REPORT_MISSING,
        DeploymentAction.REPORT_FOUND,
        DeploymentAction.RETURN_EARLY,
        DeploymentAction.COMPLETE,
    }
)
# How the journey follows a move that ends the stay, and from which statuses it can.
JOURNEY_ENDS = {
    DeploymentAction.COMPLETE: (JourneyAction.COMPLETE, {JourneyStatus.IN_PLACEMENT}),
    DeploymentAction.RETURN_EARLY: (
        JourneyAction.RETURN_EARLY,
        {JourneyStatus.DEPARTED, JourneyStatus.IN_PLACEMENT},
    ),
}


def _locked_move(deployment: Deployment, action: DeploymentAction, acting_user: Any) -> Deployment:
    """The row locked and the move checked against the table (status first, then role)."""
    ensure_in_scope(acting_user, deployment)
    locked = lock_deployment(deployment.pk)
    DEPLOYMENT_WORKFLOW.check(locked.status, action, name=locked.reference)
    DEPLOYMENT_WORKFLOW.check_actor(action, acting_user)
    return locked


def _save_move(locked: Deployment, *fields: str) -> None:
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at", *fields])


def _audit(locked: Deployment, before: dict[str, Any], acting_user: Any, reason: str = "") -> None:
    record_change(
        acting_user=acting_user,
        operation="deployment.deployment_transition",
        instance=locked,
        action="transition",
        changes=diff(before, snapshot(locked)),
        reason=reason,
    )


def _journey(locked: Deployment, action: JourneyAction, acting_user: Any, reason: str = "") -> None:
    person = locked.participant
    person.refresh_from_db(fields=["status", "version"])
    participant_transition(
        participant=person, action=action, acting_user=acting_user, reason=reason
    )


@transaction.atomic
def deployment_arrive(
    *, deployment: Deployment, arrived_on: dt.date, acting_user: Any
) -> Deployment:
    """Record the apprentice's arrival; the stay's stages get their due dates.

    Refuses an arrival date ahead of today or before the departure. Side
    effects: arrived_on; one stage per step of the programme's stay plan
    (``core/data/stay-plans.csv``) for the contract's length; an event; the
    journey *departed* → *in placement*; a change record.
    """
    locked = _locked_move(deployment, DeploymentAction.ARRIVE, acting_user)
    ensure_not_ahead(arrived_on, timezone.localdate(), field="arrived_on", what=_("An arrival"))
    assert locked.departed_on is not None  # the table: only a departed deployment arrives
    if arrived_on < locked.departed_on:
        raise ValidationError(
            {
                "arrived_on": ValidationError(
                    _("The arrival (%(arrived)s) cannot be before the departure (%(departed)s).")
                    % {"arrived": day(arrived_on), "departed": day(locked.departed_on)},
                    code=DeploymentErrorCode.BEFORE_DEPARTURE,
                )
            }
        )
    before = snapshot(locked)
    locked.status = DeploymentStatus.IN_PLACEMENT
    locked.arrived_on = arrived_on
    _save_move(locked, "arrived_on")
    _plan_stages(locked, arrived_on)
    event_record(
        deployment=locked,
        action=DeploymentAction.ARRIVE,
        from_status=DeploymentStatus.DEPARTED,
        happened_on=arrived_on,
        acting_user=acting_user,
    )
    _journey(locked, JourneyAction.START_PLACEMENT, acting_user)
    _audit(locked, before, acting_user)
    return locked


def _plan_stages(deployment: Deployment, arrived_on: dt.date) -> None:
    contract = Contract.objects.filter(deployment=deployment).first()
    months = contract.months if contract else deployment.planned_months
    StayStage.objects.bulk_create(
        StayStage(
            deployment=deployment,
            sequence=stage.sequence,
            code=stage.code,
            name_en=stage.name_en,
            name_id=stage.name_id,
            due_on=stage.due_on(arrived_on, months),
        )
        for stage in stay_plan(deployment.scheme, months)
    )


@dataclass(frozen=True)
class NewHost:
    """The host company an apprentice is transferred to, where they live and whom to call."""

    host_company: Organisation
    host_prefecture: str
    host_address: str
    host_contact_name: str
    host_contact_phone: str
    host_city: str = ""
    host_contact_email: str = ""


def _check_new_host(locked: Deployment, new: NewHost) -> None:
    host = new.host_company
    if host.kind != OrganisationKind.HOST_COMPANY or host.country_id == "ID":
        raise ValidationError(
            {
                "host_company": ValidationError(
                    _("%(name)s is not a host company abroad.") % {"name": host.name},
                    code=DeploymentErrorCode.NOT_A_HOST_COMPANY,
                )
            }
        )
    if host.pk == locked.host_company_id:
        raise ValidationError(
            {
                "host_company": ValidationError(
                    _("%(name)s is already the host company.") % {"name": host.name},
                    code=DeploymentErrorCode.SAME_HOST_COMPANY,
                )
            }
        )


@transaction.atomic
def deployment_transfer(
    *,
    deployment: Deployment,
    new_host: NewHost,
    transferred_on: dt.date,
    reason: str,
    acting_user: Any,
) -> Deployment:
    """Move the apprentice to another host company, with the reason and its details.

    Side effects: the host company, address and contact replaced; an in-difficulty
    stay is back in placement; an event naming the host before and after; a
    change record. The journey stays *in placement*.
    """
    locked = _locked_move(deployment, DeploymentAction.TRANSFER, acting_user)
    reason = ensure_reason(reason)
    ensure_not_ahead(
        transferred_on, timezone.localdate(), field="transferred_on", what=_("A transfer")
    )
    _check_new_host(locked, new_host)
    before = snapshot(locked)
    previous, status_before = locked.host_company, locked.status
    for name in NewHost.__dataclass_fields__:
        setattr(locked, name, getattr(new_host, name))
    locked.status = DeploymentStatus.IN_PLACEMENT
    _save_move(locked, *NewHost.__dataclass_fields__)
    event_record(
        deployment=locked,
        action=DeploymentAction.TRANSFER,
        from_status=status_before,
        happened_on=transferred_on,
        acting_user=acting_user,
        reason=reason,
        host_before=previous,
        host_after=new_host.host_company,
    )
    _audit(locked, before, acting_user, reason)
    return locked


def _check_move_input(action: DeploymentAction, reason: str, reason_code: str) -> str:
    if action == DeploymentAction.RETURN_EARLY and reason_code not in EarlyReturnReason.values:
        raise ValidationError(
            {
                "reason_code": ValidationError(
                    _("Choose why the apprentice returned early."),
                    code=DeploymentErrorCode.REASON_CODE_REQUIRED,
                )
            }
        )
    if DEPLOYMENT_WORKFLOW[action].needs_reason:
        return ensure_reason(reason)
    return reason.strip()


@transaction.atomic
def deployment_move(
    *,
    deployment: Deployment,
    action: DeploymentAction,
    on: dt.date,
    reason: str,
    acting_user: Any,
    reason_code: str = "",
) -> Deployment:
    """A difficulty noticed or resolved, a person missing or found, an early return, completion.

    ``on`` is when it happened (never ahead of today). An early return needs a
    reason from :class:`EarlyReturnReason` and the text. Side effects: the
    status; ended_on and the open alerts resolved when the stay ends; an event;
    the journey *completed* or *returned early*; a change record.
    """
    if action not in SIMPLE_MOVES:
        raise ValueError(f"{action} has its own service")
    locked = _locked_move(deployment, action, acting_user)
    reason = _check_move_input(action, reason, reason_code)
    ensure_not_ahead(on, timezone.localdate(), field="on", what=_("This date"))
    if locked.departed_on and on < locked.departed_on:
        raise ValidationError(
            {
                "on": ValidationError(
                    _("This date is before the departure (%(date)s).")
                    % {"date": day(locked.departed_on)},
                    code=DeploymentErrorCode.BEFORE_DEPARTURE,
                )
            }
        )
    before = snapshot(locked)
    status_before = locked.status
    target = DEPLOYMENT_WORKFLOW[action].target
    assert target is not None
    locked.status = target
    ending = action in JOURNEY_ENDS
    locked.ended_on = on if ending else locked.ended_on
    _save_move(locked, "ended_on")
    event_record(
        deployment=locked,
        action=action,
        from_status=status_before,
        happened_on=on,
        acting_user=acting_user,
        reason=reason,
        reason_code=reason_code if action == DeploymentAction.RETURN_EARLY else "",
    )
    if ending:
        _end_stay(locked, action, acting_user, reason)
    # The text is kept encrypted in the event (health, abuse: UU PDP art. 4); the
    # append-only trail, which cannot be re-encrypted, holds only its fingerprint.
    _audit(locked, before, acting_user, fingerprint(reason) or "")
    return locked


def _end_stay(locked: Deployment, action: DeploymentAction, acting_user: Any, reason: str) -> None:
    alerts_resolve(
        alerts=list(locked.alerts.filter(status__in=sorted(OPEN_ALERTS))), acting_user=acting_user
    )
    journey_action, sources = JOURNEY_ENDS[action]
    person = locked.participant
    person.refresh_from_db(fields=["status", "version"])
    if person.status in sources:
        _journey(locked, journey_action, acting_user, reason)


@transaction.atomic
def stage_complete(*, stage: StayStage, done_on: dt.date, note: str, acting_user: Any) -> StayStage:
    """Record that a stage of the stay is done (a lecture finished, an exam taken: say which)."""
    deployment = stage.deployment
    ensure_in_scope(acting_user, deployment)
    if role_of(acting_user) not in MOVERS:
        raise PermissionDenied(_("Your role may not record the stages of a stay."))
    locked = lock_stage(stage.pk)
    if locked.done_on is not None:
        raise ValidationError(
            _("This stage was already recorded as done on %(date)s.")
            % {"date": day(locked.done_on)},
            code=DeploymentErrorCode.STAGE_DONE,
        )
    ensure_not_ahead(done_on, timezone.localdate(), field="done_on", what=_("This date"))
    if deployment.arrived_on and done_on < deployment.arrived_on:
        raise ValidationError(
            {
                "done_on": ValidationError(
                    _("This date is before the arrival (%(date)s).")
                    % {"date": day(deployment.arrived_on)},
                    code=DeploymentErrorCode.BEFORE_ARRIVAL,
                )
            }
        )
    before = snapshot(locked)
    locked.done_on, locked.note, locked.recorded_by = done_on, note.strip(), acting_user
    locked.save(update_fields=["done_on", "note", "recorded_by"])
    record_change(
        acting_user=acting_user,
        operation="deployment.stage_complete",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked)),
    )
    return locked


@transaction.atomic
def deployment_call_off(*, placement: Any, reason: str, acting_user: Any) -> Deployment | None:
    """The placement of a deployment is being cancelled: call off a departure in preparation.

    Registered as a hook of ``demand.services.placements.placement_cancel`` (apps.py), so
    it runs inside the cancellation, whose own rules decide who may cancel. A deployment
    still *preparing* is called off (ended today, an event and a change record with the
    cancellation's reason); one whose apprentice has left refuses the cancellation, so
    the record of who is abroad can never say "nobody" while someone is there. Without a
    deployment there is nothing to do.
    """
    found = Deployment.objects.filter(placement_id=placement.pk).values_list("pk", flat=True)
    if not found:
        return None
    locked = lock_deployment(found[0])
    if locked.status != DeploymentStatus.CALLED_OFF and not DEPLOYMENT_WORKFLOW.allows(
        locked.status, DeploymentAction.CALL_OFF
    ):
        raise TransitionRefused(
            _(
                "%(person)s has already left on deployment %(reference)s (%(status)s): the "
                "placement cannot be cancelled. Record an early return or a transfer on the "
                "deployment instead."
            )
            % {
                "person": locked.participant.full_name,
                "reference": locked.reference,
                "status": locked.get_status_display(),
            },
            code=DeploymentErrorCode.HAS_LEFT,
        )
    DEPLOYMENT_WORKFLOW.check(locked.status, DeploymentAction.CALL_OFF, name=locked.reference)
    before = snapshot(locked)
    locked.status, locked.ended_on = DeploymentStatus.CALLED_OFF, timezone.localdate()
    _save_move(locked, "ended_on")
    event_record(
        deployment=locked,
        action=DeploymentAction.CALL_OFF,
        from_status=DeploymentStatus.PREPARING,
        happened_on=locked.ended_on,
        acting_user=acting_user,
        reason=reason,
    )
    _audit(locked, before, acting_user, reason)
    return locked
