"""Every move outside the batch and enrolment tables is refused and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.transitions import TransitionRefused, illegal_moves
from jembatan.participants.models import Participant
from jembatan.training.models import Batch, Enrolment
from jembatan.training.services.certification import batch_complete, enrolment_end
from jembatan.training.services.programmes import batch_start, enrolment_withdraw
from jembatan.training.workflows import (
    BATCH_WORKFLOW,
    ENROLMENT_WORKFLOW,
    BatchAction,
    EnrolmentAction,
)

pytestmark = pytest.mark.django_db


def _batch_state(batch: Batch) -> tuple[Any, ...]:
    fresh = Batch.objects.get(pk=batch.pk)
    return fresh.status, fresh.completed_at, ChangeRecord.objects.count()


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(BATCH_WORKFLOW)))
def test_a_batch_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: BatchAction, lpk_batch: Batch, training_operator: User
) -> None:
    Batch.objects.filter(pk=lpk_batch.pk).update(status=status)
    before = _batch_state(lpk_batch)

    with pytest.raises(TransitionRefused):
        if action == BatchAction.START:
            batch_start(batch=lpk_batch, acting_user=training_operator)
        else:
            batch_complete(batch=lpk_batch, acting_user=training_operator)

    assert _batch_state(lpk_batch) == before


def _enrolment_state(enrolment: Enrolment) -> tuple[Any, ...]:
    fresh = Enrolment.objects.get(pk=enrolment.pk)
    return fresh.status, fresh.ended_at, fresh.outcome_note, ChangeRecord.objects.count()


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(ENROLMENT_WORKFLOW)))
def test_an_enrolment_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str,
    action: EnrolmentAction,
    lpk_batch: Batch,
    make_participant: Callable[..., Participant],
    training_operator: User,
) -> None:
    enrolment = Enrolment.objects.create(
        batch=lpk_batch,
        participant=make_participant(),
        status=status,
        enrolled_at=timezone.now(),
        ended_at=timezone.now(),
        outcome_note="Ended before.",
    )
    before = _enrolment_state(enrolment)

    with pytest.raises(TransitionRefused):
        if action == EnrolmentAction.WITHDRAW:
            enrolment_withdraw(
                enrolment=enrolment, reason="Moved away.", acting_user=training_operator
            )
        else:
            enrolment_end(
                enrolment=enrolment, action=action, note="", acting_user=training_operator
            )

    assert _enrolment_state(enrolment) == before
