"""``jembatan seed``: apprentices before departure and abroad, overdue reports among them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.demand.models import JobOrder, PlacementStatus
from jembatan.demo import cast
from jembatan.deployment.gates import unmet_gates
from jembatan.deployment.models import AlertStatus, Deployment, DeploymentStatus, MonitoringAlert
from jembatan.deployment.overdue import overdue_reports
from jembatan.matching.models import MatchingRun, RunStatus
from jembatan.matching.services.runs import run_approve
from jembatan.participants.models import JourneyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeding is for development databases; the tests play one."""
    settings.DEBUG = True
    monkeypatch.delenv(cast.PASSWORD_ENV, raising=False)


def seed(participants: int = 600) -> None:
    call_command(
        "seed", "--participants", str(participants), stdout=io.StringIO(), stderr=io.StringIO()
    )


def test_the_demo_has_people_in_every_state_with_overdue_reports_escalated_and_not() -> None:
    seed()

    # Every state of a person on the way abroad or back; a departure called off (its
    # placement cancelled before anyone left) is no state abroad and is not staged.
    staged = set(DeploymentStatus.values) - {DeploymentStatus.CALLED_OFF}
    assert set(Deployment.objects.values_list("status", flat=True)) == staged
    assert {s for s in MonitoringAlert.objects.values_list("status", flat=True)} == {
        AlertStatus.RAISED,
        AlertStatus.ESCALATED,
    }
    assert overdue_reports(today=timezone.localdate())
    prefectures = set(Deployment.objects.values_list("host_prefecture", flat=True))
    assert len(prefectures) >= 4


def test_the_journey_agrees_with_each_deployment_and_no_job_order_is_over_filled() -> None:
    seed()

    expected = {
        "departed": JourneyStatus.DEPARTED,
        "in_placement": JourneyStatus.IN_PLACEMENT,
        "completed": JourneyStatus.COMPLETED,
        "returned_early": JourneyStatus.RETURNED_EARLY,
    }
    for deployment in Deployment.objects.select_related("participant"):
        if deployment.status in expected:
            assert deployment.participant.status == expected[deployment.status]
    for order in JobOrder.objects.all():
        confirmed = order.placements.filter(status=PlacementStatus.CONFIRMED).count()
        assert confirmed <= order.slots, order.reference


def test_the_run_left_for_approval_can_still_be_approved_after_the_departures(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The departures take no slot the waiting run counts on (it was refused as out of date)."""
    seed(400)

    waiting = MatchingRun.objects.get(status=RunStatus.DONE)
    admin = User.objects.get(username="demo-admin")
    with django_capture_on_commit_callbacks(execute=True):
        run_approve(run=waiting, acting_user=admin)

    waiting.refresh_from_db()
    assert waiting.status == RunStatus.APPROVED, waiting.approval_error
    assert waiting.outcomes.filter(placement__isnull=False).count() == waiting.placed > 0


def test_one_departure_is_ready_to_confirm_and_the_others_say_what_is_missing() -> None:
    seed()

    preparing = Deployment.objects.filter(status=DeploymentStatus.PREPARING).order_by("pk")
    unmet = [[r.gate.code for r in unmet_gates(d, today=timezone.localdate())] for d in preparing]

    assert unmet[0] == []
    assert ["medical" in unmet[1], "contract" in unmet[2], "flight" in unmet[3]] == [True] * 3
    assert set().union(*unmet) <= {"medical", "contract", "flight", "requirements", "documents"}


def test_seeding_again_adds_no_deployment() -> None:
    seed()
    before = Deployment.objects.count()

    seed()

    assert Deployment.objects.count() == before
