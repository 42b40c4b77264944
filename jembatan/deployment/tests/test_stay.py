"""Abroad: arrival and its stages, transfer, difficulty, missing, early return, completion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.factories import HostCompanyFactory, abroad
from jembatan.deployment.models import (
    AlertStatus,
    Deployment,
    DeploymentEvent,
    DeploymentStatus,
    MonitoringAlert,
    StayStage,
)
from jembatan.deployment.services.departure import deployment_depart
from jembatan.deployment.services.stay import (
    NewHost,
    deployment_arrive,
    deployment_move,
    deployment_transfer,
    stage_complete,
)
from jembatan.deployment.workflows import DeploymentAction
from jembatan.participants.models import JourneyStatus, Participant

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def departed(ready: Deployment, sender_operator: User) -> Deployment:
    """Siti has just left (the departure confirmed through the service, the journey too)."""
    return deployment_depart(deployment=ready, acting_user=sender_operator)


@pytest.fixture
def placed(departed: Deployment, partner_user: User) -> Deployment:
    """Siti has arrived at her host company."""
    return deployment_arrive(deployment=departed, arrived_on=TODAY, acting_user=partner_user)


def _state(deployment: Deployment) -> tuple[Any, ...]:
    fresh = Deployment.objects.get(pk=deployment.pk)
    person = Participant.objects.get(pk=deployment.participant_id)
    return (
        fresh.status,
        fresh.arrived_on,
        fresh.host_company_id,
        fresh.ended_on,
        person.status,
        StayStage.objects.count(),
        DeploymentEvent.objects.count(),
        ChangeRecord.objects.count(),
    )


def _journey(deployment: Deployment) -> str:
    return str(Participant.objects.get(pk=deployment.participant_id).status)


def test_an_arrival_plans_the_stages_of_the_stay_and_moves_the_journey(
    placed: Deployment,
) -> None:
    stages = list(placed.stages.order_by("sequence").values_list("code", "due_on"))

    assert placed.status == DeploymentStatus.IN_PLACEMENT
    assert _journey(placed) == JourneyStatus.IN_PLACEMENT
    # A three-year TITP contract: lectures, the exam for years 2-3, year 1, years 2-3.
    assert [code for code, _due in stages] == ["lectures", "exam_basic", "year_1", "year_3"]
    assert stages[0][1] == _months_after(TODAY, 1)
    assert stages[3][1] == _months_after(TODAY, 36)


def _months_after(day: dt.date, months: int) -> dt.date:
    from jembatan.deployment.months import add_months

    return add_months(day, months)


def test_an_arrival_in_the_future_is_refused_and_nothing_is_written(
    departed: Deployment, partner_user: User
) -> None:
    before = _state(departed)

    with pytest.raises(ValidationError) as refused:
        deployment_arrive(
            deployment=departed,
            arrived_on=TODAY + dt.timedelta(days=2),
            acting_user=partner_user,
        )

    error = refused.value.error_dict["arrived_on"][0]
    assert error.code == DeploymentErrorCode.FUTURE_DATE
    assert error.messages[0].startswith("An arrival cannot be in the future:")
    assert _state(departed) == before


def test_an_arrival_before_the_departure_is_refused(
    departed: Deployment, partner_user: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        deployment_arrive(
            deployment=departed, arrived_on=TODAY - dt.timedelta(days=1), acting_user=partner_user
        )

    assert refused.value.error_dict["arrived_on"][0].code == DeploymentErrorCode.BEFORE_DEPARTURE


def test_another_partner_may_not_record_the_arrival(
    departed: Deployment, partner_user: User
) -> None:
    from jembatan.organisations.factories import OrganisationFactory

    partner_user.organisation = OrganisationFactory(partner=True)
    partner_user.save()

    with pytest.raises(PermissionDenied):
        deployment_arrive(deployment=departed, arrived_on=TODAY, acting_user=partner_user)


def test_a_stage_is_recorded_done_once(placed: Deployment, partner_user: User) -> None:
    stage = placed.stages.get(code="lectures")
    done = stage_complete(
        stage=stage, done_on=TODAY, note="32 days of lectures.", acting_user=partner_user
    )
    assert done.done_on == TODAY

    with pytest.raises(ValidationError) as refused:
        stage_complete(stage=stage, done_on=TODAY, note="", acting_user=partner_user)

    assert refused.value.code == DeploymentErrorCode.STAGE_DONE


def _new_host(**overrides: Any) -> NewHost:
    values: dict[str, Any] = {
        "host_company": HostCompanyFactory(name="Tokai Vegetables K.K."),
        "host_prefecture": "Aichi",
        "host_city": "Toyohashi",
        "host_address": "2-1 Ekimae-odori, Toyohashi-shi, Aichi-ken",
        "host_contact_name": "Ito Hana",
        "host_contact_phone": "+81 532 00 0000",
    }
    return NewHost(**(values | overrides))


def test_a_transfer_replaces_the_host_and_keeps_both_in_the_history(
    placed: Deployment, partner_user: User
) -> None:
    old = placed.host_company
    new = _new_host()

    moved = deployment_transfer(
        deployment=placed,
        new_host=new,
        transferred_on=TODAY,
        reason="The farm closed its greenhouse.",
        acting_user=partner_user,
    )

    assert (moved.host_company, moved.host_prefecture) == (new.host_company, "Aichi")
    assert moved.status == DeploymentStatus.IN_PLACEMENT
    event = moved.events.get(action="transfer")
    assert (event.host_before, event.host_after, event.reason) == (
        old,
        new.host_company,
        "The farm closed its greenhouse.",
    )
    assert _journey(moved) == JourneyStatus.IN_PLACEMENT


def test_a_transfer_without_a_reason_is_refused(placed: Deployment, partner_user: User) -> None:
    before = _state(placed)

    with pytest.raises(ValidationError) as refused:
        deployment_transfer(
            deployment=placed,
            new_host=_new_host(),
            transferred_on=TODAY,
            reason=" ",
            acting_user=partner_user,
        )

    assert refused.value.error_dict["reason"][0].code == DeploymentErrorCode.REASON_REQUIRED
    assert _state(placed) == before


def test_a_transfer_to_the_same_host_is_refused(placed: Deployment, partner_user: User) -> None:
    with pytest.raises(ValidationError) as refused:
        deployment_transfer(
            deployment=placed,
            new_host=_new_host(host_company=placed.host_company),
            transferred_on=TODAY,
            reason="Same.",
            acting_user=partner_user,
        )

    assert refused.value.error_dict["host_company"][0].code == DeploymentErrorCode.SAME_HOST_COMPANY


def test_a_difficulty_is_reported_then_resolved(placed: Deployment, sender_operator: User) -> None:
    hard = deployment_move(
        deployment=placed,
        action=DeploymentAction.REPORT_DIFFICULTY,
        on=TODAY,
        reason="Unpaid overtime reported by the apprentice.",
        acting_user=sender_operator,
    )
    assert hard.status == DeploymentStatus.IN_DIFFICULTY

    fine = deployment_move(
        deployment=hard,
        action=DeploymentAction.RESOLVE_DIFFICULTY,
        on=TODAY,
        reason="The company paid the overtime; OTIT informed.",
        acting_user=sender_operator,
    )

    assert fine.status == DeploymentStatus.IN_PLACEMENT
    assert list(fine.events.order_by("pk").values_list("action", flat=True))[-2:] == [
        "report_difficulty",
        "resolve_difficulty",
    ]


def test_a_missing_person_is_reported_then_found(placed: Deployment, partner_user: User) -> None:
    missing = deployment_move(
        deployment=placed,
        action=DeploymentAction.REPORT_MISSING,
        on=TODAY,
        reason="Not at work or in the dormitory since Monday.",
        acting_user=partner_user,
    )
    assert missing.status == DeploymentStatus.MISSING
    assert _journey(missing) == JourneyStatus.IN_PLACEMENT

    found = deployment_move(
        deployment=missing,
        action=DeploymentAction.REPORT_FOUND,
        on=TODAY,
        reason="Stayed with a friend in Mito; back at work.",
        acting_user=partner_user,
    )
    assert found.status == DeploymentStatus.IN_PLACEMENT


def test_an_early_return_needs_a_reason_from_the_list(
    placed: Deployment, sender_operator: User
) -> None:
    before = _state(placed)

    with pytest.raises(ValidationError) as refused:
        deployment_move(
            deployment=placed,
            action=DeploymentAction.RETURN_EARLY,
            on=TODAY,
            reason="Went home.",
            reason_code="",
            acting_user=sender_operator,
        )

    assert refused.value.error_dict["reason_code"][0].code == (
        DeploymentErrorCode.REASON_CODE_REQUIRED
    )
    assert _state(placed) == before


def test_an_early_return_ends_the_stay_resolves_alerts_and_moves_the_journey(
    placed: Deployment, sender_operator: User
) -> None:
    alert = MonitoringAlert.objects.create(
        deployment=placed,
        kind="sender",
        due_on=TODAY,
        raised_at=timezone.now(),
        raised_on=TODAY,
    )

    home = deployment_move(
        deployment=placed,
        action=DeploymentAction.RETURN_EARLY,
        on=TODAY,
        reason="Father seriously ill in Semarang.",
        reason_code="family",
        acting_user=sender_operator,
    )

    assert (home.status, home.ended_on) == (DeploymentStatus.RETURNED_EARLY, TODAY)
    assert home.events.get(action="return_early").reason_code == "family"
    assert MonitoringAlert.objects.get(pk=alert.pk).status == AlertStatus.RESOLVED
    person = Participant.objects.get(pk=placed.participant_id)
    assert person.status == JourneyStatus.RETURNED_EARLY
    assert person.status_changes.first().reason == "Father seriously ill in Semarang."  # type: ignore[union-attr]


def test_a_completion_ends_the_stay_and_the_journey(placed: Deployment, partner_user: User) -> None:
    done = deployment_move(
        deployment=placed,
        action=DeploymentAction.COMPLETE,
        on=TODAY,
        reason="",
        acting_user=partner_user,
    )

    assert (done.status, done.ended_on) == (DeploymentStatus.COMPLETED, TODAY)
    assert _journey(done) == JourneyStatus.COMPLETED


def test_a_completion_dated_ahead_is_refused(placed: Deployment, partner_user: User) -> None:
    with pytest.raises(ValidationError) as refused:
        deployment_move(
            deployment=placed,
            action=DeploymentAction.COMPLETE,
            on=TODAY + dt.timedelta(days=1),
            reason="",
            acting_user=partner_user,
        )

    assert refused.value.error_dict["on"][0].code == DeploymentErrorCode.FUTURE_DATE


def test_the_participant_may_not_record_moves_of_their_own_stay(
    placed: Deployment, participant_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        deployment_move(
            deployment=placed,
            action=DeploymentAction.COMPLETE,
            on=TODAY,
            reason="",
            acting_user=participant_user,
        )


def test_an_early_return_before_arrival_moves_a_departed_journey(
    ready: Deployment, sender_operator: User
) -> None:
    abroad(ready, departed_on=TODAY)

    deployment_move(
        deployment=ready,
        action=DeploymentAction.RETURN_EARLY,
        on=TODAY,
        reason="Refused entry at Narita.",
        reason_code="other",
        acting_user=sender_operator,
    )

    assert _journey(ready) == JourneyStatus.RETURNED_EARLY
