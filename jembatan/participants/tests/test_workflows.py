"""Every move outside the journey and duplicate tables is refused and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.transitions import TransitionRefused, illegal_moves
from jembatan.participants.models import (
    DuplicateFlag,
    DuplicateReason,
    DuplicateStatus,
    Participant,
    ParticipantStatusChange,
)
from jembatan.participants.services.duplicates import duplicate_dismiss, duplicate_merge
from jembatan.participants.services.registry import participant_transition
from jembatan.participants.workflows import (
    DUPLICATE_WORKFLOW,
    JOURNEY_WORKFLOW,
    DuplicateAction,
    JourneyAction,
)

pytestmark = pytest.mark.django_db


def _journey_state(participant: Participant) -> tuple[Any, ...]:
    fresh = Participant.objects.get(pk=participant.pk)
    return (
        fresh.status,
        fresh.version,
        ParticipantStatusChange.objects.count(),
        ChangeRecord.objects.count(),
    )


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(JOURNEY_WORKFLOW)))
def test_a_move_of_the_journey_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: JourneyAction, participant_jateng: Participant, national_officer: User
) -> None:
    Participant.objects.filter(pk=participant_jateng.pk).update(status=status)
    participant_jateng.refresh_from_db()
    before = _journey_state(participant_jateng)

    with pytest.raises(ValidationError) as refused:
        participant_transition(
            participant=participant_jateng,
            action=action,
            acting_user=national_officer,
            reason="Recorded for the test.",
        )

    assert refused.value.error_list[0].code == "not_allowed"
    assert _journey_state(participant_jateng) == before


def _flag(participant: Participant, candidate: Participant, status: str) -> DuplicateFlag:
    decided = {} if status == DuplicateStatus.OPEN else {"decided_at": timezone.now()}
    return DuplicateFlag.objects.create(
        participant=participant,
        candidate=candidate,
        reason=DuplicateReason.SAME_NAME_AND_BIRTH_DATE,
        status=status,
        created_at=timezone.now(),
        **decided,
    )


def _flag_state(flag: DuplicateFlag) -> tuple[Any, ...]:
    fresh = DuplicateFlag.objects.get(pk=flag.pk)
    archived = Participant.objects.filter(archived_at__isnull=False).count()
    return fresh.status, fresh.note, archived, ChangeRecord.objects.count()


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(DUPLICATE_WORKFLOW)))
def test_a_decision_on_a_flag_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str,
    action: DuplicateAction,
    participant_jateng: Participant,
    participant_jatim: Participant,
    national_officer: User,
) -> None:
    flag = _flag(participant_jateng, participant_jatim, status)
    before = _flag_state(flag)

    with pytest.raises(TransitionRefused, match="already been decided"):
        if action == DuplicateAction.MERGE:
            duplicate_merge(
                flag=flag, survivor=participant_jateng, acting_user=national_officer, note="Same"
            )
        else:
            duplicate_dismiss(flag=flag, acting_user=national_officer, note="Different people")

    assert _flag_state(flag) == before


def test_each_pair_of_statuses_is_joined_by_at_most_one_move() -> None:
    """Pages and the API ask for a move by its target; the answer must be one move."""
    edges = [
        (source, transition.target)
        for transition in JOURNEY_WORKFLOW.transitions.values()
        for source in transition.sources
    ]

    assert len(edges) == len(set(edges))
