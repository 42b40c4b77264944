"""Every move outside the rights-request table is refused and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.transitions import TransitionRefused, illegal_moves
from jembatan.participants.models import Participant
from jembatan.privacy.models import OPEN_STATUSES, ProcessingRestriction, RightsRequest
from jembatan.privacy.services.requests import request_complete, request_refuse, request_take
from jembatan.privacy.workflows import REQUEST_WORKFLOW, RequestAction

pytestmark = pytest.mark.django_db


def _state(rights_request: RightsRequest) -> tuple[Any, ...]:
    fresh = RightsRequest.objects.get(pk=rights_request.pk)
    return (
        fresh.status,
        fresh.decided_at,
        fresh.outcome,
        fresh.handled_by_id,
        ProcessingRestriction.objects.count(),
        ChangeRecord.objects.count(),
    )


def _attempt(action: RequestAction, rights_request: RightsRequest, officer: User) -> None:
    if action == RequestAction.TAKE:
        request_take(rights_request=rights_request, acting_user=officer)
    elif action == RequestAction.COMPLETE:
        request_complete(rights_request=rights_request, acting_user=officer)
    else:
        request_refuse(rights_request=rights_request, acting_user=officer, reason="No grounds.")


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(REQUEST_WORKFLOW)))
def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str,
    action: RequestAction,
    participant_jateng: Participant,
    national_officer: User,
    file_request: Callable[..., RightsRequest],
) -> None:
    filed = file_request(participant_jateng, "restrict")
    decided = status not in OPEN_STATUSES
    RightsRequest.objects.filter(pk=filed.pk).update(
        status=status,
        decided_at=timezone.now() if decided else None,
        outcome="Decided before." if decided else "",
    )
    before = _state(filed)

    with pytest.raises(TransitionRefused):
        _attempt(action, RightsRequest.objects.get(pk=filed.pk), national_officer)

    assert _state(filed) == before


@pytest.mark.parametrize("action", list(RequestAction))
def test_a_role_the_table_does_not_name_is_refused(
    action: RequestAction,
    participant_jateng: Participant,
    sender_operator: User,
    file_request: Callable[..., RightsRequest],
) -> None:
    from django.core.exceptions import PermissionDenied

    filed = file_request(participant_jateng, "restrict")
    before = _state(filed)
    with pytest.raises(PermissionDenied):
        _attempt(action, filed, sender_operator)
    assert _state(filed) == before
