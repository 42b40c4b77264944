"""Confirming a departure: refused with every unmet gate, then allowed; and only once."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connections, transaction
from django.utils import timezone

from jembatan.accounts.factories import UserFactory
from jembatan.accounts.models import User
from jembatan.core.models import ChangeRecord
from jembatan.core.roles import Role
from jembatan.core.transitions import TransitionRefused
from jembatan.demand.factories import FeeRuleFactory
from jembatan.deployment.errors import DeploymentErrorCode
from jembatan.deployment.factories import deployment_for, make_ready
from jembatan.deployment.models import Deployment, DeploymentEvent, DeploymentStatus
from jembatan.deployment.services.departure import deployment_depart
from jembatan.organisations.factories import LicenceFactory, OrganisationFactory
from jembatan.participants.factories import ParticipantFactory
from jembatan.participants.models import JourneyStatus, Participant

pytestmark = pytest.mark.django_db


def _state(deployment: Deployment) -> tuple[Any, ...]:
    fresh = Deployment.objects.get(pk=deployment.pk)
    person = Participant.objects.get(pk=deployment.participant_id)
    return (
        fresh.status,
        fresh.departed_on,
        person.status,
        DeploymentEvent.objects.count(),
        ChangeRecord.objects.count(),
    )


def test_a_departure_with_nothing_recorded_is_refused_listing_every_gate_and_changes_nothing(
    deployment: Deployment, sender_operator: User
) -> None:
    before = _state(deployment)

    with pytest.raises(ValidationError) as refused:
        deployment_depart(deployment=deployment, acting_user=sender_operator)

    assert len(refused.value.messages) == 11
    assert refused.value.messages[0].startswith("Identity verified: An officer has not verified")
    assert "Flight booked: No flight is recorded." in refused.value.messages
    assert {e.code for e in refused.value.error_list} == {DeploymentErrorCode.GATES_UNMET}
    assert _state(deployment) == before


def test_a_ready_departure_is_confirmed_and_the_journey_moves_to_departed(
    ready: Deployment, sender_operator: User
) -> None:
    departed = deployment_depart(deployment=ready, acting_user=sender_operator)

    assert departed.status == DeploymentStatus.DEPARTED
    assert departed.departed_on == timezone.localdate()
    assert departed.departed_by == sender_operator
    person = Participant.objects.get(pk=ready.participant_id)
    assert person.status == JourneyStatus.DEPARTED
    assert person.status_changes.first().to_status == JourneyStatus.DEPARTED  # type: ignore[union-attr]
    event = DeploymentEvent.objects.filter(deployment=ready).get()
    assert (event.action, event.from_status, event.to_status) == ("depart", "preparing", "departed")
    assert ChangeRecord.objects.filter(operation="deployment.deployment_depart").count() == 1


def test_a_refused_then_allowed_departure(deployment: Deployment, sender_operator: User) -> None:
    with pytest.raises(ValidationError):
        deployment_depart(deployment=deployment, acting_user=sender_operator)
    make_ready(deployment)

    assert (
        deployment_depart(deployment=deployment, acting_user=sender_operator).status == "departed"
    )


def test_a_departure_dated_ahead_is_refused(ready: Deployment, sender_operator: User) -> None:
    before = _state(ready)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        deployment_depart(deployment=ready, departed_on=tomorrow, acting_user=sender_operator)

    assert refused.value.error_dict["departed_on"][0].code == DeploymentErrorCode.FUTURE_DATE
    assert _state(ready) == before


def test_a_second_confirmation_says_who_confirmed_first_and_changes_nothing(
    ready: Deployment, sender_operator: User, national_officer: User
) -> None:
    stale = Deployment.objects.get(pk=ready.pk)  # the second officer's page, opened before
    deployment_depart(deployment=ready, acting_user=sender_operator)
    before = _state(ready)

    with pytest.raises(TransitionRefused) as refused:
        deployment_depart(deployment=stale, acting_user=national_officer)

    assert refused.value.messages == [
        "The departure of Siti Rahayu was already confirmed by Sari Wulandari (departed on "
        f"{timezone.localdate():%-d %B %Y}). Nothing was changed."
    ]
    assert _state(ready) == before


def test_another_sending_organisation_may_not_confirm(
    ready: Deployment, other_sender_operator: User
) -> None:
    before = _state(ready)

    with pytest.raises(PermissionDenied):
        deployment_depart(deployment=ready, acting_user=other_sender_operator)

    assert _state(ready) == before


def test_the_partner_may_not_confirm_a_departure(ready: Deployment, partner_user: User) -> None:
    with pytest.raises(PermissionDenied):
        deployment_depart(deployment=ready, acting_user=partner_user)

    assert Deployment.objects.get(pk=ready.pk).status == DeploymentStatus.PREPARING


# --- two officers at once ------------------------------------------------------------


def _retrying(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a transaction; on SQLite's "locked", roll back and run it again."""
    for attempt in range(400):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.005 * (1 + attempt % 7))
    raise AssertionError("never got the write lock")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("audit_rows_cleared_after")
def test_two_officers_confirming_at_once_depart_the_apprentice_once() -> None:
    lpk = OrganisationFactory(name="LPK Race")
    LicenceFactory(organisation=lpk)
    partner = OrganisationFactory(partner=True)
    FeeRuleFactory()
    person = ParticipantFactory(sending_organisation=lpk, partner=partner)
    deployment = make_ready(deployment_for(person))
    officers = [
        UserFactory(role=Role.SENDER_OPERATOR, organisation=lpk, full_name="Rina"),
        UserFactory(role=Role.NATIONAL_OFFICER, full_name="Oki"),
    ]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def confirm(officer: User) -> None:
        try:
            start.wait()
            _retrying(lambda: deployment_depart(deployment=deployment, acting_user=officer))
            outcomes.append("departed")
        except ValidationError as refused:
            outcomes.append(refused.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(o,)) for o in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2
    assert outcomes.count("departed") == 1
    refusal = next(o for o in outcomes if o != "departed")
    assert "was already confirmed by" in refusal and "Nothing was changed." in refusal
    assert DeploymentEvent.objects.filter(deployment=deployment, action="depart").count() == 1
    assert person.status_changes.filter(to_status=JourneyStatus.DEPARTED).count() == 1
