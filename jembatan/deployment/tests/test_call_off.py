"""Cancelling a placement calls off a departure in preparation, never a stay under way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.demand.models import Placement, PlacementStatus
from jembatan.demand.services.placements import placement_cancel
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.factories import abroad
from jembatan.deployment.models import Deployment, DeploymentEvent, DeploymentStatus

pytestmark = pytest.mark.django_db


def test_cancelling_the_placement_calls_off_the_departure_being_prepared(
    deployment: Deployment, national_officer: User
) -> None:
    placement_cancel(
        placement=deployment.placement,
        reason="The host company withdrew its offer.",
        acting_user=national_officer,
    )

    called_off = Deployment.objects.get(pk=deployment.pk)
    assert called_off.status == DeploymentStatus.CALLED_OFF
    assert called_off.ended_on == timezone.localdate()
    event = DeploymentEvent.objects.get(deployment=deployment)
    assert (event.action, event.from_status, event.to_status) == (
        "call_off",
        "preparing",
        "called_off",
    )
    assert event.reason == "The host company withdrew its offer."
    change = ChangeRecord.objects.get(operation="deployment.deployment_transition")
    assert change.changes["status"] == {"before": "preparing", "after": "called_off"}
    assert Placement.objects.get(pk=deployment.placement_id).status == PlacementStatus.CANCELLED


@pytest.mark.parametrize("arrived", [False, True])
def test_a_placement_whose_apprentice_has_left_cannot_be_cancelled(
    ready: Deployment, national_officer: User, arrived: bool
) -> None:
    today = timezone.localdate()
    abroad(
        ready,
        departed_on=today - dt.timedelta(days=5),
        arrived_on=today - dt.timedelta(days=4) if arrived else None,
    )
    changes = ChangeRecord.objects.count()

    with pytest.raises(ValidationError) as refused:
        placement_cancel(
            placement=ready.placement, reason="Changed our mind.", acting_user=national_officer
        )

    assert refused.value.code == DeploymentErrorCode.HAS_LEFT
    assert "Record an early return or a transfer" in refused.value.messages[0]
    assert Placement.objects.get(pk=ready.placement_id).status == PlacementStatus.CONFIRMED
    assert Deployment.objects.get(pk=ready.pk).status != DeploymentStatus.CALLED_OFF
    assert ChangeRecord.objects.count() == changes
    assert not DeploymentEvent.objects.filter(deployment=ready).exists()
