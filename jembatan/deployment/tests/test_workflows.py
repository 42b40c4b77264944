"""Every move outside the deployment and alert tables is refused and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.transitions import SYSTEM_ACTOR, TransitionRefused, illegal_moves
from jembatan.deployment.factories import HostCompanyFactory
from jembatan.deployment.models import (
    Deployment,
    DeploymentEvent,
    DeploymentStatus,
    MonitoringAlert,
)
from jembatan.deployment.services.departure import deployment_depart
from jembatan.deployment.services.monitoring import alerts_escalate, alerts_resolve
from jembatan.deployment.services.stay import (
    NewHost,
    deployment_arrive,
    deployment_call_off,
    deployment_move,
    deployment_transfer,
)
from jembatan.deployment.workflows import (
    ALERT_WORKFLOW,
    DEPLOYMENT_WORKFLOW,
    AlertAction,
    DeploymentAction,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _put_in(deployment: Deployment, status: str) -> None:
    left = status != DeploymentStatus.PREPARING
    Deployment.objects.filter(pk=deployment.pk).update(
        status=status,
        departed_on=TODAY - dt.timedelta(days=30) if left else None,
        arrived_on=TODAY - dt.timedelta(days=29) if left else None,
    )


def _deployment_state(deployment: Deployment) -> tuple[Any, ...]:
    fresh = Deployment.objects.get(pk=deployment.pk)
    return (
        fresh.status,
        fresh.host_company_id,
        fresh.ended_on,
        fresh.participant.status,
        DeploymentEvent.objects.count(),
        ChangeRecord.objects.count(),
    )


def _attempt(action: DeploymentAction, deployment: Deployment, officer: User) -> None:
    if action == DeploymentAction.DEPART:
        deployment_depart(deployment=deployment, acting_user=officer)
    elif action == DeploymentAction.ARRIVE:
        deployment_arrive(deployment=deployment, arrived_on=TODAY, acting_user=officer)
    elif action == DeploymentAction.TRANSFER:
        new = NewHost(
            host_company=HostCompanyFactory(),
            host_prefecture="Aichi",
            host_address="1-1 Sakae, Naka-ku, Nagoya",
            host_contact_name="Ito Hana",
            host_contact_phone="+81 52 000 0000",
        )
        deployment_transfer(
            deployment=deployment,
            new_host=new,
            transferred_on=TODAY,
            reason="The company closed its greenhouse.",
            acting_user=officer,
        )
    elif action == DeploymentAction.CALL_OFF:
        deployment_call_off(
            placement=deployment.placement, reason="Cancelled in a test.", acting_user=officer
        )
    else:
        deployment_move(
            deployment=deployment,
            action=action,
            on=TODAY,
            reason="Recorded in a test.",
            reason_code="illness",
            acting_user=officer,
        )


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(DEPLOYMENT_WORKFLOW)))
def test_a_deployment_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: DeploymentAction, ready: Deployment, national_officer: User
) -> None:
    _put_in(ready, status)
    before = _deployment_state(ready)

    with pytest.raises(TransitionRefused):
        _attempt(action, Deployment.objects.get(pk=ready.pk), national_officer)

    assert _deployment_state(ready) == before


def _alert_state(alert: MonitoringAlert) -> tuple[Any, ...]:
    fresh = MonitoringAlert.objects.get(pk=alert.pk)
    return fresh.status, fresh.escalated_at, fresh.resolved_at, ChangeRecord.objects.count()


@pytest.mark.parametrize(("status", "action"), list(illegal_moves(ALERT_WORKFLOW)))
def test_an_alert_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    status: str, action: AlertAction, ready: Deployment
) -> None:
    _put_in(ready, DeploymentStatus.IN_PLACEMENT)
    alert = MonitoringAlert.objects.create(
        deployment=ready,
        kind="sender",
        due_on=TODAY,
        status=status,
        raised_at=timezone.now(),
        raised_on=TODAY,
    )
    before = _alert_state(alert)

    with pytest.raises(TransitionRefused):
        if action == AlertAction.ESCALATE:
            alerts_escalate(alerts=[alert], acting_user=SYSTEM_ACTOR)
        else:
            alerts_resolve(alerts=[alert], acting_user=SYSTEM_ACTOR)

    assert _alert_state(alert) == before
