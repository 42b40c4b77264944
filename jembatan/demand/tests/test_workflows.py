"""Every move outside demand's tables is refused through its service and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.transitions import TransitionRefused, illegal_moves
from jembatan.demand.factories import JobOrderFactory, PlacementFactory
from jembatan.demand.models import JobOrder, JobOrderStatus, Placement, PlacementStatus
from jembatan.demand.services.job_orders import job_order_transition, set_filled
from jembatan.demand.services.placements import placement_cancel, placement_confirm
from jembatan.demand.workflows import (
    JOB_ORDER_WORKFLOW,
    PLACEMENT_WORKFLOW,
    JobOrderAction,
    PlacementAction,
)
from jembatan.participants.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _job_order_state(job_order: JobOrder) -> tuple[Any, ...]:
    fresh = JobOrder.objects.get(pk=job_order.pk)
    return fresh.status, fresh.status_reason, fresh.approved_at, ChangeRecord.objects.count()


def _attempt_on_job_order(job_order: JobOrder, action: JobOrderAction, officer: User) -> None:
    if JOB_ORDER_WORKFLOW[action].system:  # filled and reopened follow the placements
        set_filled(
            job_order, filled=action == JobOrderAction.FILL, acting_user=officer, reason="slots"
        )
    else:
        job_order_transition(
            job_order=job_order, action=action, acting_user=officer, reason="because"
        )


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(JOB_ORDER_WORKFLOW)))
def test_a_job_order_action_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: JobOrderAction, national_officer: User
) -> None:
    job_order = JobOrderFactory(status=status)
    before = _job_order_state(job_order)

    with pytest.raises(TransitionRefused):
        _attempt_on_job_order(job_order, action, national_officer)

    assert _job_order_state(job_order) == before


def _placement_state(placement: Placement) -> tuple[Any, ...]:
    fresh = Placement.objects.get(pk=placement.pk)
    job_order = JobOrder.objects.get(pk=placement.job_order_id)
    return fresh.status, fresh.cancel_reason, job_order.status, ChangeRecord.objects.count()


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(PLACEMENT_WORKFLOW)))
def test_a_placement_action_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: PlacementAction, national_officer: User
) -> None:
    gone = {"cancel_reason": "withdrew", "cancelled_at": timezone.now()}
    placement = PlacementFactory(
        status=PlacementStatus(status),
        participant=ParticipantFactory(),
        **(gone if status == PlacementStatus.CANCELLED else {}),
    )
    before = _placement_state(placement)

    with pytest.raises(TransitionRefused):
        if action == PlacementAction.CONFIRM:
            placement_confirm(placement=placement, acting_user=national_officer)
        else:
            placement_cancel(placement=placement, reason="because", acting_user=national_officer)

    assert _placement_state(placement) == before


def test_a_job_order_cannot_be_marked_filled_or_reopened_by_request(
    national_officer: User,
) -> None:
    job_order = JobOrderFactory(status=JobOrderStatus.OPEN)
    before = _job_order_state(job_order)

    for action in (JobOrderAction.FILL, JobOrderAction.REOPEN):
        with pytest.raises(TransitionRefused, match="happens by itself"):
            job_order_transition(job_order=job_order, action=action, acting_user=national_officer)

    assert _job_order_state(job_order) == before
