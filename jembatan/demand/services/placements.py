"""The only writers of placements: propose, confirm, decline, cancel. Confirmed ones fill slots.

An approved matching run offers each placed participant to the job order's
partner (:func:`placement_offer`: the placement is proposed and the person's
partner is set, so the partner sees them); the partner (or a national officer)
confirms, or declines with a reason (:func:`placement_decline`: the offer is
withdrawn, the person goes back to *selected* and the partner no longer sees
them). Confirming locks the job order's row first, so two confirmations for
the last slot are serialised: the first fills it, the second finds no open slot
and is refused. Filling the last slot moves the order to *filled*; cancelling a
confirmed placement reopens it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jembatan.core.audit import diff, record_change, snapshot
from jembatan.core.errors import CoreErrorCode
from jembatan.core.transitions import TransitionRefused
from jembatan.demand.errors import DemandErrorCode
from jembatan.demand.locks import lock_job_order, lock_placement
from jembatan.demand.models import JobOrder, JobOrderStatus, Placement, PlacementStatus
from jembatan.demand.rules import PLACEMENT_CANCEL_HOOKS, ensure_job_order_open
from jembatan.demand.services.job_orders import may_manage, set_filled
from jembatan.demand.workflows import PLACEMENT_WORKFLOW, PlacementAction
from jembatan.participants.locks import lock_participant
from jembatan.participants.models import JourneyStatus, Participant
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import JourneyAction


def _require_manager(acting_user: Any, job_order: JobOrder) -> None:
    if not may_manage(acting_user, job_order):
        raise PermissionDenied(_("Only the partner of this job order or Kemnaker may do this."))


def confirmed_count(job_order: JobOrder) -> int:
    """How many slots of ``job_order`` confirmed placements fill."""
    return job_order.placements.filter(status=PlacementStatus.CONFIRMED).count()


@transaction.atomic
def placement_propose(
    *, job_order: JobOrder, participant: Participant, acting_user: Any
) -> Placement:
    """Put ``participant`` forward for ``job_order`` (approved or open orders only)."""
    locked = lock_job_order(job_order.pk)
    _require_manager(acting_user, locked)
    ensure_job_order_open(locked)
    if participant.archived_at is not None:
        raise ValidationError(_("This record was merged into another one and is archived."))
    try:
        with transaction.atomic():
            placement = Placement.objects.create(
                job_order=locked, participant=participant, created_by=acting_user
            )
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already proposed for or placed on job order %(reference)s.")
            % {"name": participant.full_name, "reference": locked.reference},
            code=DemandErrorCode.ALREADY_PLACED,
        ) from None
    record_change(
        acting_user=acting_user,
        operation="demand.placement_propose",
        instance=placement,
        action="create",
        changes={"status": {"before": None, "after": placement.status}},
    )
    return placement


@transaction.atomic
def placement_confirm(*, placement: Placement, acting_user: Any) -> Placement:
    """Confirm a proposed placement if a slot is open; the last slot fills the order."""
    job_order = lock_job_order(placement.job_order_id)
    _require_manager(acting_user, job_order)
    ensure_job_order_open(job_order)
    locked = lock_placement(placement.pk)
    PLACEMENT_WORKFLOW.check(
        locked.status,
        PlacementAction.CONFIRM,
        refusal=lambda: TransitionRefused(
            _("Only a proposed placement can be confirmed; this one is %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code=CoreErrorCode.TRANSITION_REFUSED,
        ),
    )
    filled = confirmed_count(job_order)
    if filled >= job_order.slots:
        raise ValidationError(
            _("No open slot remains on job order %(reference)s: all %(slots)s slots are filled.")
            % {"reference": job_order.reference, "slots": job_order.slots},
            code=DemandErrorCode.NO_OPEN_SLOT,
        )
    locked.status, locked.confirmed_at = PlacementStatus.CONFIRMED, timezone.now()
    locked.save(update_fields=["status", "confirmed_at"])
    record_change(
        acting_user=acting_user,
        operation="demand.placement_confirm",
        instance=locked,
        action="transition",
        changes={"status": {"before": "proposed", "after": "confirmed"}},
    )
    if filled + 1 == job_order.slots:
        set_filled(
            job_order, filled=True, acting_user=acting_user, reason=_("The last slot was filled.")
        )
    return locked


@transaction.atomic
def placement_cancel(*, placement: Placement, reason: str, acting_user: Any) -> Placement:
    """Cancel a placement with a reason; a confirmed one frees its slot (a filled order reopens).

    Apps above demand act in the same transaction through ``rules.PLACEMENT_CANCEL_HOOKS``
    (deployment: a departure being prepared is called off; someone who has left refuses).
    """
    job_order = lock_job_order(placement.job_order_id)
    _require_manager(acting_user, job_order)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the placement is cancelled.")})
    locked = lock_placement(placement.pk)
    PLACEMENT_WORKFLOW.check(
        locked.status,
        PlacementAction.CANCEL,
        refusal=lambda: TransitionRefused(
            _("This placement is already cancelled."), code=CoreErrorCode.TRANSITION_REFUSED
        ),
    )
    for hook in PLACEMENT_CANCEL_HOOKS:  # e.g. a departure being prepared is called off
        hook(locked, reason, acting_user)
    before = locked.status
    locked.status, locked.cancelled_at, locked.cancel_reason = (
        PlacementStatus.CANCELLED,
        timezone.now(),
        reason,
    )
    locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    record_change(
        acting_user=acting_user,
        operation="demand.placement_cancel",
        instance=locked,
        action="transition",
        changes={"status": {"before": before, "after": "cancelled"}},
        reason=reason,
    )
    if before == PlacementStatus.CONFIRMED and job_order.status == JobOrderStatus.FILLED:
        set_filled(job_order, filled=False, acting_user=acting_user, reason=reason)
    return locked


def _assign_partner(person: Participant, job_order: JobOrder | None, acting_user: Any) -> None:
    """The registry records the partner abroad a person is offered to (its scope follows)."""
    partner_id = job_order.partner_id if job_order is not None else None
    if person.partner_id == partner_id:
        return
    locked = lock_participant(person.pk)
    before = snapshot(locked, ["partner_id", "version"])
    locked.partner_id = partner_id
    locked.version += 1
    locked.save(update_fields=["partner", "version"])
    record_change(
        acting_user=acting_user,
        operation="demand.placement_offer" if job_order else "demand.placement_decline",
        instance=locked,
        action="update",
        changes=diff(before, snapshot(locked, ["partner_id", "version"])),
    )
    person.partner_id, person.version = locked.partner_id, locked.version


@transaction.atomic
def placement_offer(
    *, job_order: JobOrder, participant: Participant, acting_user: Any
) -> Placement:
    """Offer ``participant`` to ``job_order``'s partner: a proposed placement, the partner set."""
    placement = placement_propose(
        job_order=job_order, participant=participant, acting_user=acting_user
    )
    _assign_partner(participant, job_order, acting_user)
    return placement


@transaction.atomic
def placement_decline(*, placement: Placement, reason: str, acting_user: Any) -> Placement:
    """The partner declines a proposed placement, saying why.

    Side effects: the placement is cancelled with the reason; a matched person goes
    back to *selected* (the journey's "withdraw the offer", with the reason) and no
    longer has this partner. Only a proposed placement can be declined: a confirmed
    one is cancelled instead.
    """
    current = Placement.objects.select_related("participant", "job_order").get(pk=placement.pk)
    if current.status != PlacementStatus.PROPOSED:
        raise TransitionRefused(
            _("Only a placement waiting for confirmation can be declined; this one is %(status)s.")
            % {"status": current.get_status_display().lower()},
            code=CoreErrorCode.TRANSITION_REFUSED,
        )
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why you decline: the ministry and the record keep it.")}
        )
    cancelled = placement_cancel(placement=current, reason=reason, acting_user=acting_user)
    person = current.participant
    if person.status == JourneyStatus.MATCHED:
        participant_transition(
            participant=person,
            action=JourneyAction.WITHDRAW_OFFER,
            acting_user=acting_user,
            reason=reason,
        )
    _assign_partner(person, None, acting_user)
    return cancelled
